// The one list of nn layer cases, run on every device by tests/nn/modules-on-devices.test.ts
// (see helpers/module-check.ts for what is checked where). Inputs are tiny: SwiftShader is slow.
import * as dl from "../../src/index.js";
import type { Tensor } from "../../src/index.js";
import { moduleCase, type NamedCase } from "./module-check.js";

const { nn } = dl;
const F = dl.nn.functional;
const randn = (...shape: number[]) => dl.randn(shape);
const values = (shape: number[], data: number[], dtype: dl.DType = "float32") =>
  dl.tensor(data, { shape, dtype });
const bools = (shape: number[], data: number[]) => values(shape, data, "bool");
/** Seeded values in [low, high). */
const uniform = (shape: number[], low = -2, high = 2) =>
  dl.add(dl.mul(dl.rand(shape), high - low), low);
const rnnOpts = { numLayers: 2, bidirectional: true } as const;
const forward1 = (m: dl.nn.Module & { forward(x: Tensor): Tensor }, [x]: Tensor[]) => m.forward(x);

export const LAYER_CASES: NamedCase[] = [
  moduleCase("Linear", {
    build: () => new nn.Linear(5, 3),
    inputs: () => [randn(4, 5)],
    forward: forward1,
    optimizer: "adam",
  }),
  moduleCase("Linear without bias on [2, 3, 5]", {
    build: () => new nn.Linear(5, 2, { bias: false }),
    inputs: () => [randn(2, 3, 5)],
    forward: forward1,
  }),
  moduleCase("Bilinear", {
    build: () => new nn.Bilinear(3, 4, 2),
    inputs: () => [randn(5, 3), randn(5, 4)],
    forward: (m, [a, b]) => m.forward(a, b),
    optimizer: "adam",
  }),
  moduleCase("Identity", {
    build: () => new nn.Identity(),
    inputs: () => [randn(3)],
    forward: forward1,
  }),
  moduleCase("Flatten", {
    build: () => new nn.Flatten(),
    inputs: () => [randn(2, 3, 2, 2)],
    forward: (m, [x]) => m.forward(x.permute([0, 2, 1, 3])), // a strided input
  }),
  moduleCase("Unflatten", {
    build: () => new nn.Unflatten(1, [2, 3]),
    inputs: () => [randn(2, 6)],
    forward: forward1,
  }),
  moduleCase("Conv1d", {
    build: () => new nn.Conv1d(2, 4, 3, { stride: 2, padding: 1, groups: 2 }),
    inputs: () => [randn(2, 2, 7)],
    forward: (m, [x]) => m.forward(x),
  }),
  moduleCase("Conv2d", {
    build: () => new nn.Conv2d(2, 3, 3, { padding: 1 }),
    inputs: () => [randn(2, 2, 8, 8)], // 128 output positions: past the matmul's 64-wide tile
    forward: (m, [x]) => m.forward(x),
    optimizer: "adam",
  }),
  moduleCase("Conv2d strided, dilated, grouped", {
    build: () => new nn.Conv2d(4, 2, [2, 3], { stride: [2, 1], dilation: 2, groups: 2 }),
    inputs: () => [randn(1, 4, 7, 6)],
    forward: (m, [x]) => m.forward(x),
  }),
  moduleCase("ConvTranspose2d", {
    build: () => new nn.ConvTranspose2d(2, 3, 3, { stride: 2, padding: 1, outputPadding: 1 }),
    inputs: () => [randn(2, 2, 3, 3)],
    forward: (m, [x]) => m.forward(x),
  }),
  moduleCase("MaxPool1d", {
    build: () => new nn.MaxPool1d(3, { stride: 2, padding: 1 }),
    inputs: () => [randn(2, 2, 7)],
    forward: (m, [x]) => m.forward(x),
  }),
  moduleCase("MaxPool2d with indices, ceilMode", {
    build: () => new nn.MaxPool2d(2, { ceilMode: true, returnIndices: true }),
    inputs: () => [randn(1, 2, 5, 5)],
    forward: (m, [x]) => m.forward(x),
  }),
  moduleCase("AvgPool2d countIncludePad false", {
    build: () => new nn.AvgPool2d(3, { stride: 2, padding: 1, countIncludePad: false }),
    inputs: () => [randn(1, 2, 5, 6)],
    forward: (m, [x]) => m.forward(x),
  }),
  moduleCase("AdaptiveAvgPool2d", {
    build: () => new nn.AdaptiveAvgPool2d([2, 3]),
    inputs: () => [randn(2, 1, 5, 7)],
    forward: (m, [x]) => m.forward(x),
  }),
  moduleCase("BatchNorm1d train", {
    build: () => new nn.BatchNorm1d(3),
    inputs: () => [uniform([6, 3], -1, 3)],
    forward: (m, [x]) => m.forward(x),
  }),
  moduleCase("BatchNorm1d train on [N, C, L], cumulative average", {
    build: () => new nn.BatchNorm1d(2, { momentum: null }),
    inputs: () => [randn(3, 2, 4)],
    forward: (m, [x]) => m.forward(x),
  }),
  moduleCase("BatchNorm2d train", {
    build: () => new nn.BatchNorm2d(3),
    inputs: () => [randn(2, 3, 8, 8)], // 128 values per channel: the tree reduction
    forward: (m, [x]) => m.forward(x),
  }),
  moduleCase("BatchNorm2d eval", {
    build: () => {
      const m = new nn.BatchNorm2d(3);
      m.running_mean!._assign(dl.randn([3]));
      m.running_var!._assign(dl.rand([3]).add(0.5));
      return m;
    },
    eval: true,
    inputs: () => [randn(2, 3, 2, 2)],
    forward: (m, [x]) => m.forward(x),
  }),
  moduleCase("LayerNorm", {
    build: () => new nn.LayerNorm([3, 4]),
    inputs: () => [randn(2, 3, 4)],
    forward: (m, [x]) => m.forward(x),
    optimizer: "adam",
  }),
  moduleCase("GroupNorm", {
    build: () => new nn.GroupNorm(2, 4),
    inputs: () => [randn(2, 4, 3)],
    forward: (m, [x]) => m.forward(x),
  }),
  moduleCase("Dropout", {
    build: () => new nn.Dropout(0.4),
    inputs: () => [randn(4, 6)],
    forward: (m, [x]) => m.forward(x),
  }),
  moduleCase("Dropout eval", {
    build: () => new nn.Dropout(0.4),
    eval: true,
    inputs: () => [randn(4, 6)],
    forward: (m, [x]) => m.forward(x),
  }),
  moduleCase("Embedding", {
    build: () => new nn.Embedding(6, 3, { paddingIdx: 0 }),
    inputs: () => [values([2, 4], [1, 0, 5, 1, 3, 1, 0, 2], "int32")],
    forward: (m, [i]) => m.forward(i),
    noFiniteDifference: "the padding row's gradient is zero by design, not the derivative",
  }),
  moduleCase("Embedding without padding", {
    build: () => new nn.Embedding(6, 3),
    inputs: () => [values([2, 4], [1, 0, 5, 1, 3, 1, 0, 2], "int32")],
    forward: (m, [i]) => m.forward(i),
  }),
  moduleCase("RNN tanh", {
    build: () => new nn.RNN(3, 4, { ...rnnOpts, batchFirst: true }),
    inputs: () => [randn(2, 3, 3), randn(4, 2, 4)],
    forward: (m, [x, h0]) => m.forward(x, h0),
  }),
  moduleCase("RNN relu, one layer", {
    build: () => new nn.RNN(3, 2, { nonlinearity: "relu" }),
    inputs: () => [randn(3, 2, 3)],
    forward: (m, [x]) => m.forward(x),
  }),
  moduleCase("LSTM", {
    build: () => new nn.LSTM(3, 4, rnnOpts),
    inputs: () => [randn(3, 2, 3), randn(4, 2, 4), randn(4, 2, 4)],
    forward: (m, [x, h0, c0]) => m.forward(x, [h0, c0]),
  }),
  moduleCase("RNNCell, LSTMCell, GRUCell", {
    build: () => {
      const cells = [new nn.RNNCell(3, 2), new nn.LSTMCell(3, 2), new nn.GRUCell(3, 2)];
      return new nn.ModuleList(cells);
    },
    inputs: () => [randn(2, 3), randn(2, 2), randn(2, 2)],
    forward: (m, [x, h, c]) => {
      const [rnn, lstm, gru] = [...m] as [dl.nn.RNNCell, dl.nn.LSTMCell, dl.nn.GRUCell];
      return [rnn.forward(x, h), lstm.forward(x, [h, c]), gru.forward(x)];
    },
  }),
  moduleCase("GRU", {
    build: () => new nn.GRU(3, 4, { ...rnnOpts, batchFirst: true }),
    inputs: () => [randn(2, 3, 3)],
    forward: (m, [x]) => m.forward(x),
  }),
  moduleCase("MultiheadAttention self, key padding + causal bool mask", {
    build: () => new nn.MultiheadAttention(4, 2, { batchFirst: true }),
    inputs: () => [
      randn(2, 3, 4),
      bools([2, 3], [0, 0, 1, 0, 1, 0]),
      bools([3, 3], [0, 1, 1, 0, 0, 1, 0, 0, 0]),
    ],
    forward: (m, [x, kpm, mask]) => m.forward(x, x, x, { keyPaddingMask: kpm, attnMask: mask }),
  }),
  moduleCase("MultiheadAttention cross, kdim/vdim, float mask, per-head weights", {
    build: () => new nn.MultiheadAttention(4, 2, { kdim: 3, vdim: 5 }),
    inputs: () => [randn(2, 2, 4), randn(3, 2, 3), randn(3, 2, 5), randn(2, 3)],
    forward: (m, [q, k, v, mask]) =>
      m.forward(q, k, v, { attnMask: mask, averageAttnWeights: false }),
  }),
  moduleCase("TransformerEncoderLayer", {
    build: () => new nn.TransformerEncoderLayer(4, 2, { dimFeedforward: 6, dropout: 0.2 }),
    inputs: () => [randn(3, 2, 4), bools([2, 3], [0, 0, 1, 0, 0, 0])],
    forward: (m, [x, kpm]) => m.forward(x, { srcKeyPaddingMask: kpm }),
  }),
  moduleCase("TransformerDecoderLayer, norm first, gelu, causal", {
    build: () =>
      new nn.TransformerDecoderLayer(4, 2, {
        dimFeedforward: 6,
        dropout: 0,
        normFirst: true,
        activation: "gelu",
        batchFirst: true,
      }),
    inputs: () => [randn(2, 3, 4), randn(2, 2, 4)],
    forward: (m, [tgt, mem]) => m.forward(tgt, mem, { tgtIsCausal: true }),
  }),
  moduleCase("GCNConv", {
    build: () => new nn.GCNConv(3, 2),
    inputs: () => [
      randn(4, 3),
      values([2, 5], [0, 1, 1, 2, 3, 1, 0, 2, 1, 0], "int32"),
      uniform([5], 0.5, 2),
    ],
    forward: (m, [x, e, w]) => m.forward(x, e, w),
  }),
];

/** A function of tensors checked like a layer: an Identity module holds no parameters. */
const functionCase = (name: string, inputs: () => Tensor[], fn: (...xs: Tensor[]) => Tensor) =>
  moduleCase(name, { build: () => new nn.Identity(), inputs, forward: (_, xs) => fn(...xs) });

const qkv = () => [randn(2, 3, 4), randn(2, 5, 4), randn(2, 5, 3)];

const ACTIVATIONS: [string, () => dl.nn.Module & { forward(x: Tensor): Tensor }][] = [
  ["ReLU", () => new nn.ReLU()],
  ["LeakyReLU 0.2", () => new nn.LeakyReLU(0.2)],
  ["ELU 0.5", () => new nn.ELU(0.5)],
  ["GELU", () => new nn.GELU()],
  ["GELU tanh", () => new nn.GELU("tanh")],
  ["SiLU", () => new nn.SiLU()],
  ["Tanh", () => new nn.Tanh()],
  ["Sigmoid", () => new nn.Sigmoid()],
  ["Softmax(1)", () => new nn.Softmax(1)],
  ["LogSoftmax(0)", () => new nn.LogSoftmax(0)],
  ["Softplus(2, 1)", () => new nn.Softplus(2, 1)],
];

export const FUNCTION_AND_ACTIVATION_CASES: NamedCase[] = [
  functionCase("F.scaledDotProductAttention causal", qkv, (q, k, v) =>
    F.scaledDotProductAttention(q, k, v, { causal: true }),
  ),
  functionCase(
    "F.scaledDotProductAttention bool mask",
    () => [...qkv(), bools([3, 5], [1, 0, 1, 1, 0, 0, 1, 1, 1, 1, 1, 1, 0, 0, 1])],
    (q, k, v, mask) => F.scaledDotProductAttention(q, k, v, { mask }),
  ),
  functionCase("F.scaledDotProductAttention dropout (host-drawn mask)", qkv, (q, k, v) => {
    dl.manualSeed(7);
    return F.scaledDotProductAttention(q, k, v, { dropoutP: 0.3 });
  }),
  ...ACTIVATIONS.map(([name, build]) =>
    moduleCase(name, { build, inputs: () => [uniform([3, 4], -3, 3)], forward: forward1 }),
  ),
];
