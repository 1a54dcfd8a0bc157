// dl.viz.heatmap: a matrix as a labelled heatmap — gate activations over time, a Q-table, any
// [rows, columns] table a person would rather see as colour than read as numbers.
import type { Tensor } from "../tensor/tensor.js";
import { fail, fmtShape } from "../tensor/errors.js";
import { plotBundle } from "../display/plot-bundle.js";
import type { MimeBundle } from "../display/protocol.js";
import { Display } from "./displayable.js";

/** Options of {@link heatmap}. */
export interface HeatmapOptions {
  /** Title above the chart. */
  title?: string;
  /** One label per column / per row (numbers 0, 1, 2, ... when absent). */
  xLabels?: (string | number)[];
  /** One label per row (numbers when absent). */
  yLabels?: (string | number)[];
  /** Axis titles. */
  xLabel?: string;
  /** Title of the y axis. */
  yLabel?: string;
  /** A plotly colour scale name (default "Viridis"; "RdBu" suits values around zero). */
  colorscale?: string;
  /** Fix the colour range, e.g. [0, 1] for gates, so several heatmaps compare. */
  range?: [number, number];
  /** Print each value in its cell (for small tables), with this many decimals. */
  decimals?: number;
}

function heatmapBundle(shape: readonly number[], data: ArrayLike<number>, o: HeatmapOptions) {
  const [rows, cols] = shape;
  const z = Array.from({ length: rows }, (_, r) =>
    Array.from({ length: cols }, (_, c) => Number(data[r * cols + c])),
  );
  const trace: Record<string, unknown> = {
    type: "heatmap",
    z,
    colorscale: o.colorscale ?? "Viridis",
    ...(o.xLabels ? { x: o.xLabels.map(String) } : {}),
    ...(o.yLabels ? { y: o.yLabels.map(String) } : {}),
    ...(o.range ? { zmin: o.range[0], zmax: o.range[1] } : {}),
  };
  if (o.decimals !== undefined) {
    trace.text = z.map((row) => row.map((v) => v.toFixed(o.decimals)));
    trace.texttemplate = "%{text}";
  }
  const layout = {
    ...(o.title ? { title: { text: o.title } } : {}),
    xaxis: { title: { text: o.xLabel ?? "" } },
    // Row 0 on top, as the matrix is written.
    yaxis: { title: { text: o.yLabel ?? "" }, autorange: "reversed" },
  };
  const text = `heatmap${o.title ? ` "${o.title}"` : ""} ${fmtShape(shape)}`;
  return plotBundle({ data: [trace], layout }, "generic", text);
}

/** A 2-D tensor [rows, columns] drawn as a heatmap with optional row and column labels. */
export function heatmap(t: Tensor, opts: HeatmapOptions = {}): Display {
  if (t.ndim !== 2)
    fail("viz.heatmap", `expected a 2-D tensor [rows, columns], got ${fmtShape(t.shape)}`);
  const [rows, cols] = t.shape;
  if (opts.xLabels && opts.xLabels.length !== cols)
    fail(
      "viz.heatmap",
      `${opts.xLabels.length} xLabels for ${cols} columns of ${fmtShape(t.shape)}`,
    );
  if (opts.yLabels && opts.yLabels.length !== rows)
    fail("viz.heatmap", `${opts.yLabels.length} yLabels for ${rows} rows of ${fmtShape(t.shape)}`);
  const shape = [...t.shape];
  if (t.backend.readSync) {
    const now = heatmapBundle(shape, t.dataSync(), opts);
    return new Display(() => now);
  }
  let pending: Promise<MimeBundle> | null = null;
  return new Display(() => (pending ??= t.data().then((d) => heatmapBundle(shape, d, opts))));
}
