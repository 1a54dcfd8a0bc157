// Gymnasium's two basic spaces. A space draws samples from its own stream once `seed(n)` has
// been called; until then it draws from the library's global generator, so `dl.manualSeed`
// makes `env.actionSpace.sample()` reproducible too. (Environments never draw from their
// spaces: `reset(seed)` seeds the environment's dynamics, not its spaces, as in Gymnasium.)
import { fail, fmtShape } from "../tensor/errors.js";
import { nextUniform } from "../tensor/random.js";
import {
  Rng,
  integerBelow,
  standardExponential,
  standardNormal,
  type UniformSource,
} from "./rng.js";

const GLOBAL_SOURCE: UniformSource = { uniform: nextUniform };

/**
 * A set of valid observations or actions, as Gymnasium's `Space`: sample from it, test membership.
 */
export abstract class Space<T> {
  private rng: Rng | null = null;

  /** Gives the space its own random stream (like Gymnasium's `space.seed`). */
  seed(seed: number): this {
    this.rng = new Rng(seed);
    return this;
  }

  protected get source(): UniformSource {
    return this.rng ?? GLOBAL_SOURCE;
  }

  /** A uniform random element. */
  abstract sample(): T;
  /** Whether `x` belongs to the space. */
  abstract contains(x: unknown): boolean;
  /** The space as Gymnasium prints it, e.g. `Discrete(2)`. */
  abstract toString(): string;
}

/** The integers start, start + 1, ..., start + n - 1. */
export class Discrete extends Space<number> {
  constructor(
    /** Number of elements. */
    readonly n: number,
    /** The smallest element (default 0). */
    readonly start = 0,
  ) {
    super();
    if (!Number.isInteger(n) || n < 1) fail("Discrete", `n must be a positive integer, got ${n}`);
    if (!Number.isInteger(start)) fail("Discrete", `start must be an integer, got ${start}`);
  }

  /** A uniform integer in [start, start + n). */
  sample(): number {
    return this.start + integerBelow(this.source, this.n);
  }

  /** Whether `x` is an integer in [start, start + n). */
  contains(x: unknown): boolean {
    return (
      Number.isInteger(x) && (x as number) >= this.start && (x as number) < this.start + this.n
    );
  }

  /** `Discrete(n)` (or `Discrete(n, start=s)`). */
  toString(): string {
    return this.start === 0 ? `Discrete(${this.n})` : `Discrete(${this.n}, start=${this.start})`;
  }
}

type Bound = number | ArrayLike<number>;

/**
 * A box of float32 vectors: low[i] <= x[i] <= high[i] elementwise. Bounds may be infinite.
 * Samples and members are flat arrays of `size` values laid out row-major in `shape`.
 */
export class Box extends Space<Float32Array> {
  /** Lower bound of each element. */
  readonly low: Float32Array;
  /** Upper bound of each element. */
  readonly high: Float32Array;
  /** The shape of an element. */
  readonly shape: readonly number[];
  /** Number of numbers in an element. */
  readonly size: number;

  constructor(low: Bound, high: Bound, shape?: readonly number[]) {
    super();
    this.shape = boxShape(low, high, shape);
    this.size = this.shape.reduce((a, b) => a * b, 1);
    this.low = expandBound("low", low, this.size);
    this.high = expandBound("high", high, this.size);
    for (let i = 0; i < this.size; i++)
      if (!(this.low[i] <= this.high[i]))
        fail("Box", `low[${i}] = ${this.low[i]} must not exceed high[${i}] = ${this.high[i]}`);
  }

  /** Uniform where bounded; normal where unbounded; shifted exponential where half-bounded. */
  sample(): Float32Array {
    const out = new Float32Array(this.size);
    const src = this.source;
    for (let i = 0; i < this.size; i++) {
      const [lo, hi] = [this.low[i], this.high[i]];
      const loFinite = Number.isFinite(lo);
      const hiFinite = Number.isFinite(hi);
      if (loFinite && hiFinite) out[i] = Math.min(hi, lo + (hi - lo) * src.uniform());
      else if (loFinite) out[i] = lo + standardExponential(src);
      else if (hiFinite) out[i] = hi - standardExponential(src);
      else out[i] = standardNormal(src);
    }
    return out;
  }

  /** Whether `x` has the shape and lies within the bounds. */
  contains(x: unknown): boolean {
    if (!isArrayLikeOfNumbers(x) || x.length !== this.size) return false;
    for (let i = 0; i < this.size; i++) {
      const v = Math.fround(x[i]);
      if (!(v >= this.low[i] && v <= this.high[i])) return false;
    }
    return true;
  }

  /** `Box(low, high, shape)`. */
  toString(): string {
    // Seven significant digits: what a float32 holds, so 0.1 prints as 0.1.
    const num = (v: number) => String(Number(v.toPrecision(7)));
    const fmt = (a: Float32Array) =>
      a.every((v) => v === a[0]) ? num(a[0]) : `[${Array.from(a, num).join(", ")}]`;
    return `Box(${fmt(this.low)}, ${fmt(this.high)}, ${fmtShape(this.shape)}, float32)`;
  }
}

function isArrayLikeOfNumbers(x: unknown): x is ArrayLike<number> {
  if (ArrayBuffer.isView(x)) return !(x instanceof DataView) && typeof (x as never)[0] !== "bigint";
  return Array.isArray(x) && x.every((v) => typeof v === "number");
}

function boxShape(low: Bound, high: Bound, shape?: readonly number[]): readonly number[] {
  if (shape) {
    if (!shape.every((d) => Number.isInteger(d) && d >= 0))
      fail("Box", `shape must hold non-negative integers, got ${fmtShape(shape)}`);
    return [...shape];
  }
  const given = [low, high].find((b): b is ArrayLike<number> => typeof b !== "number");
  if (!given) fail("Box", "scalar low and high need a shape, e.g. new Box(-1, 1, [3])");
  return [given.length];
}

function expandBound(name: string, b: Bound, size: number): Float32Array {
  if (typeof b === "number") {
    if (Number.isNaN(b)) fail("Box", `${name} is NaN`);
    return new Float32Array(size).fill(b);
  }
  if (b.length !== size) fail("Box", `${name} has ${b.length} values but the shape holds ${size}`);
  const out = Float32Array.from(b);
  if (out.some(Number.isNaN)) fail("Box", `${name} contains NaN`);
  return out;
}
