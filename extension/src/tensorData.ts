// Pure helpers over a tensor payload's sample: decoding, choosing a view, mapping sample cells
// back to tensor indices, image geometry, and histograms. No DOM here, so it is all testable.
import type { TensorPayload, TensorViewHint } from "../../src/display/protocol.js";
import { toNumber } from "./format.js";

export type ConcreteView = Exclude<TensorViewHint, "auto">;

export interface Grid {
  rows: number;
  cols: number;
  values: Float64Array;
  /** Tensor index (not sample index) of the cell at (r, c), for hovers and table headers. */
  index(r: number, c: number): number[];
}

export function decodeValues(p: TensorPayload): Float64Array {
  return Float64Array.from(p.sample.values, toNumber);
}

const isChannelCount = (n: number | undefined): boolean => n === 1 || n === 3 || n === 4;

/** Channel layout of one image with the given per-image shape (2-D or 3-D). */
export function channelAxis(p: TensorPayload, imageShape: number[]): "first" | "last" | "none" {
  if (imageShape.length === 2) return "none";
  if (p.channels && p.channels !== "none") return p.channels;
  if (isChannelCount(imageShape[0])) return "first";
  if (isChannelCount(imageShape[imageShape.length - 1])) return "last";
  return "none";
}

/** The views that make sense for this sample's shape, best first. */
export function possibleViews(p: TensorPayload): ConcreteView[] {
  const s = p.sample.shape;
  const views: ConcreteView[] = [];
  if (s.length === 2) views.push("heatmap");
  if (s.length === 2 || (s.length === 3 && channelAxis(p, s) !== "none")) views.push("image");
  if (s.length === 3 || s.length === 4) views.push("images");
  if (s.length > 2) views.push("heatmap");
  views.push("histogram", "table");
  return views;
}

/** Resolves "auto" (and hints that do not fit the shape) to a concrete view. */
export function chooseView(p: TensorPayload): ConcreteView {
  const views = possibleViews(p);
  if (p.view !== "auto" && views.includes(p.view)) return p.view;
  const s = p.sample.shape;
  if (s.length <= 1) return p.sample.values.length <= 64 ? "table" : "histogram";
  if (s.length === 3 && channelAxis(p, s) !== "none") return "image";
  return views[0];
}

/** Views the tensor as a 2-D grid: leading dimensions are folded into rows. */
export function toGrid(p: TensorPayload, values: Float64Array): Grid {
  const shape = p.sample.shape;
  const cols = shape.length === 0 ? 1 : shape[shape.length - 1];
  const rows = cols === 0 ? 0 : values.length / cols;
  const strides = shape.map((_, d) => shape.slice(d + 1).reduce((a, b) => a * b, 1));
  const step = p.sample.step;
  return {
    rows,
    cols,
    values,
    index(r: number, c: number): number[] {
      const flat = r * cols + c;
      return shape.map((n, d) => (Math.floor(flat / strides[d]) % n) * (step[d] ?? 1));
    },
  };
}

export interface ImageSet {
  count: number;
  height: number;
  width: number;
  channels: number;
  /** Value of image i at (y, x), channel ch. */
  at(i: number, y: number, x: number, ch: number): number;
}

/** Interprets the sample as one image ("image") or a batch of images ("images"). */
export function toImages(p: TensorPayload, values: Float64Array, batch: boolean): ImageSet {
  const shape = batch ? p.sample.shape : [1, ...p.sample.shape];
  const imgShape = shape.slice(1);
  const axis = channelAxis(p, imgShape);
  const [c, hh, ww] =
    axis === "first"
      ? [imgShape[0], imgShape[1], imgShape[2]]
      : axis === "last"
        ? [imgShape[2], imgShape[0], imgShape[1]]
        : [1, imgShape[0], imgShape[1] ?? 1];
  const per = imgShape.reduce((a, b) => a * b, 1);
  return {
    count: shape[0],
    height: hh,
    width: ww,
    channels: c,
    at(i, y, x, ch) {
      const off = i * per;
      if (axis === "first") return values[off + (ch * hh + y) * ww + x];
      if (axis === "last") return values[off + (y * ww + x) * c + ch];
      return values[off + y * ww + x];
    },
  };
}

export interface Histogram {
  min: number;
  max: number;
  counts: number[];
  /** True when built from the whole tensor (payload.histogram), false from the sample only. */
  exact: boolean;
}

export function histogramOf(p: TensorPayload, values: Float64Array, bins = 40): Histogram {
  if (p.histogram) return { ...p.histogram, exact: true };
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (min > max) return { min: 0, max: 0, counts: [], exact: false };
  const n = min === max ? 1 : bins;
  const counts = new Array<number>(n).fill(0);
  const width = (max - min) / n || 1;
  for (const v of values) {
    if (Number.isFinite(v)) counts[Math.min(n - 1, Math.floor((v - min) / width))]++;
  }
  return { min, max, counts, exact: false };
}

/** The range mapped to the ends of the colour scale: the payload's hint, else the stats. */
export function valueRange(p: TensorPayload, values: Float64Array): [number, number] {
  if (p.valueRange) return p.valueRange;
  let lo = p.stats.min ?? Infinity;
  let hi = p.stats.max ?? -Infinity;
  if (lo > hi) {
    for (const v of values) {
      if (!Number.isFinite(v)) continue;
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
  }
  return lo > hi ? [0, 1] : [lo, hi];
}
