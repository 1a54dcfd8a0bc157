// Plot bundles: a plotly figure in our vendor type (with what it shows) and in plotly's own
// type, plus a static SVG drawn from the same traces. Long series are decimated to
// MAX_SERIES_POINTS keeping each bucket's min and max, so spikes stay visible.
import {
  MAX_SERIES_POINTS,
  PLOT_MIME,
  PLOTLY_MIME,
  type MimeBundle,
  type PlotKind,
  type PlotlyFigure,
  type PlotPayload,
  type PlotTrace,
} from "./protocol.js";
import { barChartSvg } from "./bar-svg.js";
import { heatmapSvg, lineChartSvg, type Series } from "./svg.js";

/** Min/max envelope decimation of (x, y) to at most `cap` points, order preserved. */
export function decimate(
  x: number[],
  y: number[],
  cap = MAX_SERIES_POINTS,
): { x: number[]; y: number[] } {
  if (x.length <= cap) return { x, y };
  const buckets = Math.floor(cap / 2);
  const size = x.length / buckets;
  const ox: number[] = [];
  const oy: number[] = [];
  for (let b = 0; b < buckets; b++) {
    const lo = Math.floor(b * size);
    const hi = Math.min(x.length, Math.floor((b + 1) * size));
    let iMin = lo;
    let iMax = lo;
    for (let i = lo; i < hi; i++) {
      if (y[i] < y[iMin]) iMin = i;
      if (y[i] > y[iMax]) iMax = i;
    }
    for (const i of iMin <= iMax ? [iMin, iMax] : [iMax, iMin]) {
      if (ox.length && ox[ox.length - 1] === x[i]) continue;
      ox.push(x[i]);
      oy.push(y[i]);
    }
  }
  return { x: ox, y: oy };
}

const nums = (v: unknown): number[] => (Array.isArray(v) ? v.map(Number) : []);

function staticPicture(fig: PlotlyFigure, title?: string): string | undefined {
  const heat = fig.data.find((t) => t.type === "heatmap");
  if (heat && Array.isArray(heat.z)) {
    const z = heat.z as number[][];
    const rows = z.length;
    const cols = rows ? z[0].length : 0;
    return heatmapSvg(z.flat(), rows, cols, {
      title,
      xLabels: Array.isArray(heat.x) ? (heat.x as unknown[]).map(String) : undefined,
      yLabels: Array.isArray(heat.y) ? (heat.y as unknown[]).map(String) : undefined,
      annotate: rows * cols <= 400,
    });
  }
  if (fig.data.length > 0 && fig.data.every((t) => t.type === "bar"))
    return barChartSvg(
      fig.data.map((t, i) => {
        const y = nums(t.y);
        const labels = Array.isArray(t.x) ? t.x.map(String) : y.map((_, k) => String(k));
        return { name: typeof t.name === "string" ? t.name : `trace ${i}`, labels, values: y };
      }),
      title,
    );
  const series: Series[] = fig.data
    .filter((t) => t.type === undefined || t.type === "scatter" || t.type === "scattergl")
    .map((t, i) => {
      const y = nums(t.y);
      const x = Array.isArray(t.x) ? nums(t.x) : y.map((_, k) => k);
      const mode = typeof t.mode === "string" && !t.mode.includes("lines") ? "markers" : undefined;
      return { name: typeof t.name === "string" ? t.name : `trace ${i}`, x, y, mode };
    });
  if (!series.length) return undefined;
  const markers = fig.data.every((t) => typeof t.mode === "string" && t.mode.startsWith("markers"));
  return lineChartSvg(series, title, markers ? "markers" : "lines");
}

function titleOf(layout: Record<string, unknown>): string | undefined {
  const t = layout.title;
  if (typeof t === "string") return t;
  if (t && typeof t === "object" && typeof (t as { text?: unknown }).text === "string")
    return (t as { text: string }).text;
  return undefined;
}

export function plotBundle(
  fig: PlotlyFigure,
  kind: PlotKind,
  text: string,
  step?: number,
): MimeBundle {
  const data: PlotTrace[] = fig.data.map((t) => {
    // Categorical x (bar labels) cannot be decimated as numbers: keep such traces whole.
    const categorical = Array.isArray(t.x) && t.x.some((v) => typeof v !== "number");
    if (!Array.isArray(t.y) || t.type === "heatmap" || categorical) return t;
    const y = nums(t.y);
    const x = Array.isArray(t.x) ? nums(t.x) : y.map((_, k) => k);
    return { ...t, ...decimate(x, y) };
  });
  const figure: PlotlyFigure = { ...fig, data };
  const payload: PlotPayload = { ...figure, kind, ...(step !== undefined ? { step } : {}) };
  const bundle: MimeBundle = { "text/plain": text, [PLOT_MIME]: payload, [PLOTLY_MIME]: figure };
  const svg = staticPicture(figure, titleOf(fig.layout));
  if (svg) bundle["image/svg+xml"] = svg;
  return bundle;
}
