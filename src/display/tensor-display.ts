// How a Tensor displays itself: synchronously on the CPU, after an async read elsewhere.
import type { Tensor } from "../tensor/tensor.js";
import type { MimeBundle, TensorViewHint } from "./protocol.js";
import { tensorBundle } from "./tensor-bundle.js";

/** How {@link viz.tensor} shows a tensor. */
export interface TensorDisplayOptions {
  /** Force a view (e.g. an image or heatmap) instead of the one chosen from the shape. */
  as?: TensorViewHint;
  /** A label shown above the tensor. */
  name?: string;
}

function info(t: Tensor, values: ArrayLike<number>, name?: string) {
  return {
    values,
    shape: t.shape,
    dtype: t.dtype,
    device: t.device,
    requiresGrad: t.requiresGrad,
    name,
  };
}

/** The bundle of a tensor: a value on the CPU, a promise on devices that read asynchronously. */
export function tensorDisplay(
  t: Tensor,
  opts: TensorDisplayOptions = {},
): MimeBundle | Promise<MimeBundle> {
  if (t.backend.readSync)
    return tensorBundle(info(t, t.dataSync(), opts.name), t.toString(), opts.as);
  return t.data().then((values) => {
    const text = `tensor(${t.device}, shape=[${t.shape.join(", ")}], dtype=${t.dtype})`;
    return tensorBundle(info(t, values, opts.name), text, opts.as);
  });
}
