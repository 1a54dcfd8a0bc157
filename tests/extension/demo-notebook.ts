// Builds notebooks/display-demo.ipynb: one cell per renderer, publishing hand-written bundles
// through the kernel's display path, with the outputs pre-recorded so the saved notebook also
// shows what it draws before it is run. When dl.viz lands, each `displayable(...)` becomes the
// dl.viz call noted in its cell and the payload literals go away.
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

// Cells are type-checked by TypeScript 5.0 in the kernel; keep the helpers plain. `display` is
// the kernel's global (kernel/display.ts); objects display themselves through the
// Symbol.for("Jupyter.display") convention, exactly as dl.viz results will.
const HELPER = `// Wraps a hand-written bundle as a displayable object, the way dl.viz results are.
function displayable(bundle: Record<string, unknown>) {
  return { [Symbol.for("Jupyter.display")]: () => bundle };
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
    code(
      `// dl.viz.graph(model, sampleInput)\ndisplayable(${literal(bundles.graph)});\n`,
      bundles.graph,
    ),
    code(
      `// dl.viz.tensor(weights, { as: "heatmap" })\ndisplayable(${literal(bundles.heatmap)});\n`,
      bundles.heatmap,
    ),
    code(
      `// dl.viz.tensor(digits, { as: "images" })\ndisplayable(${literal(bundles.images)});\n`,
      bundles.images,
    ),
    code(
      `// dl.viz.tensor(v)  (strided sample with NaN and Inf)\ndisplayable(${literal(bundles.vector)});\n`,
      bundles.vector,
    ),
    code(CURVES),
    code(
      `// const plot = dl.viz.livePlot(); plot.push(step, { loss, accuracy })\n` +
        `const live = display(displayable(curves(1)), { displayId: ${literal(LIVE_DISPLAY_ID)} });\n` +
        `for (let n = 2; n <= ${LIVE_STEPS}; n++) {\n` +
        `  await sleep(200);\n` +
        `  live.update(displayable(curves(n)));\n}\n`,
      plotBundle(curvesPlot(LIVE_STEPS)),
    ),
    markdown(
      "## The same views from the library\n\nReal `dl.viz` bundles, drawn by the same renderers.\n",
    ),
    code(
      `dl.manualSeed(0);\n` +
        `const model = new dl.nn.Sequential(\n` +
        `  new dl.nn.Linear(784, 128),\n  new dl.nn.ReLU(),\n  new dl.nn.Linear(128, 10),\n);\n` +
        `dl.viz.graph(model, dl.randn([32, 784]));\n`,
    ),
    code(`dl.viz.tensor(dl.randn([16, 24]), { as: "heatmap" });\n`),
    code(
      `const plot = dl.viz.livePlot({ title: "loss", throttleMs: 100 });\n` +
        `for (let step = 1; step <= ${LIVE_STEPS}; step++) {\n` +
        `  plot.push(step, { loss: Math.exp(-step / 10) });\n  await sleep(50);\n}\n` +
        `void plot.done();\n`,
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
