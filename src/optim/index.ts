// dl.optim: optimizers (state in the class, the update maths in exported pure functions)
// and dl.optim.lrScheduler.
export { Optimizer, type ParamState, type UpdateResult } from "./optimizer.js";
export type { BaseHyper, ParamGroup, ParamGroupInput, ParamsOrGroups } from "./param-groups.js";
export type { OptimizerStateDict, SavedParamGroup, SavedParamState } from "./state-dict.js";
export { SGD, sgdUpdate, type SGDOptions, type SGDHyper, type SGDState } from "./sgd.js";
export { Adam, adamUpdate, type AdamOptions, type AdamHyper, type AdamState } from "./adam.js";
export { AdamW } from "./adamw.js";
export {
  RMSprop,
  rmspropUpdate,
  type RMSpropOptions,
  type RMSpropHyper,
  type RMSpropState,
} from "./rmsprop.js";
export {
  Adagrad,
  adagradUpdate,
  type AdagradOptions,
  type AdagradHyper,
  type AdagradState,
} from "./adagrad.js";
export * as lrScheduler from "./lr-scheduler/index.js";
