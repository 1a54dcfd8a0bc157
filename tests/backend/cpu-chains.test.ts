// Deferred elementwise chains (native/chains.ts, kernels/chain.c): float32 elementwise ops no
// graph records return a pending buffer, later elementwise ops fold it into one pass, and the
// first read runs it. Checked: results bitwise those of the loop engine running the ops one at
// a time (special values, vector tails, 1-3 threads, constants, every op the chain takes);
// that deferral happens where it should and nowhere else (autograd, small or int tensors,
// broadcasts the chain does not take); that intermediates folded into a consumer still read
// correctly later; and that the arrays a pending chain reads survive dispose, tidy and the
// pool. Skipped where the addon is not built or DENDRITE_CPU_KERNEL=wasm.
import { afterEach, describe, expect, it } from "vitest";
import { nativeKernels } from "../../src/backend/cpu/native/native.js";
import { lastNative } from "../../src/backend/cpu/native/runs.js";
import { chainSettings } from "../../src/backend/cpu/native/chains.js";
import type { CpuBuffer } from "../../src/backend/cpu/buffer.js";
import { threadSettings } from "../../src/backend/cpu/wasm/settings.js";
import * as dl from "../../src/index.js";
import { nativeAvailable, onLoopEngine, sameBits, specialValues } from "../helpers/native.js";

const available = nativeAvailable();

/** An odd size above the deferral threshold: vector tails and uneven thread chunks. */
const N = chainSettings.minElements * 3 + 13;

const bufferOf = (t: dl.Tensor) => t.storage.buffer as CpuBuffer;
const isPending = (t: dl.Tensor) => bufferOf(t).pending !== null;

/** Chains of every op the chain takes, over tensors a, b, c (and constants). */
const CHAINS: Record<string, (a: dl.Tensor, b: dl.Tensor, c: dl.Tensor) => dl.Tensor> = {
  "relu(a*b+c)": (a, b, c) => a.mul(b).add(c).relu(),
  "(a-b)/c, max, min": (a, b, c) => dl.minimum(dl.maximum(a.sub(b).div(c), a), b.neg()),
  "exp, tanh, sigmoid": (a, b, c) => a.mul(0.5).tanh().add(b.sigmoid()).mul(c.mul(0.1).exp()),
  "sqrt(abs), constants on both sides": (a, b) => dl.sub(2, a.abs().sqrt()).mul(b).add(1.5),
  "leakyRelu, a*a": (a, b) => a.mul(a).sub(b).leakyRelu(0.01),
  "twenty steps (past the step limit)": (a, b, c) => {
    let x = a;
    for (let i = 0; i < 20; i++)
      x = x
        .mul(i % 2 ? b : c)
        .add(0.25)
        .tanh();
    return x;
  },
  "eight leaves (past the leaf limit)": (a, b, c) => {
    const more = [a.neg(), b.neg(), c.neg(), a.abs(), b.abs()].map((t) => t.add(0));
    return [b, c, ...more].reduce((s, t) => s.add(t), a);
  },
};

describe.skipIf(!available)("deferred elementwise chains", () => {
  const saved = { ...threadSettings };
  afterEach(() => {
    Object.assign(threadSettings, saved);
    dl.setNumThreads(saved.threads);
  });
  const [A, B, C] = [1, 2, 3].map((s) => specialValues(N, s));

  for (const [name, chain] of Object.entries(CHAINS))
    it(`${name}: bitwise the ops run one at a time, 1-3 threads`, () => {
      const want = onLoopEngine(() =>
        chain(dl.tensor(A), dl.tensor(B), dl.tensor(C)).dataSync(),
      ) as Float32Array;
      for (const threads of [1, 2, 3]) {
        dl.setNumThreads(threads);
        const y = chain(dl.tensor(A), dl.tensor(B), dl.tensor(C));
        expect(isPending(y)).toBe(true);
        lastNative.threads = 0;
        sameBits(y.dataSync() as Float32Array, want);
        expect(lastNative.threads).toBe(threads); // the chain ran on the native threads
        expect(isPending(y)).toBe(false);
      }
    });

  // Rows of 257 elements (odd: rows end mid-vector and mid-block), 379 of them.
  const [R, C2] = [379, 257];
  const ROWS: Record<string, (x: dl.Tensor, row: dl.Tensor, col: dl.Tensor) => dl.Tensor> = {
    "bias add then relu": (x, row) => x.add(row).relu(),
    "softmax's pieces": (x) => {
      const e = x.sub(x.max(-1, true)).exp();
      return e.div(e.sum(-1, true));
    },
    "layer norm: columns and rows in one chain": (x, row, col) =>
      x.sub(col).div(col.abs().add(1)).mul(row).add(row.neg()),
    "a column of other rows ([A, B, C] and [A, 1, 1]) after a row [C]": (x, row) => {
      const x3 = x.narrow(0, 0, 378).reshape([3, 126, C2]);
      return x3.add(row).mul(dl.tensor([0.5, 2, -1]).reshape([3, 1, 1]));
    },
  };
  for (const [name, chain] of Object.entries(ROWS))
    it(`${name}: bitwise the ops run one at a time, 1-3 threads`, () => {
      const make = () =>
        [
          dl.tensor(A.subarray(0, R * C2)).reshape([R, C2]),
          dl.tensor(B.subarray(0, C2)),
          dl.tensor(C.subarray(0, R)).reshape([R, 1]),
        ] as const;
      const want = onLoopEngine(() => chain(...make()).dataSync()) as Float32Array;
      for (const threads of [1, 2, 3]) {
        dl.setNumThreads(threads);
        const y = dl.noGrad(() => chain(...make()));
        expect(isPending(y)).toBe(true);
        sameBits(y.dataSync() as Float32Array, want);
      }
    });

  it("folds pending inputs into one pass, and an intermediate still reads right afterwards", () => {
    const [a, b, c] = [A, B, C].map((v) => dl.tensor(v));
    const ab = a.mul(b);
    const y = ab.add(c).relu();
    y.dataSync();
    expect(isPending(ab)).toBe(true); // folded into y's pass, never computed on its own
    const want = onLoopEngine(() => dl.tensor(A).mul(dl.tensor(B)).dataSync());
    sameBits(ab.dataSync() as Float32Array, want as Float32Array);
  });

  it("views of a pending tensor read it computed: narrow, reshape, transpose", async () => {
    const a = dl.tensor(A.subarray(0, 256 * 256)).reshape([256, 256]);
    const want = onLoopEngine(() => a.mul(3).add(1).transpose(0, 1).contiguous().dataSync());
    const y = a.mul(3).add(1);
    sameBits(y.transpose(0, 1).contiguous().dataSync() as Float32Array, want as Float32Array);
    const z = a.mul(3).add(1);
    expect(await z.narrow(0, 1, 1).reshape([-1]).narrow(0, 0, 2).toArray()).toEqual([
      Array.from(want as Float32Array).filter((_, i) => i % 256 === 1)[0],
      (want as Float32Array)[256 + 1],
    ]);
  });

  it("runs at once under autograd, for small or integer tensors and for broadcasts", () => {
    const w = dl.tensor(A, { requiresGrad: true });
    const b = dl.tensor(B);
    expect(isPending(w.mul(b))).toBe(false); // recorded: backward reads the inputs again
    expect(isPending(dl.noGrad(() => w.mul(b)))).toBe(true);
    expect(isPending(w.detach().mul(b))).toBe(true);
    const small = dl.tensor(A.subarray(0, chainSettings.minElements - 1));
    expect(isPending(small.mul(2))).toBe(false);
    expect(isPending(dl.ones([N], { dtype: "int32" }).mul(2))).toBe(false);
    const cube = dl.tensor(A.subarray(0, 2 * 128 * 256)).reshape([2, 128, 256]);
    const middle = dl.tensor(B.subarray(0, 128)).reshape([128, 1]); // neither a row nor a column
    expect(isPending(cube.add(middle))).toBe(false);
    // Gradients through a deferred tensor used as an input of a recorded op are exact.
    const x = dl.tensor(C).mul(2); // pending
    w.mul(x).sum().backward();
    sameBits(
      w.grad!.dataSync() as Float32Array,
      Float32Array.from(C, (v) => Math.fround(v * 2)),
    );
  });

  it("keeps the arrays a pending chain reads out of the pool when they are disposed", () => {
    const want = onLoopEngine(() => dl.tensor(A).mul(dl.tensor(B)).add(1).dataSync());
    const a = dl.tensor(A);
    const b = dl.tensor(B);
    const y = a.mul(b).add(1);
    a.dispose();
    b.dispose();
    // Fresh tensors of the same length would reuse a's and b's arrays if the pool took them.
    const others = [dl.zeros([N]), dl.full([N], 5), dl.randn([N])];
    sameBits(y.dataSync() as Float32Array, want as Float32Array);
    others.forEach((t) => t.dispose());
  });

  it("survives tidy(): the returned chain reads the leaves the scope disposed", () => {
    const want = onLoopEngine(() => dl.tensor(A).sub(dl.tensor(C)).exp().dataSync());
    const y = dl.tidy(() => dl.tensor(A).sub(dl.tensor(C)).exp());
    expect(isPending(y)).toBe(true);
    dl.tidy(() => dl.ones([N]).mul(dl.ones([N]))).dataSync(); // pooled arrays are taken again
    sameBits(y.dataSync() as Float32Array, want as Float32Array);
  });

  it("never computes a chain disposed unread, and releases its leaves to the pool", () => {
    const a = dl.tensor(A);
    const y = a.mul(2).add(1);
    expect(bufferOf(a).readers).toBe(2); // the pending mul and the add that folded it in
    lastNative.threads = 0;
    y.dispose();
    expect(lastNative.threads).toBe(0);
    expect(bufferOf(a).readers).toBe(1); // the mul's intermediate is still pending
  });
});

describe.skipIf(!available)("the native chain call", () => {
  // params: [steps, leaves, n, threads, out offset, inner, 6 leaf offsets, 6 leaf layouts,
  // 8 steps of (unary, op, x kind, x index, y kind, y index), 16 constants] (chain-calls.c).
  const call = (edit: (p: Float64Array) => void, leaf = new Float32Array(8)) => {
    const p = new Float64Array(6 + 12 + 48 + 16);
    p.set([1, 1, 8, 1, 0, 8]);
    p.set([0, 2, 0, 0, 1, 0], 18); // out = leaf 0 × constant 0
    p[66] = 3;
    edit(p);
    const out = new Float32Array(8);
    nativeKernels()!.chain(leaf, out, p);
    return out;
  };

  it("runs a well-formed chain, and throws (never crashes) on a malformed one", () => {
    expect(Array.from(call(() => {}, new Float32Array(8).fill(2)))).toEqual(Array(8).fill(6));
    expect(() => call((p) => (p[6] = 1))).toThrow(/bounds/); // the leaf past its array
    expect(() => call((p) => (p[2] = 9))).toThrow(/bounds/); // the output past its array
    expect(() => call((p) => (p[12] = 9))).toThrow(/bad steps/); // no such leaf layout
    expect(() => call((p) => p.set([1, 0, 0, 0], 18))).not.toThrow(); // relu of a full leaf
    expect(() => call((p) => p.set([2, 0, 2, 0], 20))).toThrow(/bad steps/); // reads step 0 in step 0
    expect(() => call((p) => (p[19] = 99))).toThrow(/bad steps/); // no such op
    expect(() => call((p) => (p[5] = 3))).toThrow(/bad steps/); // 8 elements are not rows of 3
    expect(() => call((p) => p.set([1, 0, 1, 0], 18))).toThrow(/bad steps/); // unary of a constant
  });
});
