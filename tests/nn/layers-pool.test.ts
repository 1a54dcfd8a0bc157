// Pooling: F.maxPool1d / maxPool2d / avgPool2d / adaptiveAvgPool2d against explicit float64
// window loops (forward, and gradients by finite differences on the loops), PyTorch's
// ceilMode and divisor rules, returnIndices, and the pooling layers.
import { describe, expect, it } from "vitest";
import * as dl from "../../src/index.js";
import { type Arr, arr, at } from "../helpers/ref.js";
import { opTest } from "../helpers/check-op.js";

const F = dl.nn.functional;
type P2 = [number, number];

interface PoolGeo {
  k: P2;
  s: P2;
  p: P2;
  d: P2;
  ceil: boolean;
}

function outLen(n: number, k: number, s: number, p: number, d: number, ceil: boolean): number {
  const span = n + 2 * p - d * (k - 1) - 1;
  let o = (ceil ? Math.ceil(span / s) : Math.floor(span / s)) + 1;
  if (ceil && (o - 1) * s >= n + p) o--;
  return o;
}

/** Visits every window: f receives the in-bounds input values and the window's geometry. */
function poolRef(
  x: Arr,
  g: PoolGeo,
  reduce: (vals: number[], hs: number, he: number, ws: number, we: number) => number,
): Arr {
  const [N, C, H, W] = x.shape;
  const OH = outLen(H, g.k[0], g.s[0], g.p[0], g.d[0], g.ceil);
  const OW = outLen(W, g.k[1], g.s[1], g.p[1], g.d[1], g.ceil);
  const out = new Float64Array(N * C * OH * OW);
  let q = 0;
  for (let n = 0; n < N; n++)
    for (let c = 0; c < C; c++)
      for (let oh = 0; oh < OH; oh++)
        for (let ow = 0; ow < OW; ow++) {
          const hs = oh * g.s[0] - g.p[0];
          const ws = ow * g.s[1] - g.p[1];
          const vals: number[] = [];
          for (let i = 0; i < g.k[0]; i++)
            for (let j = 0; j < g.k[1]; j++) {
              const h = hs + i * g.d[0];
              const w = ws + j * g.d[1];
              if (h >= 0 && h < H && w >= 0 && w < W) vals.push(at(x, [n, c, h, w]));
            }
          out[q++] = reduce(vals, hs, hs + g.k[0], ws, ws + g.k[1]);
        }
  return arr([N, C, OH, OW], out);
}

const maxRef = (x: Arr, g: PoolGeo) => poolRef(x, g, (v) => Math.max(...v));

/** PyTorch's avg_pool2d divisor: the window clipped to the padded input (or the input). */
function avgRef(x: Arr, g: PoolGeo, includePad: boolean, override?: number): Arr {
  const [, , H, W] = x.shape;
  return poolRef(x, g, (v, hs, he, ws, we) => {
    const total = v.reduce((a, b) => a + b, 0);
    if (override) return total / override;
    const he2 = Math.min(he, H + g.p[0]);
    const we2 = Math.min(we, W + g.p[1]);
    const count = includePad
      ? (he2 - hs) * (we2 - ws)
      : (Math.min(he2, H) - Math.max(hs, 0)) * (Math.min(we2, W) - Math.max(ws, 0));
    return total / count;
  });
}

const pg = (o: Partial<PoolGeo> & { k: P2 }): PoolGeo => ({
  s: o.s ?? o.k,
  p: o.p ?? [0, 0],
  d: o.d ?? [1, 1],
  ceil: o.ceil ?? false,
  k: o.k,
});

describe("F.maxPool2d against window loops", () => {
  const cases: [string, PoolGeo, number[]][] = [
    ["2x2", pg({ k: [2, 2] }), [2, 3, 6, 8]],
    ["3x2 tiles with a remainder", pg({ k: [3, 2] }), [1, 2, 8, 5]],
    ["3x3 stride 2 padding 1 (overlapping)", pg({ k: [3, 3], s: [2, 2], p: [1, 1] }), [1, 2, 7, 6]],
    ["dilation 2", pg({ k: [2, 3], s: [1, 2], d: [2, 2], p: [1, 1] }), [1, 2, 7, 8]],
    ["ceilMode overhang", pg({ k: [3, 3], s: [2, 2], ceil: true }), [1, 2, 6, 8]],
    ["ceilMode with padding", pg({ k: [2, 2], s: [2, 2], p: [1, 1], ceil: true }), [1, 1, 5, 6]],
  ];
  for (const [name, g, shape] of cases)
    opTest(`maxPool2d ${name}`, {
      fn: (x) =>
        F.maxPool2d(x, g.k, { stride: g.s, padding: g.p, dilation: g.d, ceilMode: g.ceil }),
      ref: (x) => maxRef(x, g),
      cases: [[shape]],
    });

  opTest("maxPool1d kernel 3 stride 2 padding 1 dilation 2 ceilMode", {
    fn: (x) => F.maxPool1d(x, 3, { stride: 2, padding: 1, dilation: 2, ceilMode: true }),
    ref: (x) => {
      const g = pg({ k: [1, 3], s: [1, 2], p: [0, 1], d: [1, 2], ceil: true });
      const y = maxRef(arr([x.shape[0], x.shape[1], 1, x.shape[2]], x.data), g);
      return arr([y.shape[0], y.shape[1], y.shape[3]], y.data);
    },
    cases: [[[2, 3, 10]]],
  });

  it("sends the gradient to the first maximum of a window, as PyTorch does", () => {
    const x = dl.tensor([[[[1, 3, 3, 0]]]], { dtype: "float32", requiresGrad: true });
    F.maxPool2d(x, [1, 4]).sum().backward();
    expect(x.grad!.toArraySync()).toEqual([[[[0, 1, 0, 0]]]]);
  });

  it("returns flat input indices of the maxima", () => {
    const x = dl.tensor([
      [
        [
          [1, 5, 2, 0],
          [7, 2, 9, 3],
          [0, 8, 1, 1],
        ],
      ],
    ]);
    const [out, idx] = F.maxPool2d(x, 2, { stride: 1, padding: 1, returnIndices: true });
    expect(out.shape).toEqual([1, 1, 4, 5]);
    expect(idx.dtype).toBe("int32");
    const vals = x.reshape([-1]).dataSync();
    const o = out.dataSync();
    idx.dataSync().forEach((k, i) => expect(vals[k]).toBe(o[i]));
    expect(Array.from(idx.dataSync()).slice(0, 5)).toEqual([0, 1, 1, 2, 3]);
    const [o1, i1] = F.maxPool1d(dl.tensor([[4, 1, 6, 6, 2]]), 2, { returnIndices: true });
    expect(o1.toArraySync()).toEqual([[4, 6]]);
    expect(i1.toArraySync()).toEqual([[0, 2]]);
  });
});

describe("F.avgPool2d against window loops", () => {
  const cases: [string, PoolGeo, boolean, number[]][] = [
    ["2x2", pg({ k: [2, 2] }), true, [2, 3, 6, 4]],
    // Tiling windows read as a view; floor mode crops the last row and two columns.
    ["2x3 tiles, floor mode crops", pg({ k: [2, 3] }), true, [2, 3, 7, 8]],
    ["2x2 tiles, ceilMode overhang", pg({ k: [2, 2], ceil: true }), false, [1, 2, 5, 5]],
    [
      "3x3 stride 2 padding 1, padding counted",
      pg({ k: [3, 3], s: [2, 2], p: [1, 1] }),
      true,
      [1, 2, 7, 6],
    ],
    [
      "3x3 stride 2 padding 1, padding not counted",
      pg({ k: [3, 3], s: [2, 2], p: [1, 1] }),
      false,
      [1, 2, 7, 6],
    ],
    [
      "ceilMode: overhang never counted",
      pg({ k: [3, 2], s: [2, 2], p: [1, 1], ceil: true }),
      true,
      [1, 2, 6, 7],
    ],
    [
      "ceilMode without padding counted",
      pg({ k: [3, 3], s: [2, 2], p: [1, 0], ceil: true }),
      false,
      [1, 1, 8, 6],
    ],
  ];
  for (const [name, g, includePad, shape] of cases)
    opTest(`avgPool2d ${name}`, {
      fn: (x) =>
        F.avgPool2d(x, g.k, {
          stride: g.s,
          padding: g.p,
          ceilMode: g.ceil,
          countIncludePad: includePad,
        }),
      ref: (x) => avgRef(x, g, includePad),
      cases: [[shape]],
    });

  opTest("avgPool2d divisorOverride", {
    fn: (x) => F.avgPool2d(x, 2, { padding: 1, divisorOverride: 3 }),
    ref: (x) => avgRef(x, pg({ k: [2, 2], p: [1, 1] }), true, 3),
    cases: [[[1, 2, 5, 5]]],
  });
});

describe("F.adaptiveAvgPool2d", () => {
  /** Output cell i of n → m averages [floor(i n / m), ceil((i + 1) n / m)). */
  function adaptiveRef(x: Arr, oh: number, ow: number): Arr {
    const [N, C, H, W] = x.shape;
    const out = new Float64Array(N * C * oh * ow);
    let q = 0;
    for (let n = 0; n < N; n++)
      for (let c = 0; c < C; c++)
        for (let i = 0; i < oh; i++)
          for (let j = 0; j < ow; j++) {
            let s = 0;
            let count = 0;
            for (let h = Math.floor((i * H) / oh); h < Math.ceil(((i + 1) * H) / oh); h++)
              for (let w = Math.floor((j * W) / ow); w < Math.ceil(((j + 1) * W) / ow); w++) {
                s += at(x, [n, c, h, w]);
                count++;
              }
            out[q++] = s / count;
          }
    return arr([N, C, oh, ow], out);
  }
  const cases: [P2, number[]][] = [
    [
      [1, 1],
      [2, 3, 5, 4],
    ],
    [
      [3, 2],
      [1, 2, 7, 5],
    ],
    [
      [2, 3],
      [1, 2, 6, 6],
    ],
    [
      [4, 5],
      [1, 1, 3, 3],
    ],
  ];
  for (const [[oh, ow], shape] of cases)
    opTest(`adaptiveAvgPool2d ${shape.join("x")} → ${oh}x${ow}`, {
      fn: (x) => F.adaptiveAvgPool2d(x, [oh, ow]),
      ref: (x) => adaptiveRef(x, oh, ow),
      cases: [[shape]],
    });

  it("keeps an axis given as null and accepts unbatched input", () => {
    expect(F.adaptiveAvgPool2d(dl.zeros([2, 3, 9, 7]), [null, 2]).shape).toEqual([2, 3, 9, 2]);
    expect(F.adaptiveAvgPool2d(dl.zeros([3, 9, 7]), 1).shape).toEqual([3, 1, 1]);
    expect(() => F.adaptiveAvgPool2d(dl.zeros([1, 1, 4, 4]), 0)).toThrow(
      /adaptiveAvgPool2d: outputSize/,
    );
  });
});

describe("pooling layers", () => {
  it("compute the functional forms and print like PyTorch", () => {
    const x = dl.randn([2, 3, 8, 8]);
    const mp = new dl.nn.MaxPool2d(2);
    expect(mp.toString()).toBe(
      "MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)",
    );
    expect(Array.from(mp.forward(x).dataSync())).toEqual(Array.from(F.maxPool2d(x, 2).dataSync()));
    const mp3 = new dl.nn.MaxPool2d([3, 3], { stride: 2, padding: 1, ceilMode: true });
    expect(mp3.toString()).toBe(
      "MaxPool2d(kernel_size=(3, 3), stride=2, padding=1, dilation=1, ceil_mode=True)",
    );
    expect(mp3.forward(x).shape).toEqual([2, 3, 5, 5]);
    // The return type follows returnIndices, so both forms type-check without casts.
    const plain: dl.Tensor = mp.forward(x);
    const [pooled, where] = new dl.nn.MaxPool2d(2, { returnIndices: true }).forward(x);
    expect(Array.from(pooled.dataSync())).toEqual(Array.from(plain.dataSync()));
    expect(where.dtype).toBe("int32");
    const ap = new dl.nn.AvgPool2d(3, { stride: 1, padding: 1 });
    expect(ap.toString()).toBe("AvgPool2d(kernel_size=3, stride=1, padding=1)");
    expect(ap.forward(x).shape).toEqual([2, 3, 8, 8]);
    const aap = new dl.nn.AdaptiveAvgPool2d([1, 1]);
    expect(aap.toString()).toBe("AdaptiveAvgPool2d(output_size=(1, 1))");
    const gap = aap.forward(x);
    expect(gap.shape).toEqual([2, 3, 1, 1]);
    expect(gap.dataSync()[0]).toBeCloseTo(x.slice("0, 0").mean().itemSync(), 5);
    const m1 = new dl.nn.MaxPool1d(3, { stride: 1 });
    expect(m1.toString()).toBe(
      "MaxPool1d(kernel_size=3, stride=1, padding=0, dilation=1, ceil_mode=False)",
    );
    expect(m1.forward(dl.zeros([2, 4, 10])).shape).toEqual([2, 4, 8]);
    expect(mp.parameters()).toEqual([]);
  });

  it("reject impossible geometry with a clear message", () => {
    expect(() => F.maxPool2d(dl.zeros([1, 1, 4, 4]), 2, { padding: 2 })).toThrow(
      /maxPool2d: padding .* at most half/,
    );
    expect(() => F.maxPool2d(dl.zeros([1, 1, 1, 4]), 2)).toThrow(/too small/);
    expect(() => F.avgPool2d(dl.zeros([4, 4]), 2)).toThrow(/avgPool2d: expected a 3-D/);
  });
});
