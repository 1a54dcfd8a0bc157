// The one list of loss cases, every reduction of each loss, run on every device by
// tests/nn/modules-on-devices.test.ts (see helpers/module-check.ts for what is checked where).
// Class weights are buffers, moved with the module; float targets get gradients too.
import * as dl from "../../src/index.js";
import type { Tensor } from "../../src/index.js";
import type { Module } from "../../src/nn/module.js";
import { moduleCase, type NamedCase } from "./module-check.js";

const { nn } = dl;
const REDUCTIONS = ["mean", "sum", "none"] as const;
type Reduction = (typeof REDUCTIONS)[number];

const values = (shape: number[], data: number[], dtype: dl.DType = "float32") =>
  dl.tensor(data, { shape, dtype });
const ints = (shape: number[], data: number[]) => values(shape, data, "int32");
/** Seeded values in [low, high). */
const uniform = (shape: number[], low = -2, high = 2) =>
  dl.add(dl.mul(dl.rand(shape), high - low), low);

type LossModule = Module & { forward(input: Tensor, target: Tensor, ...rest: Tensor[]): Tensor };

/** One case per reduction, inputs drawn afresh (under the same seed) for each. */
function everyReduction(
  name: string,
  build: (reduction: Reduction) => LossModule,
  inputs: () => Tensor[],
  reductions: readonly string[] = REDUCTIONS,
  labelInputs: readonly number[] = [],
): NamedCase[] {
  return reductions.map((reduction) =>
    moduleCase(`${name} ${reduction}`, {
      build: () => build(reduction as Reduction),
      inputs,
      forward: (m, xs) => m.forward(xs[0], xs[1], ...xs.slice(2)),
      labelInputs,
    }),
  );
}

const pair = () => [uniform([3, 4], -2, 2), uniform([3, 4], -2, 2)];
const logProbs = () => [
  dl.nn.functional.logSoftmax(uniform([2, 5]), 1),
  dl.nn.functional.softmax(uniform([2, 5]), 1),
];

export const LOSS_CASES: NamedCase[] = [
  ...everyReduction("MSELoss", (reduction) => new nn.MSELoss({ reduction }), pair),
  ...everyReduction("L1Loss", (reduction) => new nn.L1Loss({ reduction }), pair),
  ...everyReduction("HuberLoss", (r) => new nn.HuberLoss({ delta: 0.7, reduction: r }), pair),
  ...everyReduction("SmoothL1Loss", (r) => new nn.SmoothL1Loss({ beta: 0.5, reduction: r }), pair),
  ...everyReduction(
    "BCELoss",
    (reduction) => new nn.BCELoss({ reduction, weight: dl.rand([4]) }),
    () => [uniform([3, 4], 0.05, 0.95), dl.rand([3, 4])],
  ),
  ...everyReduction(
    "BCEWithLogitsLoss",
    (reduction) => new nn.BCEWithLogitsLoss({ reduction, posWeight: dl.rand([4]).add(0.5) }),
    () => [uniform([3, 4], -4, 4), dl.rand([3, 4])],
  ),
  ...everyReduction(
    "CrossEntropyLoss indices",
    (reduction) =>
      new nn.CrossEntropyLoss({
        reduction,
        weight: dl.rand([4]).add(0.5),
        ignoreIndex: 2,
        labelSmoothing: 0.1,
      }),
    () => [uniform([5, 4], -3, 3), ints([5], [0, 2, 3, 1, 3])],
  ),
  ...everyReduction(
    "CrossEntropyLoss [N, C, d] indices",
    (reduction) => new nn.CrossEntropyLoss({ reduction }),
    () => [uniform([2, 3, 4], -3, 3), ints([2, 4], [0, 1, 2, 2, 1, 0, 0, 2])],
    ["mean"],
  ),
  ...everyReduction(
    "CrossEntropyLoss probabilities",
    (reduction) => new nn.CrossEntropyLoss({ reduction, labelSmoothing: 0.2 }),
    () => [uniform([3, 4], -3, 3), dl.nn.functional.softmax(uniform([3, 4]), 1)],
  ),
  ...everyReduction(
    "NLLLoss",
    (reduction) => new nn.NLLLoss({ reduction, weight: dl.rand([3]).add(0.5), ignoreIndex: 1 }),
    () => [uniform([4, 3], -3, 0), ints([4], [0, 1, 2, 2])],
  ),
  ...everyReduction("KLDivLoss", (reduction) => new nn.KLDivLoss({ reduction }), logProbs, [
    ...REDUCTIONS,
    "batchmean",
  ]),
  ...everyReduction(
    "KLDivLoss logTarget",
    (reduction) => new nn.KLDivLoss({ reduction, logTarget: true }),
    () => [uniform([2, 5], -3, 0), uniform([2, 5], -3, 0)],
    ["sum"],
  ),
  ...everyReduction(
    "HingeEmbeddingLoss",
    (reduction) => new nn.HingeEmbeddingLoss({ reduction, margin: 1.5 }),
    () => [uniform([2, 4], -1, 2), values([2, 4], [1, -1, -1, 1, -1, 1, -1, -1])],
    REDUCTIONS,
    [1],
  ),
  ...everyReduction(
    "MultiMarginLoss",
    (reduction) => new nn.MultiMarginLoss({ reduction, margin: 0.8 }),
    () => [uniform([3, 4], -1, 1), ints([3], [0, 3, 2])],
  ),
  ...everyReduction(
    "MultiMarginLoss p=2 weighted",
    (reduction) => new nn.MultiMarginLoss({ reduction, p: 2, weight: dl.rand([4]) }),
    () => [uniform([3, 4], -1, 1), ints([3], [1, 3, 0])],
    ["mean"],
  ),
  ...everyReduction(
    "CosineEmbeddingLoss",
    (reduction) => new nn.CosineEmbeddingLoss({ reduction, margin: 0.2 }),
    () => [uniform([3, 5]), uniform([3, 5]), values([3], [1, -1, -1])],
    REDUCTIONS,
    [2],
  ),
];
