// MaxPool1d: the maximum over each kernel window of [N, C, L] sequences.
import type { Tensor } from "../../tensor/tensor.js";
import { maxPool1d } from "../functional/pooling.js";
import { MaxPoolNd, type MaxPoolLayerOptions, type ResolvedPoolOptions } from "./max-pool-base.js";

export interface MaxPool1dLayerOptions extends MaxPoolLayerOptions<number> {
  /** forward returns [output, indices] (positions along L, int32). */
  returnIndices?: boolean;
}

export class MaxPool1d<R extends boolean = false> extends MaxPoolNd<number, R> {
  constructor(kernelSize: number, opts: MaxPool1dLayerOptions & { returnIndices?: R } = {}) {
    super(kernelSize, opts);
  }

  protected pool(x: Tensor, opts: ResolvedPoolOptions<number>): Tensor {
    return maxPool1d(x, this.kernelSize, opts);
  }

  protected poolWithIndices(x: Tensor, opts: ResolvedPoolOptions<number>): [Tensor, Tensor] {
    return maxPool1d(x, this.kernelSize, { ...opts, returnIndices: true });
  }
}
