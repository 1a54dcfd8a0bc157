// A recorded op in the graph: what produced a tensor, and how to send its gradient back.
import type { Tensor } from "../tensor/tensor.js";
import { fail } from "../tensor/errors.js";
import type { DType } from "../tensor/dtype.js";

export interface VjpContext<A = any> {
  /** The op's inputs (aliases sharing storage), when the rule asked to save them. */
  readonly inputs: readonly Tensor[];
  /** The op's output (an alias), when the rule asked to save it. */
  readonly output: Tensor;
  readonly attrs: A;
  readonly inputShapes: readonly (readonly number[])[];
  readonly inputDtypes: readonly DType[];
  /** Whether each input's gradient is wanted: rules skip work for the others. */
  readonly needs: readonly boolean[];
}

/** Gradient with respect to each input (null where there is none). The engine reduces each to
 * its input's shape, so rules may return gradients in the broadcast output shape. */
export type VjpFn<A = any> = (g: Tensor, ctx: VjpContext<A>) => (Tensor | null)[];

// `in` declares the variance the compiler would otherwise measure structurally, which needs the
// Tensor type complete while the op table that declares its methods is being typed.
export interface GradRule<in A = any> {
  readonly vjp: VjpFn<A> | null;
  /** Save the inputs for the vjp (default true). */
  readonly savesInputs?: boolean;
  /** Save the output for the vjp (default false). */
  readonly savesOutput?: boolean;
}

/** Where an input's gradient goes: an upstream node, a leaf that accumulates, or nowhere. */
export type Edge = Node | Tensor | null;

export class Node {
  private saved: Tensor[] | null;
  private savedOutput: Tensor | null;
  /** The saved tensors' versions when saved: an in-place change since makes them stale. */
  private savedVersions: number[];
  private outputVersion = 0;
  readonly edges: Edge[];
  readonly inputShapes: number[][];
  readonly inputDtypes: DType[];

  constructor(
    readonly op: string,
    readonly rule: GradRule,
    inputs: readonly Tensor[],
    readonly attrs: unknown,
  ) {
    this.edges = inputs.map(edgeOf);
    this.inputShapes = inputs.map((t) => [...t.shape]);
    this.inputDtypes = inputs.map((t) => t.dtype);
    this.saved = rule.savesInputs === false ? [] : inputs.map((t) => t._alias());
    this.savedVersions = this.saved.map((t) => t._version.value);
    this.savedOutput = null;
  }

  /** Called once the output's gradFn points here, so the saved alias keeps the graph link. */
  saveOutput(output: Tensor): void {
    if (this.rule.savesOutput) {
      this.savedOutput = output._alias();
      this.outputVersion = output._version.value;
    }
  }

  /** Fails, as PyTorch does, when a tensor this op saved was changed in place since. */
  private checkVersions(): void {
    const stale = (t: Tensor, then: number, what: string) => {
      if (t._version.value === then) return;
      fail(
        "backward",
        `${what} of ${this.op}, saved for its gradient, was modified by an in-place operation ` +
          `(${t._version.lastOp}) after ${this.op} used it: a ${t.dtype} tensor of shape ` +
          `[${t.shape.join(", ")}] is at version ${t._version.value}, expected ${then}. Update ` +
          `it out of place (x = x.mul(2)) or clone() it before the in-place op`,
      );
    };
    this.saved?.forEach((t, i) => stale(t, this.savedVersions[i], `input ${i}`));
    if (this.savedOutput) stale(this.savedOutput, this.outputVersion, "the output");
  }

  get released(): boolean {
    return this.saved === null;
  }

  context(): VjpContext {
    if (this.saved === null)
      fail(
        "backward",
        `trying to backward through the graph a second time (through ${this.op}): its saved ` +
          `tensors were freed after the first backward; pass { retainGraph: true } to the first call`,
      );
    this.checkVersions();
    const { savedOutput, op } = this;
    return {
      inputs: this.saved,
      get output(): Tensor {
        return savedOutput ?? fail("backward", `${op} did not save its output`);
      },
      attrs: this.attrs,
      inputShapes: this.inputShapes,
      inputDtypes: this.inputDtypes,
      needs: this.edges.map((e) => e !== null),
    };
  }

  /** Frees the saved tensors; the node can no longer run its vjp. */
  release(): void {
    if (this.saved === null) return;
    for (const t of this.saved) t.dispose();
    this.savedOutput?.dispose();
    this.saved = null;
    this.savedOutput = null;
  }
}

function edgeOf(t: Tensor): Edge {
  if (t.gradFn) return t.gradFn;
  if (t.requiresGrad) return t._leaf;
  return null;
}
