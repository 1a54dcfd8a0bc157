// TransformerEncoderLayer and TransformerDecoderLayer against values recorded from PyTorch
// (post-norm and pre-norm), their state-dict keys against PyTorch's, and mask semantics.
import { describe, expect, it } from "vitest";
import * as dl from "../../src/index.js";
import type { Tensor } from "../../src/index.js";
import { expectClose, fillLikeRecording, nums, sinTensor } from "../helpers/recorded.js";

// Recorded with PyTorch 1.13.1 (Debian python3-torch), float64, parameters filled in
// state_dict order j by 0.4·sin(0.37·i + 1.1·j + 0.3) (i the flat index, LayerNorm weights
// included) and inputs by sin(0.61·i + seed), both rounded to float32 first; dropout 0 and
// train() so the fast paths are off. Calls:
//   enc_post:   TransformerEncoderLayer(8, 2, 16, dropout=0)(src[3,2,8] s12,
//               src_key_padding_mask=[[F,F,T],[F,F,F]])
//   enc_pre:    TransformerEncoderLayer(8, 2, 16, 0, "gelu", batch_first=True, norm_first=True)
//               (x[2,3,8] s13, src_mask=triu(full((3,3), -inf), 1))
//   dec_post:   TransformerDecoderLayer(8, 2, 16, dropout=0)(tgt[3,2,8] s14, mem[4,2,8] s15,
//               tgt_mask=triu(ones(3,3,bool), 1), memory_key_padding_mask=[[F,F,F,T],[F,F,F,F]])
//   dec_pre:    TransformerDecoderLayer(8, 2, 16, 0, "gelu", norm_first=True, batch_first=True)
//               (tgt[2,3,8] s16, mem[2,4,8] s17)
const RECORDED = {
  enc_post: {
    out: nums(`
      -0.2752468 -0.2792566 0.03924567 0.270071 0.3123354 0.4147474 -0.2496496 -0.04618948
      0.2316226 -0.03857979 -0.03295382 0.2372908 0.4220732 0.3930501 -0.1577241 -0.1486932
      -0.1287443 0.0138612 0.09160379 0.2464307 0.4338087 0.5053297 -0.2259263 -0.3226972
      -0.5595143 -0.1687101 0.1707592 0.2824345 0.354596 0.5048699 -0.1871507 -0.2932384
      -0.5532277 -0.3192309 0.09788968 0.3008526 0.3112771 0.3878472 -0.1423993 -0.1488506
      0.1260785 -0.1773652 -0.06621962 0.2507059 0.3792543 0.3464101 -0.1917413 -0.09058834
    `),
  },
  enc_pre: {
    out: nums(`
      0.9814271 1.19746 1.788508 0.7283957 1.005789 -0.8818939 -0.2986697 -1.989721 -0.1704109
      -0.008701348 1.372238 0.9078018 2.181196 0.5605552 1.324884 -1.025719 -0.3954342 -0.99493
      -0.0287475 -0.5327688 1.257355 0.4153113 2.10114 0.3900721 0.7898542 -0.01554995
      -0.09860037 -1.208646 -0.3745951 -1.188122 0.5190009 -0.2387932 1.396683 1.292266 1.412354
      0.1211674 0.2313021 -1.415285 -0.5653965 -1.749956 0.3159321 0.7446141 1.712125 1.11124
      1.716404 -0.03945939 0.3711004 -1.688726
    `),
  },
  dec_post: {
    out: nums(`
      0.3492579 0.3058261 0.3500261 0.4709598 0.4627822 0.9256928 0.02356342 -0.2433077
      0.3710593 0.2765397 0.352274 0.4510969 0.3924242 1.030849 0.04419816 -0.1517849 0.5114515
      0.2901263 0.3276725 0.4552525 0.3030765 0.9885908 0.07596488 0.09807257 0.4948618
      0.3094181 0.3293559 0.4807534 0.3508995 0.8889528 -0.008608619 0.08256713 0.3801624
      0.316472 0.3446551 0.4809156 0.4523935 0.888783 0.002649232 -0.1846108 0.358567 0.2855971
      0.3544255 0.4638586 0.4206632 0.9788457 0.008114457 -0.1717775
    `),
  },
  dec_pre: {
    out: nums(`
      0.3403445 -0.8666797 0.4322091 -1.112623 1.404955 -0.472652 2.410234 -0.2167002 1.650263
      0.5156904 1.358246 -0.8767492 0.7519423 -1.646513 0.9557463 -1.276133 1.462261 1.002563
      2.580064 0.4700517 1.921716 -1.179072 0.6514803 -2.274126 0.1945115 -0.08613413 2.196519
      0.8190536 3.060291 0.2244075 2.009022 -1.569367 -0.1577084 -1.076585 0.741002 -0.5248467
      2.235043 0.1888566 2.827268 -0.2862297 1.092672 -0.1661875 0.7028239 -1.244298 0.8057425
      -1.252622 1.647967 -0.6739133
    `),
  },
};

const bools = (rows: boolean[][]) => dl.tensor(rows);
const causalBool = (n: number) => dl.ones([n, n]).triu(1).gt(0);

const ENCODER_KEYS = [
  "self_attn.in_proj_weight",
  "self_attn.in_proj_bias",
  "self_attn.out_proj.weight",
  "self_attn.out_proj.bias",
  "linear1.weight",
  "linear1.bias",
  "linear2.weight",
  "linear2.bias",
  "norm1.weight",
  "norm1.bias",
  "norm2.weight",
  "norm2.bias",
];
const DECODER_KEYS = [
  ...ENCODER_KEYS.slice(0, 4),
  ...ENCODER_KEYS.slice(0, 4).map((k) => k.replace("self_attn", "multihead_attn")),
  ...ENCODER_KEYS.slice(4),
  "norm3.weight",
  "norm3.bias",
];

describe("TransformerEncoderLayer / TransformerDecoderLayer", () => {
  it("have PyTorch's state-dict keys and submodule names", () => {
    const enc = new dl.nn.TransformerEncoderLayer(8, 2, { dimFeedforward: 16 });
    expect(Object.keys(enc.stateDict())).toEqual(ENCODER_KEYS);
    expect(enc.namedChildren().map(([n]) => n)).toEqual([
      "self_attn",
      "linear1",
      "dropout",
      "linear2",
      "norm1",
      "norm2",
      "dropout1",
      "dropout2",
    ]);
    const dec = new dl.nn.TransformerDecoderLayer(8, 2, { dimFeedforward: 16 });
    expect(Object.keys(dec.stateDict())).toEqual(DECODER_KEYS);
    expect(dec.linear1.weight.shape).toEqual([16, 8]);
    expect(new dl.nn.TransformerEncoderLayer(8, 2).linear1.outFeatures).toBe(2048);
  });

  it("match PyTorch: post-norm encoder with key padding", () => {
    const m = new dl.nn.TransformerEncoderLayer(8, 2, { dimFeedforward: 16, dropout: 0 });
    fillLikeRecording(m);
    const out = m.forward(sinTensor([3, 2, 8], 12), {
      srcKeyPaddingMask: bools([
        [false, false, true],
        [false, false, false],
      ]),
    });
    expectClose(out.dataSync(), RECORDED.enc_post.out);
  });

  it("match PyTorch: pre-norm gelu encoder, batchFirst, float causal mask", () => {
    const m = new dl.nn.TransformerEncoderLayer(8, 2, {
      dimFeedforward: 16,
      dropout: 0,
      activation: "gelu",
      batchFirst: true,
      normFirst: true,
    });
    fillLikeRecording(m);
    const mask = dl.where(causalBool(3), -Infinity, 0);
    const out = m.forward(sinTensor([2, 3, 8], 13), { srcMask: mask });
    expectClose(out.contiguous().dataSync(), RECORDED.enc_pre.out);
    const viaFlag = m.forward(sinTensor([2, 3, 8], 13), { isCausal: true });
    expectClose(viaFlag.contiguous().dataSync(), RECORDED.enc_pre.out);
  });

  it("match PyTorch: post-norm decoder with a causal target mask and memory padding", () => {
    const m = new dl.nn.TransformerDecoderLayer(8, 2, { dimFeedforward: 16, dropout: 0 });
    fillLikeRecording(m);
    const tgt = sinTensor([3, 2, 8], 14);
    const memory = sinTensor([4, 2, 8], 15);
    const memoryKeyPaddingMask = bools([
      [false, false, false, true],
      [false, false, false, false],
    ]);
    const out = m.forward(tgt, memory, { tgtMask: causalBool(3), memoryKeyPaddingMask });
    expectClose(out.dataSync(), RECORDED.dec_post.out);
    const viaFlag = m.forward(tgt, memory, { tgtIsCausal: true, memoryKeyPaddingMask });
    expectClose(viaFlag.dataSync(), RECORDED.dec_post.out);
  });

  it("match PyTorch: pre-norm gelu decoder, batchFirst", () => {
    const m = new dl.nn.TransformerDecoderLayer(8, 2, {
      dimFeedforward: 16,
      dropout: 0,
      activation: "gelu",
      normFirst: true,
      batchFirst: true,
    });
    fillLikeRecording(m);
    const out = m.forward(sinTensor([2, 3, 8], 16), sinTensor([2, 4, 8], 17));
    expectClose(out.contiguous().dataSync(), RECORDED.dec_pre.out);
  });

  it("use dropout only while training", () => {
    dl.manualSeed(8);
    const m = new dl.nn.TransformerDecoderLayer(8, 2, { dimFeedforward: 16 });
    const [tgt, memory] = [dl.randn([3, 2, 8]), dl.randn([4, 2, 8])];
    const a = m.forward(tgt, memory).dataSync();
    const b = m.forward(tgt, memory).dataSync();
    expect([...a]).not.toEqual([...b]);
    m.eval();
    const plain = new dl.nn.TransformerDecoderLayer(8, 2, { dimFeedforward: 16, dropout: 0 });
    plain.loadStateDict(m.stateDict());
    expectClose(m.forward(tgt, memory).dataSync(), plain.forward(tgt, memory).dataSync(), 1e-7);
  });

  it("send gradients to the input (finite differences) and to every parameter", () => {
    dl.manualSeed(10);
    const m = new dl.nn.TransformerEncoderLayer(4, 2, { dimFeedforward: 6, dropout: 0 });
    const w = dl.randn([3, 1, 4]);
    const src = dl.randn([3, 1, 4]);
    expect(
      dl.gradcheck((x: Tensor) => m.forward(x, { isCausal: true }).mul(w), [src], {
        eps: 1e-2,
        atol: 3e-3,
        rtol: 3e-2,
      }),
    ).toBe(true);
    m.zeroGrad();
    m.forward(src).mul(w).sum().backward();
    for (const [name, p] of m.namedParameters())
      expect([name, [...p.grad!.dataSync()].some((g) => g !== 0)]).toEqual([name, true]);
  });

  it("reject an unknown activation", () => {
    expect(
      () => new dl.nn.TransformerEncoderLayer(8, 2, { activation: "swish" as "relu" }),
    ).toThrow(/TransformerEncoderLayer.*activation/);
  });
});
