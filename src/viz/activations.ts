// dl.viz.activations: one forward/backward pass with hooks on every leaf layer, showing what
// each layer outputs (statistics and activation maps of the first example) and how large
// its parameters' gradients are. Gradients come from dl.grad, so .grad is left untouched.
import { Tensor } from "../tensor/tensor.js";
import type { Module } from "../nn/module.js";
import { grad } from "../autograd/grad.js";
import { noGrad } from "../autograd/mode.js";
import { fmtShape } from "../tensor/errors.js";
import { plotBundle } from "../display/plot-bundle.js";
import { escapeXml, heatmapSvg, imagesSvg } from "../display/svg.js";
import { tensorStats } from "../display/tensor-bundle.js";
import type { MimeBundle } from "../display/protocol.js";
import type { TypedArray } from "../tensor/dtype.js";
import { Display } from "./displayable.js";

/** Feature maps drawn per layer in the static picture. */
const MAPS_PER_LAYER = 8;

/** One layer's row in {@link activations}. */
export interface LayerActivation {
  /** The layer's dotted name. */
  name: string;
  /** The layer's class. */
  kind: string;
  /** The output's shape. */
  shape: number[];
  /** Mean of the output. */
  mean: number;
  /** Standard deviation of the output. */
  std: number;
  /** Fraction of exactly-zero outputs (dead ReLUs show up here). */
  zeroFraction: number;
  /** L2 norm of the gradients of this layer's own parameters (null without parameters). */
  gradNorm: number | null;
  /** An SVG drawing of the output (feature maps or a histogram). */
  picture: string;
}

/** Options of {@link activations}. */
export interface ActivationOptions {
  /** The scalar to differentiate (default: the sum of the output). */
  loss?: (output: Tensor) => Tensor;
}

function picture(t: Tensor, values: Float32Array): string {
  if (t.ndim === 4) {
    const [, c, h, w] = t.shape;
    const maps = Array.from({ length: Math.min(c, MAPS_PER_LAYER) }, (_, k) =>
      values.subarray(k * h * w, (k + 1) * h * w),
    );
    return imagesSvg(maps, h, w);
  }
  const width = t.ndim >= 2 ? t.size / t.shape[0] : t.size;
  return heatmapSvg(values.subarray(0, width), 1, width, { maxSide: 400 });
}

function leafLayers(model: Module): [string, Module][] {
  const leaves = model
    .namedModules()
    .filter(([n, m]) => n !== "" && m.namedChildren().length === 0);
  return leaves.length ? leaves : [[model.constructor.name, model]];
}

/** One hooked layer's output and the gradients of its own parameters, not yet read. */
interface RawLayer {
  name: string;
  layer: Module;
  out: Tensor;
  grads: Tensor[];
}

/** The forward/backward pass with hooks: every leaf layer's output and its parameters' grads. */
function runHooked(model: Module, input: Tensor, opts: ActivationOptions): RawLayer[] {
  const outputs = new Map<string, Tensor>();
  const layers = leafLayers(model);
  const removers = layers.map(([name, m]) =>
    m.registerForwardHook((_m, _in, out) => {
      if (out instanceof Tensor && !outputs.has(name)) outputs.set(name, out);
    }),
  );
  const params = model.parameters().filter((p) => p.requiresGrad);
  let grads: Tensor[] = [];
  try {
    const lossOf = opts.loss ?? ((y: Tensor) => y.sum());
    grads = params.length
      ? grad(() => lossOf(model.forward(input)), params)
      : (noGrad(() => model.forward(input)), []);
  } finally {
    removers.forEach((r) => r());
  }
  const gradOf = new Map(params.map((p, i) => [p, grads[i]]));
  return layers
    .filter(([name]) => outputs.has(name))
    .map(([name, layer]) => ({
      name,
      layer,
      out: outputs.get(name)!,
      grads: layer.parameters().flatMap((p) => gradOf.get(p) ?? []),
    }));
}

/** A layer's row from its output's values and its parameters' squared gradient sums. */
function summarise(raw: RawLayer, read: TypedArray, gradSquares: number[]): LayerActivation {
  const { name, layer, out } = raw;
  const values = Float32Array.from(read);
  const stats = tensorStats(values);
  const zeros = values.reduce((n, v) => n + (v === 0 ? 1 : 0), 0);
  const firstExample = out.ndim >= 2 ? values.subarray(0, out.size / out.shape[0]) : values;
  return {
    name,
    kind: layer.constructor.name,
    shape: [...out.shape],
    mean: stats.mean ?? NaN,
    std: stats.std ?? NaN,
    zeroFraction: values.length ? zeros / values.length : 0,
    gradNorm: raw.grads.length ? Math.sqrt(gradSquares.reduce((a, b) => a + b, 0)) : null,
    picture: picture(out, firstExample),
  };
}

const squaredSum = (g: Tensor) => g.square().sum();

/** {@link activations}' rows, read synchronously: CPU tensors only. */
export function collectActivations(
  model: Module,
  input: Tensor,
  opts: ActivationOptions = {},
): LayerActivation[] {
  return runHooked(model, input, opts).map((raw) =>
    summarise(
      raw,
      raw.out.dataSync(),
      raw.grads.map((g) => squaredSum(g).itemSync()),
    ),
  );
}

/** {@link activations}' rows, read asynchronously: every device (a GPU's reads wait for it). */
export async function collectActivationsAsync(
  model: Module,
  input: Tensor,
  opts: ActivationOptions = {},
): Promise<LayerActivation[]> {
  const raws = runHooked(model, input, opts);
  return Promise.all(
    raws.map(async (raw) =>
      summarise(
        raw,
        await raw.out.data(),
        await Promise.all(raw.grads.map((g) => squaredSum(g).item())),
      ),
    ),
  );
}

function activationBundle(layers: LayerActivation[]): MimeBundle {
  const text = layers
    .map(
      (l) =>
        `${l.name.padEnd(16)} ${l.kind.padEnd(12)} ${fmtShape(l.shape).padEnd(18)} mean ${l.mean.toFixed(4)} std ${l.std.toFixed(4)} zeros ${(l.zeroFraction * 100).toFixed(1)}% grad ${l.gradNorm === null ? "-" : l.gradNorm.toExponential(3)}`,
    )
    .join("\n");
  const rows = layers
    .map(
      (l) =>
        `<tr><td>${escapeXml(l.name)}</td><td>${escapeXml(l.kind)}</td><td>${escapeXml(fmtShape(l.shape))}</td><td>${l.std.toFixed(4)}</td><td>${(l.zeroFraction * 100).toFixed(1)}%</td><td>${l.gradNorm === null ? "-" : l.gradNorm.toExponential(3)}</td><td>${l.picture}</td></tr>`,
    )
    .join("");
  const html = `<table><thead><tr><th>layer</th><th>kind</th><th>output</th><th>std</th><th>zeros</th><th>grad norm</th><th>first example</th></tr></thead><tbody>${rows}</tbody></table>`;
  const names = layers.map((l) => l.name);
  const fig = {
    data: [
      { type: "bar", name: "activation std", x: names, y: layers.map((l) => l.std) },
      {
        type: "bar",
        name: "parameter grad norm",
        x: names,
        y: layers.map((l) => l.gradNorm ?? 0),
        yaxis: "y2",
      },
    ],
    layout: {
      title: { text: "activations and gradients per layer" },
      barmode: "group",
      yaxis: { title: { text: "activation std" } },
      yaxis2: { overlaying: "y", side: "right", title: { text: "grad norm" } },
    },
  };
  const bundle = plotBundle(fig, "generic", text);
  bundle["text/html"] = html;
  delete bundle["image/svg+xml"];
  return bundle;
}

/**
 * Runs `model` on `input` with hooks and shows every layer's output statistics (mean, std, dead
 * units, gradient norm) with a picture of its activations. On the CPU the rows are read at once;
 * on a GPU they are read asynchronously (the display waits for them): `layers` fills in when
 * `ready` resolves.
 */
export function activations(
  model: Module,
  input: Tensor,
  opts: ActivationOptions = {},
): Display & {
  /** One row per layer, in forward order (on a GPU, empty until `ready` resolves). */
  layers: LayerActivation[];
  /** Resolves to `layers` once every row is read. */
  ready: Promise<LayerActivation[]>;
} {
  if (input.backend.readSync && model.parameters().every((p) => p.backend.readSync)) {
    const layers = collectActivations(model, input, opts);
    const bundle = activationBundle(layers);
    return Object.assign(new Display(() => bundle), { layers, ready: Promise.resolve(layers) });
  }
  const layers: LayerActivation[] = [];
  const ready = collectActivationsAsync(model, input, opts).then((rows) => {
    layers.push(...rows);
    return layers;
  });
  const bundle = ready.then(activationBundle);
  // A failed read rejects the display's bundle, which reports it; `ready` need not be awaited.
  ready.catch(() => undefined);
  return Object.assign(new Display(() => bundle), { layers, ready });
}
