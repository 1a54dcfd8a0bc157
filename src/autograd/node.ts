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

/** What a node that saves no inputs holds (shared: it is never written). */
const NOTHING_SAVED: readonly Tensor[] = Object.freeze([]);
const NO_VERSIONS: readonly number[] = Object.freeze([]);

export class Node {
  private saved: readonly Tensor[] | null;
  private savedOutput: Tensor | null;
  /** The saved tensors' versions when saved: an in-place change since makes them stale. */
  private savedVersions: readonly number[];
  private outputVersion = 0;
  readonly edges: Edge[];
  /** The inputs' shapes: tensor shapes are frozen, so the node shares them. */
  readonly inputShapes: (readonly number[])[];
  readonly inputDtypes: DType[];

  constructor(
    readonly op: string,
    readonly rule: GradRule,
    inputs: readonly Tensor[],
    readonly attrs: unknown,
  ) {
    // Plain loops: a graph node is made per recorded op, and each map() was an array and a
    // callback more on a small op's path.
    const n = inputs.length;
    this.edges = new Array<Edge>(n);
    this.inputShapes = new Array<readonly number[]>(n);
    this.inputDtypes = new Array<DType>(n);
    for (let i = 0; i < n; i++) {
      const t = inputs[i];
      this.edges[i] = edgeOf(t);
      this.inputShapes[i] = t.shape;
      this.inputDtypes[i] = t.dtype;
    }
    if (rule.savesInputs === false) {
      this.saved = NOTHING_SAVED;
      this.savedVersions = NO_VERSIONS;
    } else {
      const saved = new Array<Tensor>(n);
      const versions = new Array<number>(n);
      for (let i = 0; i < n; i++) {
        saved[i] = inputs[i]._alias();
        versions[i] = saved[i]._version.value;
      }
      this.saved = saved;
      this.savedVersions = versions;
    }
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
    const saved = this.saved ?? NOTHING_SAVED;
    for (let i = 0; i < saved.length; i++)
      if (saved[i]._version.value !== this.savedVersions[i])
        this.stale(saved[i], this.savedVersions[i], `input ${i}`);
    const out = this.savedOutput;
    if (out && out._version.value !== this.outputVersion)
      this.stale(out, this.outputVersion, "the output");
  }

  private stale(t: Tensor, then: number, what: string): never {
    fail(
      "backward",
      `${what} of ${this.op}, saved for its gradient, was modified by an in-place operation ` +
        `(${t._version.lastOp}) after ${this.op} used it: a ${t.dtype} tensor of shape ` +
        `[${t.shape.join(", ")}] is at version ${t._version.value}, expected ${then}. Update ` +
        `it out of place (x = x.mul(2)) or clone() it before the in-place op`,
    );
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
    const needs = new Array<boolean>(this.edges.length);
    for (let i = 0; i < needs.length; i++) needs[i] = this.edges[i] !== null;
    return new NodeContext(this, this.saved, this.savedOutput, needs);
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

/** A node's VjpContext: a class, so the output getter is not a new closure per node. */
class NodeContext implements VjpContext {
  readonly attrs: unknown;
  readonly inputShapes: readonly (readonly number[])[];
  readonly inputDtypes: readonly DType[];

  constructor(
    private readonly node: Node,
    readonly inputs: readonly Tensor[],
    private readonly savedOutput: Tensor | null,
    readonly needs: readonly boolean[],
  ) {
    this.attrs = node.attrs;
    this.inputShapes = node.inputShapes;
    this.inputDtypes = node.inputDtypes;
  }

  get output(): Tensor {
    return this.savedOutput ?? fail("backward", `${this.node.op} did not save its output`);
  }
}

function edgeOf(t: Tensor): Edge {
  if (t.gradFn) return t.gradFn;
  if (t.requiresGrad) return t._leaf;
  return null;
}
