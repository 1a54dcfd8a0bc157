// Batched matrix multiply: C[b] = A[b] @ B[b], operands read through any strides (the
// transposed views that gradients produce need no copy), by the register-blocked kernel of
// gemm-source.ts: a large tile where the problem fills the GPU, a small one otherwise. Rows
// of A or B that are contiguous and 4-aligned load as vec4, each operand on its own.
import type { TensorView } from "../../backend.js";
import type { Kernel } from "../../registry.js";
import { sizeOf } from "../../../tensor/shape.js";
import type { WebGpuBackend } from "../backend.js";
import type { GpuBuffer } from "../buffer.js";
import { Meta, checkRank, coalesce } from "../layout.js";
import { type GemmTile, gemmSource, tileKey, tileThreads } from "./gemm-source.js";
import { outView } from "./map.js";

const MAX_Z = 65535;

/** The tile for problems that fill the GPU, and the smaller one for those that would not. */
const tiles: { large: GemmTile; small: GemmTile } = {
  large: { bm: 128, bn: 128, bk: 8, tm: 8, tn: 8 },
  small: { bm: 64, bn: 64, bk: 16, tm: 4, tn: 4 },
};
/** Output tiles of the large shape below which the small one runs (more workgroups in flight). */
const LARGE_MIN_TILES = 96;

/**
 * Replaces the tile shapes (the GPU bench tunes them on the card it runs on); returns the
 * previous ones. Invalid shapes throw before anything is replaced.
 */
export function setGemmTiles(next: Partial<typeof tiles>): typeof tiles {
  const before = { ...tiles };
  for (const t of Object.values(next)) tileThreads(t);
  Object.assign(tiles, next);
  return before;
}

function pickTile(M: number, N: number, batch: number): GemmTile {
  const { large, small } = tiles;
  const count = Math.ceil(M / large.bm) * Math.ceil(N / large.bn) * batch;
  return count >= LARGE_MIN_TILES ? large : small;
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
  const layout = {
    vecA: sak === 1 && (M === 1 || sam % 4 === 0) && aligned(a.offset, bat.strides[0]),
    vecB: sbn === 1 && (K === 1 || sbk % 4 === 0) && aligned(b.offset, bat.strides[1]),
    vecOut: N % 4 === 0,
  };
  const tile = pickTile(M, N, batch);
  const key = `matmul|${tileKey(tile)}|${+layout.vecA}${+layout.vecB}${+layout.vecOut}`;
  const pipeline = be.pipelines.get(key, () => gemmSource(tile, layout));
  const ab = a.buffer as GpuBuffer;
  const bb = b.buffer as GpuBuffer;
  // The vec4 views of A and B follow as extra bindings, each only where its layout allows.
  const buffers = [buf, ab, bb, ...(layout.vecA ? [ab] : []), ...(layout.vecB ? [bb] : [])];
  for (let start = 0; start < batch; start += MAX_Z) {
    const meta = new Meta().u(0, M).u(1, N).u(2, K).u(3, batch).u(4, bat.shape.length);
    meta.i(5, a.offset).i(6, b.offset).i(7, sam).i(8, sak).i(9, sbk).i(10, sbn).u(11, start);
    meta.list(12, bat.shape).list(20, bat.strides[0]).list(28, bat.strides[1]);
    const z = Math.min(MAX_Z, batch - start);
    be.engine.dispatch(pipeline, meta.words, buffers, [
      Math.ceil(N / tile.bn),
      Math.ceil(M / tile.bm),
      z,
    ]);
  }
  return outView(buf, spec);
};
