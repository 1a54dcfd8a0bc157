// Float64 reference arrays for op tests: a row-major buffer plus a shape, and naive loops over
// it. Nothing here touches the library, so a reference cannot inherit the library's bugs.

export interface Arr {
  readonly shape: readonly number[];
  readonly data: Float64Array;
}

export const sizeOf = (shape: readonly number[]): number => shape.reduce((n, d) => n * d, 1);

export function arr(shape: readonly number[], data: ArrayLike<number>): Arr {
  if (data.length !== sizeOf(shape))
    throw new Error(`ref: ${data.length} values do not fill shape [${shape.join(", ")}]`);
  return { shape: [...shape], data: Float64Array.from(data) };
}

export const scalar = (v: number): Arr => arr([], [v]);

export function stridesOf(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= shape[i];
  }
  return s;
}

export function unravel(i: number, shape: readonly number[]): number[] {
  const idx = new Array<number>(shape.length);
  for (let d = shape.length - 1; d >= 0; d--) {
    idx[d] = i % shape[d];
    i = Math.floor(i / shape[d]);
  }
  return idx;
}

export function ravel(idx: readonly number[], shape: readonly number[]): number {
  let i = 0;
  for (let d = 0; d < shape.length; d++) i = i * shape[d] + idx[d];
  return i;
}

export const at = (a: Arr, idx: readonly number[]): number => a.data[ravel(idx, a.shape)];

/** Builds an array of `shape` from a function of the multi-index. */
export function build(shape: readonly number[], f: (idx: number[]) => number): Arr {
  const out = new Float64Array(sizeOf(shape));
  for (let i = 0; i < out.length; i++) out[i] = f(unravel(i, shape));
  return { shape: [...shape], data: out };
}

export const normDim = (d: number, ndim: number): number => (d < 0 ? d + ndim : d);

/** NumPy broadcasting of shapes (throws on mismatch: a reference never silently guesses). */
export function broadcastShape(...shapes: (readonly number[])[]): number[] {
  const nd = Math.max(0, ...shapes.map((s) => s.length));
  const out = new Array<number>(nd).fill(1);
  for (const s of shapes)
    s.forEach((d, i) => {
      const j = nd - s.length + i;
      if (d !== 1) {
        if (out[j] !== 1 && out[j] !== d) throw new Error("ref: shapes do not broadcast");
        out[j] = d;
      }
    });
  return out;
}

/** The element of `a` that position `idx` of a broadcast result reads. */
function broadcastAt(a: Arr, idx: readonly number[]): number {
  const lead = idx.length - a.shape.length;
  const own = a.shape.map((d, i) => (d === 1 ? 0 : idx[lead + i]));
  return at(a, own);
}

/** Elementwise over any number of broadcast operands. */
export function zip(f: (...v: number[]) => number, ...xs: Arr[]): Arr {
  const shape = broadcastShape(...xs.map((x) => x.shape));
  return build(shape, (idx) => f(...xs.map((x) => broadcastAt(x, idx))));
}

export const map = (a: Arr, f: (v: number) => number): Arr => zip(f, a);

/**
 * Reduction: `f` receives the values of each reduced slice in row-major order. `dims`
 * undefined reduces everything; negative dims count from the end.
 */
export function reduce(
  a: Arr,
  dims: number | readonly number[] | undefined,
  keepdim: boolean,
  f: (values: number[]) => number,
): Arr {
  const nd = a.shape.length;
  const list =
    dims === undefined
      ? a.shape.map((_, i) => i)
      : (typeof dims === "number" ? [dims] : dims).map((d) => normDim(d, nd));
  const reduced = new Set(list);
  const keptShape = a.shape.map((d, i) => (reduced.has(i) ? 1 : d));
  const groups = new Map<number, number[]>();
  for (let i = 0; i < a.data.length; i++) {
    const idx = unravel(i, a.shape).map((v, d) => (reduced.has(d) ? 0 : v));
    const key = ravel(idx, keptShape);
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key)!.push(a.data[i]);
  }
  const out = build(keptShape, (idx) => f(groups.get(ravel(idx, keptShape)) ?? []));
  return keepdim ? out : { shape: a.shape.filter((_, i) => !reduced.has(i)), data: out.data };
}

export function permute(a: Arr, dims: readonly number[]): Arr {
  const d = dims.map((x) => normDim(x, a.shape.length));
  const shape = d.map((k) => a.shape[k]);
  return build(shape, (idx) => {
    const src = new Array<number>(a.shape.length);
    d.forEach((k, i) => (src[k] = idx[i]));
    return at(a, src);
  });
}

export const reshape = (a: Arr, shape: readonly number[]): Arr => arr(shape, a.data);

/** Plain [M, K] x [K, N] with an optional shared leading batch dim handled by the caller. */
export function matmul2d(a: Arr, b: Arr): Arr {
  const [m, k] = a.shape;
  const [k2, n] = b.shape;
  if (k !== k2) throw new Error("ref: matmul sizes differ");
  return build([m, n], ([i, j]) => {
    let s = 0;
    for (let t = 0; t < k; t++) s += a.data[i * k + t] * b.data[t * n + j];
    return s;
  });
}

/** Nested JS arrays (as toArray() returns) of a reference, for readable expectations. */
export function nested(a: Arr): unknown {
  if (a.shape.length === 0) return a.data[0];
  let i = 0;
  const rec = (d: number): unknown[] =>
    Array.from({ length: a.shape[d] }, () => (d === a.shape.length - 1 ? a.data[i++] : rec(d + 1)));
  return rec(0);
}

/** erf in float64: its Maclaurin series (exact to ~1e-12 for |x| < 4), saturating beyond. */
export function erf(x: number): number {
  if (Math.abs(x) >= 4) return Math.sign(x) * (1 - 1.5e-8);
  let term = x;
  let sum = x;
  for (let n = 1; n < 200; n++) {
    term *= (-x * x) / n;
    const add = term / (2 * n + 1);
    sum += add;
    if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
  }
  return (2 / Math.sqrt(Math.PI)) * sum;
}

/** A small seeded generator (mulberry32), independent of the library's own PRNG. */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
