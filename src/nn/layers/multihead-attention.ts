// MultiheadAttention as in PyTorch: packed in_proj_weight [3E, E] when key and value have the
// embedding size, separate q/k/v_proj_weight otherwise; Xavier-uniform projections, zero
// biases. Field names are PyTorch's snake_case parameter names (not camelCase) so that state
// dict keys (`in_proj_weight`, `out_proj.weight`, ...) interchange with PyTorch checkpoints.
import type { Tensor } from "../../tensor/tensor.js";
import type { Device } from "../../backend/backend.js";
import { fail } from "../../tensor/errors.js";
import { transpose } from "../../functional/shape.js";
import { empty, xavierUniform_, zeros_ } from "../init.js";
import { Module } from "../module.js";
import { Parameter } from "../parameter.js";
import { Linear } from "./linear.js";
import { multiHeadAttentionForward } from "../functional/multi-head-attention.js";

/** Options of {@link MultiheadAttention} (PyTorch's names and defaults). */
export interface MultiheadAttentionLayerOptions {
  /** Dropout on the attention weights while training (default 0). */
  dropout?: number;
  /** Bias on the input and output projections (default true). */
  bias?: boolean;
  /** Feature size of key (default embedDim). */
  kdim?: number;
  /** Feature size of value (default embedDim). */
  vdim?: number;
  /** Inputs and output are [batch, seq, feature] instead of [seq, batch, feature]. */
  batchFirst?: boolean;
  /** Where the parameters live (default: the current device). */
  device?: Device;
}

/** Per-call options of {@link MultiheadAttention.forward}. */
export interface MultiheadAttentionForwardOptions {
  /** `[N, S]`: true (or −∞) marks key positions to ignore (padding). */
  keyPaddingMask?: Tensor | null;
  /** [L, S] or [N·numHeads, L, S]: true (or −∞) forbids attending. */
  attnMask?: Tensor | null;
  /** Return the attention weights (default true). */
  needWeights?: boolean;
  /** Average the returned weights over heads (default true). */
  averageAttnWeights?: boolean;
  /** Causal attention: builds the mask when attnMask is not given. */
  isCausal?: boolean;
}

/**
 * Multi-head attention, as `nn.MultiheadAttention`: `forward(query, key, value)` returns `[output,
 * weights]`; inputs are `[L, N, E]` (or `[N, L, E]` with batchFirst).
 *
 * @example
 * ```ts
 * const mha = new dl.nn.MultiheadAttention(64, 4, { batchFirst: true });
 * const x = dl.randn([2, 10, 64]);
 * const [out, weights] = mha.forward(x, x, x); // [2, 10, 64], [2, 10, 10]
 * ```
 */
export class MultiheadAttention extends Module {
  /** Packed query/key/value projection `[3E, E]` (null when kdim or vdim differ from E). */
  in_proj_weight: Parameter | null;
  /** Query projection `[E, E]` (when kdim or vdim differ from E), else null. */
  q_proj_weight: Parameter | null;
  /** Key projection `[E, kdim]` (when kdim or vdim differ from E), else null. */
  k_proj_weight: Parameter | null;
  /** Value projection `[E, vdim]` (when kdim or vdim differ from E), else null. */
  v_proj_weight: Parameter | null;
  /** Input projection bias `[3E]`, or null. */
  in_proj_bias: Parameter | null;
  /** The output projection `[E → E]`. */
  out_proj: Linear;
  /** Dropout on the attention weights while training. */
  readonly dropout: number;
  /** Whether inputs are `[batch, seq, feature]`. */
  readonly batchFirst: boolean;
  /** Feature size of key. */
  readonly kdim: number;
  /** Feature size of value. */
  readonly vdim: number;
  /** Size of each head: embedDim / numHeads. */
  readonly headDim: number;

  constructor(
    /** Model (query) feature size E. */
    readonly embedDim: number,
    /** Number of parallel heads; embedDim must divide by it. */
    readonly numHeads: number,
    opts: MultiheadAttentionLayerOptions = {},
  ) {
    super();
    if (!Number.isInteger(embedDim) || embedDim < 1)
      fail("MultiheadAttention", `embedDim must be a positive integer, got ${embedDim}`);
    if (!Number.isInteger(numHeads) || numHeads < 1 || embedDim % numHeads !== 0)
      fail("MultiheadAttention", `embedDim ${embedDim} must be divisible by numHeads ${numHeads}`);
    this.dropout = opts.dropout ?? 0;
    if (!(this.dropout >= 0 && this.dropout <= 1))
      fail("MultiheadAttention", `dropout must be in [0, 1], got ${this.dropout}`);
    this.batchFirst = opts.batchFirst ?? false;
    this.kdim = opts.kdim ?? embedDim;
    this.vdim = opts.vdim ?? embedDim;
    this.headDim = embedDim / numHeads;
    const E = embedDim;
    const packed = this.kdim === E && this.vdim === E;
    const param = (shape: number[]) => new Parameter(empty(shape, opts.device));
    this.in_proj_weight = packed ? param([3 * E, E]) : null;
    this.q_proj_weight = packed ? null : param([E, E]);
    this.k_proj_weight = packed ? null : param([E, this.kdim]);
    this.v_proj_weight = packed ? null : param([E, this.vdim]);
    this.in_proj_bias = opts.bias === false ? null : param([3 * E]);
    this.out_proj = new Linear(E, E, { bias: opts.bias !== false, device: opts.device });
    this.resetParameters();
  }

  /** Xavier-uniform input projections, zero biases, as PyTorch's `_reset_parameters`. */
  resetParameters(): void {
    for (const w of [
      this.in_proj_weight,
      this.q_proj_weight,
      this.k_proj_weight,
      this.v_proj_weight,
    ])
      if (w) xavierUniform_(w);
    if (this.in_proj_bias) zeros_(this.in_proj_bias);
    if (this.out_proj.bias) zeros_(this.out_proj.bias);
  }

  /**
   * query [L, N, E], key [S, N, kdim], value [S, N, vdim] ([N, ·, ·] with batchFirst, or
   * unbatched [L, E]). Returns [output like query, weights [N, L, S] (or [N, H, L, S] when not
   * averaged), or null when needWeights is false].
   */
  forward(
    query: Tensor,
    key: Tensor,
    value: Tensor,
    opts: MultiheadAttentionForwardOptions = {},
  ): [Tensor, Tensor | null] {
    const swap = this.batchFirst && query.ndim === 3;
    const tm = (x: Tensor) => (swap ? transpose(x, 0, 1) : x);
    // Self-attention keeps one tensor for all three, so the packed projection is one matmul.
    const q = tm(query);
    const k = key === query ? q : tm(key);
    const v = value === key ? k : tm(value);
    const [out, weights] = multiHeadAttentionForward(
      q,
      k,
      v,
      {
        numHeads: this.numHeads,
        inProjWeight: this.in_proj_weight,
        qProjWeight: this.q_proj_weight,
        kProjWeight: this.k_proj_weight,
        vProjWeight: this.v_proj_weight,
        inProjBias: this.in_proj_bias,
        outProjWeight: this.out_proj.weight,
        outProjBias: this.out_proj.bias,
      },
      { ...opts, dropoutP: this.dropout, training: this.training },
    );
    return [swap ? transpose(out, 0, 1) : out, weights];
  }
}
