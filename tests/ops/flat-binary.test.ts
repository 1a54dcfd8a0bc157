// The CPU's two-operand flat loop (runFlat2) and the pool of small arrays it writes into:
// operands contiguous or single values, at any offset in their storage, of every dtype, into
// pooled arrays that held other values before. Expected values come from plain loops here.
import { describe, expect, it } from "vitest";
import * as dl from "../../src/index.js";

const values = (n: number, f: (i: number) => number) => Array.from({ length: n }, (_, i) => f(i));

describe("two-operand flat loops on the CPU", () => {
  it("reads one-element views at an offset, broadcast or not", async () => {
    const base = dl.tensor(
      values(10, (i) => i * 1.5),
      { dtype: "float32" },
    );
    const one = base.narrow(0, 7, 1); // [10.5] at offset 7
    const row = base.narrow(0, 2, 4); // [3, 4.5, 6, 7.5] at offset 2
    expect(await row.add(one).toArray()).toEqual([13.5, 15, 16.5, 18]);
    expect(await one.sub(row).toArray()).toEqual([7.5, 6, 4.5, 3]);
    expect(await one.mul(base.narrow(0, 1, 1)).toArray()).toEqual([15.75]); // 10.5 × 1.5
    expect(await one.reshape([1, 1]).add(row).toArray()).toEqual([[13.5, 15, 16.5, 18]]);
  });

  it("keeps dtypes apart: int32, float32 and bool outputs of the same expression", async () => {
    const ai = dl.tensor([7, -3, 5], { dtype: "int32" });
    const bi = dl.tensor([2, 2, -9], { dtype: "int32" });
    expect((await ai.add(bi).toArray()) as number[]).toEqual([9, -1, -4]);
    expect(ai.add(bi).dtype).toBe("int32");
    const af = dl.tensor([0.25, -1, 4], { dtype: "float32" });
    expect(await af.add(af).toArray()).toEqual([0.5, -2, 8]);
    expect(await ai.gt(bi).toArray()).toEqual([true, false, true]);
    const m = dl.tensor([true, false, true]);
    expect(await m.logicalAnd(dl.tensor([true, true, false])).toArray()).toEqual([
      true,
      false,
      false,
    ]);
    expect(await ai.mul(2).toArray()).toEqual([14, -6, 10]);
  });

  it("writes correct values into arrays that disposed tensors gave back", async () => {
    // Fill the pool with one-element and 300-element arrays that hold garbage-looking values.
    dl.tidy(() => {
      for (let i = 0; i < 50; i++) {
        dl.tensor([123.5]).add(dl.tensor([1000]));
        dl.full([300], -77).mul(3);
      }
    });
    const a = dl.tensor(
      values(300, (i) => i),
      { dtype: "float32" },
    );
    const b = dl.tensor(
      values(300, (i) => 2 * i + 1),
      { dtype: "float32" },
    );
    const sums = dl.tidy(() => [a.add(b), dl.tensor([4]).add(dl.tensor([5]))]);
    expect(await sums[0].toArray()).toEqual(values(300, (i) => 3 * i + 1));
    expect(await sums[1].toArray()).toEqual([9]);
    // zeros() takes pooled arrays too: they must come back zero-filled.
    expect(await dl.zeros([300]).toArray()).toEqual(values(300, () => 0));
    expect(await dl.zeros([1]).toArray()).toEqual([0]);
  });

  it("never hands one array to two live tensors", async () => {
    const kept: dl.Tensor[] = [];
    for (let round = 0; round < 3; round++) {
      const out = dl.tidy(() => {
        const rows = Array.from({ length: 40 }, (_, i) =>
          dl.tensor([i + round * 100]).add(dl.tensor([0.5])),
        );
        return rows.filter((_, i) => i % 4 === 0); // a few survive, the rest go to the pool
      });
      kept.push(...out);
    }
    const seen = await Promise.all(kept.map((t) => t.item()));
    const expected = [0, 100, 200].flatMap((r) => values(10, (i) => r + 4 * i + 0.5));
    expect(seen).toEqual(expected);
  });
});
