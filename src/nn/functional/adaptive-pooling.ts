// F.adaptiveAvgPool2d: output cell i along an axis of size n averages the input range
// [floor(i·n/out), ceil((i+1)·n/out)). The window is a product of two ranges, so the 2-D
// average is one 1-D average per axis.
import type { Tensor } from "../../tensor/tensor.js";
import { fail, fmtShape } from "../../tensor/errors.js";
import { cat } from "../../ops/cat.js";
import { mean } from "../../functional/math.js";
import { narrow, reshape, squeeze, unsqueeze } from "../../functional/shape.js";
import { checkRank } from "./windows.js";

/** An int, or [h, w] where null keeps that axis's input size. */
export type AdaptiveSize =
  number | readonly [number | null, number | null] | readonly (number | null)[];

function averageAxis(x: Tensor, dim: number, out: number): Tensor {
  const n = x.shape[dim];
  if (out === n) return x;
  if (n % out === 0) {
    const k = n / out;
    const split = [...x.shape.slice(0, dim), out, k, ...x.shape.slice(dim + 1)];
    return mean(reshape(x, split), dim + 1);
  }
  const cells: Tensor[] = [];
  for (let i = 0; i < out; i++) {
    const start = Math.floor((i * n) / out);
    const end = Math.ceil(((i + 1) * n) / out);
    cells.push(mean(narrow(x, dim, start, end - start), dim, true));
  }
  return cat(cells, dim);
}

/**
 * Averages `[N, C, H, W]` (or `[C, H, W]`) down to `outputSize` whatever the input size, as
 * `F.adaptive_avg_pool2d` (null keeps an axis).
 */
export function adaptiveAvgPool2d(x: Tensor, outputSize: AdaptiveSize): Tensor {
  const unbatched = checkRank("adaptiveAvgPool2d", x, 2);
  const list = typeof outputSize === "number" ? [outputSize, outputSize] : [...outputSize];
  const x4 = unbatched ? unsqueeze(x, 0) : x;
  const target = list.map((s, a) => (s === null ? x4.shape[2 + a] : s));
  if (target.length !== 2 || target.some((s) => !Number.isInteger(s) || s < 1))
    fail(
      "adaptiveAvgPool2d",
      `outputSize must be a positive integer or two of them (null keeps the input size), got ${JSON.stringify(outputSize)}`,
    );
  if (x4.shape[2] === 0 || x4.shape[3] === 0)
    fail("adaptiveAvgPool2d", `input ${fmtShape(x.shape)} has an empty spatial dim`);
  const out = averageAxis(averageAxis(x4, 2, target[0]), 3, target[1]);
  return unbatched ? squeeze(out, 0) : out;
}
