// Slots that other modules fill in at load time, so the Tensor class can offer contiguous(),
// to(), backward(), toString() and rich display without importing ops (no import cycles).
import type { Device } from "../backend/backend.js";
import type { Tensor } from "./tensor.js";

/** Hooks filled in by other modules (kept here as plain slots to avoid import cycles). */
export const tensorHooks = {
  /** Returns a contiguous copy (the `copy` primitive). */
  contiguous: null as null | ((t: Tensor) => Tensor),
  /** Copies to another device. */
  toDevice: null as null | ((t: Tensor, device: Device) => Tensor),
  /** Runs backward from this tensor. */
  backward: null as null | ((t: Tensor, grad: Tensor | undefined, opts: BackwardOptions) => void),
  /** Formats values for repr (sync; CPU only). */
  format: null as null | ((t: Tensor) => string),
  /** Builds the rich display bundle (a promise where values must be read asynchronously). */
  display: null as
    null | ((t: Tensor) => Record<string, unknown> | Promise<Record<string, unknown>>),
};

export interface BackwardOptions {
  retainGraph?: boolean;
  createGraph?: boolean;
}
