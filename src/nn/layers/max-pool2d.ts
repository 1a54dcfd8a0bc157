// MaxPool2d: the maximum over each kernel window of NCHW images (stride defaults to the
// kernel size; padding counts as -∞).
import { maxPool2d } from "../functional/pooling.js";
import type { IntOrPair } from "../functional/windows.js";
import { MaxPoolNd, type MaxPoolLayerOptions } from "./max-pool-base.js";

export type MaxPool2dOptions = MaxPoolLayerOptions<IntOrPair>;

export class MaxPool2d<R extends boolean = false> extends MaxPoolNd<IntOrPair, R> {
  constructor(kernelSize: IntOrPair, opts: MaxPool2dOptions & { returnIndices?: R } = {}) {
    super(kernelSize, opts, maxPool2d);
  }
}
