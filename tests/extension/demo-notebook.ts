// Builds notebooks/display-demo.ipynb: one cell per renderer, publishing bundles through tslab
// (the kernel's own display path is not ready yet), with the outputs pre-recorded so the saved
// notebook also shows what it draws before it is run. When dl.viz lands, each cell's `show(...)`
// becomes a dl.viz call (noted in the cell) and the payload literals go away.
import {
  GRAPH_MIME,
  PLOT_MIME,
  PLOTLY_MIME,
  TENSOR_MIME,
  type MimeBundle,
  type PlotPayload,
} from "../../src/display/protocol.js";
import { curvesPlot, imageBatchTensor, matrixTensor, mlpGraph, vectorTensor } from "./fixtures.js";

export const DEMO_PATH = "notebooks/display-demo.ipynb";
export const LIVE_STEPS = 30;
export const LIVE_DISPLAY_ID = "dendrite-demo-live-plot";

type Cell = Record<string, unknown>;

const lines = (src: string) => src.split(/(?<=\n)/);

function markdown(src: string): Cell {
  return { cell_type: "markdown", metadata: {}, source: lines(src) };
}

function code(src: string, bundle?: MimeBundle): Cell {
  const outputs = bundle ? [{ output_type: "display_data", data: bundle, metadata: {} }] : [];
  return { cell_type: "code", execution_count: null, metadata: {}, outputs, source: lines(src) };
}

const plotBundle = (p: PlotPayload): MimeBundle => ({
  "text/plain": `Plot(${p.kind}, step ${p.step ?? "-"})`,
  [PLOT_MIME]: p,
  [PLOTLY_MIME]: { data: p.data, layout: p.layout },
});

const bundles = {
  graph: { "text/plain": "MLP (235,146 parameters)", [GRAPH_MIME]: mlpGraph() },
  heatmap: { "text/plain": "tensor(float32[12, 16])", [TENSOR_MIME]: matrixTensor() },
  images: { "text/plain": "tensor(float32[6, 1, 8, 8])", [TENSOR_MIME]: imageBatchTensor() },
  vector: { "text/plain": "tensor(float32[16])", [TENSOR_MIME]: vectorTensor() },
} satisfies Record<string, MimeBundle>;

const literal = (x: unknown) => JSON.stringify(x);

// tslab type-checks cells with TypeScript 5.0; keep the helper plain.
const HELPER = `// Publishes a whole MIME bundle (tslab's public display API sends one type at a time).
const jupyter = require("tslab/dist/jupyter");
function show(bundle: Record<string, unknown>, displayId?: string, update = false): void {
  const transient = displayId ? { display_id: displayId } : {};
  jupyter.lastWriteDisplayData({ data: bundle, metadata: {}, transient }, update);
}
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
`;

const CURVES = `// Training curves after n steps (the same figure dl.viz.livePlot pushes).
function curves(n: number): Record<string, unknown> {
  const x = Array.from({ length: n }, (_, i) => i + 1);
  const loss = x.map((s) => Number((2.3 * Math.exp(-s / 15) + 0.1).toFixed(4)));
  const acc = x.map((s) => Number((1 - 0.9 * Math.exp(-s / 12)).toFixed(4)));
  const fig: any = ${literal({ ...curvesPlot(1), data: [], step: undefined })};
  fig.step = n;
  fig.data = [
    { type: "scatter", mode: "lines", name: "loss", x, y: loss },
    { type: "scatter", mode: "lines", name: "accuracy", x, y: acc, yaxis: "y2" },
  ];
  return { "text/plain": "Plot(curves, step " + n + ")", ${literal(PLOT_MIME)}: fig, ${literal(PLOTLY_MIME)}: { data: fig.data, layout: fig.layout } };
}
`;

export function buildDemoNotebook(): Record<string, unknown> {
  const cells: Cell[] = [
    markdown(
      "# Display demo\n\nOne output per Dendrite renderer: a layer diagram, tensor views and a live plot. " +
        "Until `dl.viz` builds these bundles, the cells publish hand-written payloads of the same shape.\n",
    ),
    code(HELPER),
    code(`// dl.viz.graph(model, sampleInput)\nshow(${literal(bundles.graph)});\n`, bundles.graph),
    code(
      `// dl.viz.tensor(weights, { as: "heatmap" })\nshow(${literal(bundles.heatmap)});\n`,
      bundles.heatmap,
    ),
    code(
      `// dl.viz.tensor(digits, { as: "images" })\nshow(${literal(bundles.images)});\n`,
      bundles.images,
    ),
    code(
      `// dl.viz.tensor(v)  (strided sample with NaN and Inf)\nshow(${literal(bundles.vector)});\n`,
      bundles.vector,
    ),
    code(CURVES),
    code(
      `// const plot = dl.viz.livePlot(); plot.push(step, { loss, accuracy })\n` +
        `for (let n = 1; n <= ${LIVE_STEPS}; n++) {\n` +
        `  show(curves(n), ${literal(LIVE_DISPLAY_ID)}, n > 1);\n` +
        `  await sleep(200);\n}\n`,
      plotBundle(curvesPlot(LIVE_STEPS)),
    ),
  ];
  // nbformat 4.5 wants stable cell ids.
  cells.forEach((c, i) => (c.id = `demo-${i}`));
  return {
    cells,
    metadata: {
      kernelspec: {
        name: "dendrite",
        display_name: "Dendrite (TypeScript)",
        language: "typescript",
      },
      language_info: { name: "typescript", file_extension: ".ts", mimetype: "text/typescript" },
    },
    nbformat: 4,
    nbformat_minor: 5,
  };
}

export function demoNotebookText(): string {
  return `${JSON.stringify(buildDemoNotebook(), null, 1)}\n`;
}
