// GCNConv (Kipf & Welling), following PyTorch Geometric: x' = D^-1/2 (A + I) D^-1/2 x Wᵀ + b.
// Parameters are named like PyG's (`bias`, then `lin.weight`, declared in that order) so
// state dicts interchange; Glorot-initialised weight, zero bias.
import { attr, type Attr } from "../attrs.js";
import type { Tensor } from "../../tensor/tensor.js";
import type { Device } from "../../backend/backend.js";
import { fail, fmtShape } from "../../tensor/errors.js";
import { empty, xavierUniform_, zeros_ } from "../init.js";
import { Module } from "../module.js";
import { Parameter } from "../parameter.js";
import { Linear } from "./linear.js";
import { gcnConv } from "../functional/graph.js";

export interface GCNConvLayerOptions {
  bias?: boolean;
  /** Add a self-loop to every node before normalising (default true). */
  addSelfLoops?: boolean;
  /** Symmetric normalisation D^-1/2 Â D^-1/2 (default true); false sums raw edge weights. */
  normalize?: boolean;
  /** Self-loop weight 2 instead of 1 (Â = A + 2I). */
  improved?: boolean;
  device?: Device;
}

export class GCNConv extends Module {
  bias: Parameter | null;
  lin: Linear;
  readonly addSelfLoops: boolean;
  readonly normalize: boolean;
  readonly improved: boolean;

  constructor(
    readonly inChannels: number,
    readonly outChannels: number,
    opts: GCNConvLayerOptions = {},
  ) {
    super();
    this.bias = opts.bias === false ? null : new Parameter(empty([outChannels], opts.device));
    this.lin = new Linear(inChannels, outChannels, { bias: false, device: opts.device });
    this.addSelfLoops = opts.addSelfLoops ?? true;
    this.normalize = opts.normalize ?? true;
    this.improved = opts.improved ?? false;
    this.resetParameters();
  }

  resetParameters(): void {
    xavierUniform_(this.lin.weight);
    if (this.bias) zeros_(this.bias);
  }

  /** x [N, inChannels], edgeIndex int32 [2, E] (row 0 sources, row 1 targets), edgeWeight [E]. */
  forward(x: Tensor, edgeIndex: Tensor, edgeWeight?: Tensor | null): Tensor {
    if (x.ndim !== 2 || x.shape[1] !== this.inChannels)
      fail("GCNConv", `expected node features [N, ${this.inChannels}], got ${fmtShape(x.shape)}`);
    return gcnConv(x, edgeIndex, this.lin.weight, {
      edgeWeight,
      bias: this.bias,
      normalize: this.normalize,
      addSelfLoops: this.addSelfLoops,
      improved: this.improved,
    });
  }

  override attrs(): Attr[] {
    return [
      attr.int("in_channels", this.inChannels, { positional: true }),
      attr.int("out_channels", this.outChannels, { positional: true }),
    ];
  }

  /** PyG prints only the sizes, not the inner Linear. */
  override toString(): string {
    return `GCNConv(${this.extraRepr()})`;
  }
}
