// dl.io: safetensors on bytes (anywhere) and on files (Node).
export {
  toSafetensors,
  fromSafetensors,
  inspectSafetensors,
  type StateDict,
  type SaveOptions,
  type LoadOptions,
} from "./safetensors.js";
export { save, load } from "./save-load.js";
export { SAFETENSORS_DTYPES, type SafetensorsDType } from "./dtypes.js";
