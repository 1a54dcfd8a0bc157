# Records what tests/nn/rnn-utils.test.ts checks about torch.nn.utils.rnn (PyTorch 1.13):
# run `/usr/bin/python3 tests/nn/recorders/rnn_utils.py`.
import torch
from torch.nn.utils.rnn import pad_sequence, pack_padded_sequence, pad_packed_sequence, pack_sequence

a = torch.arange(1., 7.).reshape(3, 2)
b = torch.tensor([[7., 8.]])
c = torch.tensor([[9., 10.], [11., 12.]])
padded = pad_sequence([a, b, c], batch_first=True, padding_value=-1)
print("pad_bf:", padded.tolist())
print("pad_tm:", pad_sequence([a, b, c]).shape)
p = pack_padded_sequence(padded, [3, 1, 2], batch_first=True, enforce_sorted=False)
print("data:", p.data.tolist())
print("batch_sizes:", p.batch_sizes.tolist(), "sorted:", p.sorted_indices.tolist(), "unsorted:", p.unsorted_indices.tolist())
out, lens = pad_packed_sequence(p, batch_first=True, padding_value=9, total_length=4)
print("unpacked:", out.tolist(), "lengths:", lens.tolist())
q = pack_sequence([a, c, b])
print("pack_sequence sorted:", q.data.tolist(), q.batch_sizes.tolist(), q.sorted_indices, q.unsorted_indices)
try:
    pack_padded_sequence(padded, [3, 1, 2], batch_first=True)
except RuntimeError as e:
    print("error:", e)
