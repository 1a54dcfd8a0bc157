// The functional forms of every loss (dl.nn.functional.crossEntropy, ...).
export { mseLoss, l1Loss, huberLoss, smoothL1Loss } from "./regression.js";
export type { HuberLossOptions, SmoothL1LossOptions } from "./regression.js";
export { binaryCrossEntropy, binaryCrossEntropyWithLogits } from "./binary.js";
export type { BinaryCrossEntropyOptions, BinaryCrossEntropyWithLogitsOptions } from "./binary.js";
export { nllLoss, crossEntropy } from "./classification.js";
export type { NLLLossOptions, CrossEntropyOptions } from "./classification.js";
export { klDiv, type KLDivOptions } from "./divergence.js";
export { hingeEmbeddingLoss, multiMarginLoss, cosineEmbeddingLoss } from "./margin.js";
export type { MarginOptions, MultiMarginOptions } from "./margin.js";
export type { Reduction, ReductionOptions } from "../reduction.js";
