// The tensor bundle: text repr, a static picture, and the payload for the extension's tensor
// viewer (stats over every element, a bounded sample, a histogram). Pure functions of host
// values, so the same code serves CPU tensors synchronously and GPU tensors after a read.
import {
  MAX_HISTOGRAM_BINS,
  MAX_IMAGE_PIXELS,
  MAX_SAMPLE_ELEMENTS,
  TENSOR_MIME,
  type MimeBundle,
  type SampleValue,
  type TensorPayload,
  type TensorSample,
  type TensorStats,
  type TensorViewHint,
} from "./protocol.js";
import { heatmapSvg, histogramSvg, imagesSvg } from "./svg.js";

export interface TensorInfo {
  values: ArrayLike<number>;
  shape: readonly number[];
  dtype: string;
  device: string;
  requiresGrad?: boolean;
  name?: string;
}

const HISTOGRAM_BINS = Math.min(50, MAX_HISTOGRAM_BINS);
/** Images shown in the static picture of an image batch. */
const STATIC_IMAGES = 16;

export function tensorStats(values: ArrayLike<number>): TensorStats {
  let n = 0;
  let mean = 0;
  let m2 = 0;
  let min = Infinity;
  let max = -Infinity;
  let nanCount = 0;
  let infCount = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (Number.isNaN(v)) nanCount++;
    else if (!Number.isFinite(v)) infCount++;
    else {
      n++;
      const d = v - mean; // Welford: stable single pass
      mean += d / n;
      m2 += d * (v - mean);
      if (v < min) min = v;
      if (v > max) max = v;
    }
  }
  if (n === 0) return { min: null, max: null, mean: null, std: null, nanCount, infCount };
  return { min, max, mean, std: n > 1 ? Math.sqrt(m2 / (n - 1)) : 0, nanCount, infCount };
}

/** Per-dim steps so the strided grid holds at most `cap` values (largest dims thinned first). */
export function sampleSteps(shape: readonly number[], cap: number): number[] {
  const step = shape.map(() => 1);
  const sampled = () => shape.reduce((p, s, i) => p * Math.ceil(s / step[i]), 1);
  while (sampled() > cap) {
    let best = 0;
    shape.forEach((s, i) => {
      if (Math.ceil(s / step[i]) > Math.ceil(shape[best] / step[best])) best = i;
    });
    step[best]++;
  }
  return step;
}

function encode(v: number): SampleValue {
  if (Number.isNaN(v)) return "NaN";
  if (v === Infinity) return "Infinity";
  if (v === -Infinity) return "-Infinity";
  return v;
}

export function tensorSample(
  values: ArrayLike<number>,
  shape: readonly number[],
  cap: number,
): TensorSample {
  if (values.length <= cap)
    return {
      method: "full",
      shape: [...shape],
      step: shape.map(() => 1),
      values: Array.from(values, encode),
    };
  const step = sampleSteps(shape, cap);
  const sShape = shape.map((s, i) => Math.ceil(s / step[i]));
  const strides = shape.map((_, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1));
  const out: SampleValue[] = [];
  const idx = sShape.map(() => 0);
  const total = sShape.reduce((a, b) => a * b, 1);
  for (let k = 0; k < total; k++) {
    let off = 0;
    idx.forEach((v, d) => (off += v * step[d] * strides[d]));
    out.push(encode(values[off]));
    for (let d = idx.length - 1; d >= 0 && ++idx[d] === sShape[d]; d--) idx[d] = 0;
  }
  return { method: "strided", shape: sShape, step, values: out };
}

export function histogram(values: ArrayLike<number>, stats: TensorStats, bins = HISTOGRAM_BINS) {
  if (stats.min === null || stats.max === null) return undefined;
  const counts = new Array<number>(bins).fill(0);
  const span = stats.max - stats.min || 1;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (Number.isFinite(v))
      counts[Math.min(bins - 1, Math.floor(((v - stats.min) / span) * bins))]++;
  }
  return { min: stats.min, max: stats.max, counts };
}

/** Shapes that read naturally as pictures: [H, W], [C, H, W] and [N, C, H, W] with C in 1, 3. */
export function imageLayout(
  shape: readonly number[],
): { n: number; c: number; h: number; w: number } | null {
  const nd = shape.length;
  if (nd === 2 && shape[0] >= 8 && shape[1] >= 8) return { n: 1, c: 1, h: shape[0], w: shape[1] };
  if (nd === 3 && (shape[0] === 1 || shape[0] === 3))
    return { n: 1, c: shape[0], h: shape[1], w: shape[2] };
  if (nd === 3 && shape[1] >= 8 && shape[2] >= 8)
    return { n: shape[0], c: 1, h: shape[1], w: shape[2] };
  if (nd === 4 && (shape[1] === 1 || shape[1] === 3))
    return { n: shape[0], c: shape[1], h: shape[2], w: shape[3] };
  return null;
}

export function autoView(shape: readonly number[], size: number): Exclude<TensorViewHint, "auto"> {
  const img = imageLayout(shape);
  if (img && shape.length >= 3) return img.n > 1 ? "images" : "image";
  if (shape.length === 2 && size > 64) return "heatmap";
  if (shape.length === 1 && size > 256) return "histogram";
  if (shape.length >= 3 && size > 256) return "histogram";
  return "table";
}

export function tensorPayload(info: TensorInfo, view: TensorViewHint = "auto"): TensorPayload {
  const stats = tensorStats(info.values);
  const chosen = view === "auto" ? autoView(info.shape, info.values.length) : view;
  const isImage = chosen === "image" || chosen === "images";
  const payload: TensorPayload = {
    shape: [...info.shape],
    dtype: info.dtype,
    device: info.device,
    requiresGrad: info.requiresGrad,
    stats,
    sample: tensorSample(info.values, info.shape, isImage ? MAX_IMAGE_PIXELS : MAX_SAMPLE_ELEMENTS),
    histogram: histogram(info.values, stats),
    view,
  };
  if (info.name) payload.name = info.name;
  if (isImage) {
    payload.channels = imageLayout(info.shape) ? "first" : "none";
    if (stats.min !== null && stats.max !== null) payload.valueRange = [stats.min, stats.max];
  }
  return payload;
}

/** Static picture for the chosen view (image grid, heatmap or histogram), if any applies. */
export function tensorSvg(
  info: TensorInfo,
  view: Exclude<TensorViewHint, "auto">,
  payload: TensorPayload,
): string | undefined {
  const { shape, values } = info;
  const img = imageLayout(shape);
  if ((view === "image" || view === "images") && img) {
    const count = Math.min(img.n, STATIC_IMAGES);
    const plane = img.h * img.w;
    const imgs = Array.from(
      { length: count },
      (_, k) =>
        // First channel only in the fallback: enough to recognise the picture.
        Array.prototype.slice.call(
          values,
          k * img.c * plane,
          k * img.c * plane + plane,
        ) as number[],
    );
    return imagesSvg(imgs, img.h, img.w);
  }
  if (view === "heatmap" && shape.length === 2) {
    const s = payload.sample;
    const nums = s.values.map((v) => (typeof v === "number" ? v : NaN));
    return heatmapSvg(nums, s.shape[0], s.shape[1], { title: `[${shape.join(", ")}]` });
  }
  if (payload.histogram && (view === "histogram" || values.length > 64))
    return histogramSvg(
      payload.histogram.counts,
      payload.histogram.min,
      payload.histogram.max,
      `[${shape.join(", ")}] ${info.dtype}`,
    );
  return undefined;
}

export function tensorBundle(
  info: TensorInfo,
  text: string,
  view: TensorViewHint = "auto",
): MimeBundle {
  const payload = tensorPayload(info, view);
  const bundle: MimeBundle = { "text/plain": text, [TENSOR_MIME]: payload };
  const chosen = view === "auto" ? autoView(info.shape, info.values.length) : view;
  const picture = tensorSvg(info, chosen, payload);
  if (picture) bundle["image/svg+xml"] = picture;
  return bundle;
}
