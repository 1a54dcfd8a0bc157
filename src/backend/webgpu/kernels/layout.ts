// cat and unslice: strided copies into windows of a fresh output, recorded back to back.
import type { TensorView } from "../../backend.js";
import type { Kernel } from "../../registry.js";
import { contiguousStrides, sizeOf } from "../../../tensor/shape.js";
import type { WebGpuBackend } from "../backend.js";
import { COPY_WGSL, castWgsl } from "../exprs.js";
import { outView, runMap } from "./map.js";

/** Each input is copied into its slab of the output along `dim`. */
export const catKernel: Kernel = (backend, inputs, attrs: { dim: number }, out) => {
  const b = backend as WebGpuBackend;
  const buf = b.output(out.dtype, sizeOf(out.shape));
  const strides = contiguousStrides(out.shape);
  let start = 0;
  for (const v of inputs) {
    const expr = v.dtype === out.dtype ? COPY_WGSL : castWgsl(v.dtype, out.dtype);
    runMap(b, expr, [v], v.shape, out.dtype, {
      buf,
      strides,
      offset: start * strides[attrs.dim],
    });
    start += v.shape[attrs.dim];
  }
  return outView(buf, out);
};

interface UnsliceAttrs {
  shape: number[];
  starts: number[];
  steps: number[];
}

/** Zeros of the sliced tensor's shape with `g` written back into the strided window. */
export const unsliceKernel: Kernel = (backend, [g]: readonly TensorView[], attrs, out) => {
  const b = backend as WebGpuBackend;
  const a = attrs as UnsliceAttrs;
  const buf = b.output(out.dtype, sizeOf(out.shape));
  b.engine.clear(buf);
  const base = contiguousStrides(out.shape);
  const offset = a.starts.reduce((o, s, d) => o + s * base[d], 0);
  const strides = base.map((s, d) => s * a.steps[d]);
  runMap(b, COPY_WGSL, [g], g.shape, out.dtype, { buf, strides, offset });
  return outView(buf, out);
};
