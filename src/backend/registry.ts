// Backends by device and kernels by (op, device). The CPU registers a complete table (a
// mapped type, so a missing kernel is a compile error); other backends may be partial.
import type { Backend, Device, TensorView } from "./backend.js";
import type { ComputeOp } from "../ops/names.js";
import type { DType } from "../tensor/dtype.js";
import { fail } from "../tensor/errors.js";

/** The output a kernel must produce: its shape and dtype are decided by the op, not the kernel. */
export interface OutputSpec {
  readonly shape: readonly number[];
  readonly dtype: DType;
}

/**
 * What dispatch tells the kernel of the op it runs, beyond inputs and attrs (read during the
 * kernel call only). `deferrable`: no graph records this op, so the backend may compute the
 * output when it is first read instead of now (the CPU's elementwise chains). Under autograd
 * the tensors an op saves are read again by the backward pass, so deferring there would only
 * compute them twice.
 */
export const dispatchHints = { deferrable: false };

export type Kernel = (
  backend: Backend,
  inputs: readonly TensorView[],
  attrs: any,
  out: OutputSpec,
) => TensorView;

export type KernelTable = { readonly [K in ComputeOp]: Kernel };

const backends = new Map<Device, Backend>();
const kernels = new Map<Device, Partial<Record<ComputeOp, Kernel>>>();

/**
 * Installs a backend and its compute kernels (one per op); used by the CPU and WebGPU backends at
 * load.
 */
export function registerBackend(backend: Backend, table: Partial<Record<ComputeOp, Kernel>>): void {
  backends.set(backend.device, backend);
  kernels.set(backend.device, { ...(kernels.get(backend.device) ?? {}), ...table });
}

export function getBackend(device: Device): Backend {
  const b = backends.get(device);
  if (!b)
    fail(
      "device",
      `device "${device}" is not initialised; call await dl.useDevice("${device}") first`,
    );
  return b;
}

export function hasBackend(device: Device): boolean {
  return backends.has(device);
}

export function registeredDevices(): Device[] {
  return [...backends.keys()];
}

export function getKernel(op: ComputeOp, device: Device): Kernel | undefined {
  return kernels.get(device)?.[op];
}
