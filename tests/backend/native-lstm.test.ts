// The native LSTM cell row loops (src/backend/cpu/native/lstm.c) against float64 loops of
// PyTorch's equations: a hidden size that leaves a ragged last block of 8, pre-activations
// from −40 to 40 (the exp clamp, tanh's small-|x| polynomial and its exp branch), and every
// output of forward and backward; operands outside their arrays are a JavaScript error.
// Skipped where the addon is not loaded (the TypeScript loops are then what runs, and
// tests/ops/lstm-cell.test.ts covers them).
import { describe, expect, it } from "vitest";
import { nativeKernels } from "../../src/backend/cpu/native/native.js";

const nk = nativeKernels();
const [rows, H] = [3, 13];
const n = rows * H;

/** n values spread over [lo, hi) in a scrambled order. */
const spread = (count: number, lo: number, hi: number, seed: number) =>
  Float32Array.from(
    { length: count },
    (_, i) => lo + ((i * 0.6180339887 + seed * 0.37) % 1) * (hi - lo),
  );

const sig = (x: number) => 1 / (1 + Math.exp(-x));

function reference(
  gi: Float32Array,
  gh: Float32Array,
  c: Float32Array,
  dh: Float32Array,
  dc: Float32Array,
) {
  const [h1, c1, dGates, dcPrev] = [new Array(n), new Array(n), new Array(4 * n), new Array(n)];
  for (let e = 0; e < n; e++) {
    const k = Math.floor(e / H) * 4 * H + (e % H);
    const pre = [0, 1, 2, 3].map((q) => gi[k + q * H] + gh[k + q * H]);
    const [i, f, g, o] = [sig(pre[0]), sig(pre[1]), Math.tanh(pre[2]), sig(pre[3])];
    c1[e] = f * c[e] + i * g;
    const t = Math.tanh(c1[e]);
    h1[e] = o * t;
    const dce = dc[e] + dh[e] * o * (1 - t * t);
    dGates[k] = dce * g * i * (1 - i);
    dGates[k + H] = dce * c[e] * f * (1 - f);
    dGates[k + 2 * H] = dce * i * (1 - g * g);
    dGates[k + 3 * H] = dh[e] * t * o * (1 - o);
    dcPrev[e] = dce * f;
  }
  return { h1, c1, dGates, dcPrev };
}

function expectClose(actual: Float32Array, expected: number[]): void {
  expected.forEach((x, i) =>
    expect(Math.abs(actual[i] - x)).toBeLessThanOrEqual(2e-6 * (1 + Math.abs(x))),
  );
}

describe.skipIf(!nk?.lstmRows)("native LSTM cell rows", () => {
  it("forward and backward match float64 loops over the whole range of the nonlinearities", () => {
    const gi = spread(4 * n, -20, 20, 1);
    const gh = spread(4 * n, -20, 20, 2);
    gi[0] = 1e-4; // tanh/σ near zero
    gh[0] = 0;
    const c = spread(n, -3, 3, 3);
    const [dh, dc] = [spread(n, -1, 1, 4), spread(n, -1, 1, 5)];
    const ref = reference(gi, gh, c, dh, dc);
    // h' and c' land at offsets inside one shared array, as the sequence kernel writes them.
    const out = new Float32Array(3 * n);
    nk!.lstmRows!(gi, gh, c, out, out, Float64Array.from([rows, H, 0, 0, 0, n, 2 * n]));
    expectClose(out.subarray(n, 2 * n), ref.h1);
    expectClose(out.subarray(2 * n), ref.c1);
    const [dGates, dcPrev] = [new Float32Array(4 * n), new Float32Array(n)];
    nk!.lstmRowsGrad!(
      gi,
      gh,
      c,
      dh,
      dc,
      dGates,
      dcPrev,
      Float64Array.from([rows, H, 0, 0, 0, 0, 0, 0, 0]),
    );
    expectClose(dGates, ref.dGates);
    expectClose(dcPrev, ref.dcPrev);
  });

  it("rejects operands outside their arrays with an error, not a crash", () => {
    const [gates, state] = [new Float32Array(4 * n), new Float32Array(n)];
    const params = Float64Array.from([rows, H, 0, 0, 0, 0, 1]);
    expect(() => nk!.lstmRows!(gates, gates, state, state, state, params)).toThrow(/bounds/);
    const tooMany = Float64Array.from([rows + 1, H, 0, 0, 0, 0, 0, 0, 0]);
    expect(() =>
      nk!.lstmRowsGrad!(gates, gates, state, state, state, gates, state, tooMany),
    ).toThrow(/bounds/);
  });
});
