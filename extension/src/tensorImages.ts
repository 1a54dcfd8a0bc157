// Image views: one image ([H, W], [C, H, W], [H, W, C]) or a grid of them (a leading batch
// dimension). Values are mapped through the payload's valueRange (else min..max) to 0..255.
import type { TensorPayload } from "../../src/display/protocol.js";
import { normalise } from "./colormap.js";
import { Tooltip, h, localPoint } from "./dom.js";
import { formatValue } from "./format.js";
import { toImages, valueRange, type ImageSet } from "./tensorData.js";

/** Most images drawn in a grid; the sample is already capped, this keeps the DOM light. */
export const MAX_GRID_IMAGES = 64;

export function imagesView(
  p: TensorPayload,
  values: Float64Array,
  batch: boolean,
  tooltip: Tooltip,
  host: HTMLElement,
): HTMLElement {
  const set = toImages(p, values, batch);
  const [lo, hi] = valueRange(p, values);
  const scale = Math.max(
    1,
    Math.min(8, Math.floor((batch ? 96 : 320) / Math.max(set.height, set.width, 1))),
  );
  const grid = h("div", { class: batch ? "dd-image-grid" : "dd-image-single" });
  const n = Math.min(set.count, MAX_GRID_IMAGES);
  const step = p.sample.step[0] ?? 1;
  for (let i = 0; i < n; i++) {
    const canvas = drawImage(set, i, lo, hi);
    canvas.style.width = `${set.width * scale}px`;
    canvas.addEventListener("mousemove", (ev) => {
      const r = canvas.getBoundingClientRect();
      const pt = localPoint(ev, canvas);
      const x = Math.floor((pt.x / (r.width || 1)) * set.width);
      const y = Math.floor((pt.y / (r.height || 1)) * set.height);
      if (x < 0 || y < 0 || x >= set.width || y >= set.height) return tooltip.hide();
      const vals = Array.from({ length: set.channels }, (_, ch) =>
        formatValue(set.at(i, y, x, ch)),
      );
      const at = localPoint(ev, host);
      const where = batch ? `image ${i * step}, ` : "";
      tooltip.show([`${where}(y ${y}, x ${x}) = ${vals.join(", ")}`], at.x, at.y);
    });
    canvas.addEventListener("mouseleave", () => tooltip.hide());
    const label = batch ? h("div", { class: "dd-image-label" }, String(i * step)) : null;
    grid.appendChild(h("figure", { class: "dd-image" }, canvas, label));
  }
  return grid;
}

function drawImage(set: ImageSet, i: number, lo: number, hi: number): HTMLCanvasElement {
  const canvas = h("canvas", { class: "dd-image-canvas", width: set.width, height: set.height });
  const ctx = canvas.getContext("2d");
  if (!ctx) return canvas;
  const img = ctx.createImageData(set.width, set.height);
  const byte = (v: number) => {
    const t = normalise(v, lo, hi);
    return Number.isNaN(t) ? 0 : Math.round(Math.min(1, Math.max(0, t)) * 255);
  };
  for (let y = 0; y < set.height; y++) {
    for (let x = 0; x < set.width; x++) {
      const o = (y * set.width + x) * 4;
      if (set.channels >= 3) {
        for (let ch = 0; ch < 3; ch++) img.data[o + ch] = byte(set.at(i, y, x, ch));
        img.data[o + 3] = set.channels === 4 ? byte(set.at(i, y, x, 3)) : 255;
      } else {
        const g = byte(set.at(i, y, x, 0));
        img.data.set([g, g, g, 255], o);
      }
    }
  }
  ctx.putImageData(img, 0, 0);
  return canvas;
}
