// The base of the loss modules: a Module holding the reduction mode. Class weights are
// Buffers, as in PyTorch, so they move with `.to(device)` and appear in the state dict.
import { attr, type Attr } from "../attrs.js";
import type { Tensor } from "../../tensor/tensor.js";
import { Module } from "../module.js";
import { Buffer } from "../parameter.js";
import { checkReduction, type Reduction } from "./reduction.js";

/**
 * The base of the loss modules: `forward(input, target)` returns the loss, combined per `reduction`
 * ("mean" by default), as PyTorch's `_Loss`.
 *
 * @example
 * ```ts
 * const lossFn = new dl.nn.CrossEntropyLoss();
 * const logits = dl.randn([8, 10], { requiresGrad: true });
 * const loss = lossFn.forward(logits, dl.randint(0, 10, [8]));
 * loss.backward();
 * ```
 */
export abstract class Loss<R extends string = Reduction> extends Module {
  /** How per-element losses are combined: "mean", "sum" or "none". */
  readonly reduction: R;

  constructor(reduction?: R, extra: string[] = []) {
    super();
    this.reduction = checkReduction(new.target.name, reduction, extra) as string as R;
  }

  abstract override forward(input: Tensor, target: Tensor, ...rest: Tensor[]): Tensor;

  override attrs(): Attr[] {
    return [attr.text("reduction", this.reduction, { quiet: this.reduction === "mean" })];
  }
}

export const asBuffer = (t: Tensor | null | undefined): Buffer | null => (t ? new Buffer(t) : null);
