// ConvTranspose2d: the gradient of Conv2d with respect to its input, used to upsample;
// weight [in, out/groups, kh, kw]. forward(x, outputSize) picks the output padding that
// reaches a requested size, as in PyTorch.
import type { Tensor } from "../../tensor/tensor.js";
import { fail, fmtShape } from "../../tensor/errors.js";
import { convTranspose2d } from "../functional/conv-transpose.js";
import { ConvNd, convConfig, type ConvLayerOptions } from "./conv-base.js";

export interface ConvTransposeLayerOptions extends Omit<ConvLayerOptions, "padding"> {
  padding?: number | readonly [number, number];
  outputPadding?: number | readonly [number, number];
}

export class ConvTranspose2d extends ConvNd {
  constructor(
    inChannels: number,
    outChannels: number,
    kernelSize: number | readonly [number, number],
    opts: ConvTransposeLayerOptions = {},
  ) {
    super(inChannels, outChannels, convConfig("ConvTranspose2d", 2, kernelSize, opts), true, opts);
  }

  /** The output padding that makes the output `outputSize` (its last two entries). */
  private outputPaddingFor(x: Tensor, outputSize: readonly number[]): number[] {
    const target = outputSize.slice(-2);
    const pads = this.padding as number[];
    return [0, 1].map((a) => {
      const size = x.shape[x.ndim - 2 + a];
      const least =
        (size - 1) * this.stride[a] - 2 * pads[a] + this.dilation[a] * (this.kernelSize[a] - 1) + 1;
      const extra = target[a] - least;
      if (
        target.length !== 2 ||
        !(extra >= 0 && extra < Math.max(this.stride[a], this.dilation[a]))
      )
        fail(
          "ConvTranspose2d",
          `requested output size ${fmtShape(outputSize)} is not reachable from input ${fmtShape(x.shape)} ` +
            `(axis ${a} allows ${least} to ${least + Math.max(this.stride[a], this.dilation[a]) - 1})`,
        );
      return extra;
    });
  }

  forward(x: Tensor, outputSize?: readonly number[]): Tensor {
    return convTranspose2d(x, this.weight, this.bias, {
      stride: this.stride,
      padding: this.padding as number[],
      outputPadding: outputSize ? this.outputPaddingFor(x, outputSize) : this.outputPadding,
      dilation: this.dilation,
      groups: this.groups,
    });
  }
}
