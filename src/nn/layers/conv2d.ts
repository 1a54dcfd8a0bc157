// Conv2d: 2-D cross-correlation over NCHW images, weight [out, in/groups, kh, kw].
import type { Tensor } from "../../tensor/tensor.js";
import { conv2d } from "../functional/conv.js";
import { ConvNd, convConfig, type ConvLayerOptions } from "./conv-base.js";

export class Conv2d extends ConvNd {
  constructor(
    inChannels: number,
    outChannels: number,
    kernelSize: number | readonly [number, number],
    opts: ConvLayerOptions = {},
  ) {
    super(inChannels, outChannels, convConfig("Conv2d", 2, kernelSize, opts), false, opts);
  }

  forward(x: Tensor): Tensor {
    return conv2d(x, this.weight, this.bias, {
      stride: this.stride,
      padding: this.padding,
      dilation: this.dilation,
      groups: this.groups,
    });
  }
}
