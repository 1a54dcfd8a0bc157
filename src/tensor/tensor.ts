// The Tensor: a strided view of a reference-counted device storage, plus autograd metadata.
// No maths here: operations live in src/ops (and are attached as methods by ops/methods.ts).
import type { Backend, Device, TensorView } from "../backend/backend.js";
import { getBackend } from "../backend/registry.js";
import { Storage } from "../memory/storage.js";
import {
  hold,
  holdSaved,
  drop,
  own,
  isOwned,
  register,
  stepBoundary,
  type Held,
} from "../memory/lifetime.js";
import { track, wasFreedByAsyncScope } from "../memory/scope.js";
import type { Node } from "../autograd/node.js";
import { type DType, type TypedArray, isFloat } from "./dtype.js";
import { fail, fmtShape } from "./errors.js";
import { optionalTensorHook, tensorHook, type BackwardOptions } from "./hooks.js";
import { isContiguous, sizeOf } from "./shape.js";
import { frozenStrides, layoutOf } from "./layouts.js";
import { nest, type NestedArray } from "./nest.js";
import { checkAllocation } from "./validate.js";
import type { VersionCounter } from "./version.js";

/** Why a tensor an async tidy() disposed is dead (the scope's rule: memory/async-scope.ts). */
const FREED_BY_ASYNC_SCOPE =
  ": a dl.tidy(async ...) disposed it when it ended. It was made while that scope was the " +
  "innermost one (by its function, or by other code that ran during one of its awaits) and was " +
  "neither returned nor kept: return it, dl.keep() it, or make it outside the scope";

export type { NestedArray };

let nextId = 1;

export type { BackwardOptions } from "./hooks.js";

/**
 * An n-dimensional array with autograd, as PyTorch's `torch.Tensor`: a view (shape, strides,
 * offset) on a storage on one device. Create tensors with {@link tensor}, {@link zeros}, {@link
 * randn}...; operations are functions (`dl.add(a, b)`) and methods (`a.add(b)`). Reading values is
 * async (`await t.toArray()`); free device memory with `dispose()` or {@link tidy}.
 *
 * @example
 * ```ts
 * const x = dl.tensor([[1, 2], [3, 4]], { dtype: "float32", requiresGrad: true });
 * const y = x.mul(x).sum();
 * y.backward();
 * await x.grad!.toArray(); // [[2, 4], [6, 8]]
 * ```
 */
export class Tensor {
  /** A unique number for this handle (shown in graphs). */
  readonly id = nextId++;
  /** Sizes of each dim (PyTorch's `.shape`); [] for a scalar. */
  readonly shape: readonly number[];
  /** Element step of each dim in the storage (PyTorch's `.stride()`). */
  readonly strides: readonly number[];
  /** Element index of the first value in the storage. */
  readonly offset: number;
  /** Element type: float32, int32 or bool. */
  readonly dtype: DType;
  /** The producing op, or null for leaves. */
  gradFn: Node | null = null;
  /** Accumulated gradient (leaves with requiresGrad). */
  grad: Tensor | null = null;
  /**
   * Where this handle's gradient accumulates: itself, or for internal aliases the original.
   *
   * @internal
   */
  _leaf: Tensor = this;
  private _requiresGrad = false;
  /** The version counter, made on first use: most op outputs are never saved nor updated. */
  private _versionCounter: VersionCounter | null = null;
  /** What kernels see of this handle, made when it is first an op's input (see _kernelView). */
  private _kernelViewCache: TensorView | null = null;
  private _storage: Storage;
  private _held: Held | null;
  /**
   * This handle's slot in the tidy() scope holding it (memory/scope.ts), -1 when none.
   *
   * @internal
   */
  _scopeSlot = -1;

  /** Internal: use dl.tensor / ops to create tensors. */
  constructor(
    storage: Storage,
    shape: readonly number[],
    strides: readonly number[],
    offset: number,
    internal = false,
    saved = false,
  ) {
    this._storage = storage;
    // Shared frozen arrays (tensor/layouts.ts): no copies per op for the common shapes.
    const layout = layoutOf(shape);
    this.shape = layout.shape;
    this.strides = frozenStrides(layout, strides);
    this.offset = offset;
    this.dtype = storage.buffer.dtype;
    const scoped = !internal && track(this);
    this._held = saved ? holdSaved(this, storage) : hold(this, storage, false, scoped);
  }

  /**
   * Wraps a freshly allocated kernel output.
   *
   * @internal
   */
  static _fromView(view: TensorView, backend: Backend): Tensor {
    return new Tensor(new Storage(view.buffer, backend), view.shape, view.strides, view.offset);
  }

  /**
   * A new handle on the same storage with different view metadata (a view op's output).
   *
   * @internal
   */
  _view(shape: readonly number[], strides: readonly number[], offset: number): Tensor {
    return new Tensor(this.storage, shape, strides, offset);
  }

  /**
   * Internal handle sharing storage and graph identity, not tracked by tidy (saved tensors).
   *
   * @internal
   */
  _alias(): Tensor {
    const a = new Tensor(this.storage, this.shape, this.strides, this.offset, true, true);
    a.gradFn = this.gradFn;
    a._requiresGrad = this._requiresGrad;
    a._leaf = this._leaf;
    a._version = this._version;
    return a;
  }

  /**
   * Shared with this handle's internal aliases (saved tensors), bumped by in-place ops.
   *
   * @internal
   */
  get _version(): VersionCounter {
    return (this._versionCounter ??= { value: 0, lastOp: "" });
  }
  /**
   * Shares another handle's counter (an alias made by detach or a saved tensor).
   *
   * @internal
   */
  set _version(counter: VersionCounter) {
    this._versionCounter = counter;
  }

  /** The device the values live on. */
  get device(): Device {
    return this._storage.device;
  }
  /** Number of dims (PyTorch's `.dim()`). */
  get ndim(): number {
    return this.shape.length;
  }
  /** Number of elements (PyTorch's `.numel()`). */
  get size(): number {
    return sizeOf(this.shape);
  }
  /** Whether dispose() has freed this handle. */
  get isDisposed(): boolean {
    return this._held === null;
  }
  /** True for tensors not produced by a recorded op (inputs and parameters). */
  get isLeaf(): boolean {
    return this.gradFn === null;
  }
  /** Whether the values are laid out in row-major order without gaps. */
  get isContiguous(): boolean {
    return isContiguous(this.shape, this.strides);
  }

  /**
   * The storage, checked for use after dispose (every op reads tensors through this).
   *
   * @internal
   */
  get storage(): Storage {
    this._assertAlive("tensor");
    return this._storage;
  }

  /**
   * Fails for a disposed tensor, naming `op` (what the caller was doing with it).
   *
   * @internal
   */
  _assertAlive(op: string): void {
    if (this._held === null)
      fail(
        op,
        `tensor of shape ${fmtShape(this.shape)} (${this.dtype}) was used after dispose()` +
          (wasFreedByAsyncScope(this) ? FREED_BY_ASYNC_SCOPE : ""),
      );
  }

  /**
   * Whether operations on this tensor are recorded so backward() reaches it (floating-point only);
   * set it on leaves.
   */
  get requiresGrad(): boolean {
    return this._requiresGrad;
  }
  /** Turns gradient recording on or off for a leaf (off on a non-leaf fails: use detach()). */
  set requiresGrad(value: boolean) {
    if (value && !isFloat(this.dtype))
      fail(
        "requiresGrad",
        `only floating-point tensors can require gradients; this tensor is ${this.dtype} ` +
          `of shape ${fmtShape(this.shape)} (cast it with .float() first)`,
      );
    if (!value && this.gradFn)
      fail("requiresGrad", "cannot turn off requiresGrad on a non-leaf tensor; use .detach()");
    this._requiresGrad = value;
  }

  /**
   * Marks a non-leaf as requiring grad (set by ops when they record a graph).
   *
   * @internal
   */
  _markRequiresGrad(node: Node): void {
    this.gradFn = node;
    this._requiresGrad = true;
  }

  /** PyTorch's in-place `requires_grad_()`. */
  requiresGrad_(value = true): this {
    this.requiresGrad = value;
    return this;
  }

  /**
   * What kernels see: the buffer read through this view.
   *
   * @internal
   */
  _kernelView(): TensorView {
    this._assertAlive("tensor");
    // Kept while the storage, strides and offset stay (_assign and _moveTo change them):
    // weights and loop operands are read by many ops, and each view was a fresh object.
    return (this._kernelViewCache ??= {
      buffer: this._storage.buffer,
      dtype: this.dtype,
      shape: this.shape,
      strides: this.strides,
      offset: this.offset,
    });
  }

  /** The backend of this tensor's device. */
  get backend(): Backend {
    return getBackend(this.device);
  }

  /** Releases this handle's reference to the storage now (views keep theirs). */
  dispose(): void {
    if (this._held === null) return;
    drop(this._held, this._storage.buffer);
    this._held = null;
  }

  /**
   * Marks this handle as one whose owner disposes it (a parameter, a gradient, optimizer
   * state, keep()): dl.memory() counts it for its whole life (see memory/lifetime.ts).
   *
   * @internal
   */
  _own(): this {
    own(this._held);
    return this;
  }

  /**
   * Registers the handle with the finalizer when it leaves its tidy() scopes alive.
   *
   * @internal
   */
  _leaveScope(): void {
    register(this, this._held);
  }

  /** Points this handle at `next` (in-place updates), keeping how it is owned. */
  private _rehold(next: Storage): Held {
    const held = hold(this, next, isOwned(this._held));
    if (this._held) drop(this._held, this._storage.buffer);
    return held;
  }

  /** A new leaf sharing storage, cut off from the graph. */
  detach(): Tensor {
    return this._view(this.shape, this.strides, this.offset);
  }

  /**
   * Replaces this tensor's contents with `value`'s, in place (shape, dtype and device must
   * match). Used by optimizers and running statistics: the handle stays, the storage changes.
   *
   * @internal
   */
  _assign(value: Tensor): this {
    if (
      value.dtype !== this.dtype ||
      value.device !== this.device ||
      value.shape.join() !== this.shape.join()
    )
      fail(
        "assign",
        `expected a ${this.dtype} tensor of shape ${fmtShape(this.shape)} on ${this.device}, ` +
          `got ${value.dtype} ${fmtShape(value.shape)} on ${value.device}`,
      );
    const src = value.isContiguous ? value : value.contiguous();
    return this._adopt(src.storage, layoutOf(this.shape).strides, src.offset);
  }

  /**
   * Moves this handle's contents to another device in place (Module.to uses it so
   * optimizers keep pointing at the same Parameter objects).
   *
   * @internal
   */
  _moveTo(device: Device): this {
    if (device === this.device) return this;
    const moved = this.to(device);
    this._adopt(moved.storage, moved.strides, moved.offset);
    moved.dispose();
    return this;
  }

  /** Points this handle at `next` (its reference moves there), with a new layout. */
  private _adopt(next: Storage, strides: readonly number[], offset: number): this {
    this._held = this._rehold(next);
    this._storage = next;
    this._kernelViewCache = null;
    (this as { strides: readonly number[] }).strides = strides;
    (this as { offset: number }).offset = offset;
    return this;
  }

  /** This tensor if contiguous, else a row-major copy (`.contiguous()`). */
  contiguous(): Tensor {
    if (this.isContiguous) return this;
    checkAllocation("contiguous", this.shape, this.dtype);
    return tensorHook("contiguous")(this);
  }

  /**
   * A copy on `device` (this tensor when already there); synchronous, so reading a WebGPU tensor to
   * the CPU needs {@link toDeviceAsync}.
   */
  to(device: Device): Tensor {
    if (device === this.device) return this;
    return tensorHook("toDevice")(this, device);
  }

  /**
   * Computes gradients of this tensor (a scalar, or with `grad` given) with respect to every leaf
   * that requires grad, accumulating into their `.grad` (PyTorch's `backward`).
   *
   * @example
   * ```ts
   * const w = dl.randn([3], { requiresGrad: true });
   * w.mul(2).sum().backward();
   * await w.grad!.toArray(); // [2, 2, 2]
   * ```
   */
  backward(grad?: Tensor, opts: BackwardOptions = {}): void {
    tensorHook("backward")(this, grad, opts);
  }

  /** A contiguous copy of the values as a typed array (async: works on every device). */
  async data(): Promise<TypedArray> {
    this._assertAlive("data");
    const c = this.contiguous();
    try {
      return await c.backend.read(c.storage.buffer, c.offset, c.size);
    } finally {
      if (c !== this) c.dispose();
    }
  }

  /** Synchronous read; only where the backend can read without blocking (the CPU). */
  dataSync(): TypedArray {
    this._assertAlive("dataSync");
    const backend = this.backend;
    if (!backend.readSync)
      fail(
        "dataSync",
        `cannot read a ${this.device} tensor synchronously; use await t.data() or await t.toArray()`,
      );
    const c = this.contiguous();
    try {
      return backend.readSync(c.storage.buffer, c.offset, c.size);
    } finally {
      if (c !== this) c.dispose();
    }
  }

  /**
   * The values as nested arrays, one level per dim (PyTorch's `.tolist()`); async, works on every
   * device.
   */
  async toArray(): Promise<NestedArray> {
    this._assertAlive("toArray");
    return nest(await this.data(), this.shape, this.dtype);
  }

  /**
   * {@link Tensor.toArray}, synchronously: only where the backend can read without blocking (the
   * CPU).
   */
  toArraySync(): NestedArray {
    this._assertAlive("toArraySync");
    return nest(this.dataSync(), this.shape, this.dtype);
  }

  /** The value of a one-element tensor as a number (PyTorch's `.item()`); async. */
  async item(): Promise<number> {
    if (this.size !== 1)
      fail(
        "item",
        `only one-element tensors can be read as a number, got shape ${fmtShape(this.shape)}`,
      );
    stepBoundary();
    return (await this.data())[0];
  }

  /** {@link Tensor.item}, synchronously: CPU tensors only. */
  itemSync(): number {
    if (this.size !== 1)
      fail(
        "item",
        `only one-element tensors can be read as a number, got shape ${fmtShape(this.shape)}`,
      );
    stepBoundary();
    return this.dataSync()[0];
  }

  /** A PyTorch-style printout of the values (`tensor([[1, 2], ...])`). */
  toString(): string {
    if (this.isDisposed) return `tensor(<disposed>, shape=${fmtShape(this.shape)})`;
    const format = optionalTensorHook("format");
    return format ? format(this) : `tensor(shape=${fmtShape(this.shape)})`;
  }

  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return this.toString();
  }

  [Symbol.for("Jupyter.display")](): Record<string, unknown> | Promise<Record<string, unknown>> {
    const display = optionalTensorHook("display");
    if (display && !this.isDisposed) return display(this);
    return { "text/plain": this.toString() };
  }
}
