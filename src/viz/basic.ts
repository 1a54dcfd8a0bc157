// dl.viz.graph and dl.viz.tensor.
import type { Tensor } from "../tensor/tensor.js";
import type { Module } from "../nn/module.js";
import { moduleBundle } from "../display/module-bundle.js";
import { tensorDisplay, type TensorDisplayOptions } from "../display/tensor-display.js";
import { Display } from "./displayable.js";

/**
 * The layer diagram of `model`, traced with `sampleInput` for shapes and data flow.
 *
 * @example
 * ```ts
 * const model = new dl.nn.Sequential(
 *   new dl.nn.Linear(4, 8),
 *   new dl.nn.ReLU(),
 *   new dl.nn.Linear(8, 2),
 * );
 * dl.viz.graph(model, dl.randn([1, 4])); // the last expression of a cell draws the diagram
 * ```
 */
export function graph(model: Module, sampleInput?: Tensor | Tensor[]): Display {
  const bundle = moduleBundle(model, sampleInput);
  return new Display(() => bundle);
}

/** A tensor view: "auto" | "heatmap" | "image" | "images" | "histogram" | "table". */
export function tensor(t: Tensor, opts: TensorDisplayOptions = {}): Display {
  const bundle = tensorDisplay(t, opts);
  return new Display(() => bundle);
}
