// dl.viz.confusionMatrix, attention and embedding: plots built from tensors on the host.
import type { Tensor } from "../tensor/tensor.js";
import { fail, fmtShape } from "../tensor/errors.js";
import { plotBundle } from "../display/plot-bundle.js";
import type { MimeBundle, PlotTrace } from "../display/protocol.js";
import { Display } from "./displayable.js";
import { pca2 } from "./pca.js";

async function values(t: Tensor): Promise<ArrayLike<number>> {
  return t.backend.readSync ? t.dataSync() : t.data();
}

function later(make: () => Promise<MimeBundle>, sync: () => MimeBundle | null): Display {
  const now = sync();
  let pending: Promise<MimeBundle> | null = null;
  return new Display(() => now ?? (pending ??= make()));
}

/** Class indices from predictions given as indices [N] or scores [N, C] (argmax). */
function classes(op: string, t: Tensor, data: ArrayLike<number>): number[] {
  if (t.ndim === 1) return Array.from(data, Number);
  if (t.ndim === 2) {
    const [n, c] = t.shape;
    return Array.from({ length: n }, (_, i) => {
      let best = 0;
      for (let k = 1; k < c; k++) if (data[i * c + k] > data[i * c + best]) best = k;
      return best;
    });
  }
  return fail(op, `expected class indices [N] or scores [N, C], got ${fmtShape(t.shape)}`);
}

export function confusionCounts(pred: number[], target: number[], numClasses: number): number[][] {
  const m = Array.from({ length: numClasses }, () => new Array<number>(numClasses).fill(0));
  pred.forEach((p, i) => {
    const t = target[i];
    if (t >= 0 && t < numClasses && p >= 0 && p < numClasses) m[t][p]++;
  });
  return m;
}

function confusionBundle(p: number[], t: number[], labels?: string[]): MimeBundle {
  if (p.length !== t.length)
    fail("confusionMatrix", `predictions (${p.length}) and targets (${t.length}) differ in length`);
  const k = labels?.length ?? Math.max(0, ...p, ...t) + 1;
  const names = labels ?? Array.from({ length: k }, (_, i) => String(i));
  const m = confusionCounts(p, t, k);
  const correct = m.reduce((s, row, i) => s + row[i], 0);
  const acc = p.length ? correct / p.length : 0;
  const trace: PlotTrace = {
    type: "heatmap",
    z: m,
    x: names,
    y: names,
    colorscale: "Blues",
    // plotly's Blues runs dark to light: reversed, the many zero cells stay pale and counts stand out
    reversescale: true,
    texttemplate: "%{z}",
    hovertemplate: "true %{y}, predicted %{x}: %{z}<extra></extra>",
  };
  const layout = {
    title: { text: `confusion matrix (accuracy ${(acc * 100).toFixed(2)}%)` },
    xaxis: { title: { text: "predicted" }, type: "category" },
    yaxis: { title: { text: "true" }, type: "category", autorange: "reversed" },
  };
  const rows = m
    .map((r, i) => `${names[i].padStart(6)} ${r.map((v) => String(v).padStart(5)).join("")}`)
    .join("\n");
  return plotBundle(
    { data: [trace], layout },
    "confusion",
    `confusion matrix, accuracy ${(acc * 100).toFixed(2)}% (rows: true, columns: predicted)\n${rows}`,
  );
}

/**
 * A confusion matrix of predicted vs true classes (int32 `[N]` each) as a heatmap, with the counts.
 */
export function confusionMatrix(pred: Tensor, target: Tensor, labels?: string[]): Display {
  const build = (pd: ArrayLike<number>, td: ArrayLike<number>) =>
    confusionBundle(
      classes("confusionMatrix", pred, pd),
      classes("confusionMatrix", target, td),
      labels,
    );
  return later(
    async () => build(await values(pred), await values(target)),
    () =>
      pred.backend.readSync && target.backend.readSync
        ? build(pred.dataSync(), target.dataSync())
        : null,
  );
}

/** Options of {@link attention}. */
export interface AttentionPlotOptions {
  /** Labels of the keys (columns). */
  xLabels?: string[];
  /** Labels of the queries (rows). */
  yLabels?: string[];
  /** Title above the chart. */
  title?: string;
}

function attentionBundle(
  shape: readonly number[],
  data: ArrayLike<number>,
  opts: AttentionPlotOptions,
): MimeBundle {
  const heads = shape.length === 3 ? shape[0] : 1;
  const [rows, cols] = shape.slice(-2);
  const traces: PlotTrace[] = [];
  const layout: Record<string, unknown> = {
    title: { text: opts.title ?? "attention" },
    grid: { rows: 1, columns: heads, pattern: "independent" },
  };
  for (let h = 0; h < heads; h++) {
    const z = Array.from({ length: rows }, (_, r) =>
      Array.from({ length: cols }, (_, c) => Number(data[h * rows * cols + r * cols + c])),
    );
    const axis = h === 0 ? "" : String(h + 1);
    traces.push({
      type: "heatmap",
      z,
      x: opts.xLabels,
      y: opts.yLabels,
      colorscale: "Viridis",
      showscale: h === heads - 1,
      xaxis: `x${axis}`,
      yaxis: `y${axis}`,
      name: `head ${h}`,
    });
    layout[`yaxis${axis}`] = { autorange: "reversed", title: { text: h === 0 ? "query" : "" } };
    layout[`xaxis${axis}`] = { title: { text: heads > 1 ? `key (head ${h})` : "key" } };
  }
  return plotBundle({ data: traces, layout }, "attention", `attention weights ${fmtShape(shape)}`);
}

/** Attention weights [queries, keys] or [heads, queries, keys] as heatmaps. */
export function attention(weights: Tensor, opts: AttentionPlotOptions = {}): Display {
  if (weights.ndim !== 2 && weights.ndim !== 3)
    fail(
      "attention",
      `expected weights [queries, keys] or [heads, queries, keys], got ${fmtShape(weights.shape)}`,
    );
  return later(
    async () => attentionBundle(weights.shape, await values(weights), opts),
    () =>
      weights.backend.readSync ? attentionBundle(weights.shape, weights.dataSync(), opts) : null,
  );
}

/** Options of {@link embedding}. */
export interface EmbeddingPlotOptions {
  /** One label per row: points with the same label form one coloured, named group. */
  labels?: (string | number)[];
  /** One word per row, written beside its point (a token, a character): say which is which. */
  text?: (string | number)[];
  /** Title above the chart. */
  title?: string;
}

function embeddingBundle(
  shape: readonly number[],
  data: ArrayLike<number>,
  opts: EmbeddingPlotOptions,
): MimeBundle {
  const [n, d] = shape;
  const { points, explained } = pca2(data, n, d);
  const groups = new Map<string, number[]>();
  for (let i = 0; i < n; i++) {
    const key = opts.labels ? String(opts.labels[i]) : "points";
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key)!.push(i);
  }
  const text = opts.text;
  const data2: PlotTrace[] = [...groups].map(([name, idx]) => ({
    type: "scatter",
    mode: text ? "markers+text" : "markers",
    name,
    x: idx.map((i) => points[2 * i]),
    y: idx.map((i) => points[2 * i + 1]),
    ...(text ? { text: idx.map((i) => String(text[i])), textposition: "top center" } : {}),
  }));
  const pct = explained.map((e) => `${(e * 100).toFixed(1)}%`);
  const layout = {
    title: { text: opts.title ?? "embedding (PCA)" },
    xaxis: { title: { text: `PC1 (${pct[0]})` } },
    yaxis: { title: { text: `PC2 (${pct[1]})` } },
  };
  return plotBundle(
    { data: data2, layout },
    "embedding",
    `PCA of ${n} vectors of dim ${d}: PC1 ${pct[0]}, PC2 ${pct[1]} of variance`,
  );
}

/** Projects rows of an [N, D] tensor onto their first two principal components. */
export function embedding(t: Tensor, opts: EmbeddingPlotOptions = {}): Display {
  if (t.ndim !== 2) fail("embedding", `expected an [N, D] tensor, got ${fmtShape(t.shape)}`);
  if (opts.labels && opts.labels.length !== t.shape[0])
    fail("embedding", `${opts.labels.length} labels for ${t.shape[0]} rows`);
  if (opts.text && opts.text.length !== t.shape[0])
    fail("embedding", `${opts.text.length} text entries for ${t.shape[0]} rows`);
  return later(
    async () => embeddingBundle(t.shape, await values(t), opts),
    () => (t.backend.readSync ? embeddingBundle(t.shape, t.dataSync(), opts) : null),
  );
}
