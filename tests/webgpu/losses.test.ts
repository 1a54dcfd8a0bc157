// Every loss on WebGPU against the CPU, in every reduction: the module (class weights are
// buffers, moved with it) on both devices, the loss and the gradients of input and float
// targets compared.
import { describe, it } from "vitest";
import * as dl from "../../src/index.js";
import type { Tensor } from "../../src/index.js";
import type { Module } from "../../src/nn/module.js";
import { gpuAvailable, uniform, values } from "./gpu.js";
import { checkModule } from "./modules.js";

const { nn } = dl;
const REDUCTIONS = ["mean", "sum", "none"] as const;
type Reduction = (typeof REDUCTIONS)[number];

const ints = (shape: number[], data: number[]) => values(shape, data, "int32");
const signs = (shape: number[], data: number[]) => values(shape, data);

type LossModule = Module & { forward(input: Tensor, target: Tensor, ...rest: Tensor[]): Tensor };

/** One loss in every reduction, inputs drawn afresh (under the same seed) for each. */
async function everyReduction(
  name: string,
  build: (reduction: Reduction) => LossModule,
  inputs: () => Tensor[],
  reductions: readonly string[] = REDUCTIONS,
): Promise<void> {
  for (const reduction of reductions)
    await checkModule(`${name} ${reduction}`, {
      build: () => build(reduction as Reduction),
      inputs,
      forward: (m, xs) => m.forward(xs[0], xs[1], ...xs.slice(2)),
    });
}

describe.skipIf(!gpuAvailable)("every loss on webgpu matches the CPU", () => {
  it("regression: MSELoss, L1Loss, HuberLoss, SmoothL1Loss", async () => {
    const pair = () => [uniform([3, 4], -2, 2), uniform([3, 4], -2, 2)];
    await everyReduction("MSELoss", (reduction) => new nn.MSELoss({ reduction }), pair);
    await everyReduction("L1Loss", (reduction) => new nn.L1Loss({ reduction }), pair);
    await everyReduction("HuberLoss", (r) => new nn.HuberLoss({ delta: 0.7, reduction: r }), pair);
    await everyReduction(
      "SmoothL1Loss",
      (r) => new nn.SmoothL1Loss({ beta: 0.5, reduction: r }),
      pair,
    );
  });

  it("binary: BCELoss with weights, BCEWithLogitsLoss with posWeight", async () => {
    await everyReduction(
      "BCELoss",
      (reduction) => new nn.BCELoss({ reduction, weight: dl.rand([4]) }),
      () => [uniform([3, 4], 0.05, 0.95), dl.rand([3, 4])],
    );
    await everyReduction(
      "BCEWithLogitsLoss",
      (reduction) => new nn.BCEWithLogitsLoss({ reduction, posWeight: dl.rand([4]).add(0.5) }),
      () => [uniform([3, 4], -4, 4), dl.rand([3, 4])],
    );
  });

  it("CrossEntropyLoss: class indices (weights, ignoreIndex, smoothing), probabilities", async () => {
    await everyReduction(
      "CrossEntropyLoss indices",
      (reduction) =>
        new nn.CrossEntropyLoss({
          reduction,
          weight: dl.rand([4]).add(0.5),
          ignoreIndex: 2,
          labelSmoothing: 0.1,
        }),
      () => [uniform([5, 4], -3, 3), ints([5], [0, 2, 3, 1, 3])],
    );
    await everyReduction(
      "CrossEntropyLoss [N, C, d] indices",
      (reduction) => new nn.CrossEntropyLoss({ reduction }),
      () => [uniform([2, 3, 4], -3, 3), ints([2, 4], [0, 1, 2, 2, 1, 0, 0, 2])],
      ["mean"],
    );
    await everyReduction(
      "CrossEntropyLoss probabilities",
      (reduction) => new nn.CrossEntropyLoss({ reduction, labelSmoothing: 0.2 }),
      () => [uniform([3, 4], -3, 3), dl.nn.functional.softmax(uniform([3, 4]), 1)],
    );
  });

  it("NLLLoss (weights, ignoreIndex), KLDivLoss (batchmean, logTarget)", async () => {
    await everyReduction(
      "NLLLoss",
      (reduction) => new nn.NLLLoss({ reduction, weight: dl.rand([3]).add(0.5), ignoreIndex: 1 }),
      () => [uniform([4, 3], -3, 0), ints([4], [0, 1, 2, 2])],
    );
    const logProbs = () => [
      dl.nn.functional.logSoftmax(uniform([2, 5]), 1),
      dl.nn.functional.softmax(uniform([2, 5]), 1),
    ];
    await everyReduction("KLDivLoss", (reduction) => new nn.KLDivLoss({ reduction }), logProbs, [
      ...REDUCTIONS,
      "batchmean",
    ]);
    await everyReduction(
      "KLDivLoss logTarget",
      (reduction) => new nn.KLDivLoss({ reduction, logTarget: true }),
      () => [uniform([2, 5], -3, 0), uniform([2, 5], -3, 0)],
      ["sum"],
    );
  });

  it("HingeEmbeddingLoss, MultiMarginLoss (p 1 and 2, weights), CosineEmbeddingLoss", async () => {
    await everyReduction(
      "HingeEmbeddingLoss",
      (reduction) => new nn.HingeEmbeddingLoss({ reduction, margin: 1.5 }),
      () => [uniform([2, 4], -1, 2), signs([2, 4], [1, -1, -1, 1, -1, 1, -1, -1])],
    );
    await everyReduction(
      "MultiMarginLoss",
      (reduction) => new nn.MultiMarginLoss({ reduction, margin: 0.8 }),
      () => [uniform([3, 4], -1, 1), ints([3], [0, 3, 2])],
    );
    await everyReduction(
      "MultiMarginLoss p=2 weighted",
      (reduction) => new nn.MultiMarginLoss({ reduction, p: 2, weight: dl.rand([4]) }),
      () => [uniform([3, 4], -1, 1), ints([3], [1, 3, 0])],
      ["mean"],
    );
    await everyReduction(
      "CosineEmbeddingLoss",
      (reduction) => new nn.CosineEmbeddingLoss({ reduction, margin: 0.2 }),
      () => [uniform([3, 5]), uniform([3, 5]), signs([3], [1, -1, -1])],
    );
  });
});
