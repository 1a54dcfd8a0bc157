// MaxPool2d: the maximum over each kernel window of NCHW images (stride defaults to the
// kernel size; padding counts as -∞).
import type { Tensor } from "../../tensor/tensor.js";
import { maxPool2d } from "../functional/pooling.js";
import type { IntOrPair } from "../functional/windows.js";
import { MaxPoolNd, type MaxPoolLayerOptions, type ResolvedPoolOptions } from "./max-pool-base.js";

export interface MaxPool2dOptions extends MaxPoolLayerOptions<IntOrPair> {
  /** forward returns [output, indices] (flat h·W + w input positions, int32). */
  returnIndices?: boolean;
}

export class MaxPool2d<R extends boolean = false> extends MaxPoolNd<IntOrPair, R> {
  constructor(kernelSize: IntOrPair, opts: MaxPool2dOptions & { returnIndices?: R } = {}) {
    super(kernelSize, opts);
  }

  protected pool(x: Tensor, opts: ResolvedPoolOptions<IntOrPair>): Tensor {
    return maxPool2d(x, this.kernelSize, opts);
  }

  protected poolWithIndices(x: Tensor, opts: ResolvedPoolOptions<IntOrPair>): [Tensor, Tensor] {
    return maxPool2d(x, this.kernelSize, { ...opts, returnIndices: true });
  }
}
