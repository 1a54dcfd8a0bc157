// The native GRU cell row loops (src/backend/cpu/native/gru.c) against float64 loops of
// PyTorch's equations: a hidden size that leaves a ragged last block of 8, pre-activations
// from −20 to 20 (the exp clamp, tanh's small-|x| polynomial and its exp branch), every output
// of forward and backward written at offsets inside shared arrays (as the sequence kernel
// does); operands outside their arrays are a JavaScript error. Skipped where the addon is not
// loaded (the TypeScript loops then run, and tests/ops/gru-cell.test.ts covers them).
import { describe, expect, it } from "vitest";
import { nativeKernels } from "../../src/backend/cpu/native/native.js";
import { ramp } from "../helpers/spread.js";

const nk = nativeKernels();
const [rows, H] = [3, 13];
const n = rows * H;
const spread = (count: number, lo: number, hi: number, seed: number) =>
  Float32Array.from(ramp(count, lo, hi, seed));
const sig = (x: number) => 1 / (1 + Math.exp(-x));

function reference(gi: Float32Array, gh: Float32Array, h: Float32Array, dh: Float32Array) {
  const [h1, dGi, dGh, dhPrev] = [new Array(n), new Array(3 * n), new Array(3 * n), new Array(n)];
  for (let e = 0; e < n; e++) {
    const k = Math.floor(e / H) * 3 * H + (e % H);
    const r = sig(gi[k] + gh[k]);
    const z = sig(gi[k + H] + gh[k + H]);
    const nn = Math.tanh(gi[k + 2 * H] + r * gh[k + 2 * H]);
    h1[e] = (1 - z) * nn + z * h[e];
    const dn = dh[e] * (1 - z) * (1 - nn * nn);
    const dr = dn * gh[k + 2 * H] * r * (1 - r);
    const dz = dh[e] * (h[e] - nn) * z * (1 - z);
    [dGi[k], dGi[k + H], dGi[k + 2 * H]] = [dr, dz, dn];
    [dGh[k], dGh[k + H], dGh[k + 2 * H]] = [dr, dz, dn * r];
    dhPrev[e] = dh[e] * z;
  }
  return { h1, dGi, dGh, dhPrev };
}

function expectClose(actual: Float32Array, expected: number[]): void {
  expect(actual.length).toBe(expected.length);
  expected.forEach((x, i) =>
    expect(Math.abs(actual[i] - x)).toBeLessThanOrEqual(2e-6 * (1 + Math.abs(x))),
  );
}

describe.skipIf(!nk?.gruRows)("native GRU cell rows", () => {
  it("forward and backward match float64 loops over the whole range of the nonlinearities", () => {
    const gi = spread(3 * n, -20, 20, 1);
    const gh = spread(3 * n, -20, 20, 2);
    gi[2 * H] = 1e-4; // tanh near zero
    gh[2 * H] = 0;
    const h = spread(n, -1, 1, 3);
    const dh = spread(n, -1, 1, 4);
    const ref = reference(gi, gh, h, dh);
    const out = new Float32Array(2 * n);
    nk!.gruRows!(gi, gh, h, out, Float64Array.from([rows, H, 0, 0, 0, n]));
    expectClose(out.subarray(n), ref.h1);
    // ∂gi, ∂gh and ∂h at offsets inside one array.
    const d = new Float32Array(1 + 7 * n);
    const params = Float64Array.from([rows, H, 0, 0, 0, 0, 1, 1 + 3 * n, 1 + 6 * n]);
    nk!.gruRowsGrad!(gi, gh, h, dh, d, d, d, params);
    expectClose(d.subarray(1, 1 + 3 * n), ref.dGi);
    expectClose(d.subarray(1 + 3 * n, 1 + 6 * n), ref.dGh);
    expectClose(d.subarray(1 + 6 * n), ref.dhPrev);
  });

  it("rejects operands outside their arrays with an error, not a crash", () => {
    const [gates, state] = [new Float32Array(3 * n), new Float32Array(n)];
    const shifted = Float64Array.from([rows, H, 0, 0, 0, 1]);
    expect(() => nk!.gruRows!(gates, gates, state, state, shifted)).toThrow(/bounds/);
    const tooMany = Float64Array.from([rows + 1, H, 0, 0, 0, 0, 0, 0, 0]);
    expect(() =>
      nk!.gruRowsGrad!(gates, gates, state, state, gates, gates, state, tooMany),
    ).toThrow(/bounds/);
    expect(() => nk!.gruRows!(gates, gates, state, state, Float64Array.from([rows, H]))).toThrow(
      /gruRows/,
    );
  });
});
