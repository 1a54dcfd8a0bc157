// Heatmap view: one canvas pixel per sampled element, scaled up with crisp edges; hovering shows
// the tensor index and value. Canvas rather than SVG because a sample may hold 16k cells.
import type { TensorPayload } from "../../src/display/protocol.js";
import { normalise, viridis } from "./colormap.js";
import { Tooltip, h, localPoint } from "./dom.js";
import { formatShape, formatValue } from "./format.js";
import { toGrid, valueRange } from "./tensorData.js";

/** Screen pixels per cell: large enough to hover, small enough to fit a notebook cell. */
export function cellSize(rows: number, cols: number): number {
  return Math.max(
    1,
    Math.min(24, Math.floor(640 / Math.max(cols, 1)), Math.floor(480 / Math.max(rows, 1))),
  );
}

export function heatmapView(
  p: TensorPayload,
  values: Float64Array,
  tooltip: Tooltip,
  host: HTMLElement,
): HTMLElement {
  const grid = toGrid(p, values);
  const [lo, hi] = valueRange(p, values);
  const canvas = h("canvas", { class: "dd-heatmap", width: grid.cols, height: grid.rows });
  const px = cellSize(grid.rows, grid.cols);
  canvas.style.width = `${grid.cols * px}px`;
  const ctx = canvas.getContext("2d");
  if (ctx && grid.rows > 0 && grid.cols > 0) {
    const img = ctx.createImageData(grid.cols, grid.rows);
    grid.values.forEach((v, i) => {
      const [r, g, b] = viridis(normalise(v, lo, hi));
      img.data.set([r, g, b, 255], i * 4);
    });
    ctx.putImageData(img, 0, 0);
  }
  canvas.addEventListener("mousemove", (ev) => {
    const rect = canvas.getBoundingClientRect();
    const pt = localPoint(ev, canvas);
    const c = Math.floor((pt.x / (rect.width || 1)) * grid.cols);
    const r = Math.floor((pt.y / (rect.height || 1)) * grid.rows);
    if (r < 0 || c < 0 || r >= grid.rows || c >= grid.cols) return tooltip.hide();
    const at = localPoint(ev, host);
    tooltip.show(
      [`${formatShape(grid.index(r, c))} = ${formatValue(grid.values[r * grid.cols + c])}`],
      at.x,
      at.y,
    );
  });
  canvas.addEventListener("mouseleave", () => tooltip.hide());
  return h("div", { class: "dd-heatmap-wrap" }, canvas, legend(lo, hi));
}

/** A colour bar with the range it spans; the gradient is built from numbers only. */
export function legend(lo: number, hi: number): HTMLElement {
  const bar = h("span", { class: "dd-legend-bar" });
  const stops = [0, 0.25, 0.5, 0.75, 1].map((t) => `rgb(${viridis(t).join(",")})`);
  bar.style.background = `linear-gradient(to right, ${stops.join(", ")})`;
  return h("div", { class: "dd-legend" }, formatValue(lo), bar, formatValue(hi));
}
