// Slots through which the Tensor class reaches ops, autograd, devices and display without
// importing them (no import cycles). src/wiring.ts fills every slot when the library loads
// through its entry point; a slot nobody filled throws a DendriteError naming it instead of
// a bare TypeError.
import type { Device } from "../backend/backend.js";
import type { Tensor } from "./tensor.js";
import { fail } from "./errors.js";

/** Options of {@link Tensor.backward}. */
export interface BackwardOptions {
  /** Keep the graph's saved tensors for another backward pass (default false). */
  retainGraph?: boolean;
  /** Record the backward pass itself, for higher-order gradients (default false). */
  createGraph?: boolean;
}

export interface TensorHooks {
  /** Returns a contiguous copy (the `copy` primitive). */
  contiguous(t: Tensor): Tensor;
  /** Copies to another device. */
  toDevice(t: Tensor, device: Device): Tensor;
  /** Runs backward from this tensor. */
  backward(t: Tensor, grad: Tensor | undefined, opts: BackwardOptions): void;
  /** Formats values for repr (sync; CPU only). */
  format(t: Tensor): string;
  /** Builds the rich display bundle (a promise where values must be read asynchronously). */
  display(t: Tensor): Record<string, unknown> | Promise<Record<string, unknown>>;
}

const slots: Partial<TensorHooks> = {};

/** Fills the slots (src/wiring.ts does, once, at load). */
export function installTensorHooks(hooks: TensorHooks): void {
  Object.assign(slots, hooks);
}

/** The hook `name`, or a DendriteError saying it was not initialised. */
export function tensorHook<K extends keyof TensorHooks>(name: K): TensorHooks[K] {
  const hook = slots[name];
  if (!hook)
    fail(
      name,
      `the Tensor hook "${name}" is not initialised: load the library through its entry ` +
        `point (import * as dl from "dendrite", or src/index.ts), whose wiring fills it`,
    );
  return hook;
}

/** The hook `name` where a plain fallback exists (repr and display), else null. */
export function optionalTensorHook<K extends keyof TensorHooks>(name: K): TensorHooks[K] | null {
  return slots[name] ?? null;
}
