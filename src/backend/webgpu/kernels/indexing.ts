// gather and scatterAdd: one thread per index element. An out-of-range index cannot throw on
// the GPU, so the kernel records it in the engine's status buffer (the element is skipped)
// and the next read raises the error naming the op, the index and the dim size.
import type { TensorView } from "../../backend.js";
import type { Kernel } from "../../registry.js";
import type { DType } from "../../../tensor/dtype.js";
import { contiguousStrides, sizeOf } from "../../../tensor/shape.js";
import type { WebGpuBackend } from "../backend.js";
import type { GpuBuffer } from "../buffer.js";
import { COPY_WGSL } from "../exprs.js";
import { Meta, checkRank } from "../layout.js";
import { META_WGSL, threadMain, wgslType } from "../wgsl.js";
import { outView, runMap } from "./map.js";

const WG = 256;
const GATHER = 1;
const SCATTER = 2;

// Parameter block: n, rank, dim, dim size, x/out offset, index offset, src offset; index
// shape from 8, strides of x (or out), index and src from 16, 24 and 32.
const walk = (withSrc: boolean) => /* wgsl */ `
  var rem = i;
  var xo = ms(4u);
  var io = ms(5u);
  var so = ms(6u);
  let dim = i32(mu(2u));
  for (var d = i32(mu(1u)) - 1; d >= 0; d--) {
    let k = u32(d);
    let sz = mu(8u + k);
    let q = i32(rem % sz);
    rem = rem / sz;
    if (d != dim) { xo += q * ms(16u + k); }
    io += q * ms(24u + k);
    ${withSrc ? "so += q * ms(32u + k);" : ""}
  }
  let size = i32(mu(3u));
  var iv = ind[u32(io)];
  // Negative indices are out of bounds, as in PyTorch's gather/scatter (no wrapping).
  if (iv < 0 || iv >= size) { report(iv); return; }
  xo += iv * ms(16u + u32(dim));`;

function header(code: number): string {
  return `${META_WGSL}
@group(0) @binding(2) var<storage, read> ind: array<i32>;
@group(0) @binding(3) var<storage, read_write> status: array<atomic<u32>, 4>;
fn report(v: i32) {
  loop {
    let r = atomicCompareExchangeWeak(&status[0], 0u, ${code}u);
    if (r.exchanged) { atomicStore(&status[1], bitcast<u32>(v)); atomicStore(&status[2], mu(3u)); break; }
    if (r.old_value != 0u) { break; }
  }
}`;
}

function gatherSource(dtype: DType): string {
  const t = wgslType(dtype);
  return `${header(GATHER)}
@group(0) @binding(1) var<storage, read_write> out: array<${t}>;
@group(0) @binding(4) var<storage, read> x: array<${t}>;
${threadMain(WG)}
  out[i] = ${t}(0);
  ${walk(false)}
  out[i] = x[u32(xo)];
}`;
}

function scatterSource(dtype: DType): string {
  const t = wgslType(dtype);
  const atomicT = t === "i32" ? "i32" : "u32";
  const add =
    t === "f32"
      ? `loop {
    let old = atomicLoad(&out[p]);
    let r = atomicCompareExchangeWeak(&out[p], old, bitcast<u32>(bitcast<f32>(old) + v));
    if (r.exchanged) { break; }
  }`
      : t === "i32"
        ? "atomicAdd(&out[p], v);"
        : "atomicOr(&out[p], select(0u, 1u, v != 0u));";
  return `${header(SCATTER)}
@group(0) @binding(1) var<storage, read_write> out: array<atomic<${atomicT}>>;
@group(0) @binding(4) var<storage, read> src: array<${t}>;
${threadMain(WG)}
  ${walk(true)}
  let p = u32(xo);
  let v = src[u32(so)];
  ${add}
}`;
}

function indexMeta(
  n: number,
  dim: number,
  size: number,
  target: { offset: number; strides: readonly number[] },
  index: TensorView,
  src?: TensorView,
): Meta {
  const meta = new Meta().u(0, n).u(1, index.shape.length).u(2, dim).u(3, size);
  meta
    .i(4, target.offset)
    .i(5, index.offset)
    .i(6, src?.offset ?? 0);
  meta.list(8, index.shape).list(16, target.strides).list(24, index.strides);
  if (src) meta.list(32, src.strides);
  return meta;
}

export const gatherKernel: Kernel = (backend, [x, index], attrs: { dim: number }, spec) => {
  const b = backend as WebGpuBackend;
  checkRank("gather", index.shape.length, index.shape);
  const n = sizeOf(spec.shape);
  const buf: GpuBuffer = b.output(x.dtype, n);
  if (n === 0) return outView(buf, spec);
  const pipeline = b.pipelines.get(`gather|${x.dtype}`, () => gatherSource(x.dtype));
  const meta = indexMeta(n, attrs.dim, x.shape[attrs.dim], x, index);
  const buffers = [buf, index.buffer as GpuBuffer, b.engine.status, x.buffer as GpuBuffer];
  b.engine.dispatch(pipeline, meta.words, buffers, Math.ceil(n / WG));
  return outView(buf, spec);
};

export const scatterAddKernel: Kernel = (
  backend,
  [x, index, src],
  attrs: { dim: number },
  spec,
) => {
  const b = backend as WebGpuBackend;
  checkRank("scatterAdd", index.shape.length, index.shape);
  const buf = runMap(b, COPY_WGSL, [x], x.shape, x.dtype);
  const n = sizeOf(index.shape);
  if (n === 0) return outView(buf, spec);
  const pipeline = b.pipelines.get(`scatterAdd|${x.dtype}`, () => scatterSource(x.dtype));
  const target = { offset: 0, strides: contiguousStrides(x.shape) };
  const meta = indexMeta(n, attrs.dim, x.shape[attrs.dim], target, index, src);
  const buffers = [buf, index.buffer as GpuBuffer, b.engine.status, src.buffer as GpuBuffer];
  b.engine.dispatch(pipeline, meta.words, buffers, Math.ceil(n / WG));
  return outView(buf, spec);
};
