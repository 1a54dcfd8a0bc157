// Attention: F.scaledDotProductAttention against a float64 softmax(QKᵀ/√d)V with masks and
// finite-difference gradients; MultiheadAttention and the Transformer layers against values
// recorded from PyTorch, their state-dict keys against PyTorch's, and mask semantics.
import { describe, expect, it } from "vitest";
import * as dl from "../../src/index.js";
import type { Tensor } from "../../src/index.js";
import { rng } from "../helpers/ref.js";
import { expectClose, fillLikeRecording, nums, sinTensor } from "../helpers/recorded.js";

const F = dl.nn.functional;

interface Arr {
  shape: number[];
  data: Float64Array;
}

function randomArr(shape: number[], seed: number): Arr {
  const next = rng(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  return { shape, data: Float64Array.from({ length: n }, () => Math.fround(next() * 2 - 1)) };
}
const toTensor = (a: Arr): Tensor => dl.tensor(Float32Array.from(a.data), { shape: a.shape });

/**
 * softmax(q kᵀ·scale + mask) v for q [B, L, E], k [B, S, E], v [B, S, Ev], in float64 loops.
 * `allowed(b, i, j)` false removes a score (−∞); `bias(b, i, j)` is added.
 */
function refAttention(
  q: Arr,
  k: Arr,
  v: Arr,
  scale: number,
  allowed: (b: number, i: number, j: number) => boolean = () => true,
  bias: (b: number, i: number, j: number) => number = () => 0,
): Float64Array {
  const [B, L, E] = q.shape;
  const S = k.shape[1];
  const Ev = v.shape[2];
  const out = new Float64Array(B * L * Ev);
  for (let b = 0; b < B; b++)
    for (let i = 0; i < L; i++) {
      const scores: number[] = [];
      for (let j = 0; j < S; j++) {
        let s = 0;
        for (let e = 0; e < E; e++) s += q.data[(b * L + i) * E + e] * k.data[(b * S + j) * E + e];
        scores.push(allowed(b, i, j) ? s * scale + bias(b, i, j) : -Infinity);
      }
      const m = Math.max(...scores);
      if (m === -Infinity) continue; // a fully masked query yields zeros
      const w = scores.map((s) => Math.exp(s - m));
      const total = w.reduce((a, c) => a + c, 0);
      for (let j = 0; j < S; j++)
        for (let e = 0; e < Ev; e++)
          out[(b * L + i) * Ev + e] += (w[j] / total) * v.data[(b * S + j) * Ev + e];
    }
  return out;
}

/** Central differences of sum(ref(...) · w) with respect to every element of `x`. */
function numericGrad(x: Arr, w: Float64Array, ref: () => Float64Array, eps = 1e-6): number[] {
  const loss = () => ref().reduce((s, v, i) => s + v * w[i], 0);
  return Array.from(x.data, (orig, i) => {
    x.data[i] = orig + eps;
    const up = loss();
    x.data[i] = orig - eps;
    const down = loss();
    x.data[i] = orig;
    return (up - down) / (2 * eps);
  });
}

describe("scaledDotProductAttention", () => {
  const B = 2,
    L = 3,
    S = 5,
    E = 4,
    Ev = 6;
  const boolMask = (b: number, i: number, j: number) => (b + i + 2 * j) % 3 !== 0;
  const floatBias = (b: number, i: number, j: number) => 0.3 * Math.sin(b + 2 * i + 3 * j);
  const maskTensor = dl.tensor(
    Array.from({ length: B }, (_, b) =>
      Array.from({ length: L }, (_, i) => Array.from({ length: S }, (_, j) => boolMask(b, i, j))),
    ),
  );
  const biasTensor = dl.tensor(
    Array.from({ length: B }, (_, b) =>
      Array.from({ length: L }, (_, i) => Array.from({ length: S }, (_, j) => floatBias(b, i, j))),
    ),
  );
  const cases: [
    string,
    dl.nn.functional.ScaledDotProductAttentionOptions,
    Parameters<typeof refAttention>[4],
    Parameters<typeof refAttention>[5],
    number?,
  ][] = [
    ["no mask", {}, undefined, undefined],
    ["bool mask (true = attend)", { mask: maskTensor }, boolMask, undefined],
    ["float mask added", { mask: biasTensor }, undefined, floatBias],
    ["causal", { causal: true }, (_b, i, j) => j <= i, undefined],
    ["custom scale", { scale: 0.9 }, undefined, undefined, 0.9],
  ];
  it.each(cases)("%s: forward and gradients", (_name, opts, allowed, bias, scale) => {
    const q = randomArr([B, L, E], 1);
    const k = randomArr([B, S, E], 2);
    const v = randomArr([B, S, Ev], 3);
    const w = randomArr([B, L, Ev], 4).data;
    const sc = scale ?? 1 / Math.sqrt(E);
    const ref = () => refAttention(q, k, v, sc, allowed, bias);
    const [qt, kt, vt] = [q, k, v].map((a) => toTensor(a).requiresGrad_());
    const out = F.scaledDotProductAttention(qt, kt, vt, opts);
    expect(out.shape).toEqual([B, L, Ev]);
    expectClose(out.dataSync(), ref());
    out
      .mul(dl.tensor(Float32Array.from(w), { shape: [B, L, Ev] }))
      .sum()
      .backward();
    expectClose(qt.grad!.dataSync(), numericGrad(q, w, ref), 1e-4);
    expectClose(kt.grad!.dataSync(), numericGrad(k, w, ref), 1e-4);
    expectClose(vt.grad!.dataSync(), numericGrad(v, w, ref), 1e-4);
  });

  it("broadcasts a 2-D mask and batch dims, and zeroes fully masked queries without NaN", () => {
    const q = dl.randn([2, 3, 2, 4]).requiresGrad_();
    const k = dl.randn([3, 5, 4]);
    const v = dl.randn([3, 5, 3]);
    const mask = dl.tensor([
      [true, true, false, false, false],
      [false, false, false, false, false],
    ]);
    const out = F.scaledDotProductAttention(q, k, v, { mask });
    expect(out.shape).toEqual([2, 3, 2, 3]);
    expect([...out.select(2, 1).contiguous().dataSync()].every((x) => x === 0)).toBe(true);
    out.sum().backward();
    expect([...q.grad!.dataSync()].every(Number.isFinite)).toBe(true);
  });

  it("applies dropout to the weights and validates its options", () => {
    const [q, k, v] = [dl.randn([1, 2, 4]), dl.randn([1, 3, 4]), dl.randn([1, 3, 2])];
    expect([...F.scaledDotProductAttention(q, k, v, { dropoutP: 1 }).dataSync()]).toEqual([
      0, 0, 0, 0,
    ]);
    expect(() =>
      F.scaledDotProductAttention(q, k, v, { causal: true, mask: dl.ones([2, 3]) }),
    ).toThrow(/not both/);
    expect(() => F.scaledDotProductAttention(q, dl.randn([1, 3, 5]), v)).toThrow(/\[1, 3, 5\]/);
    expect(() =>
      F.scaledDotProductAttention(q, k, v, { mask: dl.ones([2, 3], { dtype: "int32" }) }),
    ).toThrow(/bool or float32/);
  });
});

// Recorded with PyTorch 1.13.1 (Debian python3-torch), float64, parameters filled in
// state_dict order j by 0.4·sin(0.37·i + 1.1·j + 0.3) (i the flat index, LayerNorm weights
// included) and inputs by sin(0.61·i + seed), both rounded to float32 first; dropout 0 and
// train() so the fast paths are off. Calls:
//   mha_cross:  MultiheadAttention(8, 2)(q[3,2,8] s4, k[4,2,8] s5, v[4,2,8] s6,
//               key_padding_mask=[[F,F,F,T],[F,T,F,F]], attn_mask=0.5·sin-tensor[3,4] s7)
//   mha_causal: MultiheadAttention(8, 4, batch_first=True)(x, x, x) x[2,3,8] s8,
//               attn_mask=triu(ones(3,3,bool), 1), average_attn_weights=False
//   mha_kv:     MultiheadAttention(6, 2, kdim=3, vdim=5, bias=False)(q[2,1,6] s9, k[3,1,3] s10, v[3,1,5] s11)
//   enc_post:   TransformerEncoderLayer(8, 2, 16, dropout=0)(src[3,2,8] s12,
//               src_key_padding_mask=[[F,F,T],[F,F,F]])
//   enc_pre:    TransformerEncoderLayer(8, 2, 16, 0, "gelu", batch_first=True, norm_first=True)
//               (x[2,3,8] s13, src_mask=triu(full((3,3), -inf), 1))
//   dec_post:   TransformerDecoderLayer(8, 2, 16, dropout=0)(tgt[3,2,8] s14, mem[4,2,8] s15,
//               tgt_mask=triu(ones(3,3,bool), 1), memory_key_padding_mask=[[F,F,F,T],[F,F,F,F]])
//   dec_pre:    TransformerDecoderLayer(8, 2, 16, 0, "gelu", norm_first=True, batch_first=True)
//               (tgt[2,3,8] s16, mem[2,4,8] s17)
const RECORDED = {
  mha_cross: {
    out: nums(`
      -0.3211056 -0.2613458 -0.2941815 -0.5876226 -0.08260079 -0.6801975 0.286305 -0.5678112
      0.08621485 -0.6816781 0.1253398 -0.9925368 0.2943905 -1.016868 0.5715841 -0.7923168
      0.004142307 -0.5967438 0.04033688 -0.9102606 0.2175467 -0.9479841 0.5129244 -0.745811
      -0.4147634 -0.1604948 -0.398909 -0.4824625 -0.1847353 -0.5844473 0.2000879 -0.4939626
      -0.4295248 -0.1525358 -0.3998041 -0.4886609 -0.1716472 -0.6039947 0.2254517 -0.5243086
      0.01800024 -0.5565321 -0.05262199 -0.7676115 0.02989851 -0.7215076 0.2550674 -0.4650531
    `),
    w: nums(`
      0.3492075 0.490545 0.1602475 0 0.153673 0.2577846 0.5885424 0 0.4777257 0.4019271
      0.1203472 0 0.04936333 0 0.07534326 0.8752934 0.5314047 0 0.3881838 0.08041149 0.2025625 0
      0.2415402 0.5558973
    `),
  },
  mha_causal: {
    out: nums(`
      0.1381149 -0.754006 0.215717 -1.097991 0.4114545 -1.141692 0.7000625 -0.920225 0.008585382
      -0.5955709 0.03358658 -0.8981549 0.2004837 -0.9265249 0.4877747 -0.7177978 -0.3935492
      -0.2141304 -0.3146161 -0.5946409 -0.04836052 -0.7405338 0.3707531 -0.6735941 -0.2306517
      -0.357331 -0.1958215 -0.6851228 0.01083332 -0.7664928 0.3626238 -0.6316436 0.06197631
      -0.659606 0.1061601 -0.9768802 0.2827719 -1.00967 0.5690423 -0.7945154 0.14385 -0.7512566
      0.2045735 -1.07882 0.3848861 -1.1086 0.6615354 -0.8775296
    `),
    w: nums(`
      1 0 0 0.4663244 0.5336756 0 0.04254742 0.04842617 0.9090264 1 0 0 0.5037648 0.4962352 0
      0.06209516 0.0300561 0.9078487 1 0 0 0.3858408 0.6141592 0 0.2264789 0.0448787 0.7286424 1
      0 0 0.1976079 0.8023921 0 0.5997503 0.0787691 0.3214806 1 0 0 0.05573237 0.9442676 0
      0.2675328 0.3233018 0.4091653 1 0 0 0.09523192 0.9047681 0 0.049005 0.1817375 0.7692575 1
      0 0 0.213694 0.786306 0 0.01341271 0.06471523 0.9218721 1 0 0 0.3966387 0.6033613 0
      0.01554091 0.03467117 0.9497879
    `),
  },
  mha_kv: {
    out: nums(`
      -0.06369631 0.1057149 -0.06412401 -0.02818223 0.09819927 -0.09055095 -0.06748343
      0.09100952 -0.0425566 -0.03955414 0.09038169 -0.06972677
    `),
    w: nums(`
      0.3779663 0.3063771 0.3156566 0.3450009 0.2708237 0.3841753
    `),
  },
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

describe("MultiheadAttention", () => {
  it("has PyTorch's parameter names, shapes and initialisation", () => {
    const packed = new dl.nn.MultiheadAttention(8, 2);
    expect(packed.namedParameters().map(([n, p]) => [n, p.shape])).toEqual([
      ["in_proj_weight", [24, 8]],
      ["in_proj_bias", [24]],
      ["out_proj.weight", [8, 8]],
      ["out_proj.bias", [8]],
    ]);
    const separate = new dl.nn.MultiheadAttention(6, 2, { kdim: 3, vdim: 5 });
    expect(separate.namedParameters().map(([n, p]) => [n, p.shape])).toEqual([
      ["q_proj_weight", [6, 6]],
      ["k_proj_weight", [6, 3]],
      ["v_proj_weight", [6, 5]],
      ["in_proj_bias", [18]],
      ["out_proj.weight", [6, 6]],
      ["out_proj.bias", [6]],
    ]);
    expect(Object.keys(new dl.nn.MultiheadAttention(4, 1, { bias: false }).stateDict())).toEqual([
      "in_proj_weight",
      "out_proj.weight",
    ]);
    dl.manualSeed(1);
    const big = new dl.nn.MultiheadAttention(64, 4);
    const w = [...big.in_proj_weight!.dataSync()];
    const bound = Math.sqrt(6 / (64 + 192));
    expect(Math.max(...w.map(Math.abs))).toBeLessThanOrEqual(bound);
    expect(Math.max(...w.map(Math.abs))).toBeGreaterThan(0.95 * bound);
    expect(
      [...big.in_proj_bias!.dataSync(), ...big.out_proj.bias!.dataSync()].every((x) => x === 0),
    ).toBe(true);
  });

  it("matches PyTorch: cross-attention with key padding and a float attention mask", () => {
    const m = new dl.nn.MultiheadAttention(8, 2);
    fillLikeRecording(m);
    const [out, w] = m.forward(
      sinTensor([3, 2, 8], 4),
      sinTensor([4, 2, 8], 5),
      sinTensor([4, 2, 8], 6),
      {
        keyPaddingMask: bools([
          [false, false, false, true],
          [false, true, false, false],
        ]),
        attnMask: sinTensor([3, 4], 7, 0.5),
      },
    );
    expect(w!.shape).toEqual([2, 3, 4]);
    expectClose(out.dataSync(), RECORDED.mha_cross.out);
    expectClose(w!.dataSync(), RECORDED.mha_cross.w);
  });

  it("matches PyTorch: causal self-attention, batchFirst, per-head weights", () => {
    const m = new dl.nn.MultiheadAttention(8, 4, { batchFirst: true });
    fillLikeRecording(m);
    const x = sinTensor([2, 3, 8], 8);
    const [out, w] = m.forward(x, x, x, { attnMask: causalBool(3), averageAttnWeights: false });
    expect(out.shape).toEqual([2, 3, 8]);
    expect(w!.shape).toEqual([2, 4, 3, 3]);
    expectClose(out.contiguous().dataSync(), RECORDED.mha_causal.out);
    expectClose(w!.dataSync(), RECORDED.mha_causal.w);
    const [viaFlag, w2] = m.forward(x, x, x, { isCausal: true, averageAttnWeights: false });
    expectClose(viaFlag.contiguous().dataSync(), RECORDED.mha_causal.out);
    expectClose(w2!.dataSync(), RECORDED.mha_causal.w);
  });

  it("matches PyTorch: kdim/vdim projections without bias", () => {
    const m = new dl.nn.MultiheadAttention(6, 2, { kdim: 3, vdim: 5, bias: false });
    fillLikeRecording(m);
    const [out, w] = m.forward(
      sinTensor([2, 1, 6], 9),
      sinTensor([3, 1, 3], 10),
      sinTensor([3, 1, 5], 11),
    );
    expectClose(out.dataSync(), RECORDED.mha_kv.out);
    expectClose(w!.dataSync(), RECORDED.mha_kv.w);
  });

  it("treats bool and −∞ masks alike, unbatched like a batch of one, needWeights false as null", () => {
    dl.manualSeed(4);
    const m = new dl.nn.MultiheadAttention(8, 2);
    const [q, k] = [dl.randn([3, 2, 8]), dl.randn([5, 2, 8])];
    const kpm = bools([
      [false, true, false, false, true],
      [false, false, false, true, false],
    ]);
    const [a] = m.forward(q, k, k, { keyPaddingMask: kpm });
    const [b, none] = m.forward(q, k, k, {
      keyPaddingMask: dl.where(kpm, -Infinity, 0),
      needWeights: false,
    });
    expect(none).toBeNull();
    expectClose(b.dataSync(), a.dataSync(), 1e-6);
    const [single, ws] = m.forward(q.select(1, 1), k.select(1, 1), k.select(1, 1), {
      keyPaddingMask: kpm.select(0, 1),
    });
    expect(single.shape).toEqual([3, 8]);
    expect(ws!.shape).toEqual([3, 5]);
    expectClose(single.dataSync(), a.select(1, 1).contiguous().dataSync(), 1e-6);
    expect(() => m.forward(q, k, k, { attnMask: dl.ones([3, 4]) })).toThrow(
      /attnMask must be \[3, 5\]/,
    );
    expect(() => new dl.nn.MultiheadAttention(8, 3)).toThrow(/divisible/);
  });

  it("functional form: gradients of every input and weight match finite differences", () => {
    dl.manualSeed(6);
    const kpm = bools([[false, false, true]]);
    const fn = (q: Tensor, kv: Tensor, inW: Tensor, inB: Tensor, outW: Tensor, outB: Tensor) =>
      F.multiHeadAttentionForward(
        q,
        kv,
        kv,
        { numHeads: 2, inProjWeight: inW, inProjBias: inB, outProjWeight: outW, outProjBias: outB },
        { keyPaddingMask: kpm, attnMask: causalBool(3).narrow(0, 0, 2) },
      )[0];
    const inputs = [[2, 1, 4], [3, 1, 4], [12, 4], [12], [4, 4], [4]].map((s) => dl.randn(s));
    const weightsOut = dl.randn([2, 1, 4]);
    expect(
      dl.gradcheck(
        (...xs: Tensor[]) => fn(xs[0], xs[1], xs[2], xs[3], xs[4], xs[5]).mul(weightsOut),
        inputs,
        { eps: 1e-2, atol: 2e-3, rtol: 2e-2 },
      ),
    ).toBe(true);
  });
});

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
