/// <reference types="@webgpu/types" />
// What the user reads when the GPU fails: what happened and what to do next. GPU errors
// arrive asynchronously, so they are remembered here and raised by the next read or sync.
import { DendriteError } from "../../tensor/errors.js";

export interface LostInfo {
  reason: string;
  message: string;
}

export function deviceLostError(lost: LostInfo): DendriteError {
  return new DendriteError(
    "webgpu",
    `the GPU device was lost (${lost.reason}${lost.message ? `: ${lost.message}` : ""}). ` +
      `Tensors that lived on it are gone. Call await dl.useDevice("webgpu") to start a new ` +
      `device, then recreate what you need (for example model.loadStateDict(savedState)); ` +
      `CPU tensors are unaffected.`,
  );
}

/** Index kernels report an out-of-range index through a small status buffer. */
export const STATUS_OPS = ["", "gather", "scatterAdd", "crossEntropy"] as const;

export function indexError(code: number, index: number, size: number): DendriteError {
  const op = STATUS_OPS[code] ?? "index";
  return new DendriteError(
    op,
    `index ${index} is out of bounds for a dim of size ${size} (found on the GPU when this ` +
      `result was read; the ${op} that met it skipped that element, so tensors computed ` +
      `from it are invalid). Check the index tensor's values.`,
  );
}

export function gpuError(error: GPUError, bytes: { inUse: number; pooled: number }): DendriteError {
  const name = error.constructor?.name ?? "";
  if (name.includes("OutOfMemory") || /out of memory/i.test(error.message))
    return new DendriteError(
      "webgpu",
      `the GPU ran out of memory (${mib(bytes.inUse)} MiB held by tensors). Results computed ` +
        `since the last successful read may be invalid. Free tensors you no longer need ` +
        `(t.dispose() or dl.tidy(() => ...)), use smaller batches, or move work to the CPU with ` +
        `dl.useDevice("cpu"); then run the step again.`,
    );
  return new DendriteError(
    "webgpu",
    `the GPU reported an error (${name || "GPUError"}: ${error.message}). This is a bug in ` +
      `Dendrite's WebGPU backend; results computed since the last read may be invalid.`,
  );
}

function mib(bytes: number): string {
  return (bytes / 2 ** 20).toFixed(1);
}
