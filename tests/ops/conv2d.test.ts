// The conv2d forward primitive on the CPU (ops/conv2d.ts, backend/cpu/conv2d.ts): the kernel
// that ran (native blocks, or the portable per-image path where the addon is absent or
// DENDRITE_CPU_KERNEL=wasm) against float64 loops of the definition, forward and the three
// gradients for a random upstream gradient, on odd sizes, several column blocks per image,
// padding (asymmetric too), stride, dilation, groups, strided inputs, bias or none and 1–3
// threads; results bitwise equal across thread counts; the two paths agree; bad operands are
// a clear error. npm test runs this file on both paths.
import { afterEach, describe, expect, it } from "vitest";
import * as dl from "../../src/index.js";
import type { Tensor } from "../../src/index.js";
import { lastConv2d } from "../../src/backend/cpu/conv2d.js";
import { lastNative } from "../../src/backend/cpu/native/runs.js";
import { nativeKernels, reloadNativeKernels } from "../../src/backend/cpu/native/native.js";
import { threadSettings } from "../../src/backend/cpu/wasm/settings.js";
import { conv2dForward } from "../../src/ops/conv2d.js";
import { expectRelClose, ramp } from "../helpers/spread.js";

const F = dl.nn.functional;
type P2 = [number, number];

interface Case {
  name: string;
  x: [number, number, number, number];
  w: [number, number, number, number];
  bias: boolean;
  stride?: P2;
  /** Symmetric padding, or "same" (the odd element after). */
  padding?: P2 | "same";
  dilation?: P2;
  groups?: number;
}

const CASES: Case[] = [
  { name: "3x3 pad 1, odd sizes", x: [2, 3, 7, 5], w: [4, 3, 3, 3], bias: true, padding: [1, 1] },
  // 23·29 = 667 positions of 27 rows: two blocks of the native kernel (336 and 331), the last
  // not a whole strip.
  {
    name: "several blocks per image",
    x: [2, 3, 23, 29],
    w: [7, 3, 3, 3],
    bias: true,
    padding: [1, 1],
  },
  // 6·6 = 36 positions: several whole images per native block (forward: 14 of the 40, the
  // last block 12; backward: the 2–3 images of each of its 16 slices of the batch).
  { name: "many small images", x: [40, 2, 6, 6], w: [3, 2, 3, 3], bias: true, padding: [1, 1] },
  // One image of 42 positions and 50 output channels: too few blocks for the threads, so the
  // native kernel splits the output channels in two parts (30 and 20 rows).
  {
    name: "one image, many channels",
    x: [1, 3, 6, 7],
    w: [50, 3, 3, 3],
    bias: true,
    padding: [1, 1],
  },
  // One input channel, 3×3: ∂w's rows (9) are fewer than a packed strip, so its product runs
  // as dot products even for 30 output channels.
  {
    name: "one input channel, many output channels",
    x: [2, 1, 9, 8],
    w: [30, 1, 3, 3],
    bias: true,
    padding: [1, 1],
  },
  {
    name: "stride 2, no bias",
    x: [2, 2, 9, 8],
    w: [3, 2, 3, 3],
    bias: false,
    stride: [2, 2],
    padding: [1, 1],
  },
  {
    name: "asymmetric stride/kernel/pad",
    x: [1, 2, 6, 9],
    w: [2, 2, 2, 3],
    bias: true,
    stride: [1, 2],
    padding: [2, 0],
  },
  {
    name: "dilation 2",
    x: [2, 2, 9, 9],
    w: [3, 2, 3, 3],
    bias: true,
    dilation: [2, 2],
    padding: [1, 1],
  },
  {
    name: "same, even kernel",
    x: [1, 2, 5, 6],
    w: [2, 2, 4, 4],
    bias: false,
    padding: "same",
    dilation: [1, 2],
  },
  { name: "groups 2", x: [2, 4, 6, 5], w: [6, 2, 3, 3], bias: true, groups: 2, padding: [1, 1] },
  { name: "depthwise", x: [2, 3, 5, 5], w: [3, 1, 2, 2], bias: true, groups: 3 },
  { name: "1x1 stride 2", x: [2, 3, 5, 4], w: [5, 3, 1, 1], bias: true, stride: [2, 2] },
  {
    name: "padding beyond the kernel",
    x: [1, 1, 3, 3],
    w: [2, 1, 2, 2],
    bias: true,
    padding: [3, 2],
  },
];

/** Padding before the image per axis, and the output size. */
function geometry(c: Case): { before: P2; out: P2 } {
  const [stride, dil] = [c.stride ?? [1, 1], c.dilation ?? [1, 1]];
  const total = [0, 1].map((a) =>
    c.padding === "same" ? dil[a] * (c.w[2 + a] - 1) : 2 * (c.padding?.[a] ?? 0),
  );
  const before = total.map((t) => Math.floor(t / 2)) as P2;
  const out = [0, 1].map(
    (a) => Math.floor((c.x[2 + a] + total[a] - dil[a] * (c.w[2 + a] - 1) - 1) / stride[a]) + 1,
  ) as P2;
  return { before, out };
}

/**
 * y = conv(x, w) + b in float64 and, for the upstream gradient gy, ∂x, ∂w and ∂b: every
 * (output, tap) pair visited once in the definition's own loops.
 */
function reference(c: Case, x: number[], w: number[], b: number[] | null, gy: number[]) {
  const [N, C, H, W] = c.x;
  const [O, Cg, KH, KW] = c.w;
  const [stride, dil] = [c.stride ?? [1, 1], c.dilation ?? [1, 1]];
  const { before, out } = geometry(c);
  const [OH, OW] = out;
  const Og = O / (c.groups ?? 1);
  const y = new Array<number>(N * O * OH * OW).fill(0);
  const [dx, dw, db] = [x.map(() => 0), w.map(() => 0), new Array<number>(O).fill(0)];
  for (let n = 0; n < N; n++)
    for (let o = 0; o < O; o++)
      for (let oh = 0; oh < OH; oh++)
        for (let ow = 0; ow < OW; ow++) {
          const yi = ((n * O + o) * OH + oh) * OW + ow;
          y[yi] = b ? b[o] : 0;
          db[o] += gy[yi];
          for (let ci = 0; ci < Cg; ci++)
            for (let i = 0; i < KH; i++)
              for (let j = 0; j < KW; j++) {
                const h = oh * stride[0] - before[0] + i * dil[0];
                const v = ow * stride[1] - before[1] + j * dil[1];
                if (h < 0 || h >= H || v < 0 || v >= W) continue;
                const xi = ((n * C + Math.floor(o / Og) * Cg + ci) * H + h) * W + v;
                const wi = ((o * Cg + ci) * KH + i) * KW + j;
                y[yi] += x[xi] * w[wi];
                dx[xi] += gy[yi] * w[wi];
                dw[wi] += gy[yi] * x[xi];
              }
        }
  return { y, dx, dw, db };
}

const options = (c: Case) => ({
  stride: c.stride,
  padding: c.padding,
  dilation: c.dilation,
  groups: c.groups,
});

const size = (s: readonly number[]) => s.reduce((a, d) => a * d, 1);
const expectedPath = () => (nativeKernels()?.conv2d ? "native" : "portable");
const expectedGradPath = () => (nativeKernels()?.conv2dGrad ? "native" : "portable");

/** Forward and gradients through F.conv2d on `threads` threads, always split when > 1. */
function run(c: Case, inputs: number[][], threads: number, strided = false) {
  const [xv, wv, bv, gv] = inputs;
  dl.setNumThreads(threads);
  // A strided x: the same values read through a permuted view of a [N, H, C, W] tensor.
  const x = strided
    ? dl
        .tensor(xv)
        .reshape(c.x)
        .permute([0, 2, 1, 3])
        .contiguous()
        .permute([0, 2, 1, 3])
        .detach()
        .requiresGrad_(true)
    : dl.tensor(xv).reshape(c.x).requiresGrad_(true);
  if (strided && c.x[1] > 1 && c.x[2] > 1) expect(x.isContiguous).toBe(false);
  const w = dl.tensor(wv).reshape(c.w).requiresGrad_(true);
  const b = c.bias ? dl.tensor(bv).requiresGrad_(true) : null;
  const y: Tensor = F.conv2d(x, w, b, options(c));
  const ran = { path: lastConv2d.path, threads: lastNative.threads };
  y.mul(dl.tensor(gv).reshape(y.shape)).sum().backward();
  return {
    ran: { ...ran, gradPath: lastConv2d.gradPath },
    shape: y.shape,
    y: Array.from(y.dataSync()),
    dx: Array.from(x.grad!.dataSync()),
    dw: Array.from(w.grad!.dataSync()),
    db: b ? Array.from(b.grad!.dataSync()) : null,
  };
}

function inputsOf(c: Case, seed: number): number[][] {
  const { out } = geometry(c);
  return [
    ramp(size(c.x), -1, 1, seed),
    ramp(size(c.w), -0.5, 0.5, seed + 1),
    ramp(c.w[0], -0.5, 0.5, seed + 2),
    ramp(c.x[0] * c.w[0] * out[0] * out[1], -1, 1, seed + 3),
  ];
}

describe("the conv2d primitive on the CPU", () => {
  const savedMacs = threadSettings.minParallelMacs;
  const savedThreads = dl.getNumThreads();
  afterEach(() => {
    threadSettings.minParallelMacs = savedMacs;
    dl.setNumThreads(savedThreads);
  });

  it.each(CASES)("$name: forward and gradients match float64 loops on 1–3 threads", (c) => {
    threadSettings.minParallelMacs = 0;
    const inputs = inputsOf(c, c.x[2] + c.w[0]);
    const ref = reference(c, inputs[0], inputs[1], c.bias ? inputs[2] : null, inputs[3]);
    const { out } = geometry(c);
    const runs = [1, 2, 3].map((t) => run(c, inputs, t, t === 2));
    for (const [k, r] of runs.entries()) {
      expect(r.ran.path).toBe(expectedPath());
      expect(r.ran.gradPath).toBe(expectedGradPath());
      if (r.ran.path === "native") expect(r.ran.threads).toBe(k + 1);
      expect(r.shape).toEqual([c.x[0], c.w[0], ...out]);
      expectRelClose(r.y, ref.y, 2e-5);
      expectRelClose(r.dx, ref.dx, 2e-5);
      expectRelClose(r.dw, ref.dw, 2e-5);
      if (c.bias) expectRelClose(r.db!, ref.db, 2e-5);
      else expect(r.db).toBeNull();
    }
    // Each element is the same sum whichever thread computed its block (∂w: fixed slices of
    // the batch, added in order).
    for (const k of ["y", "dx", "dw"] as const) {
      expect(runs[1][k]).toEqual(runs[0][k]);
      expect(runs[2][k]).toEqual(runs[0][k]);
    }
  });

  it("runs unbatched inputs and conv1d through the kernel", () => {
    const x = dl.tensor(ramp(3 * 6 * 5, -1, 1, 4)).reshape([3, 6, 5]);
    const w = dl.tensor(ramp(2 * 3 * 3 * 2, -1, 1, 5)).reshape([2, 3, 3, 2]);
    const y = F.conv2d(x, w, null, { padding: [1, 0] });
    expect(lastConv2d.path).toBe(expectedPath());
    const batched = F.conv2d(x.unsqueeze(0), w, null, { padding: [1, 0] });
    expect(y.shape).toEqual([2, 6, 4]);
    expect(Array.from(y.dataSync())).toEqual(Array.from(batched.dataSync()));
    lastConv2d.path = "";
    const x1 = dl.tensor(ramp(2 * 3 * 11, -1, 1, 6)).reshape([2, 3, 11]);
    const w1 = dl.tensor(ramp(4 * 3 * 3, -1, 1, 7)).reshape([4, 3, 3]);
    const y1 = F.conv1d(x1, w1, null, { stride: 2, dilation: 2 });
    expect(lastConv2d.path).toBe(expectedPath());
    const r = reference(
      {
        name: "1d",
        x: [2, 3, 1, 11],
        w: [4, 3, 1, 3],
        bias: false,
        stride: [1, 2],
        dilation: [1, 2],
      },
      Array.from(x1.dataSync()),
      Array.from(w1.dataSync()),
      null,
      new Array<number>(2 * 4 * 4).fill(0),
    );
    expect(y1.shape).toEqual([2, 4, 4]);
    expectRelClose(y1.dataSync(), r.y, 2e-5);
  });

  it("second-order gradients flow through the composed vjp", () => {
    const c = CASES[0];
    const [xv, wv] = inputsOf(c, 11);
    // ‖∂/∂x Σ conv(x, w)²‖², a function of w through the gradient's own graph.
    const loss = (w: Tensor) => {
      const x = dl.tensor(xv).reshape(c.x);
      const sq = (xx: Tensor) => F.conv2d(xx, w, null, options(c)).square().sum();
      const [gx] = dl.grad(sq, [x], { createGraph: true });
      return gx.square().sum();
    };
    const w = dl.tensor(wv).reshape(c.w).requiresGrad_(true);
    loss(w).backward();
    const k = 5;
    const eps = 1e-2;
    const shifted = (d: number) => {
      const v = wv.slice();
      v[k] += d;
      return loss(dl.tensor(v).reshape(c.w)).itemSync();
    };
    const fd = (shifted(eps) - shifted(-eps)) / (2 * eps);
    expect(Math.abs(w.grad!.dataSync()[k] - fd)).toBeLessThanOrEqual(2e-2 * (1 + Math.abs(fd)));
  });

  const native = nativeKernels()?.conv2d !== undefined;

  it.runIf(native)("the portable path (DENDRITE_CPU_KERNEL=wasm) gives the native values", () => {
    threadSettings.minParallelMacs = 0;
    const c = CASES[1];
    const inputs = inputsOf(c, 13);
    const fast = run(c, inputs, 2);
    process.env.DENDRITE_CPU_KERNEL = "wasm";
    try {
      reloadNativeKernels();
      const portable = run(c, inputs, 2);
      expect([fast.ran.path, portable.ran.path]).toEqual(["native", "portable"]);
      expect([fast.ran.gradPath, portable.ran.gradPath]).toEqual(["native", "portable"]);
      for (const k of ["y", "dx", "dw", "db"] as const)
        expectRelClose(portable[k]!, fast[k]!, 1e-5);
    } finally {
      delete process.env.DENDRITE_CPU_KERNEL;
      reloadNativeKernels();
    }
  });

  it.runIf(native)("the native kernel rejects operands outside their arrays", () => {
    const nk = nativeKernels()!;
    const [x, w, y] = [new Float32Array(9), new Float32Array(4), new Float32Array(4)];
    // x [1, 1, 3, 3], w [1, 1, 2, 2] → y [1, 1, 2, 2]; then y one element short, a bias
    // offset past its array, and zero groups.
    const params = (o: Partial<Record<number, number>>) =>
      Float64Array.from(
        [0, 0, -1, 0, 1, 1, 3, 3, 9, 9, 3, 1, 1, 1, 2, 2, 1, 1, 1, 1, 0, 0, 2, 2, 1].map(
          (v, i) => o[i] ?? v,
        ),
      );
    nk.conv2d!(x, w, w, y, params({}));
    expect(() => nk.conv2d!(x, w, w, y, params({ 3: 1 }))).toThrow(/conv2d: bad geometry/);
    expect(() => nk.conv2d!(x, w, w, y, params({ 2: 4 }))).toThrow(/conv2d: bad geometry/);
    expect(() => nk.conv2d!(x, w, w, y, params({ 13: 0 }))).toThrow(/conv2d: bad geometry/);
  });

  it("an empty batch gives an empty output and a zero weight gradient", () => {
    const x = dl.zeros([0, 3, 5, 5]).requiresGrad_(true);
    const w = dl.ones([4, 3, 3, 3]).requiresGrad_(true);
    const y = F.conv2d(x, w, dl.ones([4]), { padding: 1 });
    expect(y.shape).toEqual([0, 4, 5, 5]);
    y.sum().backward();
    expect(Array.from(w.grad!.dataSync())).toEqual(new Array<number>(4 * 27).fill(0));
  });

  it("names the operands when they do not fit", () => {
    const x = dl.zeros([1, 4, 5, 5]);
    const attrs = {
      stride: [1, 1],
      dilation: [1, 1],
      padding: [0, 0],
      out: [3, 3],
      groups: 3,
    } as const;
    expect(() => conv2dForward(x, dl.zeros([3, 2, 3, 3]), null, attrs)).toThrow(/conv2d.*groups 3/);
    expect(() =>
      conv2dForward(x, dl.zeros([4, 4, 3, 3]), dl.zeros([3]), { ...attrs, groups: 1 }),
    ).toThrow(/conv2d.*bias float32\[3\]/);
  });
});
