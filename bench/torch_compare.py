"""PyTorch step times for the models of bench/train-steps.mjs (a dev-machine check, not a test).

Prints one JSON line per (model, threads): CPU milliseconds per training step (process time,
so other load on a shared machine inflates it less than wall time), best and median of
several repeats (and the best wall time: with two threads CPU time counts both), with torch.set_num_threads(1) and with the default thread count.
Usage: /usr/bin/python3 bench/torch_compare.py [mlp|lenet]
"""

import json
import os
import sys
import time

import torch
from torch import nn

BATCH = 64


def lenet():
    return nn.Sequential(
        nn.Conv2d(1, 6, 5),
        nn.BatchNorm2d(6),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Conv2d(6, 16, 5),
        nn.BatchNorm2d(16),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Linear(256, 120),
        nn.ReLU(),
        nn.Dropout(0.25),
        nn.Linear(120, 84),
        nn.ReLU(),
        nn.Linear(84, 10),
    )


def mlp():
    return nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 10))


MODELS = {"mlp": (mlp, [784]), "lenet": (lenet, [1, 28, 28])}


def train_step(build, input_shape):
    torch.manual_seed(0)
    model = build()
    model.train()
    x = torch.randn(BATCH, *input_shape)
    y = torch.randint(0, 10, (BATCH,))
    loss_fn = nn.CrossEntropyLoss()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)

    def step():
        optimizer.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        optimizer.step()
        return loss.item()

    return step


def cpu_time(fn, warmup=5, steps=20, repeats=5):
    for _ in range(warmup):
        fn()
    samples, walls = [], []
    for _ in range(repeats):
        t0, w0 = time.process_time(), time.perf_counter()
        for _ in range(steps):
            fn()
        samples.append((time.process_time() - t0) * 1000 / steps)
        walls.append((time.perf_counter() - w0) * 1000 / steps)
    samples.sort()
    walls.sort()
    return samples[0], samples[len(samples) // 2], walls[0]


def main():
    only = sys.argv[1] if len(sys.argv) > 1 else None
    default_threads = torch.get_num_threads()
    # The default is what OpenMP decides (1 on a quota-limited container); also try every core.
    for threads in sorted({1, default_threads, os.cpu_count() or 1}):
        torch.set_num_threads(threads)
        for name, (build, shape) in MODELS.items():
            if only and name != only:
                continue
            best, median, wall = cpu_time(train_step(build, shape))
            row = {"model": name, "threads": threads, "best": best, "median": median, "wall": wall}
            print(json.dumps(row), flush=True)


if __name__ == "__main__":
    main()
