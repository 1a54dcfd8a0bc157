// The static picture of a bar chart (plotly "bar" traces): grouped bars over shared categories,
// drawn from zero so a negative value hangs below the axis as it does in plotly.
import { escapeXml, fmtNum, PALETTE, svg } from "./svg.js";

export interface BarSeries {
  name: string;
  /** The category of each bar (a label, or a number written as one). */
  labels: string[];
  values: number[];
}

/** Categories in first-seen order across every series. */
function categoriesOf(series: BarSeries[]): string[] {
  const seen = new Set<string>();
  for (const s of series) for (const l of s.labels) seen.add(l);
  return [...seen];
}

/** Grouped bar chart of several series sharing categories, with a legend when there are two. */
export function barChartSvg(series: BarSeries[], title?: string): string {
  const w = 420;
  const h = 220;
  const pad = { l: 44, r: 10, t: title ? 22 : 10, b: 30 };
  const cats = categoriesOf(series);
  const values = series.flatMap((s) => s.values).filter(Number.isFinite);
  const y0 = Math.min(0, ...values);
  let y1 = Math.max(0, ...values);
  if (y1 === y0) y1 = y0 + 1;
  const py = (y: number) => h - pad.b - ((y - y0) / (y1 - y0)) * (h - pad.t - pad.b);
  const slot = (w - pad.l - pad.r) / Math.max(1, cats.length);
  const barW = (slot * 0.8) / Math.max(1, series.length);
  const parts = [
    `<line x1="${pad.l}" y1="${py(0).toFixed(1)}" x2="${w - pad.r}" y2="${py(0).toFixed(1)}" stroke="#888"/>`,
    `<text x="${pad.l - 4}" y="${pad.t + 8}" text-anchor="end">${escapeXml(fmtNum(y1))}</text>`,
    `<text x="${pad.l - 4}" y="${h - pad.b}" text-anchor="end">${escapeXml(fmtNum(y0))}</text>`,
  ];
  if (title) parts.push(`<text x="${pad.l}" y="14">${escapeXml(title)}</text>`);
  series.forEach((s, k) => {
    const color = PALETTE[k % PALETTE.length];
    s.labels.forEach((label, i) => {
      const v = s.values[i];
      if (!Number.isFinite(v)) return;
      const x = pad.l + cats.indexOf(label) * slot + slot * 0.1 + k * barW;
      const top = Math.min(py(v), py(0));
      const height = Math.abs(py(v) - py(0));
      parts.push(
        `<rect x="${x.toFixed(1)}" y="${top.toFixed(1)}" width="${Math.max(1, barW - 1).toFixed(1)}" height="${height.toFixed(1)}" fill="${color}"><title>${escapeXml(`${s.name} ${label}: ${fmtNum(v)}`)}</title></rect>`,
      );
    });
    if (series.length > 1)
      parts.push(
        `<text x="${w - pad.r - 4}" y="${pad.t + 12 + 12 * k}" text-anchor="end" fill="${color}">${escapeXml(s.name)}</text>`,
      );
  });
  // Every category is named when they fit; otherwise every n-th, so labels never overlap.
  const every = Math.max(1, Math.ceil((cats.length * 40) / (w - pad.l - pad.r)));
  cats.forEach((c, i) => {
    if (i % every !== 0) return;
    const x = pad.l + (i + 0.5) * slot;
    const label = c.length > 10 ? `${c.slice(0, 9)}…` : c;
    parts.push(
      `<text x="${x.toFixed(1)}" y="${h - pad.b + 14}" text-anchor="middle">${escapeXml(label)}</text>`,
    );
  });
  return svg(w, h, parts.join(""));
}
