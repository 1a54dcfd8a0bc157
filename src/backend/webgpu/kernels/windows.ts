// im2col and col2im: one thread per output element. im2col reads one image element (or the
// pad value) per column element; col2im gathers, for each image element, the window taps
// that read it, so no atomics are needed and the sum order is fixed.
import type { TensorView } from "../../backend.js";
import type { Kernel } from "../../registry.js";
import type { Im2colAttrs, WindowAttrs, Col2imAttrs } from "../../../ops/windows.js";
import type { DType } from "../../../tensor/dtype.js";
import { sizeOf } from "../../../tensor/shape.js";
import type { WebGpuBackend } from "../backend.js";
import type { GpuBuffer } from "../buffer.js";
import { Meta } from "../layout.js";
import { META_WGSL, mathFor, threadMain, wgslType } from "../wgsl.js";
import { outView } from "./map.js";

const WG = 256;
// Parameter block: n, input offset, image N C H W from 2, kernel 6, stride 8, dilation 10,
// padding 12, window count 14, pad value 16, input strides from 20 (4 for an image, 6 for
// columns).
const HEAD = /* wgsl */ `
  let N = i32(mu(2u)); let C = i32(mu(3u)); let H = i32(mu(4u)); let W = i32(mu(5u));
  let kh = i32(mu(6u)); let kw = i32(mu(7u)); let sh = ms(8u); let sw = ms(9u);
  let dh = ms(10u); let dw = ms(11u); let pt = ms(12u); let pl = ms(13u);
  let OH = i32(mu(14u)); let OW = i32(mu(15u));`;

function padLoad(t: string): string {
  return t === "f32" ? "mf(16u)" : t === "i32" ? "ms(16u)" : "mu(16u)";
}

function im2colSource(dtype: DType): string {
  const t = wgslType(dtype);
  return `${META_WGSL}
@group(0) @binding(1) var<storage, read_write> out: array<${t}>;
@group(0) @binding(2) var<storage, read> x: array<${t}>;
${threadMain(WG)}
  ${HEAD}
  var r = i32(i);
  let ow = r % OW; r = r / OW;
  let oh = r % OH; r = r / OH;
  let n = r % N; r = r / N;
  let j = r % kw; r = r / kw;
  let ki = r % kh;
  let c = r / kh;
  let h = oh * sh - pt + ki * dh;
  let w = ow * sw - pl + j * dw;
  if (h < 0 || h >= H || w < 0 || w >= W) { out[i] = ${padLoad(t)}; return; }
  out[i] = x[u32(ms(1u) + n * ms(20u) + c * ms(21u) + h * ms(22u) + w * ms(23u))];
}`;
}

function col2imSource(dtype: DType): string {
  const t = wgslType(dtype);
  return `${META_WGSL}
@group(0) @binding(1) var<storage, read_write> out: array<${t}>;
@group(0) @binding(2) var<storage, read> g: array<${t}>;
${threadMain(WG)}
  ${HEAD}
  var r = i32(i);
  let w = r % W; r = r / W;
  let h = r % H; r = r / H;
  let c = r % C;
  let n = r / C;
  var acc = ${t}(0);
  for (var ki = 0; ki < kh; ki++) {
    let th = h + pt - ki * dh;
    if (th < 0 || th % sh != 0 || th / sh >= OH) { continue; }
    let rowAt = ms(1u) + c * ms(20u) + ki * ms(21u) + n * ms(23u) + (th / sh) * ms(24u);
    for (var j = 0; j < kw; j++) {
      let tw = w + pl - j * dw;
      if (tw < 0 || tw % sw != 0 || tw / sw >= OW) { continue; }
      acc += g[u32(rowAt + j * ms(22u) + (tw / sw) * ms(25u))];
    }
  }
  out[i] = acc;
}`;
}

function windowMeta(n: number, input: TensorView, image: readonly number[], a: WindowAttrs): Meta {
  const meta = new Meta().u(0, n).i(1, input.offset).list(2, image);
  meta.list(6, a.kernel).list(8, a.stride).list(10, a.dilation).list(12, a.padding);
  return meta.list(14, a.out).list(20, input.strides);
}

export const im2colKernel: Kernel = (backend, [x], attrs: Im2colAttrs, spec) => {
  const b = backend as WebGpuBackend;
  const n = sizeOf(spec.shape);
  const buf: GpuBuffer = b.output(x.dtype, n);
  if (n === 0) return outView(buf, spec);
  const pipeline = b.pipelines.get(`im2col|${x.dtype}`, () => im2colSource(x.dtype));
  const meta = windowMeta(n, x, x.shape, attrs);
  if (x.dtype === "float32") meta.f(16, attrs.padValue);
  else meta.i(16, attrs.padValue);
  b.engine.dispatch(pipeline, meta.words, [buf, x.buffer as GpuBuffer], Math.ceil(n / WG));
  return outView(buf, spec);
};

export const col2imKernel: Kernel = (backend, [cols], attrs: Col2imAttrs, spec) => {
  const b = backend as WebGpuBackend;
  const n = sizeOf(spec.shape);
  const buf: GpuBuffer = b.output(cols.dtype, n);
  if (n === 0) return outView(buf, spec);
  const pipeline = b.pipelines.get(`col2im|${cols.dtype}`, () => col2imSource(cols.dtype));
  const meta = windowMeta(n, cols, attrs.imageShape, attrs);
  b.engine.dispatch(pipeline, meta.words, [buf, cols.buffer as GpuBuffer], Math.ceil(n / WG));
  return outView(buf, spec);
};

/** windowArgmax: one thread per window, scanning its in-image taps in row-major order. */
const WINDOW_ARGMAX_BODY = `@group(0) @binding(1) var<storage, read_write> out: array<i32>;
@group(0) @binding(2) var<storage, read> x: array<f32>;
${threadMain(WG)}
  ${HEAD}
  var r = i32(i);
  let ow = r % OW; r = r / OW;
  let oh = r % OH; r = r / OH;
  let c = r % C;
  let n = r / C;
  let base = ms(1u) + n * ms(20u) + c * ms(21u);
  var best = -1;
  var bestV = 0.0;
  for (var ki = 0; ki < kh; ki++) {
    let h = oh * sh - pt + ki * dh;
    if (h < 0 || h >= H) { continue; }
    for (var j = 0; j < kw; j++) {
      let w = ow * sw - pl + j * dw;
      if (w < 0 || w >= W) { continue; }
      let v = x[u32(base + h * ms(22u) + w * ms(23u))];
      // The first maximum wins; a NaN wins and stays (isnan_: compilers may fold v != v).
      if (best < 0 || (v > bestV && !isnan_(bestV)) || (isnan_(v) && !isnan_(bestV))) {
        best = h * W + w;
        bestV = v;
      }
    }
  }
  out[i] = best;
}`;

export const windowArgmaxKernel: Kernel = (backend, [x], attrs: WindowAttrs, spec) => {
  const b = backend as WebGpuBackend;
  const n = sizeOf(spec.shape);
  const buf: GpuBuffer = b.output("int32", n);
  if (n === 0) return outView(buf, spec);
  const pipeline = b.pipelines.get(
    "windowArgmax",
    () => `${META_WGSL}\n${mathFor(WINDOW_ARGMAX_BODY)}\n${WINDOW_ARGMAX_BODY}`,
  );
  const meta = windowMeta(n, x, x.shape, attrs);
  b.engine.dispatch(pipeline, meta.words, [buf, x.buffer as GpuBuffer], Math.ceil(n / WG));
  return outView(buf, spec);
};
