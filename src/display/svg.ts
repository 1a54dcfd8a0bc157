// Static pictures for bundles: small, script-free SVG that reads in GitHub, nbviewer and any
// JupyterLab without our extension. Every label is escaped.

export function escapeXml(s: string): string {
  return s.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!,
  );
}

export function fmtNum(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  return a !== 0 && (a >= 1e5 || a < 1e-3) ? v.toExponential(2) : String(Number(v.toPrecision(4)));
}

export function svg(width: number, height: number, body: string): string {
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" ` +
    `viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">${body}</svg>`
  );
}

/** Viridis-like ramp from dark blue (0) to yellow (1). */
export function colorRamp(t: number): string {
  const stops = [
    [68, 1, 84],
    [59, 82, 139],
    [33, 145, 140],
    [94, 201, 98],
    [253, 231, 37],
  ];
  const x = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0)) * (stops.length - 1);
  const i = Math.min(stops.length - 2, Math.floor(x));
  const f = x - i;
  const c = stops[i].map((v, k) => Math.round(v + f * (stops[i + 1][k] - v)));
  return `rgb(${c[0]},${c[1]},${c[2]})`;
}

const gray = (t: number): string => {
  const g = Math.round(255 * Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0)));
  return `rgb(${g},${g},${g})`;
};

export interface GridOptions {
  title?: string;
  grayscale?: boolean;
  maxSide?: number;
  xLabels?: string[];
  yLabels?: string[];
  /** Print each cell's value (small grids such as confusion matrices). */
  annotate?: boolean;
}

/** A heatmap of a rows×cols grid of values (row-major), scaled to its min..max. */
export function heatmapSvg(
  values: ArrayLike<number>,
  rows: number,
  cols: number,
  opts: GridOptions = {},
): string {
  const maxSide = opts.maxSide ?? 320;
  const cell = Math.max(1, Math.min(24, Math.floor(maxSide / Math.max(rows, cols, 1))));
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (Number.isFinite(v)) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
  }
  const span = hi > lo ? hi - lo : 1;
  const left = opts.yLabels ? 60 : 0;
  const top = (opts.title ? 16 : 0) + (opts.xLabels ? 14 : 0);
  const paint = opts.grayscale ? gray : colorRamp;
  const parts: string[] = [];
  if (opts.title) parts.push(`<text x="${left}" y="12">${escapeXml(opts.title)}</text>`);
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < cols; c++) {
      const v = values[r * cols + c];
      const fill = Number.isFinite(v) ? paint((v - lo) / span) : "rgb(255,0,255)";
      parts.push(
        `<rect x="${left + c * cell}" y="${top + r * cell}" width="${cell}" height="${cell}" fill="${fill}"/>`,
      );
      if (opts.annotate && cell >= 18)
        parts.push(
          `<text x="${left + c * cell + cell / 2}" y="${top + r * cell + cell / 2 + 4}" text-anchor="middle" ` +
            `font-size="9" fill="${(v - lo) / span > 0.6 ? "black" : "white"}">${escapeXml(fmtNum(v))}</text>`,
        );
    }
  opts.xLabels
    ?.slice(0, cols)
    .forEach((l, c) =>
      parts.push(
        `<text x="${left + c * cell + cell / 2}" y="${top - 3}" text-anchor="middle" font-size="9">${escapeXml(l.slice(0, 6))}</text>`,
      ),
    );
  opts.yLabels
    ?.slice(0, rows)
    .forEach((l, r) =>
      parts.push(
        `<text x="${left - 4}" y="${top + r * cell + cell / 2 + 3}" text-anchor="end" font-size="9">${escapeXml(l.slice(0, 10))}</text>`,
      ),
    );
  return svg(left + cols * cell, top + rows * cell, parts.join(""));
}

/** Several grayscale images side by side, each scaled to its own range. */
export function imagesSvg(
  images: ArrayLike<number>[],
  height: number,
  width: number,
  labels?: string[],
): string {
  const scale = Math.max(1, Math.floor(56 / Math.max(height, width)));
  const gap = 4;
  const labelH = labels ? 14 : 0;
  const perRow = Math.max(1, Math.min(images.length, 10));
  const parts: string[] = [];
  images.forEach((img, k) => {
    const ox = (k % perRow) * (width * scale + gap);
    const oy = Math.floor(k / perRow) * (height * scale + gap + labelH);
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < img.length; i++)
      if (Number.isFinite(img[i])) [lo, hi] = [Math.min(lo, img[i]), Math.max(hi, img[i])];
    const span = hi > lo ? hi - lo : 1;
    for (let y = 0; y < height; y++)
      for (let x = 0; x < width; x++)
        parts.push(
          `<rect x="${ox + x * scale}" y="${oy + y * scale}" width="${scale}" height="${scale}" fill="${gray((img[y * width + x] - lo) / span)}"/>`,
        );
    if (labels?.[k] !== undefined)
      parts.push(`<text x="${ox}" y="${oy + height * scale + 11}">${escapeXml(labels[k])}</text>`);
  });
  const rows = Math.ceil(images.length / perRow);
  return svg(
    perRow * (width * scale + gap),
    rows * (height * scale + gap + labelH),
    parts.join(""),
  );
}

export function histogramSvg(counts: number[], min: number, max: number, title?: string): string {
  const w = 320;
  const h = 120;
  const top = title ? 16 : 0;
  const peak = Math.max(1, ...counts);
  const bw = w / Math.max(1, counts.length);
  const bars = counts
    .map((c, i) => {
      const bh = (c / peak) * (h - 20);
      return `<rect x="${(i * bw).toFixed(1)}" y="${(top + h - 20 - bh).toFixed(1)}" width="${Math.max(1, bw - 1).toFixed(1)}" height="${bh.toFixed(1)}" fill="#4c78a8"/>`;
    })
    .join("");
  const axis = `<text x="0" y="${top + h - 6}">${escapeXml(fmtNum(min))}</text><text x="${w}" y="${top + h - 6}" text-anchor="end">${escapeXml(fmtNum(max))}</text>`;
  const head = title ? `<text x="0" y="12">${escapeXml(title)}</text>` : "";
  return svg(w, top + h, head + bars + axis);
}

export interface Series {
  name: string;
  x: number[];
  y: number[];
  /** Overrides the chart's mode for this series (a scatter of data under a fitted line). */
  mode?: "lines" | "markers";
}

export const PALETTE = [
  "#4c78a8",
  "#f58518",
  "#54a24b",
  "#e45756",
  "#72b7b2",
  "#b279a2",
  "#ff9da6",
  "#9d755d",
];

/**
 * The stretches of a line between missing points: a NaN (null in JSON) lifts the pen, as in
 * plotly, so one trace can draw many separate segments (the edges of a graph).
 */
function finiteRuns(xs: number[], ys: number[]): [number, number][][] {
  const runs: [number, number][][] = [[]];
  xs.forEach((x, i) => {
    if (Number.isFinite(x) && Number.isFinite(ys[i])) runs[runs.length - 1].push([x, ys[i]]);
    else if (runs[runs.length - 1].length > 0) runs.push([]);
  });
  return runs.filter((r) => r.length > 0);
}

/** Line chart of several series sharing axes, with a legend. */
export function lineChartSvg(
  series: Series[],
  title?: string,
  mode: "lines" | "markers" = "lines",
): string {
  const w = 420;
  const h = 220;
  const pad = { l: 44, r: 10, t: title ? 22 : 10, b: 24 };
  const xs = series.flatMap((s) => s.x).filter(Number.isFinite);
  const ys = series.flatMap((s) => s.y).filter(Number.isFinite);
  const [x0, x1] = [Math.min(...xs, 0), Math.max(...xs, 1)];
  let [y0, y1] = [Math.min(...ys), Math.max(...ys)];
  if (!Number.isFinite(y0)) [y0, y1] = [0, 1];
  if (y1 === y0) [y0, y1] = [y0 - 1, y1 + 1];
  const px = (x: number) => pad.l + ((x - x0) / (x1 - x0 || 1)) * (w - pad.l - pad.r);
  const py = (y: number) => h - pad.b - ((y - y0) / (y1 - y0)) * (h - pad.t - pad.b);
  const parts = [
    `<rect x="${pad.l}" y="${pad.t}" width="${w - pad.l - pad.r}" height="${h - pad.t - pad.b}" fill="none" stroke="#ccc"/>`,
    `<text x="${pad.l - 4}" y="${pad.t + 8}" text-anchor="end">${escapeXml(fmtNum(y1))}</text>`,
    `<text x="${pad.l - 4}" y="${h - pad.b}" text-anchor="end">${escapeXml(fmtNum(y0))}</text>`,
    `<text x="${pad.l}" y="${h - 8}">${escapeXml(fmtNum(x0))}</text>`,
    `<text x="${w - pad.r}" y="${h - 8}" text-anchor="end">${escapeXml(fmtNum(x1))}</text>`,
  ];
  if (title) parts.push(`<text x="${pad.l}" y="14">${escapeXml(title)}</text>`);
  series.forEach((s, k) => {
    const color = PALETTE[k % PALETTE.length];
    const pts = s.x
      .map((x, i) => [x, s.y[i]])
      .filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y));
    if ((s.mode ?? mode) === "lines")
      for (const run of finiteRuns(s.x, s.y))
        parts.push(
          `<polyline fill="none" stroke="${color}" stroke-width="1.5" points="${run.map(([x, y]) => `${px(x).toFixed(1)},${py(y).toFixed(1)}`).join(" ")}"/>`,
        );
    else
      for (const [x, y] of pts)
        parts.push(
          `<circle cx="${px(x).toFixed(1)}" cy="${py(y).toFixed(1)}" r="2" fill="${color}"/>`,
        );
    parts.push(
      `<text x="${w - pad.r - 4}" y="${pad.t + 12 + 12 * k}" text-anchor="end" fill="${color}">${escapeXml(s.name)}</text>`,
    );
  });
  return svg(w, h, parts.join(""));
}

/** A vertical stack of labelled boxes joined by arrows (the static layer diagram). */
export function boxStackSvg(boxes: { title: string; detail: string }[], title?: string): string {
  const w = 360;
  const bh = 34;
  const gap = 16;
  const top = title ? 20 : 4;
  const parts: string[] = title
    ? [`<text x="4" y="14" font-weight="bold">${escapeXml(title)}</text>`]
    : [];
  boxes.forEach((b, i) => {
    const y = top + i * (bh + gap);
    parts.push(
      `<rect x="4" y="${y}" width="${w - 8}" height="${bh}" rx="5" fill="#eef3fb" stroke="#4c78a8"/>`,
    );
    parts.push(`<text x="12" y="${y + 14}" font-weight="bold">${escapeXml(b.title)}</text>`);
    parts.push(`<text x="12" y="${y + 28}" fill="#555">${escapeXml(b.detail)}</text>`);
    if (i < boxes.length - 1)
      parts.push(
        `<line x1="${w / 2}" y1="${y + bh}" x2="${w / 2}" y2="${y + bh + gap}" stroke="#888" marker-end="url(#a)"/>`,
      );
  });
  const defs = `<defs><marker id="a" markerWidth="8" markerHeight="8" refX="4" refY="6" orient="auto"><path d="M0,0 L8,0 L4,7 z" fill="#888"/></marker></defs>`;
  return svg(w, top + boxes.length * (bh + gap), defs + parts.join(""));
}
