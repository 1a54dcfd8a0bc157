// The strided loop engine of the CPU backend. Each (expression, operand types) is compiled once
// into a specialised JavaScript function with the scalar expression inlined, so hot loops
// run without per-element closure calls. Dims that are contiguous for every operand are
// merged first, so a contiguous op runs as one flat loop.
import type { TypedArray } from "../../tensor/dtype.js";
import { SCALAR_FNS } from "./special.js";

/** A typed array read or written through strides from an element offset. */
export interface Strided {
  readonly array: TypedArray;
  readonly strides: readonly number[];
  readonly offset: number;
}

type LoopFn = (shape: number[], ...operands: unknown[]) => void;
const cache = new Map<string, LoopFn>();

const VARS = ["a", "b", "c", "d", "e"];

/**
 * How the innermost dim addresses one operand: "1" unit stride (`p + j`, no multiply), "0" a
 * broadcast (loaded once per inner run), "s" any other stride. The unit-stride form runs
 * about 30% faster than the general one on a contiguous op.
 */
type InnerStride = "1" | "0" | "s";

function innerIndex(o: string, kind: InnerStride, u = 0): string {
  const j = u === 0 ? "j" : `(j + ${u})`;
  return kind === "1" ? `p${o} + ${j}` : kind === "0" ? `p${o}` : `p${o} + ${j} * i${o}`;
}

/**
 * Elements per iteration of the inner loop when no operand is strided. V8 compiles a typed
 * array loop to scalar code with a bounds check and a float32/float64 conversion per
 * element; eight elements per iteration halve the loop's cost (4M-float add: 10.3 ms as a
 * plain loop, 5.2 ms unrolled by 8, measured).
 */
const UNROLL = 8;

/**
 * Whether `expr` calls one of special.ts's helpers. Eight inlined copies of a helper exceed
 * TurboFan's inlining budget, and a helper left as a call boxes every float it returns:
 * expf(a) over 4M floats ran 57 ms unrolled against 27 ms as a plain loop (measured).
 */
function callsHelper(expr: string): boolean {
  return Object.keys(SCALAR_FNS).some((name) => expr.includes(`${name}(`));
}

function compile(expr: string, arity: number, pattern: readonly InnerStride[]): LoopFn {
  const ops = ["O", ...VARS.slice(0, arity).map((v) => v.toUpperCase())];
  const params = ops.flatMap((o) => [`${o}arr`, `${o}st`, `${o}off`]);
  const load = (v: string, i: number, u = 0) =>
    `const ${v} = ${ops[i + 1]}arr[${innerIndex(ops[i + 1], pattern[i + 1], u)}];`;
  const vars = VARS.slice(0, arity);
  const hoisted = vars.map((v, i) => (pattern[i + 1] === "0" ? load(v, i) : "")).join(" ");
  const loads = (u: number) =>
    vars.map((v, i) => (pattern[i + 1] === "0" ? "" : load(v, i, u))).join(" ");
  const step = (u: number) => `{ ${loads(u)} Oarr[${innerIndex("O", pattern[0], u)}] = ${expr}; }`;
  const steps = Array.from({ length: UNROLL }, (_, u) => step(u)).join(" ");
  const unrolled =
    pattern.includes("s") || callsHelper(expr)
      ? ""
      : `for (; j + ${UNROLL} <= inner; j += ${UNROLL}) { ${steps} }`;
  const scalarLoads = vars
    .map((v, i) => `const ${v} = ${ops[i + 1]}arr[p${ops[i + 1]}];`)
    .join(" ");
  const body = `
    const nd = shape.length;
    let total = 1; for (let d = 0; d < nd; d++) total *= shape[d];
    if (total === 0) return;
    ${ops.map((o) => `let p${o} = ${o}off;`).join(" ")}
    if (nd === 0) { ${scalarLoads} Oarr[pO] = ${expr}; return; }
    const inner = shape[nd - 1];
    ${ops.map((o) => `const i${o} = ${o}st[nd - 1];`).join(" ")}
    if (nd === 1) { ${hoisted} let j = 0; ${unrolled} for (; j < inner; j++) ${step(0)} return; }
    const idx = new Int32Array(nd);
    for (;;) {
      { ${hoisted} let j = 0; ${unrolled} for (; j < inner; j++) ${step(0)} }
      let d = nd - 2;
      for (; d >= 0; d--) {
        ${ops.map((o) => `p${o} += ${o}st[d];`).join(" ")}
        if (++idx[d] < shape[d]) break;
        ${ops.map((o) => `p${o} -= ${o}st[d] * shape[d];`).join(" ")}
        idx[d] = 0;
      }
      if (d < 0) return;
    }`;
  // The helpers (special.ts) are the factory's parameters, so an expression calls them as
  // plain closure variables (no property load per element).
  const factory = new Function(
    ...Object.keys(SCALAR_FNS),
    `return function loop(shape, ${params.join(", ")}) {${body}}`,
  );
  return factory(...Object.values(SCALAR_FNS)) as LoopFn;
}

/** Drops size-1 dims and merges adjacent dims that are contiguous in every operand. */
export function coalesce(
  shape: readonly number[],
  strides: (readonly number[])[],
): [number[], number[][]] {
  const outShape: number[] = [];
  const outStrides: number[][] = strides.map(() => []);
  for (let d = 0; d < shape.length; d++) {
    if (shape[d] === 1) continue;
    const last = outShape.length - 1;
    const mergeable = last >= 0 && strides.every((s, k) => outStrides[k][last] === s[d] * shape[d]);
    if (mergeable) {
      outShape[last] *= shape[d];
      strides.forEach((s, k) => (outStrides[k][last] = s[d]));
    } else {
      outShape.push(shape[d]);
      strides.forEach((s, k) => outStrides[k].push(s[d]));
    }
  }
  return [outShape, outStrides];
}

function isBlockCopy(out: Strided, input: Strided | undefined, strides: number[][]): boolean {
  return (
    input !== undefined &&
    strides[0][0] === 1 &&
    strides[1][0] === 1 &&
    out.array.constructor === input.array.constructor &&
    out.array !== input.array
  );
}

function typeCode(array: TypedArray): string {
  return array instanceof Float32Array ? "f" : array instanceof Int32Array ? "i" : "u";
}

function patternOf(strides: readonly (readonly number[])[], nd: number): InnerStride[] {
  return strides.map((st): InnerStride => {
    const s = nd === 0 ? 0 : st[nd - 1];
    return s === 1 ? "1" : s === 0 ? "0" : "s";
  });
}

/**
 * out[i] = expr(a[i], b[i], c[i]) over `shape`, every operand addressed through its own
 * strides (broadcast inputs have stride 0). `expr` names the inputs a, b, c, d, e.
 */
export function runLoop(
  expr: string,
  shape: readonly number[],
  out: Strided,
  inputs: readonly Strided[],
): void {
  const all = [out, ...inputs];
  const [cShape, cStrides] = coalesce(
    shape,
    all.map((o) => o.strides),
  );
  const nd = cShape.length;
  if (expr === "a" && nd === 1 && isBlockCopy(out, inputs[0], cStrides)) {
    // A plain contiguous copy between arrays of one type: TypedArray.set is a memcpy.
    const from = inputs[0].offset;
    out.array.set(inputs[0].array.subarray(from, from + cShape[0]), out.offset);
    return;
  }
  // One compiled loop per operand array types too: a loop shared by Float32Array and
  // Int32Array operands goes megamorphic and runs several times slower. The key is built by
  // plain concatenation: on a one-element op, building it was a tenth of the op's time.
  let key = expr;
  for (let k = 0; k < all.length; k++) {
    const s = nd === 0 ? 0 : cStrides[k][nd - 1];
    key += (s === 1 ? "|1" : s === 0 ? "|0" : "|s") + typeCode(all[k].array);
  }
  let fn = cache.get(key);
  if (!fn) cache.set(key, (fn = compile(expr, inputs.length, patternOf(cStrides, nd))));
  const args: unknown[] = [];
  all.forEach((o, k) => args.push(o.array, cStrides[k], o.offset));
  fn(cShape, ...args);
}

/** An operand of {@link runFlat}: contiguous from `offset`, or one value broadcast. */
export interface FlatOperand {
  readonly array: TypedArray;
  readonly offset: number;
  readonly scalar: boolean;
}

const UNIT = [1];
const BROADCAST = [0];
/**
 * The shape argument of every flat loop, rewritten before each call: a fresh `[n]` per call
 * was one more array per op. Loops never call back into the engine, so it is never in use
 * twice at once.
 */
const FLAT_SHAPE = [0];
/** Compiled flat loops by expression, then by operand types and broadcasts (a small int). */
const flatCache = new Map<string, Map<number, LoopFn>>();

function typeIndex(array: TypedArray): number {
  return array instanceof Float32Array ? 0 : array instanceof Int32Array ? 1 : 2;
}

/** One base-6 digit of a flat loop's code per input: its type, plus 3 when a single value. */
function operandCode(array: TypedArray, scalar: boolean): number {
  return (scalar ? 3 : 0) + typeIndex(array);
}

/** The flat loop of `expr` for the operand digits in `code` (compiled on first use). */
function flatLoop(expr: string, code: number, arity: number): LoopFn {
  let byCode = flatCache.get(expr);
  if (!byCode) flatCache.set(expr, (byCode = new Map()));
  let fn = byCode.get(code);
  if (!fn) {
    const pattern: InnerStride[] = ["1"];
    for (let k = arity - 1, c = code; k >= 0; k--, c = Math.floor(c / 6))
      pattern[k + 1] = c % 6 >= 3 ? "0" : "1";
    byCode.set(code, (fn = compile(expr, arity, pattern)));
  }
  return fn;
}

/**
 * out[i] = expr(a[i], b[i], ...) for i < n over contiguous operands (or broadcast single
 * values): the common elementwise case without runLoop's stride merging, whose arrays and
 * string key were most of a one-element op's kernel time.
 */
export function runFlat(
  expr: string,
  n: number,
  out: TypedArray,
  inputs: readonly FlatOperand[],
): void {
  if (inputs.length === 2) {
    const [a, b] = inputs;
    return runFlat2(expr, n, out, a.array, a.offset, a.scalar, b.array, b.offset, b.scalar);
  }
  const a = inputs[0];
  if (expr === "a" && inputs.length === 1 && !a.scalar && a.array.constructor === out.constructor) {
    out.set(a.array.subarray(a.offset, a.offset + n));
    return;
  }
  let code = typeIndex(out);
  for (const x of inputs) code = code * 6 + operandCode(x.array, x.scalar);
  const fn = flatLoop(expr, code, inputs.length);
  const args: unknown[] = [out, UNIT, 0];
  for (const x of inputs) args.push(x.array, x.scalar ? BROADCAST : UNIT, x.offset);
  FLAT_SHAPE[0] = n;
  fn(FLAT_SHAPE, ...args);
}

/**
 * {@link runFlat} of two operands, passed as arrays and offsets: binary ops take this path
 * on every call, and the operand records were objects made per op.
 */
export function runFlat2(
  expr: string,
  n: number,
  out: TypedArray,
  a: TypedArray,
  aOffset: number,
  aScalar: boolean,
  b: TypedArray,
  bOffset: number,
  bScalar: boolean,
): void {
  const code = (typeIndex(out) * 6 + operandCode(a, aScalar)) * 6 + operandCode(b, bScalar);
  const fn = flatLoop(expr, code, 2);
  FLAT_SHAPE[0] = n;
  fn(
    FLAT_SHAPE,
    out,
    UNIT,
    0,
    a,
    aScalar ? BROADCAST : UNIT,
    aOffset,
    b,
    bScalar ? BROADCAST : UNIT,
    bOffset,
  );
}
