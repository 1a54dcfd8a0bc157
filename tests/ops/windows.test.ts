// im2col and col2im (the window primitives under convolution and pooling) against float64
// loops written from their definitions, with finite-difference gradients: col2im is the
// adjoint of im2col, so each checks the other's kernel through its gradient.
import { describe, expect, it } from "vitest";
import * as dl from "../../src/index.js";
import { im2col, type Im2colAttrs, col2im, windowArgmax } from "../../src/ops/windows.js";
import { opTest } from "../helpers/check-op.js";
import { type Arr, at, build, sizeOf } from "../helpers/ref.js";
import { DEVICES } from "../helpers/devices.js";

const geometry = (
  kernel: [number, number],
  stride: [number, number],
  dilation: [number, number],
  padding: [number, number],
  out: [number, number],
  padValue = 0,
): Im2colAttrs => ({ kernel, stride, dilation, padding, out, padValue });

/** cols[c, i, j, n, oh, ow] = x[n, c, oh·sh − pt + i·dh, ow·sw − pl + j·dw] or padValue. */
function im2colRef(x: Arr, a: Im2colAttrs): Arr {
  const [N, C, H, W] = x.shape;
  return build([C, ...a.kernel, N, ...a.out], ([c, i, j, n, oh, ow]) => {
    const h = oh * a.stride[0] - a.padding[0] + i * a.dilation[0];
    const w = ow * a.stride[1] - a.padding[1] + j * a.dilation[1];
    return h >= 0 && h < H && w >= 0 && w < W ? at(x, [n, c, h, w]) : a.padValue;
  });
}

/** image[n, c, h, w] = Σ over taps (i, j, oh, ow) that read (h, w) of cols[c, i, j, n, oh, ow]. */
function col2imRef(g: Arr, a: Im2colAttrs, image: number[]): Arr {
  const [C, kh, kw, N, OH, OW] = g.shape;
  const acc = new Float64Array(image.reduce((p, d) => p * d, 1));
  const [, , H, W] = image;
  for (let c = 0; c < C; c++)
    for (let i = 0; i < kh; i++)
      for (let j = 0; j < kw; j++)
        for (let n = 0; n < N; n++)
          for (let oh = 0; oh < OH; oh++)
            for (let ow = 0; ow < OW; ow++) {
              const h = oh * a.stride[0] - a.padding[0] + i * a.dilation[0];
              const w = ow * a.stride[1] - a.padding[1] + j * a.dilation[1];
              if (h >= 0 && h < H && w >= 0 && w < W)
                acc[((n * C + c) * H + h) * W + w] += at(g, [c, i, j, n, oh, ow]);
            }
  return { shape: image, data: acc };
}

const CASES: [string, number[], Im2colAttrs][] = [
  ["3x3 stride 1", [2, 3, 5, 6], geometry([3, 3], [1, 1], [1, 1], [0, 0], [3, 4])],
  ["padded, strided, dilated", [2, 2, 7, 6], geometry([3, 2], [2, 1], [2, 2], [1, 2], [3, 7])],
  ["2x2 tiles", [1, 2, 4, 4], geometry([2, 2], [2, 2], [1, 1], [0, 0], [2, 2])],
  ["windows overhanging the end", [1, 1, 5, 5], geometry([2, 2], [2, 2], [1, 1], [1, 0], [3, 3])],
  [
    "overhanging, -inf pad",
    [1, 2, 5, 5],
    geometry([2, 2], [2, 2], [1, 1], [1, 0], [3, 3], -Infinity),
  ],
];

describe("im2col", () => {
  for (const [name, shape, attrs] of CASES)
    opTest(`im2col ${name}`, {
      fn: (x) => im2col(x, attrs),
      ref: (x) => im2colRef(x, attrs),
      cases: [[shape]],
      // sum(out * W) is not finite where the pad value is -Infinity.
      grad: attrs.padValue === 0,
    });

  it("fills positions outside the image with the pad value", () => {
    const x = dl.tensor([1, 2, 3, 4], { dtype: "float32" }).reshape([1, 1, 2, 2]);
    const cols = im2col(x, geometry([2, 2], [2, 2], [1, 1], [1, 1], [2, 2], -Infinity));
    // Window (0, 0) with top-left padding 1 sees only x[0, 0, 0, 0], at its last tap.
    const taps = cols.reshape([4, 4]).toArraySync() as number[][];
    expect(taps.map((row) => row[0])).toEqual([-Infinity, -Infinity, -Infinity, 1]);
    // Window (1, 1) sees only x[0, 0, 1, 1], at its first tap.
    expect(taps.map((row) => row[3])).toEqual([4, -Infinity, -Infinity, -Infinity]);
  });

  it("rejects bad geometry and non-4-D input", () => {
    const x = dl.zeros([1, 1, 4, 4]);
    expect(() => im2col(x, geometry([0, 2], [1, 1], [1, 1], [0, 0], [1, 1]))).toThrow(
      /im2col.*kernel/,
    );
    expect(() =>
      im2col(dl.zeros([4, 4]), geometry([2, 2], [1, 1], [1, 1], [0, 0], [3, 3])),
    ).toThrow(/im2col.*4-D/);
  });
});

describe("col2im", () => {
  for (const [name, shape, attrs] of CASES) {
    const [N, C] = shape;
    const colsShape = [C, ...attrs.kernel, N, ...attrs.out];
    opTest(`col2im ${name}`, {
      fn: (g) => col2im(g, attrs, shape),
      ref: (g) => col2imRef(g, attrs, shape),
      cases: [[colsShape]],
    });
  }

  it("rejects columns that do not match the image", () => {
    const attrs = geometry([2, 2], [1, 1], [1, 1], [0, 0], [3, 3]);
    expect(() => col2im(dl.zeros([1, 2, 2, 1, 3, 2]), attrs, [1, 1, 4, 4])).toThrow(
      /col2im.*expected/,
    );
  });
});

/** The flat index h·W + w of the first maximum of each window (NaN wins), from the definition. */
function windowArgmaxRef(x: Arr, a: Im2colAttrs): Arr {
  const [N, C, H, W] = x.shape;
  return build([N, C, ...a.out], ([n, c, oh, ow]) => {
    let best = -1;
    let bestV = -Infinity;
    for (let i = 0; i < a.kernel[0]; i++)
      for (let j = 0; j < a.kernel[1]; j++) {
        const h = oh * a.stride[0] - a.padding[0] + i * a.dilation[0];
        const w = ow * a.stride[1] - a.padding[1] + j * a.dilation[1];
        if (h < 0 || h >= H || w < 0 || w >= W) continue;
        const v = at(x, [n, c, h, w]);
        if (Number.isNaN(bestV)) continue;
        if (best < 0 || v > bestV || Number.isNaN(v)) [best, bestV] = [h * W + w, v];
      }
    return best;
  });
}

describe.each(DEVICES)("windowArgmax on $device", ({ device, available }) => {
  for (const [name, shape, attrs] of CASES)
    it.skipIf(!available)(`${name}: first maximum of every window`, async () => {
      // Few distinct values, so ties are common and "first" matters.
      const values = Array.from({ length: sizeOf(shape) }, (_, i) => (i * 7919) % 5);
      const x = dl.tensor(values, { device, dtype: "float32" }).reshape(shape);
      const got = windowArgmax(x, attrs);
      expect(got.dtype).toBe("int32");
      expect(Array.from(await got.data())).toEqual(
        Array.from(windowArgmaxRef({ shape, data: Float64Array.from(values) }, attrs).data),
      );
    });

  it.skipIf(!available)("lets a NaN win, reads strided views", async () => {
    const values = [1, NaN, 3, 2, 5, NaN, 0, 4, 6, 1, 2, 3, 9, 8, 7, 6];
    const x = dl.tensor(values, { device }).reshape([1, 1, 4, 4]).transpose(2, 3);
    const attrs = geometry([2, 2], [2, 2], [1, 1], [0, 0], [2, 2]);
    const ref = windowArgmaxRef(
      { shape: [1, 1, 4, 4], data: Float64Array.from(await x.contiguous().data()) },
      attrs,
    );
    expect(Array.from(await windowArgmax(x, attrs).data())).toEqual(Array.from(ref.data));
  });
});

describe("windowArgmax checks", () => {
  it("rejects int images and windows wholly in the padding", () => {
    const g = geometry([2, 2], [1, 1], [1, 1], [0, 0], [1, 1]);
    expect(() => windowArgmax(dl.zeros([1, 1, 2, 2], { dtype: "int32" }), g)).toThrow(
      /windowArgmax: expected a float32 image/,
    );
    const outside = geometry([2, 1], [1, 1], [3, 1], [1, 0], [1, 1]);
    expect(() => windowArgmax(dl.zeros([1, 1, 1, 1]), outside)).toThrow(/wholly outside/);
  });
});
