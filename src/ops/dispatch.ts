// How every op runs: check devices, turn numbers into tensors, call the (op, device) kernel,
// and record a graph node when gradients are wanted.
import type { Device, TensorView } from "../backend/backend.js";
import { dispatchHints, getBackend, getKernel, type OutputSpec } from "../backend/registry.js";
import { isGradEnabled } from "../autograd/mode.js";
import { Node, type GradRule } from "../autograd/node.js";
import { Tensor } from "../tensor/tensor.js";
import { type DType, promoteTypes } from "../tensor/dtype.js";
import { fail, fmtShape } from "../tensor/errors.js";
import { scalarTensor } from "../tensor/create.js";
import { getDefaultDevice } from "../backend/devices.js";
import type { ComputeOp } from "./names.js";
import { checkAllocation, rethrowAllocation } from "../tensor/validate.js";

/** A tensor, or a number or boolean broadcast as a 0-d tensor. */
export type TensorLike = Tensor | number | boolean;
/** One dim or several; negative dims count from the end. */
export type Dims = number | readonly number[];

export function describe(t: Tensor): string {
  return `${t.dtype}${fmtShape(t.shape)} on ${t.device}`;
}

/** The one device all tensor operands live on; mixing devices is an error naming both. */
export function commonDevice(op: string, inputs: readonly TensorLike[]): Device {
  let device: Device | null = null;
  for (const x of inputs) {
    if (!(x instanceof Tensor)) continue;
    if (device === null) device = x.device;
    else if (x.device !== device)
      fail(
        op,
        `expected all tensors on one device, but found ${device} and ${x.device}; ` +
          `move one with .to("${device}") or .to("${x.device}")`,
      );
  }
  return device ?? getDefaultDevice();
}

/** The dtype a number takes next to tensors of dtype `other` (PyTorch's weak scalar rule). */
function scalarDType(x: number | boolean, other: DType | null): DType {
  if (typeof x === "boolean") return other ?? "bool";
  const natural: DType = Number.isInteger(x) ? "int32" : "float32";
  if (other === null) return natural;
  return promoteTypes(other, natural);
}

/** The result dtype of mixing tensors and numbers. */
export function resultDType(inputs: readonly TensorLike[]): DType {
  let t: DType | null = null;
  for (const x of inputs)
    if (x instanceof Tensor) t = t === null ? x.dtype : promoteTypes(t, x.dtype);
  for (const x of inputs) if (!(x instanceof Tensor)) t = scalarDType(x, t);
  return t ?? "float32";
}

/** Tensors for every operand, numbers made 0-d tensors on `device`. */
export function asTensor(op: string, x: TensorLike, device: Device, dtype: DType): Tensor {
  if (x instanceof Tensor) {
    x._assertAlive(op);
    return x;
  }
  if (typeof x !== "number" && typeof x !== "boolean")
    fail(op, `expected a Tensor or a number, got ${x === null ? "null" : typeof x}`);
  return scalarTensor(Number(x), dtype, device);
}

/** Runs the kernel for `op` on the inputs' device. No graph is recorded. */
export function compute(
  op: ComputeOp,
  inputs: readonly Tensor[],
  attrs: unknown,
  out: OutputSpec,
): Tensor {
  for (const t of inputs) t._assertAlive(op);
  const device = commonDevice(op, inputs);
  const backend = getBackend(device);
  const kernel = getKernel(op, device);
  if (!kernel) fail(op, `no kernel is registered for device ${device}`);
  const views = new Array<TensorView>(inputs.length);
  for (let i = 0; i < inputs.length; i++) views[i] = inputs[i]._kernelView();
  checkAllocation(op, out.shape, out.dtype);
  // Inline rather than validate.ts's allocating(): its closure was one more object per op.
  let view: TensorView;
  try {
    view = kernel(backend, views, attrs, out);
  } catch (e) {
    rethrowAllocation(op, out.shape, out.dtype, e);
  }
  return Tensor._fromView(view, backend);
}

/** Whether some input requires grad (a loop: a callback here was an object per op). */
function someRequiresGrad(inputs: readonly Tensor[]): boolean {
  for (let i = 0; i < inputs.length; i++) if (inputs[i].requiresGrad) return true;
  return false;
}

/** Attaches a graph node to `out` when recording is on and some input requires grad. */
export function record(
  op: string,
  rule: GradRule,
  inputs: readonly Tensor[],
  out: Tensor,
  attrs: unknown,
): Tensor {
  return isRecorded(rule, inputs) ? attachNode(op, rule, inputs, out, attrs) : out;
}

/** Whether running an op with this rule on these inputs records a graph node. */
function isRecorded(rule: GradRule, inputs: readonly Tensor[]): boolean {
  return isGradEnabled() && rule.vjp !== null && someRequiresGrad(inputs);
}

function attachNode(
  op: string,
  rule: GradRule,
  inputs: readonly Tensor[],
  out: Tensor,
  attrs: unknown,
): Tensor {
  const node = new Node(op, rule, inputs, attrs);
  out._markRequiresGrad(node);
  node.saveOutput(out);
  return out;
}

/** compute() then record(); an output no graph records may be computed when first read. */
export function run(
  op: ComputeOp,
  rule: GradRule,
  inputs: readonly Tensor[],
  attrs: unknown,
  out: OutputSpec,
): Tensor {
  const recorded = isRecorded(rule, inputs);
  dispatchHints.deferrable = !recorded;
  let result: Tensor;
  try {
    result = compute(op, inputs, attrs, out);
  } finally {
    dispatchHints.deferrable = false;
  }
  return recorded ? attachNode(op, rule, inputs, result, attrs) : result;
}
