// Hand-written payloads shaped like the library's bundles: the renderer tests use them, and so
// does the demo notebook generator until dl.viz produces the real thing.
import type {
  GraphNode,
  GraphPayload,
  PlotPayload,
  TensorPayload,
} from "../../src/display/protocol.js";

function node(
  id: string,
  kind: string,
  parent: string | null,
  extra: Partial<GraphNode> = {},
): GraphNode {
  return {
    id,
    kind,
    name: id,
    attrs: {},
    inputShapes: [],
    outputShapes: [],
    numParameters: 0,
    trainable: false,
    parent,
    ...extra,
  };
}

/** input -> encoder (Sequential: fc1, act, fc2) -> head -> output. */
export function mlpGraph(): GraphPayload {
  const lin = (id: string, inF: number, outF: number, parent: string | null): GraphNode =>
    node(id, "Linear", parent, {
      attrs: { inFeatures: inF, outFeatures: outF, bias: true },
      inputShapes: [[64, inF]],
      outputShapes: [[64, outF]],
      numParameters: inF * outF + outF,
      trainable: true,
    });
  const nodes: GraphNode[] = [
    node("input", "input", null, { name: "x", outputShapes: [[64, 784]] }),
    node("encoder", "Sequential", null, { numParameters: 200960 + 32896, trainable: true }),
    lin("encoder.0", 784, 256, "encoder"),
    node("encoder.1", "ReLU", "encoder", { inputShapes: [[64, 256]], outputShapes: [[64, 256]] }),
    lin("encoder.2", 256, 128, "encoder"),
    lin("head", 128, 10, null),
    node("output", "output", null, { name: "logits", inputShapes: [[64, 10]] }),
  ];
  const edges = [
    { from: "input", to: "encoder.0", shape: [64, 784] },
    { from: "encoder.0", to: "encoder.1", shape: [64, 256] },
    { from: "encoder.1", to: "encoder.2", shape: [64, 256] },
    { from: "encoder.2", to: "head", shape: [64, 128] },
    { from: "head", to: "output", shape: [64, 10] },
  ];
  const total = 200960 + 32896 + 1290;
  return {
    title: "MLP",
    nodes,
    edges,
    totals: { numParameters: total, trainableParameters: total, sizeBytes: total * 4 },
  };
}

function stats(values: number[]) {
  const finite = values.filter(Number.isFinite);
  const mean = finite.reduce((a, b) => a + b, 0) / finite.length;
  const std = Math.sqrt(finite.reduce((a, b) => a + (b - mean) ** 2, 0) / finite.length);
  return {
    min: Math.min(...finite),
    max: Math.max(...finite),
    mean,
    std,
    nanCount: values.filter(Number.isNaN).length,
    infCount: values.filter((v) => v === Infinity || v === -Infinity).length,
  };
}

/** A deterministic smooth 2-D field, so heatmap screenshots are recognisable. */
export function matrixTensor(rows = 12, cols = 16): TensorPayload {
  const nums: number[] = [];
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < cols; c++)
      nums.push(Number((Math.sin(r / 2) * Math.cos(c / 3)).toPrecision(4)));
  return {
    name: "weights",
    shape: [rows, cols],
    dtype: "float32",
    device: "cpu",
    stats: stats(nums),
    sample: { method: "full", shape: [rows, cols], step: [1, 1], values: nums },
    view: "heatmap",
  };
}

/** A batch of 6 tiny 8x8 greyscale "digits" (rings of growing radius). */
export function imageBatchTensor(n = 6, size = 8): TensorPayload {
  const values: number[] = [];
  for (let i = 0; i < n; i++)
    for (let y = 0; y < size; y++)
      for (let x = 0; x < size; x++) {
        const d = Math.hypot(x - (size - 1) / 2, y - (size - 1) / 2);
        values.push(Math.abs(d - 1 - (i * (size / 2 - 1)) / n) < 0.8 ? 1 : 0);
      }
  return {
    name: "digits",
    shape: [n, 1, size, size],
    dtype: "float32",
    device: "cpu",
    stats: stats(values),
    sample: { method: "full", shape: [n, 1, size, size], step: [1, 1, 1, 1], values },
    view: "images",
    channels: "first",
    valueRange: [0, 1],
  };
}

/** A vector with a NaN and an Inf, strided from a longer tensor. */
export function vectorTensor(): TensorPayload {
  const nums = [0.5, -1.25, 3, NaN, 2.5, Infinity, 0.125, -0.75];
  return {
    name: "v",
    shape: [16],
    dtype: "float32",
    device: "cpu",
    stats: { ...stats(nums.filter(Number.isFinite)), nanCount: 1, infCount: 1 },
    sample: {
      method: "strided",
      shape: [8],
      step: [2],
      values: nums.map((v) => (Number.isNaN(v) ? "NaN" : v === Infinity ? "Infinity" : v)),
    },
    view: "auto",
  };
}

/** Training curves after `steps` steps: the live plot of the demo notebook. */
export function curvesPlot(steps = 20): PlotPayload {
  const x = Array.from({ length: steps }, (_, i) => i + 1);
  const loss = x.map((s) => Number((2.3 * Math.exp(-s / 15) + 0.1).toFixed(4)));
  const acc = x.map((s) => Number((1 - 0.9 * Math.exp(-s / 12)).toFixed(4)));
  return {
    kind: "curves",
    step: steps,
    data: [
      { type: "scatter", mode: "lines", name: "loss", x, y: loss },
      { type: "scatter", mode: "lines", name: "accuracy", x, y: acc, yaxis: "y2" },
    ],
    layout: {
      title: { text: "Training" },
      xaxis: { title: { text: "step" } },
      yaxis: { title: { text: "loss" } },
      yaxis2: { title: { text: "accuracy" }, overlaying: "y", side: "right", range: [0, 1] },
    },
  };
}
