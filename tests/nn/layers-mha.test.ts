// MultiheadAttention against values recorded from PyTorch (cross-attention with masks, causal
// per-head weights, kdim/vdim without bias), its parameter names and initialisation, and masks.
import { describe, expect, it } from "vitest";
import * as dl from "../../src/index.js";
import type { Tensor } from "../../src/index.js";
import { expectClose, fillLikeRecording, nums, sinTensor } from "../helpers/recorded.js";

const F = dl.nn.functional;

// Recorded with PyTorch 1.13.1 (Debian python3-torch), float64, parameters filled in
// state_dict order j by 0.4·sin(0.37·i + 1.1·j + 0.3) (i the flat index, LayerNorm weights
// included) and inputs by sin(0.61·i + seed), both rounded to float32 first; dropout 0 and
// train() so the fast paths are off. Calls:
//   mha_cross:  MultiheadAttention(8, 2)(q[3,2,8] s4, k[4,2,8] s5, v[4,2,8] s6,
//               key_padding_mask=[[F,F,F,T],[F,T,F,F]], attn_mask=0.5·sin-tensor[3,4] s7)
//   mha_causal: MultiheadAttention(8, 4, batch_first=True)(x, x, x) x[2,3,8] s8,
//               attn_mask=triu(ones(3,3,bool), 1), average_attn_weights=False
//   mha_kv:     MultiheadAttention(6, 2, kdim=3, vdim=5, bias=False)(q[2,1,6] s9, k[3,1,3] s10, v[3,1,5] s11)
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
