// fusedMap (one pass for several elementwise steps, used by the optimizers) against float64
// loops over the same expression, on every device that starts: broadcasting, all five
// operands, strided views, int operands, and its misuse errors.
import { describe, expect, it } from "vitest";
import * as dl from "../../src/index.js";
import { fusedMap, type FusedExpr } from "../../src/ops/fused.js";
import { DEVICES } from "../helpers/devices.js";
import { ramp } from "../helpers/spread.js";

const FIVE: FusedExpr = {
  name: "five",
  cpu: "a - d * b / (Math.sqrt(c) + e)",
  wgsl: "a - d * b / (sqrt(c) + e)",
};
const LERP: FusedExpr = { name: "lerp", cpu: "a + c * (b - a)", wgsl: "a + c * (b - a)" };

/** A deterministic float64 array of n values in [lo, hi). */
describe.each(DEVICES)("fusedMap on $device", ({ device, available }) => {
  it.skipIf(!available)("computes all five operands with broadcasting", async () => {
    const p = ramp(12, -2, 2, 1);
    const m = ramp(4, -1, 1, 2);
    const v = ramp(12, 0.01, 3, 3);
    const tp = dl.tensor(p, { device }).reshape([3, 4]);
    const tm = dl.tensor(m, { device }); // broadcast along rows
    const tv = dl.tensor(v, { device }).reshape([3, 4]);
    const out = fusedMap(FIVE, [tp, tm, tv, 0.5, 1e-3]);
    expect(out.shape).toEqual([3, 4]);
    expect(out.dtype).toBe("float32");
    const got = await out.data();
    const want = p.map((a, i) => a - (0.5 * m[i % 4]) / (Math.sqrt(v[i]) + 1e-3));
    want.forEach((w, i) => expect(got[i]).toBeCloseTo(w, 5));
  });

  it.skipIf(!available)("reads strided views and casts int operands to float32", async () => {
    const a = dl.tensor(ramp(6, -3, 3, 4), { device }).reshape([2, 3]);
    const b = dl.arange(6, { device }).reshape([3, 2]).transpose(0, 1); // int32, strided
    const got = await fusedMap(LERP, [a, b, 0.25]).data();
    const av = await a.data();
    const bv = [0, 2, 4, 1, 3, 5];
    bv.forEach((x, i) => expect(got[i]).toBeCloseTo(av[i] + 0.25 * (x - av[i]), 5));
  });

  it.skipIf(!available)("handles empty and 0-d operands", async () => {
    expect(fusedMap(LERP, [dl.zeros([0, 3], { device }), 1, 0.5]).shape).toEqual([0, 3]);
    const s = fusedMap(LERP, [dl.tensor(2, { device }), 4, 0.5]);
    expect(s.shape).toEqual([]);
    expect((await s.data())[0]).toBe(3);
  });
});

describe("fusedMap misuse", () => {
  it("names the expression and says why", () => {
    const x = dl.ones([2]);
    expect(() => fusedMap(LERP, [])).toThrow(/fusedMap\(lerp\): takes 1 to 5 operands, got 0/);
    expect(() => fusedMap(LERP, [x, x, x, x, x, x])).toThrow(/takes 1 to 5 operands, got 6/);
    expect(() => fusedMap(LERP, [x, dl.ones([3]), 1])).toThrow(/fusedMap\(lerp\)/);
    expect(() => fusedMap(LERP, [dl.ones([2], { dtype: "bool" }), x, 1])).toThrow(
      /expects numeric operands/,
    );
    const w = dl.ones([2]).requiresGrad_();
    expect(() => fusedMap(LERP, [w, x, 0.5])).toThrow(/is not differentiable/);
    expect(dl.noGrad(() => fusedMap(LERP, [w, x, 0.5]).requiresGrad)).toBe(false);
  });
});
