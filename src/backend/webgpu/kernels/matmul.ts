// Batched matrix multiply: C[b] = A[b] @ B[b], operands read through any strides (the
// transposed views that gradients produce need no copy). Each 16x16 workgroup computes a
// 64x64 tile of C, 4x4 per thread, staging 64x16 and 16x64 slabs of A and B in workgroup
// memory. When A's rows and B's rows are contiguous and 4-aligned, the slabs load as vec4.
import type { TensorView } from "../../backend.js";
import type { Kernel } from "../../registry.js";
import { sizeOf } from "../../../tensor/shape.js";
import type { WebGpuBackend } from "../backend.js";
import type { GpuBuffer } from "../buffer.js";
import { Meta, checkRank, coalesce } from "../layout.js";
import { META_WGSL } from "../wgsl.js";
import { outView } from "./map.js";

const TILE = 64;
const TK = 16;
const MAX_Z = 65535;

// Parameter block: M, N, K, batch count, batch rank, a offset, b offset, a row stride,
// a k stride, b k stride, b col stride, first batch; batch shape/strides from 12, 20, 28.
function source(vec: boolean): string {
  const loadA = vec
    ? `{ let m = t / 4u; let kk = (t % 4u) * 4u;
       let r = row0 + m;
       var v = vec4<f32>(0.0);
       if (r < M && k0 + kk + 3u < K) {
         v = a4[u32(ao + i32(r) * ms(7u) + i32(k0 + kk)) / 4u];
       } else if (r < M) {
         for (var q = 0u; q < 4u; q++) { if (k0 + kk + q < K) { v[q] = a[u32(ao + i32(r) * ms(7u) + i32(k0 + kk + q))]; } }
       }
       for (var q = 0u; q < 4u; q++) { As[(kk + q) * ${TILE}u + m] = v[q]; } }`
    : `for (var s = 0u; s < 4u; s++) {
       let e = t + s * 256u; let m = e / ${TK}u; let kk = e % ${TK}u;
       let r = row0 + m; let k = k0 + kk;
       As[kk * ${TILE}u + m] = select(0.0, a[u32(ao + i32(r) * ms(7u) + i32(k) * ms(8u))], r < M && k < K);
     }`;
  const loadB = vec
    ? `{ let kk = t / 16u; let n = (t % 16u) * 4u;
       let k = k0 + kk; let c = col0 + n;
       var v = vec4<f32>(0.0);
       if (k < K && c + 3u < N) {
         v = b4[u32(bo + i32(k) * ms(9u) + i32(c)) / 4u];
       } else if (k < K) {
         for (var q = 0u; q < 4u; q++) { if (c + q < N) { v[q] = b[u32(bo + i32(k) * ms(9u) + i32(c + q))]; } }
       }
       Bs4[kk * ${TILE / 4}u + n / 4u] = v; }`
    : `for (var s = 0u; s < 4u; s++) {
       let e = t + s * 256u; let kk = e / ${TILE}u; let n = e % ${TILE}u;
       let k = k0 + kk; let c = col0 + n;
       Bs4[kk * ${TILE / 4}u + n / 4u][n % 4u] = select(0.0, b[u32(bo + i32(k) * ms(9u) + i32(c) * ms(10u))], k < K && c < N);
     }`;
  return `${META_WGSL}
@group(0) @binding(1) var<storage, read_write> out: array<f32>;
@group(0) @binding(2) var<storage, read> a: array<f32>;
@group(0) @binding(3) var<storage, read> b: array<f32>;
${vec ? "@group(0) @binding(4) var<storage, read> a4: array<vec4<f32>>;\n@group(0) @binding(5) var<storage, read> b4: array<vec4<f32>>;" : ""}
var<workgroup> As: array<f32, ${TILE * TK}>;
var<workgroup> Bs4: array<vec4<f32>, ${(TILE * TK) / 4}>;
@compute @workgroup_size(16, 16)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>,
        @builtin(local_invocation_index) t: u32) {
  let M = mu(0u); let N = mu(1u); let K = mu(2u);
  let bi = wid.z + mu(11u);
  var ao = ms(5u); var bo = ms(6u);
  var rem = bi;
  for (var d = i32(mu(4u)) - 1; d >= 0; d--) {
    let sz = mu(12u + u32(d));
    let q = i32(rem % sz);
    rem = rem / sz;
    ao += q * ms(20u + u32(d));
    bo += q * ms(28u + u32(d));
  }
  let row0 = wid.y * ${TILE}u;
  let col0 = wid.x * ${TILE}u;
  let tr = lid.y * 4u;
  var acc: array<vec4<f32>, 4>;
  for (var k0 = 0u; k0 < K; k0 += ${TK}u) {
    ${loadA}
    ${loadB}
    workgroupBarrier();
    for (var kk = 0u; kk < ${TK}u; kk++) {
      let bv = Bs4[kk * ${TILE / 4}u + lid.x];
      let ab = kk * ${TILE}u + tr;
      acc[0] += As[ab] * bv;
      acc[1] += As[ab + 1u] * bv;
      acc[2] += As[ab + 2u] * bv;
      acc[3] += As[ab + 3u] * bv;
    }
    workgroupBarrier();
  }
  let cbase = bi * M * N;
  for (var i = 0u; i < 4u; i++) {
    let r = row0 + tr + i;
    if (r >= M) { break; }
    for (var j = 0u; j < 4u; j++) {
      let c = col0 + lid.x * 4u + j;
      if (c < N) { out[cbase + r * N + c] = acc[i][j]; }
    }
  }
}`;
}

/** a: [...batch, M, K], b: [...batch, K, N] with equal batch shapes (broadcast by the op). */
export const matmulKernel: Kernel = (backend, [a, b]: readonly TensorView[], _attrs, spec) => {
  const be = backend as WebGpuBackend;
  const nd = a.shape.length;
  const [M, K, N] = [a.shape[nd - 2], a.shape[nd - 1], b.shape[nd - 1]];
  const batchShape = spec.shape.slice(0, -2);
  const batch = sizeOf(batchShape);
  const buf: GpuBuffer = be.output("float32", sizeOf(spec.shape));
  if (batch * M * N === 0) return outView(buf, spec);
  if (K === 0) {
    be.engine.clear(buf);
    return outView(buf, spec);
  }
  const bat = coalesce(batchShape, [a.strides.slice(0, -2), b.strides.slice(0, -2)]);
  checkRank("matmul", bat.shape.length, spec.shape);
  const [sam, sak, sbk, sbn] = [
    a.strides[nd - 2],
    a.strides[nd - 1],
    b.strides[nd - 2],
    b.strides[nd - 1],
  ];
  // vec4 loads need unit inner strides and every row start on a multiple of 4 elements.
  const aligned = (off: number, strides: number[]) => [off, ...strides].every((s) => s % 4 === 0);
  const vec =
    sak === 1 &&
    sbn === 1 &&
    (M === 1 || sam % 4 === 0) &&
    (K === 1 || sbk % 4 === 0) &&
    aligned(a.offset, bat.strides[0]) &&
    aligned(b.offset, bat.strides[1]);
  const pipeline = be.pipelines.get(`matmul|${vec ? "vec4" : "strided"}`, () => source(vec));
  const ab = a.buffer as GpuBuffer;
  const bb = b.buffer as GpuBuffer;
  const buffers = vec ? [buf, ab, bb, ab, bb] : [buf, ab, bb];
  for (let start = 0; start < batch; start += MAX_Z) {
    const meta = new Meta().u(0, M).u(1, N).u(2, K).u(3, batch).u(4, bat.shape.length);
    meta.i(5, a.offset).i(6, b.offset).i(7, sam).i(8, sak).i(9, sbk).i(10, sbn).u(11, start);
    meta.list(12, bat.shape).list(20, bat.strides[0]).list(28, bat.strides[1]);
    const z = Math.min(MAX_Z, batch - start);
    be.engine.dispatch(pipeline, meta.words, buffers, [
      Math.ceil(N / TILE),
      Math.ceil(M / TILE),
      z,
    ]);
  }
  return outView(buf, spec);
};
