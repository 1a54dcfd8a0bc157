// BatchNorm2d: per-channel batch normalisation of NCHW images.
import type { Tensor } from "../../tensor/tensor.js";
import { BatchNormBase } from "./batch-norm-base.js";

export class BatchNorm2d extends BatchNormBase {
  protected checkInput(x: Tensor): void {
    if (x.ndim !== 4) this.rankError(x, "a 4-D [N, C, H, W]");
  }
}
