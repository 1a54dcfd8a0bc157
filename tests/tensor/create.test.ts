// Creation functions and tensor properties, read back through every read path.
import { describe, expect, it } from "vitest";
import * as dl from "../../src/index.js";

describe("dl.tensor", () => {
  it("infers shape and dtype from nested arrays, like torch.tensor", () => {
    const f = dl.tensor([
      [1, 2.5],
      [3, 4],
    ]);
    expect([f.shape, f.dtype, f.ndim, f.size, f.device]).toEqual([[2, 2], "float32", 2, 4, "cpu"]);
    expect(dl.tensor([[1, 2, 3]]).dtype).toBe("int32");
    expect(dl.tensor([true, false]).dtype).toBe("bool");
    expect(dl.tensor(3.5).shape).toEqual([]);
    expect(dl.tensor(3.5).itemSync()).toBe(3.5);
    expect(dl.tensor([]).shape).toEqual([0]);
    expect(dl.tensor([[], []]).shape).toEqual([2, 0]);
  });
  it("takes typed arrays with a shape, and an explicit dtype", () => {
    const t = dl.tensor(new Float32Array([1, 2, 3, 4, 5, 6]), { shape: [2, 3] });
    expect(t.toArraySync()).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(dl.tensor(new Int32Array([1, 2])).dtype).toBe("int32");
    expect(dl.tensor([1, 2], { dtype: "float32" }).dtype).toBe("float32");
    expect(dl.tensor([0, 2], { dtype: "bool" }).toArraySync()).toEqual([false, true]);
    expect(dl.tensor([1.7, -1.7], { dtype: "int32" }).toArraySync()).toEqual([1, -1]);
  });
  it("copies its input (later writes to the array do not leak in)", () => {
    const src = new Float32Array([1, 2]);
    const t = dl.tensor(src);
    src[0] = 99;
    expect(t.toArraySync()).toEqual([1, 2]);
  });
  it("requiresGrad is an option and a settable property of float leaves", () => {
    const t = dl.tensor([1.5], { requiresGrad: true });
    expect(t.requiresGrad).toBe(true);
    expect(t.grad).toBeNull();
    t.requiresGrad = false;
    expect(t.requiresGrad).toBe(false);
  });
});

describe("filled and ranged tensors", () => {
  it("zeros, ones, full, and the *Like forms", () => {
    expect(dl.zeros([2, 2]).toArraySync()).toEqual([
      [0, 0],
      [0, 0],
    ]);
    expect(dl.ones([3]).dtype).toBe("float32");
    expect(dl.full([2], 7.5).toArraySync()).toEqual([7.5, 7.5]);
    expect(dl.full([1], true).dtype).toBe("bool");
    const i = dl.tensor([[1, 2]]);
    expect(dl.zerosLike(i).dtype).toBe("int32");
    expect(dl.onesLike(i).toArraySync()).toEqual([[1, 1]]);
    expect(dl.ones([2], { dtype: "int32" }).dtype).toBe("int32");
    expect(dl.zeros([]).shape).toEqual([]);
  });
  it("arange with integers is int32, with fractions float32", () => {
    expect(dl.arange(4).toArraySync()).toEqual([0, 1, 2, 3]);
    expect(dl.arange(4).dtype).toBe("int32");
    expect(dl.arange(2, 8, 3).toArraySync()).toEqual([2, 5]);
    expect(dl.arange(5, 0, -2).toArraySync()).toEqual([5, 3, 1]);
    expect(dl.arange(0, 1, 0.25).toArraySync()).toEqual([0, 0.25, 0.5, 0.75]);
    expect(dl.arange(0, 1, 0.25).dtype).toBe("float32");
    expect(dl.arange(3, 3).shape).toEqual([0]);
  });
  it("linspace includes both ends", () => {
    expect(dl.linspace(0, 1, 5).toArraySync()).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(dl.linspace(2, 2, 1).toArraySync()).toEqual([2]);
    expect(dl.linspace(0, 1, 0).shape).toEqual([0]);
  });
  it("eye, square and rectangular", () => {
    expect(dl.eye(3).toArraySync()).toEqual([
      [1, 0, 0],
      [0, 1, 0],
      [0, 0, 1],
    ]);
    expect(dl.eye(2, 3).toArraySync()).toEqual([
      [1, 0, 0],
      [0, 1, 0],
    ]);
  });
});

describe("reading values", () => {
  it("async reads: toArray, data, item", async () => {
    const t = dl.tensor([
      [1, 2],
      [3, 4],
    ]).T;
    expect(await t.toArray()).toEqual([
      [1, 3],
      [2, 4],
    ]);
    const d = await t.data();
    expect(d).toBeInstanceOf(Int32Array);
    expect(Array.from(d)).toEqual([1, 3, 2, 4]);
    expect(await t.sum().item()).toBe(10);
  });
  it("sync reads on the CPU mirror the async ones", () => {
    const t = dl.tensor([true, false]);
    expect(t.toArraySync()).toEqual([true, false]);
    expect(t.dataSync()).toBeInstanceOf(Uint8Array);
    expect(dl.tensor([[2.5]]).itemSync()).toBe(2.5);
  });
  it("data() returns a copy that does not alias the tensor", () => {
    const t = dl.tensor([1, 2, 3]);
    const d = t.dataSync();
    d[0] = 100;
    expect(t.toArraySync()).toEqual([1, 2, 3]);
  });
  it("prints like PyTorch", () => {
    expect(String(dl.tensor([1.5, 2]))).toBe("tensor([1.5000, 2.0000])");
    expect(String(dl.tensor([[1, 2]]))).toBe("tensor([[1, 2]], dtype=int32)");
    expect(String(dl.tensor([2], { dtype: "float32", requiresGrad: true }))).toBe(
      "tensor([2.], requiresGrad=true)",
    );
  });
});
