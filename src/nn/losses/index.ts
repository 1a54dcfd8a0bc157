// The loss modules (dl.nn.MSELoss, ...); their functional forms are in ./functional.
export { Loss } from "./loss.js";
export { MSELoss, L1Loss, HuberLoss, SmoothL1Loss } from "./regression.js";
export {
  BCELoss,
  BCEWithLogitsLoss,
  CrossEntropyLoss,
  NLLLoss,
  KLDivLoss,
} from "./classification.js";
export { HingeEmbeddingLoss, MultiMarginLoss, CosineEmbeddingLoss } from "./margin.js";
export type { Reduction, ReductionOptions } from "./reduction.js";
