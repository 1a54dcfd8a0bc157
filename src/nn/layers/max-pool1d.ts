// MaxPool1d: the maximum over each kernel window of [N, C, L] sequences.
import { maxPool1d } from "../functional/pooling.js";
import { MaxPoolNd, type MaxPoolLayerOptions } from "./max-pool-base.js";

export type MaxPool1dLayerOptions = MaxPoolLayerOptions<number>;

export class MaxPool1d<R extends boolean = false> extends MaxPoolNd<number, R> {
  constructor(kernelSize: number, opts: MaxPool1dLayerOptions & { returnIndices?: R } = {}) {
    super(kernelSize, opts, maxPool1d);
  }
}
