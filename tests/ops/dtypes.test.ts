// Dtype rules: PyTorch's promotion between float32, int32 and bool, with numbers as weak
// scalars (an int tensor plus 2 stays int; plus 2.5 becomes float).
import { describe, expect, it } from "vitest";
import * as dl from "../../src/index.js";

const i32 = (v: number[]) => dl.tensor(v, { dtype: "int32" });
const f32 = (v: number[]) => dl.tensor(v, { dtype: "float32" });
const bool = (v: boolean[]) => dl.tensor(v);

describe("type promotion", () => {
  const cases: [string, () => dl.Tensor, string, unknown][] = [
    ["int32 + int number", () => dl.add(i32([1, 2]), 2), "int32", [3, 4]],
    ["int32 + float number", () => dl.add(i32([1, 2]), 0.5), "float32", [1.5, 2.5]],
    ["int32 + float32", () => dl.add(i32([1, 2]), f32([0.25, 0.5])), "float32", [1.25, 2.5]],
    ["float32 * int number", () => dl.mul(f32([1.5]), 2), "float32", [3]],
    [
      "int32 / int32 is true division",
      () => dl.div(i32([1, 7]), i32([2, 2])),
      "float32",
      [0.5, 3.5],
    ],
    ["int32 - int32", () => dl.sub(i32([5, -2]), i32([7, 3])), "int32", [-2, -5]],
    ["int32 ** 2", () => dl.pow(i32([3, -2]), 2), "int32", [9, 4]],
    ["bool + int number", () => dl.add(bool([true, false]), 3), "int32", [4, 3]],
    ["bool * float32", () => dl.mul(bool([true, false]), f32([2.5, 2.5])), "float32", [2.5, 0]],
    [
      "bool + bool is logical or",
      () => dl.add(bool([true, true, false]), bool([true, false, false])),
      "bool",
      [true, true, false],
    ],
    ["exp of int32 is float32", () => dl.exp(i32([0])), "float32", [1]],
    ["sqrt of int32 is float32", () => dl.sqrt(i32([4, 9])), "float32", [2, 3]],
    ["abs of int32 stays int32", () => dl.abs(i32([-3, 2])), "int32", [3, 2]],
    ["neg of int32 stays int32", () => dl.neg(i32([-3, 2])), "int32", [3, -2]],
    ["maximum of int32 and float number", () => dl.maximum(i32([1, 3]), 2.5), "float32", [2.5, 3]],
    ["int32 < float number", () => dl.lt(i32([1, 2, 3]), 2.5), "bool", [true, true, false]],
    ["eq int32 and float32", () => dl.eq(i32([1, 2]), f32([1, 2.5])), "bool", [true, false]],
    ["relu of int32", () => dl.relu(i32([-1, 4])), "int32", [0, 4]],
    ["sigmoid of int32 is float32", () => dl.sigmoid(i32([0])), "float32", [0.5]],
    ["sign of int32", () => dl.sign(i32([-4, 0, 9])), "int32", [-1, 0, 1]],
    ["cat of int32 and float32", () => dl.cat([i32([1]), f32([0.5])]), "float32", [1, 0.5]],
  ];
  for (const [name, make, dtype, values] of cases)
    it(name, () => {
      const out = make();
      expect(out.dtype).toBe(dtype);
      expect(out.toArraySync()).toEqual(values);
    });
  it("a bool made by arithmetic compares equal to true", () => {
    const t = dl.add(bool([true]), bool([true]));
    expect(dl.eq(t, true).toArraySync()).toEqual([true]);
    expect(Array.from(t.dataSync())).toEqual([1]);
  });
  it("numbers alone make 0-d tensors of their natural dtype", () => {
    expect(dl.add(2, 3).dtype).toBe("int32");
    expect(dl.add(2, 3).shape).toEqual([]);
    expect(dl.add(2, 0.5).dtype).toBe("float32");
    expect(dl.add(2, 0.5).itemSync()).toBe(2.5);
  });
  it("integer and bool results never require grad", () => {
    const x = f32([0.5, 1.5]).requiresGrad_();
    expect(dl.gt(x, 1).requiresGrad).toBe(false);
    expect(dl.argmax(x).requiresGrad).toBe(false);
    expect(x.int().requiresGrad).toBe(false);
    expect(dl.mul(x, 2).requiresGrad).toBe(true);
  });
});
