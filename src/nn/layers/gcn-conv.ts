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

/** Options of {@link GCNConv} (PyTorch Geometric's names and defaults). */
export interface GCNConvLayerOptions {
  /** Learn a bias per output channel (default true). */
  bias?: boolean;
  /** Add a self-loop to every node before normalising (default true). */
  addSelfLoops?: boolean;
  /** Symmetric normalisation D^-1/2 Â D^-1/2 (default true); false sums raw edge weights. */
  normalize?: boolean;
  /** Self-loop weight 2 instead of 1 (Â = A + 2I). */
  improved?: boolean;
  /** Where the parameters live (default: the current device). */
  device?: Device;
}

/**
 * Graph convolution (Kipf & Welling), as PyTorch Geometric's `GCNConv`: node features `[N, Cin]`
 * and edges `[2, E]` → `[N, Cout]`, aggregating normalised neighbour features.
 */
export class GCNConv extends Module {
  /** Output bias `[outChannels]`, zero-initialised, or null. */
  bias: Parameter | null;
  /** The feature transform `[inChannels → outChannels]`, without bias (PyG's `lin`). */
  lin: Linear;
  /** Whether self-loops are added. */
  readonly addSelfLoops: boolean;
  /** Whether edges are symmetrically normalised. */
  readonly normalize: boolean;
  /** Whether self-loops weigh 2. */
  readonly improved: boolean;

  constructor(
    /** Input features per node. */
    readonly inChannels: number,
    /** Output features per node. */
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

  /** Glorot-initialises the transform and zeroes the bias (as PyG). */
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
