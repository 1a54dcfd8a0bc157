// Convolutions: F.conv1d / conv2d / convTranspose2d against explicit float64 loops (forward,
// and gradients of input, weight and bias by finite differences on the loops), output shapes
// for stride/padding/dilation/groups, and the Conv layers' parameters, init and repr.
import { describe, expect, it } from "vitest";
import * as dl from "../../src/index.js";
import type { Tensor } from "../../src/index.js";
import { type Arr, arr, at } from "../helpers/ref.js";
import { opTest, type InputSpec } from "../helpers/check-op.js";

const F = dl.nn.functional;
type P2 = [number, number];

interface Geo {
  stride: P2;
  pad: [P2, P2]; // (before, after) for h and w
  dil: P2;
  groups: number;
}

/** out[n,o,oh,ow] = b[o] + Σ x[n, g·Cg + c, oh·s - p + i·d, ow·s - p + j·d] · w[o, c, i, j]. */
function convRef(x: Arr, w: Arr, b: Arr | null, g: Geo): Arr {
  const [N, , H, W] = x.shape;
  const [O, Cg, KH, KW] = w.shape;
  const OH =
    Math.floor((H + g.pad[0][0] + g.pad[0][1] - g.dil[0] * (KH - 1) - 1) / g.stride[0]) + 1;
  const OW =
    Math.floor((W + g.pad[1][0] + g.pad[1][1] - g.dil[1] * (KW - 1) - 1) / g.stride[1]) + 1;
  const Og = O / g.groups;
  const out = new Float64Array(N * O * OH * OW);
  let p = 0;
  for (let n = 0; n < N; n++)
    for (let o = 0; o < O; o++)
      for (let oh = 0; oh < OH; oh++)
        for (let ow = 0; ow < OW; ow++) {
          let s = b ? b.data[o] : 0;
          const grp = Math.floor(o / Og);
          for (let c = 0; c < Cg; c++)
            for (let i = 0; i < KH; i++)
              for (let j = 0; j < KW; j++) {
                const h = oh * g.stride[0] - g.pad[0][0] + i * g.dil[0];
                const ww = ow * g.stride[1] - g.pad[1][0] + j * g.dil[1];
                if (h < 0 || h >= H || ww < 0 || ww >= W) continue;
                s += at(x, [n, grp * Cg + c, h, ww]) * at(w, [o, c, i, j]);
              }
          out[p++] = s;
        }
  return arr([N, O, OH, OW], out);
}

/** Transposed convolution as PyTorch defines it: each input pixel scatters w into the output. */
function convTransposeRef(x: Arr, w: Arr, b: Arr | null, g: Geo, outPad: P2): Arr {
  const [N, C, H, W] = x.shape;
  const [, Og, KH, KW] = w.shape;
  const Cg = C / g.groups;
  const O = Og * g.groups;
  const p = [g.pad[0][0], g.pad[1][0]];
  const OH = (H - 1) * g.stride[0] - 2 * p[0] + g.dil[0] * (KH - 1) + outPad[0] + 1;
  const OW = (W - 1) * g.stride[1] - 2 * p[1] + g.dil[1] * (KW - 1) + outPad[1] + 1;
  const out = new Float64Array(N * O * OH * OW);
  const idx = (n: number, o: number, h: number, ww: number) => ((n * O + o) * OH + h) * OW + ww;
  for (let n = 0; n < N; n++)
    for (let ci = 0; ci < C; ci++)
      for (let h = 0; h < H; h++)
        for (let ww = 0; ww < W; ww++)
          for (let oc = 0; oc < Og; oc++)
            for (let i = 0; i < KH; i++)
              for (let j = 0; j < KW; j++) {
                const oh = h * g.stride[0] - p[0] + i * g.dil[0];
                const ow = ww * g.stride[1] - p[1] + j * g.dil[1];
                if (oh < 0 || oh >= OH || ow < 0 || ow >= OW) continue;
                const o = Math.floor(ci / Cg) * Og + oc;
                out[idx(n, o, oh, ow)] += at(x, [n, ci, h, ww]) * at(w, [ci, oc, i, j]);
              }
  if (b) for (let i = 0; i < out.length; i++) out[i] += b.data[Math.floor(i / (OH * OW)) % O];
  return arr([N, O, OH, OW], out);
}

const geo = (o: Partial<{ stride: P2; pad: P2; dil: P2; groups: number }> = {}): Geo => {
  const pad = o.pad ?? [0, 0];
  return {
    stride: o.stride ?? [1, 1],
    pad: [
      [pad[0], pad[0]],
      [pad[1], pad[1]],
    ],
    dil: o.dil ?? [1, 1],
    groups: o.groups ?? 1,
  };
};

describe("F.conv2d against nested loops", () => {
  const cases: [string, Geo, InputSpec[]][] = [
    ["plain 3x3", geo(), [[2, 3, 5, 6], [4, 3, 3, 3], [4]]],
    [
      "stride 2, padding 1",
      geo({ stride: [2, 2], pad: [1, 1] }),
      [[2, 2, 6, 5], [3, 2, 3, 3], [3]],
    ],
    [
      "asymmetric kernel/stride/pad",
      geo({ stride: [1, 2], pad: [2, 0] }),
      [[1, 2, 4, 7], [2, 2, 2, 3], [2]],
    ],
    ["dilation 2", geo({ dil: [2, 2], pad: [1, 1] }), [[1, 2, 7, 7], [3, 2, 3, 3], [3]]],
    ["groups 2", geo({ groups: 2, pad: [1, 1] }), [[2, 4, 4, 4], [6, 2, 3, 3], [6]]],
    ["depthwise", geo({ groups: 3 }), [[1, 3, 5, 5], [3, 1, 2, 2], [3]]],
    ["1x1", geo({ stride: [2, 2] }), [[2, 3, 4, 4], [5, 3, 1, 1], [5]]],
    [
      "patchify (stride = kernel), unused remainder",
      geo({ stride: [2, 3] }),
      [[2, 2, 5, 7], [3, 2, 2, 3], [3]],
    ],
  ];
  for (const [name, g, shapes] of cases)
    opTest(`conv2d ${name}`, {
      fn: (x, w, b) =>
        F.conv2d(x, w, b, {
          stride: g.stride,
          padding: [g.pad[0][0], g.pad[1][0]],
          dilation: g.dil,
          groups: g.groups,
        }),
      ref: (x, w, b) => convRef(x, w, b, g),
      cases: [shapes],
      atol: 1e-4,
      gradAtol: 2e-3,
      gradRtol: 2e-3,
    });

  opTest("conv2d without bias", {
    fn: (x, w) => F.conv2d(x, w, null, { padding: 1 }),
    ref: (x, w) => convRef(x, w, null, geo({ pad: [1, 1] })),
    cases: [
      [
        [1, 2, 4, 5],
        [3, 2, 3, 3],
      ],
    ],
    atol: 1e-4,
    gradAtol: 2e-3,
    gradRtol: 2e-3,
  });

  opTest("conv2d padding same (even kernel: the odd pad goes after)", {
    fn: (x, w) => F.conv2d(x, w, null, { padding: "same", dilation: [1, 2] }),
    ref: (x, w) =>
      convRef(x, w, null, {
        ...geo({ dil: [1, 2] }),
        pad: [
          [1, 2],
          [3, 3],
        ],
      }),
    cases: [
      [
        [1, 2, 5, 6],
        [2, 2, 4, 4],
      ],
    ],
    atol: 1e-4,
    gradAtol: 2e-3,
    gradRtol: 2e-3,
  });
});

describe("F.conv1d and F.convTranspose2d against loops", () => {
  const as4d = (a: Arr) => arr([a.shape[0], a.shape[1], 1, a.shape[2]], a.data);
  const as3d = (a: Arr) => arr([a.shape[0], a.shape[1], a.shape[3]], a.data);
  opTest("conv1d stride 2, padding 2, dilation 2, groups 2", {
    fn: (x, w, b) => F.conv1d(x, w, b, { stride: 2, padding: 2, dilation: 2, groups: 2 }),
    ref: (x, w, b) =>
      as3d(
        convRef(as4d(x), as4d(w), b, {
          stride: [1, 2],
          pad: [
            [0, 0],
            [2, 2],
          ],
          dil: [1, 2],
          groups: 2,
        }),
      ),
    cases: [[[2, 4, 9], [6, 2, 3], [6]]],
    atol: 1e-4,
    gradAtol: 2e-3,
    gradRtol: 2e-3,
  });

  const tcases: [string, Geo, P2, InputSpec[]][] = [
    ["stride 2", geo({ stride: [2, 2] }), [0, 0], [[2, 3, 3, 4], [3, 2, 3, 3], [2]]],
    [
      "stride 2, padding 1, output padding 1",
      geo({ stride: [2, 2], pad: [1, 1] }),
      [1, 1],
      [[1, 2, 3, 3], [2, 3, 3, 3], [3]],
    ],
    [
      "dilation 2, groups 2, padding 2",
      geo({ dil: [2, 2], groups: 2, pad: [2, 1] }),
      [0, 0],
      [[1, 4, 4, 3], [4, 1, 3, 2], [2]],
    ],
    [
      "padding larger than the kernel reach crops",
      geo({ pad: [2, 2], stride: [3, 1] }),
      [2, 0],
      [[1, 1, 3, 5], [1, 2, 2, 2], [2]],
    ],
  ];
  for (const [name, g, op, shapes] of tcases)
    opTest(`convTranspose2d ${name}`, {
      fn: (x, w, b) =>
        F.convTranspose2d(x, w, b, {
          stride: g.stride,
          padding: [g.pad[0][0], g.pad[1][0]],
          dilation: g.dil,
          groups: g.groups,
          outputPadding: op,
        }),
      ref: (x, w, b) => convTransposeRef(x, w, b, g, op),
      cases: [shapes],
      atol: 1e-4,
      gradAtol: 2e-3,
      gradRtol: 2e-3,
    });
});

describe("conv shapes and errors", () => {
  const shapeOf = (x: number[], w: number[], o: Parameters<typeof F.conv2d>[3]) =>
    F.conv2d(dl.zeros(x), dl.zeros(w), null, o).shape;
  it("follows PyTorch's output-size formula", () => {
    expect(shapeOf([1, 3, 32, 32], [8, 3, 5, 5], {})).toEqual([1, 8, 28, 28]);
    expect(shapeOf([2, 3, 32, 31], [8, 3, 3, 3], { stride: 2, padding: 1 })).toEqual([
      2, 8, 16, 16,
    ]);
    expect(shapeOf([1, 4, 10, 10], [4, 1, 3, 3], { dilation: 3, groups: 4 })).toEqual([1, 4, 4, 4]);
    expect(shapeOf([1, 1, 9, 8], [1, 1, 4, 3], { padding: "same" })).toEqual([1, 1, 9, 8]);
    expect(shapeOf([1, 1, 9, 8], [1, 1, 4, 3], { padding: "valid" })).toEqual([1, 1, 6, 6]);
    expect(F.conv2d(dl.zeros([3, 6, 6]), dl.zeros([2, 3, 3, 3])).shape).toEqual([2, 4, 4]);
    expect(F.conv1d(dl.zeros([4, 10]), dl.zeros([2, 4, 3]), null, { stride: 3 }).shape).toEqual([
      2, 3,
    ]);
    const t = F.convTranspose2d(dl.zeros([1, 4, 7, 7]), dl.zeros([4, 2, 3, 3]), null, {
      stride: 2,
      padding: 1,
      outputPadding: 1,
    });
    expect(t.shape).toEqual([1, 2, 14, 14]);
  });
  it("names the problem on misuse", () => {
    expect(() => shapeOf([1, 3, 8, 8], [4, 2, 3, 3], {})).toThrow(
      /conv2d: input \[1, 3, 8, 8\] has 3 channels/,
    );
    expect(() => shapeOf([1, 4, 8, 8], [3, 2, 3, 3], { groups: 2 })).toThrow(
      /groups=2 must be a positive integer dividing out_channels=3/,
    );
    expect(() => shapeOf([1, 1, 2, 2], [1, 1, 3, 3], {})).toThrow(
      /smaller than the dilated kernel/,
    );
    expect(() => shapeOf([1, 1, 8, 8], [1, 1, 3, 3], { stride: 2, padding: "same" })).toThrow(
      /"same"/,
    );
    expect(() => shapeOf([1, 8, 8], [1, 1, 3], {})).toThrow(/weight must be 4-D/);
    expect(() => F.conv2d(dl.zeros([8, 8]), dl.zeros([1, 1, 3, 3]))).toThrow(
      /3-D \(unbatched\) or 4-D/,
    );
    expect(() =>
      F.convTranspose2d(dl.zeros([1, 1, 3, 3]), dl.zeros([1, 1, 3, 3]), null, {
        stride: 2,
        outputPadding: 2,
      }),
    ).toThrow(/outputPadding/);
    expect(() =>
      F.convTranspose2d(dl.zeros([1, 1, 1, 1]), dl.zeros([1, 1, 1, 1]), null, { padding: 1 }),
    ).toThrow(/convTranspose2d: input \[1, 1, 1, 1\] .* gives an empty output \(-1x-1\)/);
  });
});

describe("Conv layers", () => {
  it("have PyTorch's parameter names, shapes and repr", () => {
    const conv = new dl.nn.Conv2d(3, 8, 5, { stride: 2, padding: 1, groups: 1 });
    expect(conv.namedParameters().map(([n, p]) => [n, p.shape])).toEqual([
      ["weight", [8, 3, 5, 5]],
      ["bias", [8]],
    ]);
    expect(conv.toString()).toBe("Conv2d(3, 8, kernel_size=(5, 5), stride=(2, 2), padding=(1, 1))");
    const grouped = new dl.nn.Conv2d(4, 6, [3, 1], {
      groups: 2,
      dilation: 2,
      bias: false,
      padding: "same",
    });
    expect(grouped.weight.shape).toEqual([6, 2, 3, 1]);
    expect(grouped.bias).toBeNull();
    expect(grouped.toString()).toBe(
      "Conv2d(4, 6, kernel_size=(3, 1), stride=(1, 1), padding=same, dilation=(2, 2), groups=2, bias=False)",
    );
    const c1 = new dl.nn.Conv1d(2, 4, 3);
    expect(c1.weight.shape).toEqual([4, 2, 3]);
    expect(c1.toString()).toBe("Conv1d(2, 4, kernel_size=(3,), stride=(1,))");
    const t = new dl.nn.ConvTranspose2d(4, 6, 3, { stride: 2, groups: 2, outputPadding: 1 });
    expect(t.weight.shape).toEqual([4, 3, 3, 3]);
    expect(t.toString()).toBe(
      "ConvTranspose2d(4, 6, kernel_size=(3, 3), stride=(2, 2), output_padding=(1, 1), groups=2)",
    );
    const seq = new dl.nn.Sequential(new dl.nn.Conv2d(1, 2, 3), new dl.nn.ReLU());
    expect(Object.keys(seq.stateDict())).toEqual(["0.weight", "0.bias"]);
  });

  it("initialise weight and bias within PyTorch's Kaiming-uniform bounds", () => {
    dl.manualSeed(3);
    const conv = new dl.nn.Conv2d(4, 16, 3);
    const fanIn = 4 * 9;
    // kaiming_uniform_(a=√5): bound = √(6 / ((1 + 5) fanIn)) = 1/√fanIn, the bias bound too.
    const bound = 1 / Math.sqrt(fanIn);
    const w = conv.weight.dataSync();
    const b = conv.bias!.dataSync();
    const maxAbs = (a: ArrayLike<number>) => Math.max(...Array.from(a, Math.abs));
    expect(maxAbs(w)).toBeLessThanOrEqual(bound);
    expect(maxAbs(w)).toBeGreaterThan(0.9 * bound);
    expect(maxAbs(b)).toBeLessThanOrEqual(bound);
    // Uniform on [-B, B] has variance B²/3.
    const variance = Array.from(w).reduce((s, v) => s + v * v, 0) / w.length;
    expect(variance).toBeCloseTo((bound * bound) / 3, 2);
    const ct = new dl.nn.ConvTranspose2d(4, 64, 3, { groups: 2 });
    // PyTorch's fan_in for a transposed weight [in, out/groups, k, k] is (out/groups)·k·k.
    const ctBound = 1 / Math.sqrt(32 * 9);
    expect(maxAbs(ct.bias!.dataSync())).toBeLessThanOrEqual(ctBound);
    expect(maxAbs(ct.bias!.dataSync())).toBeGreaterThan(0.85 * ctBound);
  });

  it("forward equals the functional form and backpropagates into the parameters", () => {
    dl.manualSeed(5);
    const conv = new dl.nn.Conv2d(2, 3, 3, { padding: 1, stride: 2 });
    const x = dl.randn([2, 2, 7, 7]);
    const y = conv.forward(x);
    const direct = F.conv2d(x, conv.weight, conv.bias, { padding: 1, stride: 2 });
    expect(Array.from(y.dataSync())).toEqual(Array.from(direct.dataSync()));
    y.square().sum().backward();
    expect(conv.weight.grad!.shape).toEqual([3, 2, 3, 3]);
    expect(conv.bias!.grad!.shape).toEqual([3]);
    expect(Math.abs(conv.bias!.grad!.sum().itemSync())).toBeGreaterThan(0);
  });

  it("ConvTranspose2d reaches a requested output size", () => {
    const up = new dl.nn.ConvTranspose2d(2, 1, 3, { stride: 2, padding: 1 });
    const x = dl.randn([1, 2, 5, 5]);
    expect(up.forward(x).shape).toEqual([1, 1, 9, 9]);
    expect(up.forward(x, [10, 10]).shape).toEqual([1, 1, 10, 10]);
    expect(() => up.forward(x, [12, 12])).toThrow(/not reachable/);
    // Downsampling by a stride-2 conv and upsampling back gives the original size.
    const down = new dl.nn.Conv2d(1, 2, 3, { stride: 2, padding: 1 });
    const img = dl.randn([1, 1, 10, 10]);
    expect(up.forward(down.forward(img), img.shape).shape).toEqual([1, 1, 10, 10]);
  });

  it("runs a LeNet-sized batch forward and backward (shapes)", () => {
    const net = new dl.nn.Sequential(
      new dl.nn.Conv2d(1, 6, 5, { padding: 2 }),
      new dl.nn.ReLU(),
      new dl.nn.MaxPool2d(2),
      new dl.nn.Conv2d(6, 16, 5),
      new dl.nn.ReLU(),
      new dl.nn.MaxPool2d(2),
      new dl.nn.Flatten(),
      new dl.nn.Linear(400, 10),
    );
    const x = dl.rand([4, 1, 28, 28]);
    const out = net.forward(x) as Tensor;
    expect(out.shape).toEqual([4, 10]);
    out.sum().backward();
    for (const [name, p] of net.namedParameters()) expect(p.grad?.shape, name).toEqual(p.shape);
  });
});
