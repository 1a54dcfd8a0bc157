# Records the values tests/nn/transformer-stacks.test.ts checks, with PyTorch 1.13 (Debian's
# python3-torch): run `/usr/bin/python3 tests/nn/recorders/transformer_stacks.py`.
# Parameters: state-dict entry j gets 0.4*sin(0.37*i + 1.1*j + 0.3) (i the flat index), inputs
# sin(0.61*i + seed), both rounded to float32 then computed in float64; dropout 0 and train()
# so PyTorch's inference fast paths (nested tensors) stay off.
import math
import torch
from torch import nn

torch.set_default_dtype(torch.float64)


def fill(m):
    sd = m.state_dict()
    for j, (k, t) in enumerate(sd.items()):
        n = t.numel()
        v = torch.tensor([0.4 * math.sin(0.37 * i + 1.1 * j + 0.3) for i in range(n)], dtype=torch.float32)
        t.copy_(v.reshape(t.shape).double())
    m.train()


def sin_tensor(shape, seed):
    n = math.prod(shape)
    v = torch.tensor([math.sin(0.61 * i + seed) for i in range(n)], dtype=torch.float32)
    return v.reshape(shape).double()


def show(name, t):
    print(f"{name}:", " ".join(f"{x:.7g}" for x in t.detach().reshape(-1).tolist()))


F, T = False, True

# enc_stack: two post-norm layers and a final LayerNorm; float causal mask and key padding.
enc = nn.TransformerEncoder(nn.TransformerEncoderLayer(8, 2, 16, dropout=0), 2, norm=nn.LayerNorm(8))
fill(enc)
out = enc(sin_tensor([3, 2, 8], 21), mask=nn.Transformer.generate_square_subsequent_mask(3),
          src_key_padding_mask=torch.tensor([[F, F, T], [F, F, F]]))
show("enc_stack", out)
print("enc_keys:", " ".join(enc.state_dict().keys()))

# dec_stack: two pre-norm gelu batch-first layers, no final norm; bool causal mask, paddings.
dec = nn.TransformerDecoder(nn.TransformerDecoderLayer(8, 2, 16, 0, "gelu", batch_first=True, norm_first=True), 2)
fill(dec)
out = dec(sin_tensor([2, 3, 8], 22), sin_tensor([2, 4, 8], 23),
          tgt_mask=torch.triu(torch.ones(3, 3, dtype=torch.bool), 1),
          tgt_key_padding_mask=torch.tensor([[F, F, F], [F, F, T]]),
          memory_key_padding_mask=torch.tensor([[F, F, F, T], [F, F, F, F]]))
show("dec_stack", out)
print("dec_keys:", " ".join(dec.state_dict().keys()))

# transformer_post: the whole model, seq-first, post-norm, every mask kind.
tr = nn.Transformer(d_model=8, nhead=2, num_encoder_layers=2, num_decoder_layers=1, dim_feedforward=16, dropout=0)
fill(tr)
out = tr(sin_tensor([4, 2, 8], 24), sin_tensor([3, 2, 8], 25),
         tgt_mask=tr.generate_square_subsequent_mask(3),
         src_key_padding_mask=torch.tensor([[F, F, F, T], [F, F, F, F]]),
         memory_key_padding_mask=torch.tensor([[F, F, F, T], [F, F, F, F]]))
show("transformer_post", out)
print("transformer_keys:", " ".join(tr.state_dict().keys()))

# transformer_pre: batch-first, pre-norm, gelu, a memory mask.
tr = nn.Transformer(d_model=8, nhead=2, num_encoder_layers=1, num_decoder_layers=2, dim_feedforward=16,
                    dropout=0, activation="gelu", batch_first=True, norm_first=True)
fill(tr)
mem_mask = torch.tensor([[F, F, T, T], [F, F, F, T], [F, F, F, F]])
out = tr(sin_tensor([2, 4, 8], 26), sin_tensor([2, 3, 8], 27), memory_mask=mem_mask,
         tgt_mask=tr.generate_square_subsequent_mask(3))
show("transformer_pre", out)
show("square_mask_3", nn.Transformer.generate_square_subsequent_mask(3))
