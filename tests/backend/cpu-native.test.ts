// The native CPU kernels (src/backend/cpu/native: AVX2+FMA build of the shared C kernels on a
// pthread pool) against the WebAssembly kernels and float64 loops, bitwise equality across
// thread counts, the DENDRITE_CPU_KERNEL=wasm switch, and exit behaviour. Skipped where the
// machine cannot build the addon (then the portable path is what every other test runs).
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { gemmWorkspace } from "../../src/backend/cpu/wasm/gemm.js";
import { singleThreadRuntime } from "../../src/backend/cpu/wasm/runtime.js";
import { threadSettings } from "../../src/backend/cpu/wasm/settings.js";
import { nativeKernels, reloadNativeKernels } from "../../src/backend/cpu/native/native.js";
import {
  adagradStepsKernel,
  adamStepsKernel,
  rmspropStepsKernel,
  sgdStepsKernel,
} from "../../src/backend/cpu/optim-steps.js";
import type { OutputSpec } from "../../src/backend/registry.js";
import { arrayOf } from "../../src/backend/cpu/buffer.js";
import type { TensorView } from "../../src/backend/backend.js";
import * as dl from "../../src/index.js";

const root = join(import.meta.dirname, "../..");
const addon = join(root, "build/native/dendrite-cpu.node");
const cpuFlags = readFileSync("/proc/cpuinfo", "utf8").match(/^flags\s*:(.*)$/m)?.[1] ?? "";
const skippedFile = join(root, "build/native/skipped.txt");
const skipped = existsSync(skippedFile) ? readFileSync(skippedFile, "utf8").trim() : "";
// Expected wherever the CPU allows and a compiler and Node's headers were found (a failed
// compile is a failure here, not a skip).
const buildable =
  process.arch === "x64" &&
  / avx2( |$)/.test(cpuFlags) &&
  / fma( |$)/.test(cpuFlags) &&
  !/no C compiler|headers/.test(skipped);

function seeded(n: number, seed: number): Float32Array {
  let x = seed;
  return Float32Array.from(
    { length: n },
    () => (x = (x * 1103515245 + 12345) % 2 ** 31) / 2 ** 31 - 0.5,
  );
}

/** Where two lists of arrays first differ bitwise (cheap to report for large arrays). */
function firstDifference(a: ArrayLike<number>[], b: ArrayLike<number>[]): string {
  const bits = (x: ArrayLike<number>) => new Uint32Array(Float32Array.from(x).buffer);
  for (let t = 0; t < a.length; t++) {
    const [x, y] = [bits(a[t]), bits(b[t])];
    if (x.length !== y.length) return `array ${t}: length ${x.length} vs ${y.length}`;
    const i = x.findIndex((v, j) => v !== y[j]);
    if (i >= 0) return `array ${t} at ${i}: ${a[t][i]} vs ${b[t][i]}`;
  }
  return "none";
}

interface Case {
  M: number;
  K: number;
  N: number;
  /** A stored transposed ([K, M]) and/or B stored transposed ([N, K]). */
  ta: boolean;
  tb: boolean;
}

const at = (x: Float32Array, transposed: boolean, rows: number, cols: number) =>
  transposed
    ? (r: number, c: number) => x[c * rows + r]
    : (r: number, c: number) => x[r * cols + c];

/** The native product C (+)= op(A)·op(B) on `threads` threads, into a copy of c0. */
function nativeProduct(
  cs: Case,
  a: Float32Array,
  b: Float32Array,
  c0: Float32Array,
  acc: boolean,
  threads: number,
) {
  const { M, K, N, ta, tb } = cs;
  const c = c0.slice();
  const [rsa, csa] = ta ? [1, M] : [K, 1];
  const params = [0, rsa, csa, 0, tb ? K : N, tb ? 1 : 0, 0, N, M, K, N, acc ? 1 : 0, threads];
  nativeKernels()!.gemm(a, b, c, Float64Array.from(params));
  return c;
}

const SHAPES: [number, number, number][] = [
  [1, 1, 1],
  [7, 13, 5],
  [6, 16, 16],
  [13, 300, 37],
  [30, 257, 263],
  [65, 520, 100],
  [1031, 300, 40], // past GEMM_A_ROWS (1020): rows of A packed in two blocks, a partial tile
  [200, 300, 3], // fewer columns than a strip: Bᵀ by dot products
  [300, 200, 1], // one column: B is its own Bᵀ, dot products
];
const CASES: Case[] = SHAPES.flatMap(([M, K, N]) =>
  [false, true].flatMap((ta) => [false, true].map((tb) => ({ M, K, N, ta, tb }))),
);

// npm test runs this folder a second time with DENDRITE_CPU_KERNEL=wasm (the portable run).
const forced = process.env.DENDRITE_CPU_KERNEL === "wasm";

it.runIf(forced)(
  "DENDRITE_CPU_KERNEL=wasm set for the process keeps the native kernels off",
  () => {
    expect(nativeKernels()).toBeNull();
    expect(dl.backendInfo()).toMatchObject({ kernel: "wasm-simd", nativeUnavailable: /wasm/ });
  },
);

it.runIf(!buildable && !forced)("without the native build, backendInfo says why", () => {
  expect(nativeKernels()).toBeNull();
  expect(dl.backendInfo().kernel).toBe("wasm-simd");
  expect(dl.backendInfo().nativeUnavailable).toMatch(/\S/);
});

describe.skipIf(!buildable || forced)("native CPU kernels", () => {
  afterEach(() => {
    delete process.env.DENDRITE_CPU_KERNEL;
    reloadNativeKernels();
  });

  it("are built and in use on this machine (x86-64 with AVX2 and FMA, a C compiler)", () => {
    expect(existsSync(addon)).toBe(true);
    expect(nativeKernels()?.kernel).toBe("native-avx2");
    expect(dl.backendInfo()).toMatchObject({ kernel: "native-avx2", threadsAvailable: true });
  });

  it.each(CASES)("GEMM %o matches a float64 loop and the wasm kernel, and accumulates", (cs) => {
    const { M, K, N, ta, tb } = cs;
    const a = seeded(M * K, M + 3 * K);
    const b = seeded(K * N, K + 5 * N);
    const c0 = seeded(M * N, 7);
    const A = at(a, ta, M, K);
    const B = at(b, tb, K, N);
    const ref = new Float64Array(M * N);
    for (let i = 0; i < M; i++)
      for (let j = 0; j < N; j++) for (let k = 0; k < K; k++) ref[i * N + j] += A(i, k) * B(k, j);
    const ws = gemmWorkspace(singleThreadRuntime(), M, K, N);
    for (let i = 0; i < M; i++) for (let k = 0; k < K; k++) ws.A[i * K + k] = A(i, k);
    for (let k = 0; k < K; k++) for (let j = 0; j < N; j++) ws.B[k * N + j] = B(k, j);
    ws.run();
    const native = nativeProduct(cs, a, b, c0, false, 1);
    const summed = nativeProduct(cs, a, b, c0, true, 1);
    const tol = 2e-6 * Math.max(1, K);
    ref.forEach((v, i) => {
      expect(Math.abs(native[i] - v)).toBeLessThan(tol);
      expect(Math.abs(native[i] - ws.C[i])).toBeLessThan(tol);
      expect(Math.abs(summed[i] - (v + c0[i]))).toBeLessThan(tol);
    });
  });

  it.each(CASES.filter((c) => c.M * c.K * c.N > 50_000))(
    "GEMM %o is bitwise the same on 1, 2 and 3 threads",
    (cs) => {
      const a = seeded(cs.M * cs.K, 1);
      const b = seeded(cs.K * cs.N, 2);
      const c0 = new Float32Array(cs.M * cs.N);
      const one = nativeProduct(cs, a, b, c0, false, 1);
      for (const threads of [2, 3])
        expect(nativeProduct(cs, a, b, c0, false, threads)).toEqual(one);
    },
  );

  it("worker threads take chunks of a large product", () => {
    const cs = { M: 256, K: 256, N: 256, ta: false, tb: false };
    const params = Float64Array.from([0, 256, 1, 0, 256, 0, 0, 256, 256, 256, 256, 0, 2]);
    const [a, b, c] = [seeded(65536, 1), seeded(65536, 2), new Float32Array(65536)];
    let byWorkers = 0;
    for (let i = 0; i < 50 && byWorkers === 0; i++)
      byWorkers = nativeKernels()!.gemm(a, b, c, params);
    expect(byWorkers).toBeGreaterThan(0);
    expect(c).toEqual(nativeProduct(cs, a, b, new Float32Array(65536), false, 1));
  });

  it("rejects operands outside their arrays with an error, not a crash", () => {
    const params = Float64Array.from([0, 8, 1, 0, 8, 0, 0, 8, 8, 8, 8, 0, 1]);
    const small = new Float32Array(10);
    expect(() => nativeKernels()!.gemm(small, small, small, params)).toThrow(/bounds/);
  });

  it("convolution forward and both gradients match the wasm path, bitwise across threads", () => {
    const run = (threads: number) => {
      dl.setNumThreads(threads);
      const saved = threadSettings.minParallelMacs;
      threadSettings.minParallelMacs = 0;
      try {
        dl.manualSeed(3);
        const x = dl.randn([3, 4, 11, 9]).requiresGrad_();
        const w = dl.randn([6, 2, 3, 2]).requiresGrad_();
        const opts = {
          stride: [2, 1] as [number, number],
          padding: 1,
          dilation: [1, 2] as [number, number],
          groups: 2,
        };
        const y = dl.nn.functional.conv2d(x, w, null, opts);
        y.mul(y).sum().backward();
        return [y, x.grad!, w.grad!].map((t) => t.dataSync() as Float32Array);
      } finally {
        threadSettings.minParallelMacs = saved;
      }
    };
    const native1 = run(1);
    const native3 = run(3);
    native3.forEach((v, i) => expect(v).toEqual(native1[i]));
    process.env.DENDRITE_CPU_KERNEL = "wasm";
    expect(reloadNativeKernels()).toBeNull();
    const wasm = run(1);
    wasm.forEach((v, i) =>
      v.forEach((x, j) =>
        expect(Math.abs(x - native1[i][j])).toBeLessThan(1e-4 * (1 + Math.abs(x))),
      ),
    );
  });

  it("max pooling's window argmax is the portable kernel's, on 1 and 3 threads", () => {
    const run = (threads: number) => {
      dl.setNumThreads(threads);
      dl.manualSeed(5);
      // Rounded values tie often, so "the first maximum" is tested; a strided view is read.
      const x = dl.randn([4, 8, 66, 64]).mul(2).round().transpose(2, 3).requiresGrad_();
      const y = dl.nn.functional.maxPool2d(x, 3, { stride: 2, padding: 1, dilation: [1, 2] });
      y.sum().backward();
      return [y, x.grad!].map((t) => t.dataSync());
    };
    const native1 = run(1);
    expect(firstDifference(run(3), native1)).toBe("none");
    process.env.DENDRITE_CPU_KERNEL = "wasm";
    expect(reloadNativeKernels()).toBeNull();
    expect(firstDifference(run(1), native1)).toBe("none");
  });

  it("max pooling's window argmax matches the portable kernel on rows wider than one block, NaNs included", () => {
    const run = (threads: number) => {
      dl.setNumThreads(threads);
      dl.manualSeed(6);
      // 2×2 windows, stride 2, over rows of 2201 columns: 1100 windows per row, past the C
      // kernel's block of 1024; every 7th value NaN (it wins its window and stays).
      const values = dl.randn([2, 3, 5, 2201]).mul(2).round().dataSync();
      const withNaN = values.map((v, i) => (i % 7 === 0 ? NaN : v));
      const xs = dl.tensor(withNaN).reshape([2, 3, 5, 2201]).requiresGrad_();
      const [y, at] = dl.nn.functional.maxPool2d(xs, 2, { returnIndices: true });
      y.sum().backward(); // the gradient of a sum is 1 everywhere, NaNs or not
      return [y, at.float(), xs.grad!].map((t) => t.dataSync());
    };
    const native1 = run(1);
    expect(Number.isNaN(native1[0][0]) || native1[0].some(Number.isNaN)).toBe(true);
    expect(firstDifference(run(3), native1)).toBe("none");
    process.env.DENDRITE_CPU_KERNEL = "wasm";
    expect(reloadNativeKernels()).toBeNull();
    expect(firstDifference(run(1), native1)).toBe("none");
  });

  it("batch norm's statistics, output and gradients are the portable kernels', on 1 and 3 threads", () => {
    const run = (threads: number) => {
      dl.setNumThreads(threads);
      dl.manualSeed(9);
      const x = dl.randn([16, 6, 30, 31]).mul(3).add(1).requiresGrad_();
      const bn = new dl.nn.BatchNorm2d(6);
      dl.noGrad(() => bn.weight!.copy_(dl.randn([6])));
      const y = bn.forward(x);
      y.mul(dl.randn(y.shape)).sum().backward();
      const out = [y, x.grad!, bn.weight!.grad!, bn.bias!.grad!, bn.runningVar!];
      return out.map((t) => t.dataSync());
    };
    const native1 = run(1);
    expect(firstDifference(run(3), native1)).toBe("none");
    process.env.DENDRITE_CPU_KERNEL = "wasm";
    expect(reloadNativeKernels()).toBeNull();
    expect(firstDifference(run(1), native1)).toBe("none");
  });

  it("the optimizers' list updates are bitwise the portable loops' on 1-3 threads, edge values included", () => {
    // Three parameters, the first spanning several chunks with a tail, the second empty; five
    // operands each (θ, g, then state; the fourth, a second-moment slot, non-negative), each at
    // an offset inside a longer array, as views of a bigger storage are.
    const sizes = [100_003, 0, 777];
    const edges = [0, -0, Infinity, -Infinity, NaN, 1e-42, -1e-42, 3e38, -3e38, 1e-20];
    const operand = (n: number, k: number, q: number) => {
      const x = seeded(n, q + 1 + 10 * k).map((e) => (q === 3 ? Math.abs(e) : e));
      if (n > 100) edges.forEach((e, i) => (x[i + 20 * q] = q === 3 ? Math.abs(e) : e));
      const store = new Float32Array(n + 7 * q + 1);
      store.set(x, 7 * q + 1);
      return { buffer: { data: store }, offset: 7 * q + 1, shape: [n], strides: [1] };
    };
    const all = sizes.map((n, k) => [0, 1, 2, 3, 4].map((q) => operand(n, k, q)));
    /** Each parameter's operands in the slots `slots` (indices into its five). */
    const views = (slots: number[]) =>
      all.flatMap((ops) => slots.map((q) => ops[q])) as unknown as TensorView[];
    const total = sizes.reduce((a, b) => a + b);
    const bytes = (x: Float32Array) => Buffer.from(x.buffer, x.byteOffset, x.byteLength);
    type StepKernel = (b: null, v: TensorView[], a: never, o: OutputSpec) => TensorView;
    const agree = (kernel: StepKernel, slots: number[], attrs: object, width: number) => {
      const spec = { dtype: "float32" as const, shape: [width * total] };
      const run = () => arrayOf(kernel(null, views(slots), attrs as never, spec)) as Float32Array;
      process.env.DENDRITE_CPU_KERNEL = "wasm";
      expect(reloadNativeKernels()).toBeNull();
      const portable = run();
      delete process.env.DENDRITE_CPU_KERNEL;
      expect(reloadNativeKernels()?.kernel).toBe("native-avx2");
      expect(portable.some(Number.isNaN)).toBe(true);
      for (const threads of [1, 2, 3]) {
        dl.setNumThreads(threads);
        expect(bytes(run()).equals(bytes(portable))).toBe(true);
      }
    };
    const adam = {
      ...{ oneMinusBeta1: 0.1, beta2: 0.999, oneMinusBeta2: 0.001, stepSize: 3e-4, eps: 1e-8 },
      ...{ gradSign: -1, weightDecay: 0, paramScale: 1 },
    };
    for (const a of [adam, { ...adam, weightDecay: 1e-2 }, { ...adam, paramScale: 0.999 }])
      agree(adamStepsKernel as StepKernel, [0, 1, 2, 3], a, 3);
    const sgd = { lr: 0.1, momentum: 0.9, oneMinusDampening: 0.75, nesterov: false };
    for (const a of [
      { ...sgd, momentum: 0, gradSign: 1, weightDecay: 0, fresh: [false, false, false] },
      { ...sgd, gradSign: 1, weightDecay: 0, fresh: [false, false, true] },
      { ...sgd, nesterov: true, gradSign: -1, weightDecay: 1e-2, fresh: [true, false, false] },
    ])
      agree(sgdStepsKernel as StepKernel, [0, 1, 2], a, a.momentum ? 2 : 1);
    const rms = { lr: 0.01, alpha: 0.99, eps: 1e-8, gradSign: 1, weightDecay: 0 };
    for (const a of [
      { ...rms, momentum: 0, centered: false },
      { ...rms, momentum: 0.9, centered: true, gradSign: -1 },
      { ...rms, momentum: 0.5, centered: false, weightDecay: 1e-2 },
    ])
      agree(rmspropStepsKernel as StepKernel, [0, 1, 2, 3, 4], a, 2 + +a.centered + +!!a.momentum);
    for (const a of [
      { lr: 0.01, eps: 1e-10, gradSign: 1, weightDecay: 0 },
      { lr: 0.005, eps: 1e-10, gradSign: -1, weightDecay: 1e-2 },
    ])
      agree(adagradStepsKernel as StepKernel, [0, 1, 3], a, 2);
    dl.setNumThreads(2);
    const nk = nativeKernels()!;
    const arrays = all.flatMap((ops) => ops.map((x) => x.buffer.data));
    const params = (n: number) =>
      Float64Array.from([1, 1, 3, 0.1, 0.999, 0.001, 3e-4, 1e-8, 1, 0, 1, 1, 1, 1, 1, 1, n, 0, 0]);
    expect(() =>
      nk.adamSteps(arrays.slice(0, 5), new Float32Array(3 * 777), params(sizes[0])),
    ).toThrow(/adamSteps: operands out of their arrays' bounds/);
    expect(() => nk.rmspropSteps(arrays.slice(0, 4), new Float32Array(10), params(1))).toThrow(
      /rmspropSteps: parameter list and records disagree/,
    );
    expect(() => nk.sgdSteps(arrays, new Float32Array(10), new Float64Array(3))).toThrow(
      /sgdSteps\(/,
    );
  });

  it("DENDRITE_CPU_KERNEL=wasm forces the portable kernels and backendInfo says so", () => {
    process.env.DENDRITE_CPU_KERNEL = "wasm";
    expect(reloadNativeKernels()).toBeNull();
    expect(dl.backendInfo()).toMatchObject({
      kernel: "wasm-simd",
      nativeUnavailable: "DENDRITE_CPU_KERNEL=wasm forces the portable WebAssembly kernels",
    });
    delete process.env.DENDRITE_CPU_KERNEL;
    expect(reloadNativeKernels()?.kernel).toBe("native-avx2");
    expect(dl.backendInfo().kernel).toBe("native-avx2");
  });

  it("the pool never keeps Node alive, and worker_threads may use the addon at once", () => {
    const file = join(mkdtempSync(join(tmpdir(), "dd-native-exit-")), "exit-check.cjs");
    const body = `
      const { Worker, isMainThread } = require("node:worker_threads");
      const m = require(${JSON.stringify(addon)});
      const n = 200, p = Float64Array.from([0, n, 1, 0, n, 0, 0, n, n, n, n, 0, 2]);
      const a = new Float32Array(n * n).fill(1), c = new Float32Array(n * n);
      const w = isMainThread ? new Worker(__filename) : null;
      for (let i = 0; i < 20; i++) m.gemm(a, a, c, p);
      if (c[0] !== n) throw new Error("wrong product " + c[0]);
      if (w) w.on("exit", (code) => console.log("exit " + code + " " + c[0]));
    `;
    writeFileSync(file, body);
    const out = execFileSync(process.execPath, [file], { encoding: "utf8", timeout: 30_000 });
    expect(out.trim()).toBe("exit 0 200");
  });
});
