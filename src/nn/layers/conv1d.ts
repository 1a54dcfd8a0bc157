// Conv1d: 1-D cross-correlation over [N, C, L] sequences, weight [out, in/groups, k].
import type { Tensor } from "../../tensor/tensor.js";
import { conv1d } from "../functional/conv.js";
import { ConvNd, convConfig, type ConvLayerOptions } from "./conv-base.js";

export class Conv1d extends ConvNd {
  constructor(
    inChannels: number,
    outChannels: number,
    kernelSize: number | readonly [number],
    opts: ConvLayerOptions = {},
  ) {
    super(inChannels, outChannels, convConfig("Conv1d", 1, kernelSize, opts), false, opts);
  }

  forward(x: Tensor): Tensor {
    return conv1d(x, this.weight, this.bias, {
      stride: this.stride,
      padding: this.padding,
      dilation: this.dilation,
      groups: this.groups,
    });
  }
}
