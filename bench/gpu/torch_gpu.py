"""PyTorch's side of the GPU bench: the workloads of workloads.mjs, same definitions, on CUDA
(or the CPU where no GPU is visible), printed as one JSON object of median seconds.

python3 bench/gpu/torch_gpu.py [--gemm 1024,4096,8192] [--elementwise 4194304,...] [--quick]
"""
import argparse
import json
import math
import time

import torch
import torch.nn as nn

parser = argparse.ArgumentParser()
parser.add_argument("--gemm", default="1024,4096,8192")
parser.add_argument("--elementwise", default="4194304,16777216,67108864")
parser.add_argument("--quick", action="store_true", help="small sizes (no GPU: a smoke test)")
args = parser.parse_args()

dev = "cuda" if torch.cuda.is_available() else "cpu"


def sync():
    if dev == "cuda":
        torch.cuda.synchronize()


def median_seconds(fn, runs=3, warmup=2, min_seconds=0.25):
    """Seconds per call, timed as workloads.mjs's timeIt does: back-to-back calls until one
    synchronised batch lasts min_seconds, then the median of `runs` batches."""
    for _ in range(warmup):
        fn()
    sync()

    def batch(reps):
        t0 = time.perf_counter()
        for _ in range(reps):
            fn()
        sync()
        return time.perf_counter() - t0

    reps = 1
    t = batch(reps)
    while t < min_seconds and reps < 4096:
        reps = min(4096, reps * max(2, math.ceil(min_seconds / max(t, 1e-4) / 2)))
        t = batch(reps)
    return sorted(batch(reps) / reps for _ in range(runs))[runs // 2]


def gemm(n, tf32):
    torch.backends.cuda.matmul.allow_tf32 = tf32
    a = torch.randn(n, n, device=dev)
    b = torch.randn(n, n, device=dev)
    s = median_seconds(lambda: a @ b)
    torch.backends.cuda.matmul.allow_tf32 = False
    return s


def elementwise(n):
    a, b, c = (torch.randn(n, device=dev) for _ in range(3))
    dst = torch.empty(n, device=dev)
    return {
        "add": median_seconds(lambda: a + b),
        "chain": median_seconds(lambda: torch.relu(a * b + c)),
        "copy": median_seconds(lambda: dst.copy_(a)),
    }


def overhead(count=1000):
    one = torch.ones(256, device=dev)

    def run():
        x = torch.zeros(256, device=dev)
        for _ in range(count):
            x = x + one
        x.cpu()

    return median_seconds(run, min_seconds=0.1) / count


def lenet():
    return nn.Sequential(
        nn.Conv2d(1, 6, 5), nn.BatchNorm2d(6), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(6, 16, 5), nn.BatchNorm2d(16), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(256, 120), nn.ReLU(), nn.Dropout(0.25),
        nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10),
    )


class LastStepLSTM(nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(128, 512, batch_first=True)
        self.head = nn.Linear(512, 10)

    def forward(self, x):
        out, _ = self.lstm(x)
        return self.head(out[:, -1])


class Encoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.layers = nn.ModuleList(
            nn.TransformerEncoderLayer(512, 8, dim_feedforward=2048, batch_first=True)
            for _ in range(4)
        )
        self.head = nn.Linear(512, 10)

    def forward(self, x):
        for layer in self.layers:
            x = layer(x)
        return self.head(x.mean(1))


# Same names as TRAINING in workloads.mjs.
TRAINING = [
    ("MLP 784-1024-1024-10, batch 1024",
     lambda: nn.Sequential(nn.Linear(784, 1024), nn.ReLU(), nn.Linear(1024, 1024), nn.ReLU(),
                           nn.Linear(1024, 10)), (1024, 784)),
    ("LeNet-5 (BN, dropout), batch 512", lenet, (512, 1, 28, 28)),
    ("LSTM 128->512, T64, batch 64", LastStepLSTM, (64, 64, 128)),
    ("Transformer encoder 4x d512, seq 128, batch 32", Encoder, (32, 128, 512)),
]


def training(build, shape):
    torch.manual_seed(0)
    model = build().to(dev).train()
    x = torch.randn(*shape, device=dev)
    y = torch.randint(0, 10, (shape[0],), device=dev)
    opt = torch.optim.Adam(model.parameters(), lr=1e-4)

    def step():
        opt.zero_grad()
        loss = nn.functional.cross_entropy(model(x), y)
        loss.backward()
        opt.step()

    return median_seconds(step, min_seconds=0.5)


sizes = [int(s) for s in args.gemm.split(",")]
lengths = [int(s) for s in args.elementwise.split(",")]
if args.quick:
    sizes, lengths = [128, 256], [1 << 16]
result = {
    "torch": torch.__version__,
    "device": torch.cuda.get_device_name(0) if dev == "cuda" else "cpu",
    "gemm": {str(n): {"fp32": gemm(n, False), "tf32": gemm(n, True)} for n in sizes},
    "elementwise": {str(n): elementwise(n) for n in lengths},
    "overhead": overhead(),
    "training": {} if args.quick else {name: training(b, s) for name, b, s in TRAINING},
}
print(json.dumps(result))
