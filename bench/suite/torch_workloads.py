"""PyTorch's side of the workloads in workloads.mjs, same definitions, one per process.

usage: /usr/bin/python3 bench/suite/torch_workloads.py WORKLOAD THREADS
       /usr/bin/python3 bench/suite/torch_workloads.py --blas
Prints one JSON line: the median wall milliseconds of one call (or, with --blas, which BLAS
library torch's matrix products load: Debian's torch falls back to the reference BLAS, several
times slower than what a pip user has, unless libopenblas0-pthread is installed).
"""

import json
import sys
import time

import torch
from torch import nn
import torch.nn.functional as F

GEMM_N, EW_N, LOOP_ADDS, LOOP_TINY = 1024, 4 * 1024 * 1024, 20000, 500
MIN_S = 1.5
# The warm-up, the same wall time as child.mjs gives Dendrite (WARM_MS).
WARM_S = 1.0
FAST_BLAS = ("openblas", "mkl", "blis")


def blas_in_use():
    """The BLAS shared library mapped into this process after a product, by file name."""
    a = torch.randn(64, 64)
    a @ a
    with open("/proc/self/maps") as maps:
        libs = {line.split()[-1] for line in maps if "blas" in line or "mkl" in line}
    fast = sorted(lib for lib in libs if any(name in lib.lower() for name in FAST_BLAS))
    return {"fast": bool(fast), "libraries": fast or sorted(libs), "torch": torch.__version__}


def median_ms(call):
    warm = time.perf_counter()
    i = 0
    while i < 3 or time.perf_counter() - warm < WARM_S:
        call()
        i += 1
    samples, start = [], time.perf_counter()
    while len(samples) < 5 or (time.perf_counter() - start < MIN_S and len(samples) < 200):
        t0 = time.perf_counter()
        call()
        samples.append((time.perf_counter() - t0) * 1000)
    samples.sort()
    return samples[len(samples) // 2], len(samples)


def adam_step(model, x, y, loss_fn, lr=1e-3):
    model.train()
    opt = torch.optim.Adam(model.parameters(), lr=lr)

    def step():
        opt.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        opt.step()
        return loss.item()

    return step


def classifier_step(model, shape, batch):
    x, y = torch.randn(batch, *shape), torch.randint(0, 10, (batch,))
    return adam_step(model, x, y, nn.CrossEntropyLoss())


class CharModel(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb, self.lstm, self.fc = nn.Embedding(64, 32), nn.LSTM(32, 128, batch_first=True), nn.Linear(128, 64)

    def forward(self, x):
        return self.fc(self.lstm(self.emb(x))[0]).reshape(-1, 64)


class Forecaster(nn.Module):
    def __init__(self, kind=nn.LSTM):
        super().__init__()
        self.rnn, self.head = kind(8, 32, batch_first=True), nn.Linear(32, 1)

    def forward(self, x):
        return self.head(self.rnn(x)[0][:, -1])


def add1():
    a, b = torch.tensor([1.0]), torch.tensor([2.0])

    def loop():
        for _ in range(LOOP_ADDS):
            a.add(b)

    return loop


def tiny():
    x, w = torch.randn(4, 8), torch.randn(8, 8, requires_grad=True)

    def loop():
        for _ in range(LOOP_TINY):
            w.grad = None
            x.matmul(w).relu().sum().backward()

    return loop


def gemm1024():
    a, b = torch.randn(GEMM_N, GEMM_N), torch.randn(GEMM_N, GEMM_N)
    return lambda: (a @ b)[0, 0].item()


def conv_forward():
    x, w = torch.randn(32, 64, 32, 32), torch.randn(64, 64, 3, 3)

    def call():
        with torch.no_grad():
            return F.conv2d(x, w, padding=1)[0, 0, 0, 0].item()

    return call


def conv_forward_backward():
    x = torch.randn(32, 64, 32, 32, requires_grad=True)
    w = torch.randn(64, 64, 3, 3, requires_grad=True)

    def call():
        x.grad = w.grad = None
        F.conv2d(x, w, padding=1).sum().backward()
        return w.grad.sum().item()

    return call


def elementwise():
    a, b, c = torch.randn(EW_N), torch.randn(EW_N), torch.randn(EW_N)
    return lambda: torch.relu(a * b + c)[0].item()


def lenet5():
    return nn.Sequential(
        nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
        nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10),
    )


def tutorial_cnn():
    return nn.Sequential(
        nn.Conv2d(1, 8, 5, bias=False), nn.BatchNorm2d(8), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(8, 16, 5, bias=False), nn.BatchNorm2d(16), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Dropout(0.25), nn.Linear(256, 120), nn.ReLU(), nn.Linear(120, 10),
    )


WORKLOADS = {
    "add1": add1,
    "tiny": tiny,
    "gemm1024": gemm1024,
    "mlp128": lambda: classifier_step(
        nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(), nn.Linear(128, 10)),
        [784], 128),
    "lenet5": lambda: classifier_step(lenet5(), [1, 28, 28], 64),
    "lstm": lambda: adam_step(CharModel(), torch.randint(0, 64, (32, 32)), torch.randint(0, 64, (32 * 32,)),
                              nn.CrossEntropyLoss()),
    "convF": conv_forward,
    "convFB": conv_forward_backward,
    "ew": elementwise,
    "tut02": lambda: classifier_step(nn.Sequential(nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 10)), [784], 64),
    "tut03": lambda: classifier_step(tutorial_cnn(), [1, 28, 28], 64),
    "tut04": lambda: adam_step(Forecaster(), torch.randn(128, 21, 8), torch.randn(128, 1), nn.MSELoss(), lr=1e-2),
    "tut04gru": lambda: adam_step(Forecaster(nn.GRU), torch.randn(128, 21, 8), torch.randn(128, 1), nn.MSELoss(),
                                  lr=1e-2),
}

if __name__ == "__main__":
    if sys.argv[1] == "--blas":
        print(json.dumps(blas_in_use()))
        sys.exit(0)
    workload, threads = sys.argv[1], int(sys.argv[2])
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    ms, samples = median_ms(WORKLOADS[workload]())
    print(json.dumps({"impl": "torch", "workload": workload, "threads": threads, "ms": ms,
                      "samples": samples, "info": {"torch": torch.__version__, "threads": torch.get_num_threads()}}))
