"""PyTorch's figures for the rows of bench/rows.mjs (issue 12's table), same definitions.

Prints one JSON object per line: {"row", "threads", "value", "unit"}. CPU time per call
(time.process_time), median of repeats, so other load on a shared machine inflates it less
than wall time; with two threads CPU time counts both cores.
Usage: /usr/bin/python3 bench/torch_rows.py [row,row,...] [threads]
"""

import json
import sys
import time

import torch
from torch import nn
import torch.nn.functional as F


def cpu_ms(fn, min_s=0.6, warmup=2):
    for _ in range(warmup):
        fn()
    samples, start = [], time.perf_counter()
    while len(samples) < 5 or (time.perf_counter() - start < min_s and len(samples) < 200):
        t0 = time.process_time()
        fn()
        samples.append((time.process_time() - t0) * 1000)
    samples.sort()
    return samples[len(samples) // 2]


def conv_forward():
    x, w = torch.randn(32, 64, 32, 32), torch.randn(64, 64, 3, 3)
    flops = 2 * 32 * 64 * 32 * 32 * 64 * 9
    with torch.no_grad():
        ms = cpu_ms(lambda: F.conv2d(x, w, padding=1).sum().item())
    return flops / ms / 1e6, "GFLOP/s"


def conv_forward_backward():
    x = torch.randn(32, 64, 32, 32, requires_grad=True)
    w = torch.randn(64, 64, 3, 3, requires_grad=True)
    flops = 3 * 2 * 32 * 64 * 32 * 32 * 64 * 9

    def step():
        x.grad = w.grad = None
        F.conv2d(x, w, padding=1).sum().backward()
        w.grad.sum().item()

    return flops / cpu_ms(step) / 1e6, "GFLOP/s"


def pool(fn):
    def row():
        x = torch.randn(32, 64, 32, 32, requires_grad=True)

        def step():
            x.grad = None
            fn(x, 2).sum().backward()
            x.grad.sum().item()

        return cpu_ms(step), "ms fwd+bwd"

    return row


def add1():
    a, b, n = torch.tensor([1.0]), torch.tensor([2.0]), 20000

    def loop():
        for _ in range(n):
            a.add(b)

    return cpu_ms(loop) / n * 1e6, "ns/op"


def tiny():
    x, w, n = torch.randn(4, 8), torch.randn(8, 8, requires_grad=True), 2000

    def loop():
        for _ in range(n):
            w.grad = None
            x.matmul(w).relu().sum().backward()

    return cpu_ms(loop) / n * 1e3, "us/step"


def train(model, shape, batch):
    def row():
        torch.manual_seed(0)
        m = model()
        x, y = torch.randn(batch, *shape), torch.randint(0, 10, (batch,))
        loss_fn, opt = nn.CrossEntropyLoss(), torch.optim.Adam(m.parameters(), lr=1e-3)

        def step():
            opt.zero_grad()
            loss = loss_fn(m(x), y)
            loss.backward()
            opt.step()
            return loss.item()

        return 1000 / cpu_ms(step, min_s=1.5), "steps/s"

    return row


def lenet5():
    return nn.Sequential(
        nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
        nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10),
    )


def mlp():
    return nn.Sequential(
        nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(), nn.Linear(128, 10)
    )


ROWS = {
    "add1": add1,
    "tiny": tiny,
    "mlp128": train(mlp, [784], 128),
    "lenet5": train(lenet5, [1, 28, 28], 64),
    "convF": conv_forward,
    "convFB": conv_forward_backward,
    "maxpool": pool(F.max_pool2d),
    "avgpool": pool(F.avg_pool2d),
}

if __name__ == "__main__":
    only = sys.argv[1].split(",") if len(sys.argv) > 1 and sys.argv[1] else list(ROWS)
    threads = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    torch.set_num_threads(threads)
    for name in only:
        value, unit = ROWS[name]()
        print(json.dumps({"row": name, "threads": threads, "value": value, "unit": unit}), flush=True)
