// BatchNorm1d: per-feature batch normalisation of [N, C] or [N, C, L] inputs.
import type { Tensor } from "../../tensor/tensor.js";
import { BatchNormBase } from "./batch-norm-base.js";

export class BatchNorm1d extends BatchNormBase {
  protected checkInput(x: Tensor): void {
    if (x.ndim !== 2 && x.ndim !== 3) this.rankError(x, "a 2-D [N, C] or 3-D [N, C, L]");
  }
}
