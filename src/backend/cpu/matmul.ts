// Batched matrix multiply on the CPU: each batch's operands are packed contiguous (straight
// into WebAssembly memory when the SIMD kernel is available), then multiplied by the
// WebAssembly SIMD GEMM, or by a cache-blocked i-k-j TypeScript loop as the fallback.
import type { TensorView } from "../backend.js";
import type { OutputSpec } from "../registry.js";
import { sizeOf } from "../../tensor/shape.js";
import { arrayOf, newOutput } from "./buffer.js";
import { runLoop } from "./loops.js";
import { wasmGemm } from "./wasm/gemm.js";

const BLOCK_I = 32;
const BLOCK_K = 128;
const BLOCK_J = 512;

/** Copies one [rows, cols] matrix of a strided view into a contiguous Float32Array. */
function pack(v: TensorView, offset: number, rows: number, cols: number, dst: Float32Array): void {
  const nd = v.shape.length;
  runLoop("a", [rows, cols], { array: dst, strides: [cols, 1], offset: 0 }, [
    { array: arrayOf(v), strides: [v.strides[nd - 2], v.strides[nd - 1]], offset },
  ]);
}

export function gemm(
  A: Float32Array,
  B: Float32Array,
  C: Float32Array,
  cOff: number,
  M: number,
  K: number,
  N: number,
): void {
  for (let i0 = 0; i0 < M; i0 += BLOCK_I) {
    const iMax = Math.min(i0 + BLOCK_I, M);
    for (let k0 = 0; k0 < K; k0 += BLOCK_K) {
      const kMax = Math.min(k0 + BLOCK_K, K);
      for (let j0 = 0; j0 < N; j0 += BLOCK_J) {
        const jMax = Math.min(j0 + BLOCK_J, N);
        for (let i = i0; i < iMax; i++) {
          const cRow = cOff + i * N;
          const aRow = i * K;
          for (let k = k0; k < kMax; k++) {
            const av = A[aRow + k];
            const bRow = k * N;
            for (let j = j0; j < jMax; j++) C[cRow + j] += av * B[bRow + j];
          }
        }
      }
    }
  }
}

/** Element offsets of every batch matrix of a view with batch dims `batchShape`. */
function batchOffsets(v: TensorView, batchShape: readonly number[]): Int32Array {
  const count = sizeOf(batchShape);
  const offs = new Int32Array(count);
  const nb = batchShape.length;
  const idx = new Array(nb).fill(0);
  for (let b = 0; b < count; b++) {
    let o = v.offset;
    for (let d = 0; d < nb; d++) o += idx[d] * v.strides[d];
    offs[b] = o;
    for (let d = nb - 1; d >= 0 && ++idx[d] === batchShape[d]; d--) idx[d] = 0;
  }
  return offs;
}

/** a: [...batch, M, K], b: [...batch, K, N] with equal batch shapes (broadcast by the op). */
export function matmulKernel(
  _b: unknown,
  [a, b]: readonly TensorView[],
  _attrs: unknown,
  out: OutputSpec,
): TensorView {
  const nd = a.shape.length;
  const M = a.shape[nd - 2];
  const K = a.shape[nd - 1];
  const N = b.shape[nd - 1];
  const batchShape = out.shape.slice(0, -2);
  const res = newOutput("float32", out.shape, sizeOf(out.shape));
  const C = arrayOf(res) as Float32Array;
  const aOffs = batchOffsets(a, batchShape);
  const bOffs = batchOffsets(b, batchShape);
  const ws = M * N * K > 0 ? wasmGemm(M, K, N) : null;
  const A = ws?.A ?? new Float32Array(M * K);
  const B = ws?.B ?? new Float32Array(K * N);
  for (let i = 0; i < aOffs.length; i++) {
    pack(a, aOffs[i], M, K, A);
    pack(b, bOffs[i], K, N, B);
    if (ws) {
      ws.run();
      C.set(ws.C, i * M * N);
    } else gemm(A, B, C, i * M * N, M, K, N);
  }
  return res;
}
