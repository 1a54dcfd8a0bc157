// The one contract between the library (which builds MIME bundles) and the JupyterLab extension
// (which renders them). Dependency-free on purpose: the extension compiles this file on its own,
// so it must import nothing, and everything here must survive a round trip through JSON.
// See docs/display-protocol.md. Bump the `v1` in a MIME type for any incompatible change.

export const GRAPH_MIME = "application/vnd.dendrite.graph.v1+json";
export const TENSOR_MIME = "application/vnd.dendrite.tensor.v1+json";
export const PLOT_MIME = "application/vnd.dendrite.plot.v1+json";
/** Plotly's own type: plot bundles carry the same figure so any plotly-aware front end draws it. */
export const PLOTLY_MIME = "application/vnd.plotly.v1+json";

/** Deno's convention, used by our kernel too: `obj[JUPYTER_DISPLAY]()` returns a MimeBundle. */
export const JUPYTER_DISPLAY: unique symbol = Symbol.for("Jupyter.display");

// ---- Size caps: a bundle must stay small enough to live inside a notebook file. ----
/** Values in a tensor sample for table / heatmap / histogram views (~100 KB of JSON). */
export const MAX_SAMPLE_ELEMENTS = 16_384;
/** Values (pixels x channels, all images together) in a sample for "image"/"images" views. */
export const MAX_IMAGE_PIXELS = 65_536;
/** Points per plot trace after decimation (keep min/max envelopes as separate traces). */
export const MAX_SERIES_POINTS = 2_000;
/** Bins in a precomputed histogram. */
export const MAX_HISTOGRAM_BINS = 128;
/** Nodes in a graph payload; larger models are cut and marked `truncated`. */
export const MAX_GRAPH_NODES = 2_000;
/** Soft limit for a whole bundle, all MIME types together, in bytes of JSON. */
export const MAX_BUNDLE_BYTES = 1_048_576;

/** A tensor shape; `null` marks a dimension unknown when the graph was traced (rare). */
export type Shape = (number | null)[];

// ---- Graph: the layer diagram of a Module ----
export interface GraphNode {
  /** Unique within the payload; referenced by edges and by `parent`. */
  id: string;
  /** Class or role: "Linear", "Conv2d", "Sequential", or "input" / "output" / "op" for graph ends and free ops. */
  kind: string;
  /** PyTorch-style dotted path ("encoder.layers.0"), or a label for inputs, outputs and ops. */
  name: string;
  /** Constructor settings worth showing (inFeatures, kernelSize, ...). Plain JSON values only. */
  /** The module's constructor arguments by PyTorch's names (Module.attrs()). */
  attrs: Record<string, string | number | boolean | null | (number | null)[]>;
  inputShapes: Shape[];
  outputShapes: Shape[];
  /** Parameters of this node including all its descendants, so a collapsed container shows its total. */
  numParameters: number;
  /** True when any of its parameters requires grad (false for parameter-free nodes). */
  trainable: boolean;
  /** Id of the enclosing container node, or null at top level. Containers have no edges of their own. */
  parent: string | null;
}

export interface GraphEdge {
  /** Ids of leaf nodes (nodes no other node names as parent). */
  from: string;
  to: string;
  /** Shape of the tensor flowing along the edge, when traced with a sample input. */
  shape: Shape | null;
  dtype?: string;
}

export interface GraphPayload {
  /** Title of the diagram, usually the model's class name. */
  title: string;
  nodes: GraphNode[];
  edges: GraphEdge[];
  totals: {
    numParameters: number;
    trainableParameters: number;
    /** Bytes of parameter storage. */
    sizeBytes?: number;
  };
  /** Set when nodes were cut at MAX_GRAPH_NODES. */
  truncated?: boolean;
}

// ---- Tensor: stats over every element plus a bounded sample of values ----
// Each union is declared once, as a list the validators below read too.
/** The views a tensor can open in (a display hint; not the backend's strided TensorView). */
export const TENSOR_VIEW_HINTS = [
  "auto",
  "heatmap",
  "image",
  "images",
  "histogram",
  "table",
] as const;
export type TensorViewHint = (typeof TENSOR_VIEW_HINTS)[number];
/** JSON has no NaN or Infinity: non-finite values travel as these strings. */
export const NON_FINITE_VALUES = ["NaN", "Infinity", "-Infinity"] as const;
export type SampleValue = number | (typeof NON_FINITE_VALUES)[number];
export const SAMPLE_METHODS = ["full", "head", "strided"] as const;
export const CHANNEL_LAYOUTS = ["first", "last", "none"] as const;

export interface TensorStats {
  /** Over the finite elements; null when there are none (empty or all NaN/Inf). */
  min: number | null;
  max: number | null;
  mean: number | null;
  std: number | null;
  nanCount: number;
  infCount: number;
}

export interface TensorSample {
  /**
   * How the values were chosen. "full": every element. "head": the leading block of each
   * dimension. "strided": every step[d]-th index along dimension d. In all cases the sample is a
   * regular grid: sample index (i0, i1, ...) is tensor index (i0*step0, i1*step1, ...).
   */
  method: (typeof SAMPLE_METHODS)[number];
  /** Shape of the sample; values.length is its product (1 for a scalar, shape []). */
  shape: number[];
  /** Index step per dimension in the original tensor (all 1 for "full" and "head"). */
  step: number[];
  /** Row-major values. Booleans as 0/1. */
  values: SampleValue[];
}

export interface TensorHistogram {
  /** Edges of equal-width bins from `min` to `max`, over every finite element (not only the sample). */
  min: number;
  max: number;
  counts: number[];
}

export interface TensorPayload {
  /** Variable name or label, when the caller gave one. */
  name?: string;
  shape: number[];
  dtype: string;
  device: string;
  requiresGrad?: boolean;
  stats: TensorStats;
  sample: TensorSample;
  histogram?: TensorHistogram;
  /** The view to open first; "auto" lets the renderer choose from the shape. */
  view: TensorViewHint;
  /** For image views: channel axis position and the value range mapped to black..white. */
  channels?: (typeof CHANNEL_LAYOUTS)[number];
  valueRange?: [number, number];
}

// ---- Plot: a plotly figure plus what it shows ----
export const PLOT_KINDS = ["curves", "confusion", "attention", "embedding", "generic"] as const;
export type PlotKind = (typeof PLOT_KINDS)[number];

/** A plotly trace; kept loose because the extension hands it to plotly.js untouched. */
export type PlotTrace = { type?: string } & Record<string, unknown>;

export interface PlotlyFigure {
  data: PlotTrace[];
  /** Leave colours and fonts unset: the renderer applies the JupyterLab light/dark theme. */
  layout: Record<string, unknown>;
  config?: Record<string, unknown>;
}

export interface PlotPayload extends PlotlyFigure {
  kind: PlotKind;
  /** For live plots: the last step pushed, shown while training runs. */
  step?: number;
}

/** A display bundle. text/plain always; a static picture for front ends without the extension. */
export interface MimeBundle {
  "text/plain": string;
  "text/html"?: string;
  "image/svg+xml"?: string;
  [GRAPH_MIME]?: GraphPayload;
  [TENSOR_MIME]?: TensorPayload;
  [PLOT_MIME]?: PlotPayload;
  [PLOTLY_MIME]?: PlotlyFigure;
  [mime: string]: unknown;
}

export interface Displayable {
  [JUPYTER_DISPLAY](): MimeBundle;
}

// ---- Validators: pure, returning readable errors ([] when valid) for renderers to show. ----
type Obj = Record<string, unknown>;
const isObj = (x: unknown): x is Obj => typeof x === "object" && x !== null && !Array.isArray(x);
const isNum = (x: unknown): x is number => typeof x === "number" && Number.isFinite(x);
const isCount = (x: unknown): x is number => isNum(x) && x >= 0 && Number.isInteger(x);
const isShape = (x: unknown): boolean =>
  Array.isArray(x) && x.every((d) => d === null || isCount(d));
const isSampleValue = (x: unknown): boolean =>
  isNum(x) || (NON_FINITE_VALUES as readonly unknown[]).includes(x);
const numOrNull = (x: unknown): boolean => x === null || isNum(x);
const idOrNull = (x: unknown): boolean => x === null || typeof x === "string";
const isHistogram = (h: unknown): boolean =>
  isObj(h) && isNum(h.min) && isNum(h.max) && Array.isArray(h.counts) && h.counts.every(isCount);

function need(errors: string[], ok: boolean, what: string): void {
  if (!ok) errors.push(what);
}

export function validateGraphPayload(x: unknown): string[] {
  if (!isObj(x)) return ["graph payload is not an object"];
  const e: string[] = [];
  need(e, typeof x.title === "string", "graph.title must be a string");
  if (!Array.isArray(x.nodes)) return [...e, "graph.nodes must be an array"];
  if (!Array.isArray(x.edges)) return [...e, "graph.edges must be an array"];
  const ids = new Set<string>();
  x.nodes.forEach((n: unknown, i) => {
    const at = `graph.nodes[${i}]`;
    if (!isObj(n)) return e.push(`${at} is not an object`);
    if (typeof n.id !== "string") e.push(`${at}.id must be a string`);
    else if (ids.has(n.id)) e.push(`${at}.id "${n.id}" is repeated`);
    else ids.add(n.id);
    need(e, typeof n.kind === "string", `${at}.kind must be a string`);
    need(e, typeof n.name === "string", `${at}.name must be a string`);
    need(e, isObj(n.attrs), `${at}.attrs must be an object`);
    for (const k of ["inputShapes", "outputShapes"] as const) {
      const s = n[k];
      need(e, Array.isArray(s) && s.every(isShape), `${at}.${k} must be a list of shapes`);
    }
    need(e, isCount(n.numParameters), `${at}.numParameters must be a count`);
    need(e, typeof n.trainable === "boolean", `${at}.trainable must be a boolean`);
    need(e, idOrNull(n.parent), `${at}.parent must be an id or null`);
  });
  x.nodes.forEach((n: unknown, i) => {
    if (isObj(n) && typeof n.parent === "string" && !ids.has(n.parent))
      e.push(`graph.nodes[${i}].parent "${n.parent}" names no node`);
  });
  x.edges.forEach((d: unknown, i) => {
    const at = `graph.edges[${i}]`;
    if (!isObj(d)) return e.push(`${at} is not an object`);
    for (const k of ["from", "to"] as const) {
      const id = d[k];
      need(e, typeof id === "string" && ids.has(id), `${at}.${k} must name a node`);
    }
    need(e, d.shape === null || isShape(d.shape), `${at}.shape must be a shape or null`);
  });
  const t = x.totals;
  need(
    e,
    isObj(t) && isCount(t.numParameters) && isCount(t.trainableParameters),
    "graph.totals must hold numParameters and trainableParameters counts",
  );
  return e.slice(0, 20);
}

const product = (s: number[]): number => s.reduce((a, b) => a * b, 1);

export function validateTensorPayload(x: unknown): string[] {
  if (!isObj(x)) return ["tensor payload is not an object"];
  const e: string[] = [];
  need(e, Array.isArray(x.shape) && x.shape.every(isCount), "tensor.shape must be a list of sizes");
  need(e, typeof x.dtype === "string", "tensor.dtype must be a string");
  need(e, typeof x.device === "string", "tensor.device must be a string");
  const view = (TENSOR_VIEW_HINTS as readonly unknown[]).includes(x.view);
  need(e, view, `tensor.view must be one of ${TENSOR_VIEW_HINTS.join(", ")}`);
  const st = x.stats;
  if (!isObj(st)) e.push("tensor.stats must be an object");
  else {
    for (const k of ["min", "max", "mean", "std"])
      need(e, numOrNull(st[k]), `tensor.stats.${k} must be a number or null`);
    const counts = isCount(st.nanCount) && isCount(st.infCount);
    need(e, counts, "tensor.stats NaN/Inf counts must be counts");
  }
  const s = x.sample;
  if (!isObj(s)) return [...e, "tensor.sample must be an object"];
  const method = (SAMPLE_METHODS as readonly unknown[]).includes(s.method);
  need(e, method, `tensor.sample.method must be one of ${SAMPLE_METHODS.join(", ")}`);
  const shapeOk = Array.isArray(s.shape) && s.shape.every(isCount);
  need(e, shapeOk, "tensor.sample.shape must be a list of sizes");
  const steps = Array.isArray(s.step) && s.step.every(isCount) ? s.step.length : -1;
  need(e, steps === (s.shape as unknown[])?.length, "tensor.sample.step needs one step per dim");
  if (!Array.isArray(s.values) || !s.values.every(isSampleValue))
    e.push("tensor.sample.values must be numbers or NaN/Infinity strings");
  else {
    const n = s.values.length;
    const want = shapeOk ? product(s.shape as number[]) : n;
    const cap = x.view === "image" || x.view === "images" ? MAX_IMAGE_PIXELS : MAX_SAMPLE_ELEMENTS;
    if (n !== want) e.push(`tensor.sample.values has ${n} values, its shape needs ${want}`);
    else need(e, n <= cap, `tensor.sample has ${n} values, over the cap of ${cap}`);
  }
  const hist = x.histogram === undefined || isHistogram(x.histogram);
  need(e, hist, "tensor.histogram must hold min, max and counts");
  return e.slice(0, 20);
}

export function validatePlotPayload(x: unknown): string[] {
  if (!isObj(x)) return ["plot payload is not an object"];
  const e: string[] = [];
  // A plotly-only bundle has no kind; treat a missing kind as generic rather than failing.
  const kind = x.kind === undefined || (PLOT_KINDS as readonly unknown[]).includes(x.kind);
  need(e, kind, `plot.kind must be one of ${PLOT_KINDS.join(", ")}`);
  if (!Array.isArray(x.data)) e.push("plot.data must be an array of traces");
  else x.data.forEach((t: unknown, i) => need(e, isObj(t), `plot.data[${i}] is not an object`));
  need(e, x.layout === undefined || isObj(x.layout), "plot.layout must be an object");
  need(e, x.config === undefined || isObj(x.config), "plot.config must be an object");
  return e.slice(0, 20);
}

export const isGraphPayload = (x: unknown): x is GraphPayload =>
  validateGraphPayload(x).length === 0;
export const isTensorPayload = (x: unknown): x is TensorPayload =>
  validateTensorPayload(x).length === 0;
export const isPlotPayload = (x: unknown): x is PlotPayload => validatePlotPayload(x).length === 0;
