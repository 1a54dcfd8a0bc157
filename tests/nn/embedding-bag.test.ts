// nn.EmbeddingBag and F.embeddingBag against values recorded from PyTorch 1.13
// (tests/nn/recorders/embedding_bag.py): outputs and weight gradients for sum with
// perSampleWeights, mean over a 2-D input with paddingIdx, max with includeLastOffset and an
// empty bag, mean with an empty bag; then misuse.
import { describe, expect, it } from "vitest";
import * as dl from "../../src/index.js";
import type { Tensor } from "../../src/index.js";
import { expectClose, nums } from "../helpers/recorded.js";

const RECORDED: Record<string, number[]> = {
  sum_psw_out: nums(
    `-0.2024275 -0.1731561 -0.1204489 0 0 0 0.2355452 0.3974863 0.5056295 -0.4371349 -0.88922 -1.220953`,
  ),
  sum_psw_grad: nums(
    `1.038565 0.2312411 -0.6594926 -0.4794621 -0.3117398 -0.03157164 0.1730942 0.03854018 -0.1099154 -2.624689 -2.983658 -2.266409 -0.9589243 -0.6234795 -0.06314328 0.6561723 0.7459145 0.5666022`,
  ),
  mean_2d_pad_out: nums(
    `-0.002503753 0.01124159 0.02346541 0 0 0 -0.07253438 0.06595993 0.1955269`,
  ),
  mean_2d_pad_grad: nums(
    `0.2307923 0.05138691 -0.1465539 -0.4794621 -0.3117398 -0.03157164 0 0 0 0 0 0 -0.4794621 -0.3117398 -0.03157164 0.4615845 0.1027738 -0.2931078`,
  ),
  max_last_out: nums(
    `0.39484 0.3912787 0.3347595 0 0 0 0.2329323 0.2483944 0.3449617 -0.187688 -0.302721 -0.3767821`,
  ),
  max_last_grad: nums(
    `0 0.1541607 -0.4396617 -0.9589243 -0.6234795 -0.06314328 0.6923768 0 0 -0.8748965 -0.9945526 -0.7554696 0 0 0 0 0 0`,
  ),
  mean_empty_out: nums(`0 0 0 -0.07166174 -0.02447948 0.02601596 -0.04088713 -0.0761332 -0.101075`),
  mean_empty_grad: nums(
    `0.1299923 0.2288816 0.2452125 0.1299923 0.2288816 0.2452125 0.2307923 0.05138691 -0.1465539 0.2307923 0.05138691 -0.1465539 0.2599845 0.4577632 0.4904249 0.2307923 0.05138691 -0.1465539`,
  ),
};

const idx = () => dl.tensor([1, 4, 4, 0, 2, 5, 3], { dtype: "int32" });

/** The recording's table: weight[i] = 0.4·sin(0.37·i + 0.3) over the flat index. */
function table(opts: dl.nn.EmbeddingBagLayerOptions): dl.nn.EmbeddingBag {
  const m = new dl.nn.EmbeddingBag(6, 3, opts);
  const w = Float32Array.from({ length: 18 }, (_, i) => 0.4 * Math.sin(0.37 * i + 0.3));
  m.loadStateDict({ weight: dl.tensor(w, { shape: [6, 3] }) });
  return m;
}

/** Output and weight gradient under the upstream gradient g[i] = sin(0.61·i + 5). */
function check(name: string, m: dl.nn.EmbeddingBag, input: Tensor, opts = {}): void {
  const out = m.forward(input, opts);
  const g = Float32Array.from({ length: out.size }, (_, i) => Math.sin(0.61 * i + 5));
  out
    .mul(dl.tensor(g, { shape: [...out.shape] }))
    .sum()
    .backward();
  expectClose(out.dataSync(), RECORDED[`${name}_out`]);
  expectClose(m.weight.grad!.dataSync(), RECORDED[`${name}_grad`]);
}

describe("EmbeddingBag (PyTorch's values)", () => {
  it("sum with offsets and perSampleWeights (an empty bag gives zeros)", () => {
    const perSampleWeights = dl.tensor([0.5, -1.0, 2.0, 1.5, 0.25, -0.75, 3.0]);
    check("sum_psw", table({ mode: "sum" }), idx(), { offsets: [0, 3, 3, 5], perSampleWeights });
  });

  it("mean over a 2-D input leaves paddingIdx out of the bag and its count", () => {
    const input = dl.tensor(
      [
        [1, 2, 4],
        [2, 2, 2],
        [0, 5, 5],
      ],
      { dtype: "int32" },
    );
    check("mean_2d_pad", table({ mode: "mean", paddingIdx: 2 }), input);
  });

  it("max with includeLastOffset and an empty bag", () => {
    const offsets = dl.tensor([0, 2, 2, 6, 7], { dtype: "int32" });
    check("max_last", table({ mode: "max", includeLastOffset: true }), idx(), { offsets });
  });

  it("mean (the default) with an empty first bag", () => {
    check("mean_empty", table({}), idx(), { offsets: [0, 0, 4] });
  });

  it("prints as PyTorch", () => {
    expect(String(new dl.nn.EmbeddingBag(6, 3, { mode: "max", paddingIdx: 0 }))).toBe(
      "EmbeddingBag(6, 3, mode=max, padding_idx=0)",
    );
  });

  it("F.embeddingBag equals the layer", () => {
    const m = table({ mode: "sum" });
    const viaF = dl.nn.functional.embeddingBag(idx(), m.weight, { mode: "sum", offsets: [0, 2] });
    expect([...viaF.dataSync()]).toEqual([...m.forward(idx(), { offsets: [0, 2] }).dataSync()]);
  });

  it("rejects misuse naming the shapes", () => {
    const m = table({ mode: "mean" });
    expect(() => m.forward(idx())).toThrow(/embeddingBag.*offsets are required.*\[7\]/);
    expect(() => m.forward(idx(), { offsets: [1, 3] })).toThrow(/offsets\[0\] must be 0/);
    expect(() => m.forward(idx(), { offsets: [0, 5, 3] })).toThrow(/non-decreasing/);
    expect(() => m.forward(idx(), { offsets: [0], perSampleWeights: dl.ones([7]) })).toThrow(
      /perSampleWeights.*only.*"sum".*"mean"/,
    );
    const s = table({ mode: "sum" });
    expect(() => s.forward(idx(), { offsets: [0], perSampleWeights: dl.ones([6]) })).toThrow(
      /perSampleWeights must have the input's shape \[7\], got \[6\]/,
    );
    expect(() => s.forward(dl.zeros([2, 3], { dtype: "int32" }), { offsets: [0, 1] })).toThrow(
      /offsets must be null for a 2-D input \[2, 3\]/,
    );
    expect(() => s.forward(dl.zeros([2]))).toThrow(/int32/);
    expect(() => new dl.nn.EmbeddingBag(6, 3, { mode: "median" as "sum" })).toThrow(
      /EmbeddingBag.*mode/,
    );
  });
});
