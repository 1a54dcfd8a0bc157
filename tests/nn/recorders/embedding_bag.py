# Records what tests/nn/embedding-bag.test.ts checks (PyTorch 1.13): run
# `/usr/bin/python3 tests/nn/recorders/embedding_bag.py`. weight[i] = 0.4*sin(0.37*i + 0.3)
# (flat index, float32), upstream gradient g[i] = sin(0.61*i + 5).
import math
import torch
from torch import nn


def table(n, d, **kw):
    m = nn.EmbeddingBag(n, d, **kw)
    with torch.no_grad():
        m.weight.copy_(torch.tensor([0.4 * math.sin(0.37 * i + 0.3) for i in range(n * d)], dtype=torch.float32).reshape(n, d))
    return m


def run(name, m, inp, **kw):
    out = m(inp, **kw)
    g = torch.tensor([math.sin(0.61 * i + 5) for i in range(out.numel())], dtype=torch.float32).reshape(out.shape)
    (out * g).sum().backward()
    print(f"{name}_out:", " ".join(f"{x:.7g}" for x in out.detach().reshape(-1).tolist()))
    print(f"{name}_grad:", " ".join(f"{x:.7g}" for x in m.weight.grad.reshape(-1).tolist()))


idx = torch.tensor([1, 4, 4, 0, 2, 5, 3])
run("sum_psw", table(6, 3, mode="sum"), idx, offsets=torch.tensor([0, 3, 3, 5]),
    per_sample_weights=torch.tensor([0.5, -1.0, 2.0, 1.5, 0.25, -0.75, 3.0]))
run("mean_2d_pad", table(6, 3, mode="mean", padding_idx=2), torch.tensor([[1, 2, 4], [2, 2, 2], [0, 5, 5]]))
run("max_last", table(6, 3, mode="max", include_last_offset=True), idx, offsets=torch.tensor([0, 2, 2, 6, 7]))
run("mean_empty", table(6, 3, mode="mean"), idx, offsets=torch.tensor([0, 0, 4]))
print(table(6, 3, mode="max", padding_idx=0))
