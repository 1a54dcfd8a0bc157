// The loss modules (dl.nn.MSELoss, ...); their functional forms are in ./functional.
export { Loss } from "./loss.js";
export { MSELoss } from "./mse-loss.js";
export { L1Loss } from "./l1-loss.js";
export { HuberLoss } from "./huber-loss.js";
export { SmoothL1Loss } from "./smooth-l1-loss.js";
export { BCELoss } from "./bce-loss.js";
export { BCEWithLogitsLoss } from "./bce-with-logits-loss.js";
export { CrossEntropyLoss } from "./cross-entropy-loss.js";
export { NLLLoss } from "./nll-loss.js";
export { KLDivLoss } from "./kl-div-loss.js";
export { HingeEmbeddingLoss } from "./hinge-embedding-loss.js";
export { MultiMarginLoss } from "./multi-margin-loss.js";
export { CosineEmbeddingLoss } from "./cosine-embedding-loss.js";
export type { Reduction, ReductionOptions } from "./reduction.js";
