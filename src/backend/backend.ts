// The backend contract. A backend owns device buffers and runs kernels on them; the tensor
// layer above only holds opaque buffers plus view metadata (shape, strides, offset).
// Designed so a GPU backend fits unchanged: buffers are opaque, reads are async, only a
// backend that can (the CPU) offers synchronous reads, and ops never copy across devices.
import type { DType, TypedArray } from "../tensor/dtype.js";

/** Where a tensor lives: `"cpu"` (JavaScript and WASM SIMD) or `"webgpu"`. */
export type Device = "cpu" | "webgpu";

/** An opaque device allocation. Only the owning backend knows what is inside. */
export interface BackendBuffer {
  /** The device this buffer lives on. */
  readonly device: Device;
  /** The element type stored. */
  readonly dtype: DType;
  /** Number of elements the buffer holds. */
  readonly length: number;
  /**
   * Device bytes this buffer really occupies, where that is not length times the dtype's
   * element size (a GPU stores a bool in 4 bytes and rounds buffers up); dl.memory() counts it.
   */
  readonly byteLength?: number;
}

/** What a kernel sees of a tensor: a buffer read through a strided view. */
export interface TensorView {
  /** The buffer the view reads. */
  readonly buffer: BackendBuffer;
  /** The element type. */
  readonly dtype: DType;
  /** Sizes of each dim. */
  readonly shape: readonly number[];
  /** Element step of each dim in the buffer. */
  readonly strides: readonly number[];
  /** Element index of the first value in the buffer. */
  readonly offset: number;
}

export interface AdapterInfo {
  vendor?: string;
  architecture?: string;
  device?: string;
  description?: string;
  isFallbackAdapter?: boolean;
}

/**
 * A compute backend: allocates buffers on one device, reads them back and runs kernels (see {@link
 * registerBackend}).
 */
export interface Backend {
  /** The device it serves. */
  readonly device: Device;
  /**
   * True when the garbage collector reclaims a buffer nobody references (typed arrays), so
   * free() need not see it. GPU backends leave this unset and get every buffer back in free().
   */
  readonly gcFreesBuffers?: boolean;
  /** A fresh buffer of `length` elements, zero-filled. */
  alloc(dtype: DType, length: number): BackendBuffer;
  /** Returns the buffer's memory to the backend (or its pool). */
  free(buffer: BackendBuffer): void;
  /** Copies host data into a buffer starting at element 0. */
  write(buffer: BackendBuffer, data: TypedArray): void;
  /** Reads `length` elements starting at element `start` (async on every device). */
  read(buffer: BackendBuffer, start: number, length: number): Promise<TypedArray>;
  /** Synchronous read, offered only where it cannot block on a device (the CPU). */
  readSync?(buffer: BackendBuffer, start: number, length: number): TypedArray;
  /**
   * Fills a float32 buffer with the counter-based uniform stream under `key` (element i is
   * counterUniform(key, i) of tensor/random.ts, bit for bit, on every backend): large random
   * tensors drawn where they live instead of on the host.
   */
  fillUniform(buffer: BackendBuffer, key: readonly [number, number]): void;
  /** Resolves when all queued work has finished. */
  sync(): Promise<void>;
  /** What the adapter is (vendor, architecture, limits), for {@link devices}. */
  info(): AdapterInfo;
  /** True once the device behind this backend is gone (a lost GPU); useDevice restarts it. */
  readonly lost?: boolean;
}
