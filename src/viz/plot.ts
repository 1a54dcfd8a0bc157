// dl.viz.plot: a plain figure from numbers or tensors (curves, scatters, bars), for the
// pictures a notebook draws that are not training curves: a function and its derivative, data
// with a fitted line. Traces are plotly's; x and y may be arrays or 1-D tensors on any device.
import { Tensor } from "../tensor/tensor.js";
import { fail, fmtShape } from "../tensor/errors.js";
import { plotBundle } from "../display/plot-bundle.js";
import type { MimeBundle, PlotTrace } from "../display/protocol.js";
import { Display } from "./displayable.js";

type Values = ArrayLike<number> | Tensor;

/** One line (or set of markers, or bars) of {@link plot}. */
export interface PlotSeries {
  /** Legend entry. */
  name?: string;
  /** x values (default 0, 1, 2, ...), or category names. */
  x?: Values | string[];
  /** y values. */
  y: Values;
  /** "lines" (default), "markers", "lines+markers", or "bar" for a bar chart. */
  mode?: "lines" | "markers" | "lines+markers" | "bar";
  /** Any further plotly trace fields (line: { dash: "dot" }, marker: { size: 3 }...). */
  style?: Record<string, unknown>;
}

/** Options of {@link plot}. */
export interface PlotOptions {
  /** Title above the chart. */
  title?: string;
  /** Title of the x axis. */
  xLabel?: string;
  /** Title of the y axis. */
  yLabel?: string;
  /** Extra plotly layout fields, merged last. */
  layout?: Record<string, unknown>;
}

function checkValues(v: Values, what: string): void {
  if (v instanceof Tensor && v.ndim !== 1)
    fail("viz.plot", `${what} must be a 1-D tensor or an array, got ${fmtShape(v.shape)}`);
}

async function numbers(v: Values): Promise<number[]> {
  if (!(v instanceof Tensor)) return Array.from(v, Number);
  return Array.from(v.backend.readSync ? v.dataSync() : await v.data(), Number);
}

function syncNumbers(v: Values): number[] | null {
  if (!(v instanceof Tensor)) return Array.from(v, Number);
  return v.backend.readSync ? Array.from(v.dataSync(), Number) : null;
}

function trace(s: PlotSeries, x: number[] | string[], y: number[]): PlotTrace {
  const base = s.mode === "bar" ? { type: "bar" } : { type: "scatter", mode: s.mode ?? "lines" };
  return { ...base, ...(s.name ? { name: s.name } : {}), x, y, ...s.style };
}

function bundle(series: PlotSeries[], xs: (number[] | string[])[], ys: number[][], o: PlotOptions) {
  series.forEach((s, i) => {
    if (s.x !== undefined && xs[i].length !== ys[i].length)
      fail("viz.plot", `series ${i} has ${xs[i].length} x values and ${ys[i].length} y values`);
  });
  const data = series.map((s, i) => trace(s, xs[i], ys[i]));
  const layout = {
    ...(o.title ? { title: { text: o.title } } : {}),
    xaxis: { title: { text: o.xLabel ?? "" } },
    yaxis: { title: { text: o.yLabel ?? "" } },
    ...o.layout,
  };
  const names = series.map((s, i) => s.name ?? `trace ${i}`).join(", ");
  return plotBundle({ data, layout }, "generic", `plot${o.title ? ` "${o.title}"` : ""}: ${names}`);
}

const isLabels = (x: PlotSeries["x"]): x is string[] =>
  Array.isArray(x) && x.some((v) => typeof v === "string");

/**
 * A figure of one or more series; the x values default to 0, 1, 2, ...
 *
 * @example
 * ```ts
 * const x = dl.linspace(-3, 3, 50);
 * dl.viz.plot(
 *   [
 *     { name: "tanh", x, y: dl.tanh(x) },
 *     { name: "sigmoid", x, y: dl.sigmoid(x) },
 *   ],
 *   { title: "activations" },
 * );
 * ```
 */
export function plot(series: PlotSeries | PlotSeries[], opts: PlotOptions = {}): Display {
  const list = Array.isArray(series) ? series : [series];
  list.forEach((s, i) => {
    checkValues(s.y, `series ${i} y`);
    if (s.x !== undefined && !isLabels(s.x)) checkValues(s.x, `series ${i} x`);
  });
  const xOf = (s: PlotSeries, y: number[], read: (v: Values) => number[]) =>
    s.x === undefined ? y.map((_, k) => k) : isLabels(s.x) ? s.x : read(s.x);
  const now = (): MimeBundle | null => {
    const ys = list.map((s) => syncNumbers(s.y));
    const xs = list.map((s) => (s.x === undefined || isLabels(s.x) ? [] : syncNumbers(s.x)));
    if (ys.some((y) => y === null) || xs.some((x) => x === null)) return null;
    const y = ys as number[][];
    return bundle(
      list,
      list.map((s, i) => xOf(s, y[i], (v) => syncNumbers(v)!)),
      y,
      opts,
    );
  };
  const sync = now();
  let pending: Promise<MimeBundle> | null = null;
  const later = async () => {
    const ys = await Promise.all(list.map((s) => numbers(s.y)));
    const xs = await Promise.all(
      list.map(async (s, i) =>
        s.x === undefined || isLabels(s.x) ? xOf(s, ys[i], () => []) : numbers(s.x),
      ),
    );
    return bundle(list, xs, ys, opts);
  };
  return new Display(() => sync ?? (pending ??= later()));
}
