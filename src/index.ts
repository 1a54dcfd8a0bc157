// The public surface of Dendrite: `import * as dl from "dendrite"`. Loading it first runs
// the wiring (wiring.ts), the library's only load-time side effects.
import "./wiring.js";

export { Tensor } from "./tensor/tensor.js";
// The method forms' declarations (a module augmentation of Tensor, derived from the op table)
// reach the published typings through this re-export: wiring.ts's import of methods.ts is a
// value import, which declaration files drop.
export type { PrimitiveMethods, CompositeMethods } from "./ops/methods.js";
export type { NestedArray, BackwardOptions } from "./tensor/tensor.js";
export type { DType, TypedArray } from "./tensor/dtype.js";
export type { Device, Backend, BackendBuffer, TensorView } from "./backend/backend.js";
export { DendriteError } from "./tensor/errors.js";
export {
  tensor,
  zeros,
  ones,
  full,
  zerosLike,
  onesLike,
  fullLike,
  arange,
  linspace,
  eye,
  type TensorOptions,
} from "./tensor/create.js";
export { rand, randn, randint, randperm } from "./tensor/create-random.js";
export { manualSeed, Generator } from "./tensor/random.js";
export type { RandomOptions } from "./tensor/create-random.js";
export * from "./functional/index.js";
export { variance as var } from "./functional/math.js";
export { noGrad, enableGrad, isGradEnabled } from "./autograd/mode.js";
export { grad, gradcheck, type GradOptions, type GradcheckOptions } from "./autograd/grad.js";
export { tidy, keep, abandonScopes } from "./memory/scope.js";
export { memoryInfo as memory, type MemoryInfo } from "./memory/storage.js";
export { useDevice, devices, preferredDevice, type DeviceInfo } from "./backend/devices.js";
export { setNumThreads, getNumThreads, backendInfo, type BackendInfo } from "./backend/threads.js";
export { toDeviceAsync } from "./tensor/transfer.js";
export { registerBackend } from "./backend/registry.js";
export { gradRules } from "./ops/table.js";
export * as distributions from "./distributions/index.js";
export * as nn from "./nn/index.js";
export * as optim from "./optim/index.js";
export * as viz from "./viz/index.js";
export * as widgets from "./widgets/index.js";
export { fit, type FitOptions, type History } from "./viz/fit.js";
export { setDisplayPublisher, publishDisplay, type PublishOptions } from "./display/publish.js";
export * as data from "./data/index.js";
export * as rl from "./rl/index.js";
export * as io from "./io/index.js";
export * as metrics from "./metrics/index.js";
export { save, load } from "./io/save-load.js";
