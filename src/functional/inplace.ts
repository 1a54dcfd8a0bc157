// clone and the in-place updates, with PyTorch's rules. An in-place op computes its result
// out of place and the tensor's handle takes it over (Tensor._assign swaps the storage, the
// house's way of updating in place, as optimizers do), so the handle everyone holds (a
// Parameter, an optimizer's reference) sees the new values. What PyTorch forbids is refused:
// a leaf that requires grad while gradients are recorded, a result of another dtype or a
// larger shape. What the graph saved of the old values is marked stale (version counters),
// so backward through it fails naming both ops. One difference from PyTorch: views taken
// before the update keep the old values (they share the old storage, not the handle).
import type { Tensor } from "../tensor/tensor.js";
import { fail, fmtShape } from "../tensor/errors.js";
import { checkTensor } from "../tensor/validate.js";
import { shapesEqual } from "../tensor/shape.js";
import { isGradEnabled } from "../autograd/mode.js";
import { tidy } from "../memory/scope.js";
import { type TensorLike, describe } from "../ops/dispatch.js";
import { add, mul, sub, div } from "../ops/arithmetic.js";
import { cast, copy } from "../ops/copy.js";
import { expand } from "../ops/views.js";
import { where } from "../ops/where.js";
import { broadcastShapes } from "../tensor/shape.js";
import { clamp } from "./math.js";
import { maskedFill } from "./masks.js";

/** A copy with its own storage; gradients flow through it to the original, as torch.clone. */
export function clone(x: Tensor): Tensor {
  return copy(checkTensor("clone", x));
}

function checkTarget(op: string, x: Tensor): Tensor {
  const t = checkTensor(op, x);
  if (isGradEnabled() && t.isLeaf && t.requiresGrad)
    fail(
      op,
      `a leaf tensor that requires grad (${describe(t)}) cannot be changed in place while ` +
        `gradients are recorded (PyTorch refuses this too); do the update inside dl.noGrad(() => ...)`,
    );
  return t;
}

/**
 * Gives `x` the values `compute(x)` returns (computed out of place) and returns x. Checks
 * happen before the handle changes, so a refused update leaves x as it was.
 */
function update(op: string, x: Tensor, compute: (t: Tensor) => Tensor): Tensor {
  const t = checkTarget(op, x);
  // What the op itself saves of x gets a fresh counter; the one the graph saved earlier
  // aliases with is moved on at the end, making those stale.
  const earlier = t._version;
  t._version = { value: earlier.value, lastOp: earlier.lastOp };
  let result: Tensor;
  try {
    // Temporaries (alpha · other) are freed at once: a soft update in a loop stays flat
    // without the caller's tidy, and buffers go back to the pool for the next step.
    result = tidy(() => compute(t));
    checkResult(op, t, result);
  } catch (e) {
    t._version = earlier;
    throw e;
  }
  t._assign(result);
  earlier.value++;
  earlier.lastOp = op;
  t._version = result._version;
  if (result.gradFn) t._markRequiresGrad(result.gradFn); // x takes the result's place in the graph
  result.dispose(); // x holds the storage now; the temporary handle goes
  return t;
}

function checkResult(op: string, x: Tensor, result: Tensor): void {
  if (result.dtype !== x.dtype)
    fail(
      op,
      `the result is ${result.dtype} but the tensor updated in place is ${describe(x)}; ` +
        `PyTorch refuses this cast too (update a .float() copy instead)`,
    );
  if (!shapesEqual(result.shape, x.shape))
    fail(
      op,
      `the result's shape ${fmtShape(result.shape)} does not match the tensor updated in place ` +
        `${fmtShape(x.shape)}: the other operand must broadcast to it`,
    );
}

/** x ← x · other. */
export const mul_ = (x: Tensor, other: TensorLike): Tensor =>
  update("mul_", x, (t) => mul(t, other));

/** x ← x / other. */
export const div_ = (x: Tensor, other: TensorLike): Tensor =>
  update("div_", x, (t) => div(t, other));

/** Options of `add_` / `sub_`. */
export interface AlphaOptions {
  /** The multiplier of `other` (default 1), as torch's add_(other, alpha=...). */
  alpha?: number;
}

const scaled = (other: TensorLike, alpha: number | undefined): TensorLike =>
  alpha === undefined || alpha === 1 ? other : mul(other, alpha);

/** x ← x + alpha · other. */
export const add_ = (x: Tensor, other: TensorLike, opts: AlphaOptions = {}): Tensor =>
  update("add_", x, (t) => add(t, scaled(other, opts.alpha)));

/** x ← x - alpha · other. */
export const sub_ = (x: Tensor, other: TensorLike, opts: AlphaOptions = {}): Tensor =>
  update("sub_", x, (t) => sub(t, scaled(other, opts.alpha)));

/** x ← x + weight · (end - x), as torch.lerp_ (weight a number or a tensor). */
export const lerp_ = (x: Tensor, end: Tensor, weight: TensorLike): Tensor =>
  update("lerp_", x, (t) => add(t, mul(sub(end, t), weight)));

/** x ← src, broadcast to x's shape and converted to x's dtype (as torch's copy_). */
export function copy_(x: Tensor, src: Tensor): Tensor {
  const s = checkTensor("copy_", src, "src");
  return update("copy_", x, (t) => {
    if (s.device !== t.device)
      fail(
        "copy_",
        `src is on ${s.device} but the tensor updated is on ${t.device}; move it with .to()`,
      );
    const shape = broadcastShapes("copy_", s.shape, t.shape);
    if (!shapesEqual(shape, t.shape))
      fail("copy_", `src ${fmtShape(s.shape)} does not broadcast to ${fmtShape(t.shape)}`);
    return copy(expand(cast(s, t.dtype), t.shape));
  });
}

/** x ← clamp(x, min, max). */
export const clamp_ = (x: Tensor, min?: TensorLike | null, max?: TensorLike | null): Tensor =>
  update("clamp_", x, (t) => clamp(t, min, max));

/** x ← value where the bool mask holds. */
export const maskedFill_ = (x: Tensor, mask: Tensor, value: TensorLike): Tensor =>
  update("maskedFill_", x, (t) => maskedFill(t, mask, value));

function fillAs(op: string, x: Tensor, value: TensorLike): Tensor {
  return update(op, x, (t) => {
    const filled = where(true, value, t);
    return filled.dtype === t.dtype ? filled : cast(filled, t.dtype);
  });
}

/** x ← value everywhere (converted to x's dtype). */
export const fill_ = (x: Tensor, value: TensorLike): Tensor => fillAs("fill_", x, value);

/** x ← 0. */
export const zero_ = (x: Tensor): Tensor => fillAs("zero_", x, 0);
