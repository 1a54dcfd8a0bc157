// A matrix product written into (or added to) part of an existing Float32Array, for kernels
// that run many small products over their own buffers (the whole-sequence recurrences): on
// the native path straight on the arrays, else through the matmul kernel and a copy.
import type { TensorView } from "../backend.js";
import { arrayOf, CpuBuffer } from "./buffer.js";
import { matmulKernel } from "./matmul.js";
import { nativeKernels } from "./native/native.js";
import { threadSettings } from "./wasm/settings.js";

/** A strided matrix in an array: element (i, k) at array[offset + i·rows + k·cols]. */
export interface Strided {
  readonly array: Float32Array;
  readonly offset: number;
  readonly rows: number;
  readonly cols: number;
}

/** A row-major [rows, cols] matrix from `offset` (one recurrent step's slice of a buffer). */
export const rowMajor = (array: Float32Array, offset: number, cols: number): Strided => ({
  array,
  offset,
  rows: cols,
  cols: 1,
});

/** The transpose of a row-major matrix with `cols` columns: (i, k) at offset + k·cols + i. */
export const transposed = (array: Float32Array, offset: number, cols: number): Strided => ({
  array,
  offset,
  rows: 1,
  cols,
});

const params = new Float64Array(13);

const viewOf = (m: Strided, shape: [number, number]): TensorView => ({
  buffer: new CpuBuffer("float32", m.array),
  dtype: "float32",
  shape,
  strides: [m.rows, m.cols],
  offset: m.offset,
});

/**
 * C[cOff + i·N + j] = Σ_k a(i, k)·b(k, j) for an [M, K] a and [K, N] b (+= with
 * `accumulate`). b must be row-major or transposed (the native kernel reads either as it lies).
 */
export function gemmInto(
  a: Strided,
  b: Strided,
  C: Float32Array,
  cOff: number,
  [M, K, N]: readonly [number, number, number],
  accumulate: boolean,
): void {
  if (M === 0 || N === 0) return;
  const nk = K > 0 ? nativeKernels() : null;
  if (nk) {
    const bTransposed = b.cols !== 1 && N > 1;
    const ldb = bTransposed ? b.cols : b.rows;
    const threads = M * K * N < threadSettings.minParallelMacs ? 1 : threadSettings.threads;
    params.set([a.offset, a.rows, a.cols, b.offset, ldb, bTransposed ? 1 : 0, cOff, N]);
    params.set([M, K, N, accumulate ? 1 : 0, threads], 8);
    nk.gemm(a.array, b.array, C, params);
    return;
  }
  const spec = { shape: [M, N], dtype: "float32" } as const;
  const product = arrayOf(matmulKernel(null, [viewOf(a, [M, K]), viewOf(b, [K, N])], null, spec));
  if (!accumulate) C.set(product.subarray(0, M * N), cOff);
  else for (let e = 0; e < M * N; e++) C[cOff + e] += product[e];
}
