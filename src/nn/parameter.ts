// Parameter and Buffer: tensors that a Module finds among its fields. Parameters are trained
// (requiresGrad by default); buffers are state saved with the model (BatchNorm's running
// statistics). Neither is tracked by tidy(): they live as long as their module.
import { Tensor } from "../tensor/tensor.js";
import { fail } from "../tensor/errors.js";

function contiguousOf(op: string, data: Tensor): Tensor {
  if (!(data instanceof Tensor)) fail(op, `expected a Tensor, got ${typeof data}`);
  return data.isContiguous ? data : data.contiguous();
}

/**
 * A tensor a Module trains: found among its fields, listed by `parameters()`, requiresGrad by
 * default (PyTorch's `nn.Parameter`).
 */
export class Parameter extends Tensor {
  constructor(data: Tensor, requiresGrad = true) {
    const c = contiguousOf("Parameter", data);
    super(c.storage, c.shape, c.strides, c.offset, true);
    this._own();
    if (requiresGrad) this.requiresGrad = true;
  }
}

/**
 * A tensor a Module keeps and saves but does not train (BatchNorm's running statistics); PyTorch's
 * registered buffer.
 */
export class Buffer extends Tensor {
  constructor(data: Tensor) {
    const c = contiguousOf("Buffer", data);
    super(c.storage, c.shape, c.strides, c.offset, true);
    this._own();
  }
}
