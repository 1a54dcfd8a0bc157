// Operand layouts for kernels: dims merged where every operand is contiguous across them, so
// most ops reach the GPU with rank 1 or 2, and the parameter block each dispatch carries.
import { fail } from "../../tensor/errors.js";
import { META_WORDS } from "./wgsl.js";

/** Dims a kernel can address after merging (the parameter block holds this many per operand). */
export const MAX_RANK = 8;

/** Drops size-1 dims and merges adjacent dims that are contiguous in every operand. */
export function coalesce(
  shape: readonly number[],
  strides: readonly (readonly number[])[],
): { shape: number[]; strides: number[][] } {
  const outShape: number[] = [];
  const outStrides: number[][] = strides.map(() => []);
  for (let d = 0; d < shape.length; d++) {
    if (shape[d] === 1) continue;
    const last = outShape.length - 1;
    if (last >= 0 && strides.every((s, k) => outStrides[k][last] === s[d] * shape[d])) {
      outShape[last] *= shape[d];
      strides.forEach((s, k) => (outStrides[k][last] = s[d]));
    } else {
      outShape.push(shape[d]);
      strides.forEach((s, k) => outStrides[k].push(s[d]));
    }
  }
  return { shape: outShape, strides: outStrides };
}

export function checkRank(op: string, rank: number, shape: readonly number[]): void {
  if (rank > MAX_RANK)
    fail(
      op,
      `the WebGPU backend addresses at most ${MAX_RANK} non-mergeable dims per operand, got ` +
        `${rank} for shape [${shape.join(", ")}]; make the input contiguous or use the CPU`,
    );
}

/** True when `strides` walk `shape` in row-major order with no gaps. */
export function isRowMajor(shape: readonly number[], strides: readonly number[]): boolean {
  let s = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    if (shape[d] !== 1 && strides[d] !== s) return false;
    s *= shape[d];
  }
  return true;
}

/** A dispatch's parameter block: 64 32-bit words written by index. */
export class Meta {
  readonly words = new Uint32Array(META_WORDS);
  private readonly floats = new Float32Array(this.words.buffer);

  u(k: number, v: number): this {
    this.words[k] = v >>> 0;
    return this;
  }
  i(k: number, v: number): this {
    this.words[k] = v | 0;
    return this;
  }
  f(k: number, v: number): this {
    this.floats[k] = v;
    return this;
  }
  /** Writes a list of (signed) values from word `k`. */
  list(k: number, values: readonly number[]): this {
    values.forEach((v, j) => (this.words[k + j] = v | 0));
    return this;
  }
}
