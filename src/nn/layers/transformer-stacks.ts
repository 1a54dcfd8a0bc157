// TransformerEncoder and TransformerDecoder as in PyTorch: `numLayers` clones of one layer
// (deep copies, as PyTorch's copy.deepcopy makes them: equal weights until trained or reset)
// in a ModuleList named `layers`, then an optional final `norm`. State-dict keys are PyTorch's:
// layers.0.self_attn.in_proj_weight, …, norm.weight. PyTorch's inference fast path (nested
// tensors, zeros at padded positions) has no counterpart: padded positions always hold the
// values the training path computes.
import type { Tensor } from "../../tensor/tensor.js";
import { fail } from "../../tensor/errors.js";
import { attr, type Attr } from "../attrs.js";
import { Module } from "../module.js";
import { ModuleList } from "../containers.js";
import { cloneModule } from "../clone.js";
import {
  TransformerDecoderLayer,
  type TransformerDecoderLayerForwardOptions,
  TransformerEncoderLayer,
} from "./transformer.js";

/** A layer to clone numLayers times, or a factory called once per position. */
export type LayerSource<L extends Module> = L | ((index: number) => L);

function buildLayers<L extends Module>(
  op: string,
  source: LayerSource<L>,
  numLayers: number,
  expected: new (...args: any[]) => L,
): L[] {
  if (!Number.isInteger(numLayers) || numLayers < 1)
    fail(op, `numLayers must be a positive integer, got ${numLayers}`);
  const make = (i: number): L => {
    const layer = typeof source === "function" && !(source instanceof Module) ? source(i) : source;
    if (!(layer instanceof expected))
      fail(op, `expected a ${expected.name} (or a function returning one), got ${describe(layer)}`);
    return typeof source === "function" ? layer : cloneModule(layer);
  };
  return Array.from({ length: numLayers }, (_, i) => make(i));
}

const describe = (v: unknown): string =>
  v instanceof Module ? v.constructor.name : v === null ? "null" : typeof v;

function checkNorm(op: string, norm: Module | null | undefined): Module | null {
  if (norm != null && !(norm instanceof Module))
    fail(op, `norm must be a Module (a LayerNorm) or null, got ${typeof norm}`);
  return norm ?? null;
}

/** Options of {@link TransformerEncoder}. */
export interface TransformerEncoderOptions {
  /** Applied to the output of the last layer (PyTorch's `norm`, default none). */
  norm?: Module | null;
}

/** Per-call options of {@link TransformerEncoder.forward}. */
export interface TransformerEncoderForwardOptions {
  /** [S, S] (or [N·nhead, S, S]): true or −∞ forbids attending (PyTorch's `mask`). */
  mask?: Tensor | null;
  /** `[N, S]`: true marks padding positions of the source. */
  srcKeyPaddingMask?: Tensor | null;
  /** Causal self-attention: builds the mask when `mask` is not given. */
  isCausal?: boolean;
}

/**
 * A stack of `numLayers` copies of an encoder layer, with an optional final norm, as
 * `nn.TransformerEncoder`.
 */
export class TransformerEncoder extends Module {
  /** The encoder layers, deep copies of the one given (state dict keys `layers.0...`). */
  layers: ModuleList;
  /** Final layer norm, or null. */
  norm: Module | null;
  /** Number of layers. */
  readonly numLayers: number;

  constructor(
    encoderLayer: LayerSource<TransformerEncoderLayer>,
    numLayers: number,
    opts: TransformerEncoderOptions = {},
  ) {
    super();
    const layers = buildLayers(
      "TransformerEncoder",
      encoderLayer,
      numLayers,
      TransformerEncoderLayer,
    );
    this.layers = new ModuleList(layers);
    this.norm = checkNorm("TransformerEncoder", opts.norm);
    this.numLayers = numLayers;
  }

  /** src [S, N, E] ([N, S, E] with the layers' batchFirst, or unbatched [S, E]). */
  forward(src: Tensor, opts: TransformerEncoderForwardOptions = {}): Tensor {
    const layerOpts = {
      srcMask: opts.mask,
      srcKeyPaddingMask: opts.srcKeyPaddingMask,
      isCausal: opts.isCausal,
    };
    let x = src;
    for (const layer of this.layers) x = (layer as TransformerEncoderLayer).forward(x, layerOpts);
    return this.norm ? (this.norm.forward(x) as Tensor) : x;
  }

  override attrs(): Attr[] {
    return [attr.int("num_layers", this.numLayers, { quiet: true })];
  }
}

/** Options of {@link TransformerDecoder}. */
export interface TransformerDecoderOptions {
  /** Applied to the output of the last layer (PyTorch's `norm`, default none). */
  norm?: Module | null;
}

/**
 * A stack of `numLayers` copies of a decoder layer, with an optional final norm, as
 * `nn.TransformerDecoder`.
 */
export class TransformerDecoder extends Module {
  /** The decoder layers, deep copies of the one given. */
  layers: ModuleList;
  /** Final layer norm, or null. */
  norm: Module | null;
  /** Number of layers. */
  readonly numLayers: number;

  constructor(
    decoderLayer: LayerSource<TransformerDecoderLayer>,
    numLayers: number,
    opts: TransformerDecoderOptions = {},
  ) {
    super();
    const layers = buildLayers(
      "TransformerDecoder",
      decoderLayer,
      numLayers,
      TransformerDecoderLayer,
    );
    this.layers = new ModuleList(layers);
    this.norm = checkNorm("TransformerDecoder", opts.norm);
    this.numLayers = numLayers;
  }

  /** tgt [T, N, E] and memory [S, N, E] ([N, ·, E] with batchFirst); returns tgt's shape. */
  forward(tgt: Tensor, memory: Tensor, opts: TransformerDecoderLayerForwardOptions = {}): Tensor {
    let x = tgt;
    for (const layer of this.layers)
      x = (layer as TransformerDecoderLayer).forward(x, memory, opts);
    return this.norm ? (this.norm.forward(x) as Tensor) : x;
  }

  override attrs(): Attr[] {
    return [attr.int("num_layers", this.numLayers, { quiet: true })];
  }
}
