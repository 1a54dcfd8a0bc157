// Deferred elementwise chains on the native path: an elementwise op whose output no graph
// records returns a buffer that holds the computation instead of its values (buffer.ts's
// Deferred). A later elementwise op reading that whole buffer folds the computation into its
// own, and the first read of anything else runs the chain in one pass (../kernels/chain.c).
// relu(a*b+c) then reads a, b and c once and writes one array, where three kernels write and
// read back two intermediate arrays as large as the output.
//
// Correctness rests on two facts: every read of a CPU buffer's values goes through its `data`
// getter (which runs a pending chain), and the arrays a chain reads never change: kernels
// write only fresh outputs, and a disposed array that a pending chain still reads is not
// reused (CpuBackend.free checks `readers`). The results are bitwise those of the ops run one
// at a time: each step is the same run of elementwise.c, its results rounded to float32.
import type { TensorView } from "../../backend.js";
import type { OutputSpec } from "../../registry.js";
import { dispatchHints } from "../../registry.js";
import { sizeOf } from "../../../tensor/shape.js";
import { layoutOf } from "../../../tensor/layouts.js";
import { CpuBuffer, type Deferred } from "../buffer.js";
import { takeArray } from "../pool.js";
import type { NativeKernels } from "./native.js";
import { elementThreads, record } from "./runs.js";
import { operandLayout } from "./operand-layout.js";

/** chain.h's limits. */
const MAX_STEPS = 8;
const MAX_LEAVES = 6;
const MAX_CONSTANTS = 16;
export const chainSettings = {
  /**
   * Outputs below this many elements run at once: their intermediates stay in the cache
   * anyway, and a chain's objects would cost more than the pass it saves. Tests raise it to
   * reach the kernels that run at once.
   */
  minElements: 1 << 15,
};

/**
 * What a step reads (chain.h): a leaf array, a constant, or an earlier step's result; a leaf
 * is laid out as the output (LEAF), a row repeated over the output's rows (ROW) or one value
 * per row (COLUMN).
 */
const LEAF = 0;
const CONSTANT = 1;
const STEP = 2;
const ROW = 3;
const COLUMN = 4;
type Arg = readonly [kind: number, index: number];
/** [unary (1) or binary (0), op code of elementwise.h, x, y]. */
type Step = readonly [unary: number, op: number, x: Arg, y: Arg];

/** An array a chain reads from `offset` on, laid out as `layout`, and the buffer counting its readers. */
interface Leaf {
  readonly buffer: CpuBuffer;
  readonly array: Float32Array;
  readonly offset: number;
  readonly layout: number;
}

const HEADER = 6;
const STEP_FIELDS = 6;
const LEAF_FIELDS = 2 * MAX_LEAVES;
const params = new Float64Array(HEADER + LEAF_FIELDS + STEP_FIELDS * MAX_STEPS + MAX_CONSTANTS);

/** A pending computation of n float32 elements. */
class Chain implements Deferred {
  private settled = false;

  constructor(
    private readonly nk: NativeKernels,
    readonly leaves: readonly Leaf[],
    readonly steps: readonly Step[],
    readonly constants: readonly number[],
    readonly n: number,
    /** Elements per row of the output when a leaf is a row or column, else 0. */
    readonly inner: number,
  ) {
    for (const l of leaves) l.buffer.readers++;
  }

  run(): Float32Array {
    const out = takeArray("float32", this.n, false) as Float32Array;
    const threads = elementThreads(this.n);
    params.fill(0);
    params.set([this.steps.length, this.leaves.length, this.n, threads, 0, this.inner || this.n]);
    this.leaves.forEach((l, i) => {
      params[HEADER + i] = l.offset;
      params[HEADER + MAX_LEAVES + i] = l.layout;
    });
    this.steps.forEach(([unary, op, x, y], s) =>
      params.set([unary, op, ...x, ...y], HEADER + LEAF_FIELDS + s * STEP_FIELDS),
    );
    params.set(this.constants, HEADER + LEAF_FIELDS + STEP_FIELDS * MAX_STEPS);
    const arrays = this.leaves.map((l) => l.array);
    record(threads, this.nk.chain(...arrays, out, params));
    this.drop();
    return out;
  }

  drop(): void {
    if (this.settled) return;
    this.settled = true;
    for (const l of this.leaves) l.buffer.readers--;
  }
}

/** Gathers the leaves, constants and steps of a new chain; null once a limit is passed. */
class ChainBuilder {
  readonly leaves: Leaf[] = [];
  readonly steps: Step[] = [];
  readonly constants: number[] = [];
  /** Elements per row of the output, set by the first row or column leaf (0: none yet). */
  inner = 0;
  private readonly inlined = new Map<Chain, Arg>();

  /** Arguments name a leaf as LEAF whatever its layout: chain-calls.c looks the layout up. */
  leaf(buffer: CpuBuffer, offset: number, layout: number): Arg | null {
    const array = buffer.data as Float32Array;
    let i = this.leaves.findIndex(
      (l) => l.array === array && l.offset === offset && l.layout === layout,
    );
    if (i < 0) {
      if (this.leaves.length === MAX_LEAVES) return null;
      i = this.leaves.push({ buffer, array, offset, layout }) - 1;
    }
    return [LEAF, i];
  }

  /** Whether rows of `inner` elements agree with the rows this chain already reads. */
  private rows(inner: number): boolean {
    if (inner && this.inner && inner !== this.inner) return false;
    this.inner ||= inner;
    return true;
  }

  constant(value: number): Arg | null {
    if (this.constants.length === MAX_CONSTANTS) return null;
    return [CONSTANT, this.constants.push(value) - 1];
  }

  /** Copies `chain`'s steps in, its leaves, constants and steps renumbered. */
  inline(chain: Chain): Arg | null {
    const done = this.inlined.get(chain);
    if (done) return done;
    if (this.steps.length + chain.steps.length > MAX_STEPS || !this.rows(chain.inner)) return null;
    const base = this.steps.length;
    const map = (a: Arg): Arg | null => {
      if (a[0] === STEP) return [STEP, base + a[1]];
      if (a[0] === CONSTANT) return this.constant(chain.constants[a[1]]);
      const l = chain.leaves[a[1]];
      return this.leaf(l.buffer, l.offset, l.layout);
    };
    for (const [unary, op, x, y] of chain.steps) {
      const mx = map(x);
      const my = unary ? y : map(y);
      if (!mx || !my) return null;
      this.steps.push([unary, op, mx, my]);
    }
    const arg: Arg = [STEP, this.steps.length - 1];
    this.inlined.set(chain, arg);
    return arg;
  }

  /**
   * What `v` is to a chain over `out`: a constant, an inlined chain or a leaf (the output's
   * shape, a row or a column); null where it is none of them.
   */
  operand(v: TensorView, out: OutputSpec, inline: boolean): Arg | null {
    const layout = operandLayout(v, out.shape);
    if (!layout) return null;
    const buffer = v.buffer as CpuBuffer;
    if (layout.kind === "one") return this.constant(buffer.data[v.offset]);
    if (layout.kind !== "full")
      return this.rows(layout.inner)
        ? this.leaf(buffer, v.offset, layout.kind === "row" ? ROW : COLUMN)
        : null;
    const pending = buffer.pending;
    if (inline && pending instanceof Chain && v.offset === 0 && buffer.length === pending.n)
      return this.inline(pending);
    return this.leaf(buffer, v.offset, LEAF);
  }
}

/** Whether an argument's values vary along a row: an earlier step, or a full or row leaf. */
const varies = (b: ChainBuilder, a: Arg) =>
  a[0] === STEP || (a[0] === LEAF && b.leaves[a[1]].layout !== COLUMN);

/** The step's operands as a chain's arguments: pending inputs inlined when `inline`. */
function build(
  op: number,
  unary: boolean,
  inputs: readonly TensorView[],
  out: OutputSpec,
  inline: boolean,
): ChainBuilder | null {
  const b = new ChainBuilder();
  const x = b.operand(inputs[0], out, inline);
  const y = unary ? x : x && b.operand(inputs[1], out, inline);
  if (!x || !y || b.steps.length === MAX_STEPS) return null;
  if (!unary && !varies(b, x) && !varies(b, y)) return null; // one value per row: runs now
  b.steps.push([unary ? 1 : 0, op, x, y]);
  return b;
}

/**
 * The output of elementwise op `op` (elementwise.h's code) as a deferred chain, or null where
 * it runs now: an op some graph records, a small or non-float32 output, an operand in no
 * pattern the chain reads (contiguous float32 of the output's shape, one value, a row or a
 * column with the rows of the chain's other leaves).
 */
export function deferredStep(
  nk: NativeKernels,
  op: number,
  unary: boolean,
  inputs: readonly TensorView[],
  out: OutputSpec,
): TensorView | null {
  const n = sizeOf(out.shape);
  if (!dispatchHints.deferrable || n < chainSettings.minElements || out.dtype !== "float32")
    return null;
  // Pending inputs are folded in; past a limit they are read as computed arrays instead.
  const b = build(op, unary, inputs, out, true) ?? build(op, unary, inputs, out, false);
  if (!b) return null;
  const chain = new Chain(nk, b.leaves, b.steps, b.constants, n, b.inner);
  const layout = layoutOf(out.shape);
  return {
    buffer: new CpuBuffer("float32", null, chain, n),
    dtype: "float32",
    shape: layout.shape,
    strides: layout.strides,
    offset: 0,
  };
}
