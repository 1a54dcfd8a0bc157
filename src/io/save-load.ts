// dl.save / dl.load: safetensors files on disk. The byte-level work is in safetensors.ts and
// runs anywhere; only the file access goes through the platform module.
import type { Tensor } from "../tensor/tensor.js";
import { readFileBytes, writeFileBytes } from "../platform/files.js";
import {
  type LoadOptions,
  type SaveOptions,
  type StateDict,
  fromSafetensors,
  toSafetensors,
} from "./safetensors.js";

const BROWSER_SAVE = "use await dl.io.toSafetensors(stateDict) and keep the bytes yourself";
const BROWSER_LOAD = "fetch the file and call dl.io.fromSafetensors(bytes)";

/**
 * Writes named tensors to `path` in the safetensors format (under Node, and in the site's
 * browser kernel, where files are the lab's own; elsewhere in a browser use
 * {@link toSafetensors}). PyTorch reads the file with `safetensors.torch.load_file`.
 *
 * @example
 * ```ts
 * await dl.save(model.stateDict(), "model.safetensors");
 * ```
 */
export async function save(
  stateDict: StateDict,
  path: string,
  opts: SaveOptions = {},
): Promise<void> {
  const bytes = await toSafetensors(stateDict, opts);
  await writeFileBytes("save", path, bytes, BROWSER_SAVE);
}

/**
 * Reads a safetensors file (ours, PyTorch's or Hugging Face's) into named tensors (under Node and
 * in the site's browser kernel; elsewhere in a browser use {@link fromSafetensors}).
 *
 * @example
 * ```ts
 * model.loadStateDict(await dl.load("model.safetensors"));
 * ```
 */
export async function load(path: string, opts: LoadOptions = {}): Promise<Record<string, Tensor>> {
  const bytes = await readFileBytes("load", path, BROWSER_LOAD);
  return fromSafetensors(bytes, opts);
}
