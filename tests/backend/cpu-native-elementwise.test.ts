// The native elementwise ops and sums (kernels/elementwise.c, reduce.c through
// native/elementwise.ts) against float64 loops and against the JavaScript kernels they stand
// in for: bitwise for + - × ÷ max min √ and the relu ops, every broadcast pattern the native
// path takes, odd sizes (vector tails), views at an offset, 1–3 threads; sums within float32
// rounding of a float64 loop and bitwise the same on 1, 2 and 3 threads. Skipped where the
// addon is not built or DENDRITE_CPU_KERNEL=wasm (then the loop engine runs everything).
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { nativeKernels } from "../../src/backend/cpu/native/native.js";
import { lastNative } from "../../src/backend/cpu/native/runs.js";
import { threadSettings } from "../../src/backend/cpu/wasm/settings.js";
import { chainSettings } from "../../src/backend/cpu/native/chains.js";
import { broadcastShapes } from "../../src/tensor/shape.js";
import * as dl from "../../src/index.js";
import { nativeAvailable, onLoopEngine, sameBits, specialValues } from "../helpers/native.js";

const available = nativeAvailable();

/** A float32 tensor of `shape` holding vals, as a view `offset` elements into a larger one. */
function tensorAt(vals: Float32Array, shape: number[], offset: number): dl.Tensor {
  const whole = new Float32Array(vals.length + offset + 3).fill(7);
  whole.set(vals, offset);
  return dl.tensor(whole).narrow(0, offset, vals.length).reshape(shape);
}

const F = Math.fround;
/** What Math.max/Math.min give on two float32 values (NaN wins, -0 < +0). */
const BINARY: Record<
  string,
  [(a: dl.Tensor, b: dl.Tensor) => dl.Tensor, (a: number, b: number) => number]
> = {
  add: [(a, b) => a.add(b), (a, b) => F(a + b)],
  sub: [(a, b) => a.sub(b), (a, b) => F(a - b)],
  mul: [(a, b) => a.mul(b), (a, b) => F(a * b)],
  div: [(a, b) => a.div(b), (a, b) => F(a / b)],
  maximum: [(a, b) => dl.maximum(a, b), (a, b) => Math.max(a, b)],
  minimum: [(a, b) => dl.minimum(a, b), (a, b) => Math.min(a, b)],
  leakyRelu: [(a, b) => a.leakyRelu(b), (a, b) => (a > 0 ? a : F(a * b))],
};

/** Broadcast patterns: [a's shape, b's shape] for an output [.., rows, cols]. */
const PATTERNS: Record<string, (r: number, c: number) => [number[], number[]]> = {
  same: (r, c) => [
    [r, c],
    [r, c],
  ],
  "one value right": (r, c) => [[r, c], []],
  "one value left": (r, c) => [
    [1, 1],
    [r, c],
  ],
  "row (bias)": (r, c) => [[2, r, c], [c]],
  "row of trailing dims": (r, c) => [
    [3, r, c],
    [r, c],
  ],
  "row left": (r, c) => [
    [1, c],
    [r, c],
  ],
  "column (keepdim)": (r, c) => [
    [r, c],
    [r, 1],
  ],
  "column left": (r, c) => [
    [2, r, 1],
    [2, r, c],
  ],
  "column by row (outer)": (r, c) => [
    [r, 1],
    [1, c],
  ],
};

const SIZES: [number, number][] = [
  [1, 64],
  [3, 37],
  [67, 1],
  [9, 129],
  [130, 515],
];

/** The float64 reference of a binary op broadcast over the output's shape. */
function reference(f: (a: number, b: number) => number, a: dl.Tensor, b: dl.Tensor, out: number[]) {
  const [A, B] = [a.dataSync() as Float32Array, b.dataSync() as Float32Array];
  const index = (shape: readonly number[], i: number) => {
    let off = 0;
    let stride = 1;
    let rest = i;
    for (let d = out.length - 1; d >= 0; d--) {
      const k = rest % out[d];
      rest = Math.floor(rest / out[d]);
      const sd = d - (out.length - shape.length);
      if (sd >= 0) {
        if (shape[sd] !== 1) off += k * stride;
        stride *= shape[sd];
      }
    }
    return off;
  };
  const n = out.reduce((p, q) => p * q, 1);
  return Float32Array.from({ length: n }, (_, i) => f(A[index(a.shape, i)], B[index(b.shape, i)]));
}

describe.skipIf(!available)("native elementwise kernels", () => {
  const saved = { ...threadSettings, chains: { ...chainSettings } };
  beforeEach(() => {
    threadSettings.minParallelElements = 0; // split even the small cases across threads
  });
  afterEach(() => {
    const { chains, ...threads } = saved;
    Object.assign(threadSettings, threads);
    Object.assign(chainSettings, chains);
    dl.setNumThreads(saved.threads);
  });

  for (const [name, [op, f]] of Object.entries(BINARY))
    for (const [pattern, shapes] of Object.entries(PATTERNS))
      it(`${name}, ${pattern}: bitwise a float64 loop and the loop engine, 1-3 threads`, () => {
        for (const [r, c] of SIZES) {
          const [sa, sb] = shapes(r, c);
          const size = (s: number[]) => s.reduce((p, q) => p * q, 1);
          const a = tensorAt(specialValues(size(sa), r + c), sa, 3);
          const b = tensorAt(specialValues(size(sb), 7 * r + c), sb, 5);
          const outShape = broadcastShapes("test", sa, sb);
          const want = reference(f, a, b, outShape);
          const js = onLoopEngine(() => op(a, b).dataSync() as Float32Array);
          sameBits(js, want);
          for (const threads of [1, 2, 3]) {
            dl.setNumThreads(threads);
            lastNative.threads = 0;
            const y = op(a, b);
            // Large outputs are deferred chains (chains.ts): the kernel runs when y is read.
            const got = y.dataSync() as Float32Array;
            expect(lastNative.threads).toBe(threads); // the native kernel ran
            expect(y.shape).toEqual(outShape);
            sameBits(got, want);
          }
        }
      });

  const COMPARE: Record<string, (a: dl.Tensor, b: dl.Tensor) => dl.Tensor> = {
    gt: (a, b) => a.gt(b),
    lt: (a, b) => a.lt(b),
    ge: (a, b) => a.ge(b),
    le: (a, b) => a.le(b),
    eq: (a, b) => a.eq(b),
    ne: (a, b) => a.ne(b),
  };
  const JS_COMPARE: Record<string, (a: number, b: number) => boolean> = {
    gt: (a, b) => a > b,
    lt: (a, b) => a < b,
    ge: (a, b) => a >= b,
    le: (a, b) => a <= b,
    eq: (a, b) => a === b,
    ne: (a, b) => a !== b,
  };
  for (const [name, op] of Object.entries(COMPARE))
    it(`${name}: bool bytes as a float64 loop and the loop engine give, every pattern, 1-3 threads`, () => {
      for (const [pattern, shapes] of Object.entries(PATTERNS))
        for (const [r, c] of SIZES) {
          const [sa, sb] = shapes(r, c);
          const size = (s: number[]) => s.reduce((p, q) => p * q, 1);
          // Equal values on purpose in a third of the elements (eq, le, ge), NaN and ±0 among them.
          const a = tensorAt(specialValues(size(sa), r + c), sa, 3);
          const b = tensorAt(specialValues(size(sb), r + c), sb, 5);
          const outShape = broadcastShapes("test", sa, sb);
          const want = reference((x, y) => +JS_COMPARE[name](x, y), a, b, outShape);
          const js = onLoopEngine(() => op(a, b).dataSync());
          sameBits(Float32Array.from(js), want);
          for (const threads of [1, 2, 3]) {
            dl.setNumThreads(threads);
            lastNative.threads = 0;
            const y = op(a, b);
            expect(y.dtype).toBe("bool");
            expect(lastNative.threads, pattern).toBe(threads); // the native kernel ran
            sameBits(Float32Array.from(y.dataSync()), want);
          }
        }
    });

  // where(c, a, b): c's shape from the first pattern's left operand, a and b from its right
  // and left ones, so every operand takes each broadcast kind somewhere.
  for (const [pattern, shapes] of Object.entries(PATTERNS))
    it(`where, ${pattern}: bitwise a float64 loop and the loop engine, 1-3 threads`, () => {
      for (const [r, c] of SIZES) {
        const [sa, sb] = shapes(r, c);
        const size = (s: number[]) => s.reduce((p, q) => p * q, 1);
        const cond = tensorAt(specialValues(size(sa), r), sa, 2).gt(0);
        const a = tensorAt(specialValues(size(sb), c), sb, 3);
        const b = tensorAt(specialValues(size(sa), r + c), sa, 1);
        const outShape = broadcastShapes("test", sa, sb);
        const flags = cond.expand(outShape).contiguous().dataSync();
        const [A, B] = [a.expand(outShape), b.expand(outShape)].map((t) =>
          t.contiguous().dataSync(),
        );
        const want = Float32Array.from(flags, (f, i) => (f ? A[i] : B[i]));
        sameBits(
          onLoopEngine(() => dl.where(cond, a, b).dataSync() as Float32Array),
          want,
        );
        for (const threads of [1, 2, 3]) {
          dl.setNumThreads(threads);
          lastNative.threads = 0;
          const y = dl.where(cond, a, b);
          expect(lastNative.threads).toBe(threads); // the native kernel ran
          sameBits(y.dataSync() as Float32Array, want);
        }
      }
    });

  it("where with a single-value condition or values, and its gradient, match the loop engine", () => {
    const x = tensorAt(specialValues(5000, 9), [50, 100], 4);
    const cases = () => [
      dl.where(dl.tensor([true]), x, 0.5),
      dl.where(dl.tensor([false]), x, 0.5),
      dl.where(x.gt(0), 2, -3),
      x.clamp(-0.5, 0.75),
    ];
    const want = onLoopEngine(() => cases().map((t) => t.dataSync() as Float32Array));
    cases().forEach((t, i) => sameBits(t.dataSync() as Float32Array, want[i]));
    const grad = () => {
      const w = x.detach().requiresGrad_();
      dl.where(w.gt(0.1), w.mul(3), w).sum().backward();
      return w.grad!.dataSync() as Float32Array;
    };
    sameBits(grad(), onLoopEngine(grad));
  });

  const UNARY: Record<string, [(a: dl.Tensor) => dl.Tensor, (a: number) => number]> = {
    relu: [(a) => a.relu(), (a) => (a > 0 || a !== a ? a : 0)],
    neg: [(a) => a.neg(), (a) => -a],
    abs: [(a) => a.abs(), (a) => Math.abs(a)],
    sqrt: [(a) => a.sqrt(), (a) => F(Math.sqrt(a))],
  };
  for (const [name, [op, f]] of Object.entries(UNARY))
    it(`${name}: bitwise a float64 loop and the loop engine, odd sizes, offsets, 1-3 threads`, () => {
      for (const n of [64, 71, 1000, 65_541]) {
        const x = tensorAt(specialValues(n, n), [n], 9);
        const want = Float32Array.from(x.dataSync() as Float32Array, f);
        sameBits(
          onLoopEngine(() => op(x).dataSync() as Float32Array),
          want,
        );
        for (const threads of [1, 2, 3]) {
          dl.setNumThreads(threads);
          lastNative.threads = 0;
          sameBits(op(x).dataSync() as Float32Array, want);
          expect(lastNative.threads).toBe(threads);
        }
      }
    });

  // exp, tanh and sigmoid in C compute special.ts's expf/tanhf (the same table and cubic in
  // float64), so they are compared with the loop engine bitwise, over every table entry (a
  // fine ramp across the whole float32 range of exp), the library-exp fallback beyond it,
  // tanh's series near zero and the special values; and with Math.exp to float32 accuracy.
  const EXP_FAMILY: Record<string, [(a: dl.Tensor) => dl.Tensor, (a: number) => number]> = {
    exp: [(a) => a.exp(), Math.exp],
    tanh: [(a) => a.tanh(), Math.tanh],
    sigmoid: [(a) => a.sigmoid(), (a) => 1 / (1 + Math.exp(-a))],
  };
  const edges = [NaN, Infinity, -Infinity, 0, -0, 1e-8, -1e-8, 0.0625, -0.0625, 0.062, 43.9, 44];
  const wide = Float32Array.from(
    [...edges, -87, -87.5, 87.9, 88, 88.5, -104, 89, -110, 110],
    (v) => v,
  );
  const ramp = Float32Array.from({ length: 40_000 }, (_, i) => -100 + (200 * i) / 39_999);
  for (const [name, [op, f]] of Object.entries(EXP_FAMILY))
    it(`${name}: bitwise the loop engine (special.ts) over the whole range, 1-3 threads`, () => {
      const x = tensorAt(Float32Array.from([...wide, ...ramp]), [wide.length + ramp.length], 5);
      const want = onLoopEngine(() => op(x).dataSync() as Float32Array);
      for (const threads of [1, 2, 3]) {
        dl.setNumThreads(threads);
        lastNative.threads = 0;
        sameBits(op(x).dataSync() as Float32Array, want);
        expect(lastNative.threads).toBe(threads);
      }
      const xs = x.dataSync() as Float32Array;
      want.forEach((y, i) => {
        const ref = f(xs[i]);
        if (!Number.isFinite(F(ref)))
          expect(y).toBe(F(ref)); // NaN, or beyond float32
        else expect(Math.abs(y - ref)).toBeLessThanOrEqual(3e-7 * Math.abs(ref) + 1e-45);
      });
    });

  it("relu's gradient g·[y > 0] is bitwise the loop engine's", () => {
    const run = () => {
      const x = tensorAt(specialValues(4099, 3), [4099], 2).requiresGrad_();
      const g = tensorAt(specialValues(4099, 4), [4099], 1);
      x.relu().backward(g);
      return x.grad!.dataSync() as Float32Array;
    };
    const want = onLoopEngine(run);
    for (const threads of [1, 3]) {
      dl.setNumThreads(threads);
      sameBits(run(), want);
    }
  });

  it("outputs of 8 MB and more (non-temporal stores) are bitwise the loop engine's, 1-3 threads", () => {
    const n = (1 << 21) + 37; // past EW_STREAM_BYTES, with a vector tail
    const x = tensorAt(specialValues(n, 11), [n], 3);
    const y = tensorAt(specialValues(n, 12), [n], 6);
    const row = tensorAt(specialValues(1027, 13), [1027], 1);
    const m = x.narrow(0, 0, 2042 * 1027).reshape([2042, 1027]);
    const cases = (): dl.Tensor[] => [
      x.mul(y),
      x.add(2.5),
      dl.maximum(dl.tensor([0.25]), y),
      m.sub(row),
      x.relu(),
      y.neg(),
    ];
    const want = onLoopEngine(() => cases().map((t) => t.dataSync() as Float32Array));
    // The kernels run at once, then as deferred chains (chains.ts: they stream the same way).
    for (const minElements of [Infinity, saved.chains.minElements])
      for (const threads of [1, 2, 3]) {
        dl.setNumThreads(threads);
        chainSettings.minElements = minElements;
        lastNative.threads = 0;
        const outputs = cases();
        if (minElements === Infinity) expect(lastNative.threads).toBe(threads);
        const got = outputs.map((t) => t.dataSync() as Float32Array); // a chain runs when read
        expect(lastNative.threads).toBe(threads);
        got.forEach((g, i) => sameBits(g, want[i]));
      }
  });

  it("worker threads take chunks of a large op, and the result is unchanged", () => {
    dl.setNumThreads(2);
    const [a, b] = [
      tensorAt(specialValues(1 << 20, 1), [1 << 20], 0),
      tensorAt(specialValues(1 << 20, 2), [1 << 20], 0),
    ];
    const want = a.mul(b).dataSync();
    let byWorkers = 0;
    for (let i = 0; i < 50 && byWorkers === 0; i++) {
      sameBits(a.mul(b).dataSync() as Float32Array, want);
      byWorkers = lastNative.workerChunks;
    }
    expect(lastNative.threads).toBe(2);
    expect(byWorkers).toBeGreaterThan(0);
  });

  it("other dtypes, strided views and other broadcasts: the loop engine or a copy first, same values", () => {
    const a = dl.tensor(specialValues(60 * 70, 1), { shape: [60, 70] });
    const b = dl.tensor(specialValues(70 * 60, 2), { shape: [70, 60] });
    const i = dl.arange(4200).reshape([60, 70]);
    const cases = () => [
      a.add(b.T), // strided
      a.reshape([60, 1, 70]).mul(a.reshape([1, 60, 70]).narrow(2, 0, 70)), // two partial broadcasts
      i.add(i), // int32
      a.T.relu(),
      a.sum([0, 1]).add(1),
      a.reshape([3, 20, 7, 10]).sum([0, 2]), // reduced dims neither consecutive nor leading+trailing
    ];
    const want = onLoopEngine(() => cases().map((t) => t.dataSync()));
    cases().forEach((t, k) => expect(t.dataSync()).toEqual(want[k]));
    // A sum over a strided view is copied contiguous, then summed as a contiguous one is (in
    // float64 blocks: within float32 rounding of a float64 loop, not the loop engine's order).
    expect(a.T.sum(0).dataSync()).toEqual(a.T.contiguous().sum(0).dataSync());
    const m = dl.tensor(
      Float32Array.from({ length: 4200 }, (_, k) => Math.sin(k) * 3),
      {
        shape: [60, 70],
      },
    );
    const M = m.dataSync();
    m.T.sum(0)
      .dataSync()
      .forEach((v, r) => {
        let t = 0;
        for (let c = 0; c < 70; c++) t += M[r * 70 + c];
        expect(Math.abs(v - t)).toBeLessThanOrEqual(1e-6 * Math.abs(t) + 1e-6);
      });
  });

  it("rejects operands outside their arrays with an error, not a crash", () => {
    const nk = nativeKernels()!;
    const small = new Float32Array(10);
    const binary = Float64Array.from([0, 0, 10, 1, 0, 10, 1, 0, 2, 10, 1]);
    expect(() => nk.binary(small, small, small, binary)).toThrow(/bounds/);
    expect(() => nk.unary(small, small, Float64Array.from([0, 5, 0, 6, 1]))).toThrow(/bounds/);
    expect(() => nk.sum(small, small, Float64Array.from([0, 0, 2, 6, 1, 1, 1]))).toThrow(/bounds/);
    expect(() =>
      nk.binary(small, small, small, Float64Array.from([9, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1])),
    ).toThrow(/bad op/);
    const bytes = new Uint8Array(10);
    expect(() => nk.compare!(small, small, bytes, binary)).toThrow(/bounds/);
    expect(() =>
      nk.compare!(small, small, bytes, Float64Array.from([6, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1])),
    ).toThrow(/bad op/);
    // The condition read over [2, 10] rows 10 apart: 20 bytes of a 10-byte array.
    const where = Float64Array.from([0, 10, 1, 0, 0, 1, 0, 0, 1, 0, 2, 10, 1]);
    expect(() => nk.where!(bytes, small, small, new Float32Array(20), where)).toThrow(/bounds/);
  });
});

describe.skipIf(!available)("native sums", () => {
  const saved = { ...threadSettings };
  beforeEach(() => {
    threadSettings.minParallelElements = 0;
  });
  afterEach(() => {
    Object.assign(threadSettings, saved);
    dl.setNumThreads(saved.threads);
  });

  /** [shape, dims]: whole, last dim, leading dims (bias gradient), middle, several, per channel. */
  const CASES: [number[], number[]][] = [
    [[64], [0]],
    [[100_003], [0]],
    [
      [3, 70_001],
      [0, 1],
    ],
    [[37, 129], [1]],
    [[5, 40_000], [1]],
    [[129, 37], [0]],
    [[300, 1030], [0]],
    [[70_000, 3], [0]],
    [[4, 33, 17], [1]],
    [
      [6, 5, 300],
      [0, 1],
    ],
    [
      [2, 3, 4, 97],
      [1, 2, 3],
    ],
    // per channel (BatchNorm's statistics, a convolution's bias gradient)
    [
      [4, 6, 5, 7],
      [0, 2, 3],
    ],
    [
      [64, 3, 300],
      [0, 2],
    ],
    [
      [2, 3, 5, 3, 7_001],
      [0, 1, 3, 4],
    ],
  ];

  /** float64 sums of x over dims, and the sum of |x| (the float32 rounding bound's scale). */
  function reference(x: Float32Array, shape: number[], dims: number[]) {
    const keep = shape.map((_, d) => !dims.includes(d));
    const outShape = shape.filter((_, d) => keep[d]);
    const n = outShape.reduce((p, q) => p * q, 1);
    const [sum, abs] = [new Float64Array(n), new Float64Array(n)];
    const idx = new Array<number>(shape.length).fill(0);
    for (let i = 0; i < x.length; i++) {
      let o = 0;
      for (let d = 0; d < shape.length; d++) if (keep[d]) o = o * shape[d] + idx[d];
      sum[o] += x[i];
      abs[o] += Math.abs(x[i]);
      for (let d = shape.length - 1; d >= 0 && ++idx[d] === shape[d]; d--) idx[d] = 0;
    }
    return { sum, abs };
  }

  it.each(CASES)(
    "%o over %o: a float64 loop within rounding, the loop engine's, 1-3 threads",
    (shape, dims) => {
      const n = shape.reduce((p, q) => p * q, 1);
      const seed = n % 1000;
      let s = seed + 1;
      const vals = Float32Array.from(
        { length: n },
        () => (s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 30 - 1,
      );
      const x = tensorAt(vals, shape, 11);
      const { sum, abs } = reference(vals, shape, dims);
      const js = onLoopEngine(() => x.sum(dims).dataSync() as Float32Array);
      dl.setNumThreads(1);
      const one = x.sum(dims).dataSync() as Float32Array;
      sum.forEach((v, i) => {
        // float64 sums rounded once to float32: within half an ulp of float32 plus float64 error.
        const tol = Math.abs(v) * 2 ** -24 + abs[i] * 1e-15 + 1e-30;
        expect(Math.abs(one[i] - v)).toBeLessThanOrEqual(tol);
        expect(Math.abs(js[i] - one[i])).toBeLessThanOrEqual(2 * tol);
      });
      for (const threads of [2, 3]) {
        dl.setNumThreads(threads);
        lastNative.threads = 0;
        sameBits(x.sum(dims).dataSync() as Float32Array, one);
        expect(lastNative.threads).toBe(threads);
      }
      expect(x.sum(dims, true).shape).toEqual(shape.map((d, k) => (dims.includes(k) ? 1 : d)));
    },
  );

  it("mean is the native sum divided by the count, as on the loop engine", () => {
    const x = tensorAt(
      specialValues(600 * 130, 5).map((v) => (Number.isFinite(v) && Math.abs(v) < 4 ? v : 0.5)),
      [600, 130],
      4,
    );
    const run = () => [x.mean(), x.mean(0), x.mean(-1)].map((t) => t.dataSync() as Float32Array);
    const js = onLoopEngine(run);
    run().forEach((t, k) =>
      t.forEach((v, i) =>
        expect(Math.abs(v - js[k][i])).toBeLessThanOrEqual(1e-6 * (1 + Math.abs(v))),
      ),
    );
  });
});
