// Typed-array values to nested JavaScript arrays (what toArray() returns).
import type { DType, TypedArray } from "./dtype.js";

/**
 * Values nested as arrays, one level per dim (what {@link Tensor.toArray} returns and {@link
 * tensor} accepts).
 */
export type NestedArray = number | boolean | NestedArray[];

export function nest(data: TypedArray, shape: readonly number[], dtype: DType): NestedArray {
  const conv = dtype === "bool" ? (v: number) => v !== 0 : (v: number) => v;
  if (shape.length === 0) return conv(data[0]);
  let i = 0;
  const build = (d: number): NestedArray[] => {
    const out: NestedArray[] = new Array(shape[d]);
    for (let k = 0; k < shape[d]; k++)
      out[k] = d === shape.length - 1 ? conv(data[i++]) : build(d + 1);
    return out;
  };
  return build(0);
}
