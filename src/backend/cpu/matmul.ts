// Batched matrix multiply on the CPU: each batch's operands are packed contiguous (straight
// into WebAssembly memory when the SIMD kernel is available), then multiplied by the
// WebAssembly SIMD GEMM (split across worker threads when large: wasm/gemm.ts), or by a
// cache-blocked i-k-j TypeScript loop as the fallback. The packing and the copy of C out run
// on the calling thread.
import type { TensorView } from "../backend.js";
import type { OutputSpec } from "../registry.js";
import { sizeOf } from "../../tensor/shape.js";
import { arrayOf, CpuBuffer, newOutput } from "./buffer.js";
import { runLoop } from "./loops.js";
import { wasmGemm } from "./wasm/gemm.js";
import { nativeKernels } from "./native/native.js";
import { nativeGemm } from "./native/ops.js";

const BLOCK_I = 32;
const BLOCK_K = 128;
const BLOCK_J = 512;

const TILE = 32;

/** Copies one [rows, cols] matrix of a strided view into a contiguous Float32Array. */
function pack(v: TensorView, offset: number, rows: number, cols: number, dst: Float32Array): void {
  const nd = v.shape.length;
  const rs = v.strides[nd - 2];
  const cs = v.strides[nd - 1];
  if ((cs === 1 || cols === 1) && (rs === cols || rows === 1)) {
    // Already one contiguous run: a block copy (memcpy) beats any element loop.
    dst.set((arrayOf(v) as Float32Array).subarray(offset, offset + rows * cols));
    return;
  }
  if (cs !== 1 && rs === 1 && rows > 1 && cols > 1) {
    transposeInto(arrayOf(v) as Float32Array, offset, cs, rows, cols, dst);
    return;
  }
  runLoop("a", [rows, cols], { array: dst, strides: [cols, 1], offset: 0 }, [
    { array: arrayOf(v), strides: [rs, cs], offset },
  ]);
}

/**
 * dst[r, c] = src[offset + r + c·cs] (a transposed operand, as every matmul backward has),
 * in square tiles so both sides stay in cache: a row-by-row copy would read with a stride of
 * a whole column per element.
 */
function transposeInto(
  src: Float32Array,
  offset: number,
  cs: number,
  rows: number,
  cols: number,
  dst: Float32Array,
): void {
  for (let r0 = 0; r0 < rows; r0 += TILE) {
    const r1 = Math.min(r0 + TILE, rows);
    for (let c0 = 0; c0 < cols; c0 += TILE) {
      const c1 = Math.min(c0 + TILE, cols);
      for (let c = c0; c < c1; c++) {
        const from = offset + c * cs;
        for (let r = r0; r < r1; r++) dst[r * cols + c] = src[from + r];
      }
    }
  }
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

/**
 * Whether each [K, N] matrix of b is the transpose of a contiguous [N, K] one (as the
 * backward of every matmul passes), so the WebAssembly kernel can read it as it lies.
 */
function isTransposedRun(b: TensorView, K: number, N: number): boolean {
  const nd = b.shape.length;
  return K > 1 && N > 1 && b.strides[nd - 2] === 1 && b.strides[nd - 1] === K;
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
  const nk = M * N * K > 0 ? nativeKernels() : null;
  if (nk) return nativeMatmul(nk, a, b, out, [M, K, N]);
  const ws = M * N * K > 0 ? wasmGemm(M, K, N) : null;
  // The WebAssembly path writes every element of C; the fallback accumulates into zeros.
  const res = newOutput("float32", out.shape, sizeOf(out.shape), !ws);
  const C = arrayOf(res) as Float32Array;
  const aOffs = batchOffsets(a, batchShape);
  const bOffs = batchOffsets(b, batchShape);
  const A = ws?.A ?? new Float32Array(M * K);
  const B = ws?.B ?? new Float32Array(K * N);
  const bTransposed = ws !== null && isTransposedRun(b, K, N);
  const bArray = arrayOf(b) as Float32Array;
  for (let i = 0; i < aOffs.length; i++) {
    pack(a, aOffs[i], M, K, A);
    if (bTransposed) B.set(bArray.subarray(bOffs[i], bOffs[i] + K * N));
    else pack(b, bOffs[i], K, N, B);
    if (ws) {
      if (bTransposed) ws.runTransposedB();
      else ws.run();
      C.set(ws.C, i * M * N);
    } else gemm(A, B, C, i * M * N, M, K, N);
  }
  return res;
}

/**
 * The native path: each batch's product straight from the operands' arrays into C (a B that
 * is neither row-major nor transposed is packed first).
 */
function nativeMatmul(
  nk: NonNullable<ReturnType<typeof nativeKernels>>,
  a: TensorView,
  b: TensorView,
  out: OutputSpec,
  dims: [number, number, number],
): TensorView {
  const [M, K, N] = dims;
  const batchShape = out.shape.slice(0, -2);
  const res = newOutput("float32", out.shape, sizeOf(out.shape), false);
  const C = arrayOf(res) as Float32Array;
  const aOffs = batchOffsets(a, batchShape);
  const bOffs = batchOffsets(b, batchShape);
  let packedB: TensorView | null = null;
  for (let i = 0; i < aOffs.length; i++) {
    if (nativeGemm(nk, a, aOffs[i], b, bOffs[i], C, i * M * N, dims)) continue;
    const nd = b.shape.length;
    const strides = [...b.strides.slice(0, nd - 2), N, 1];
    const buffer = new CpuBuffer("float32", new Float32Array(K * N));
    packedB ??= { ...b, buffer, strides, offset: 0 };
    pack(b, bOffs[i], K, N, arrayOf(packedB) as Float32Array);
    nativeGemm(nk, a, aOffs[i], packedB, 0, C, i * M * N, dims);
  }
  return res;
}
