// dl.nn.init: in-place initialisers (they replace a tensor's contents, keeping the handle),
// following torch.nn.init's formulas and gains. Draws come from the seeded host generator.
import { Tensor } from "../tensor/tensor.js";
import type { Device } from "../backend/backend.js";
import { fail, fmtShape } from "../tensor/errors.js";
import { fromArray } from "../tensor/create.js";
import { fillNormal, fillUniform } from "../tensor/random.js";
import { noGrad } from "../autograd/mode.js";

/** The nonlinearities {@link calculateGain} knows (PyTorch's names). */
export type Nonlinearity =
  "linear" | "conv1d" | "conv2d" | "sigmoid" | "tanh" | "relu" | "leaky_relu" | "selu";

/** An uninitialised-looking tensor for parameters about to be initialised (zeros). */
export function empty(shape: number[], device?: Device): Tensor {
  return fromArray(new Float32Array(shape.reduce((a, b) => a * b, 1)), shape, device);
}

/**
 * The recommended gain for a nonlinearity, as `nn.init.calculate_gain` (e.g. √2 for relu; `param`
 * is leaky_relu's slope).
 */
export function calculateGain(nonlinearity: Nonlinearity, param?: number): number {
  switch (nonlinearity) {
    case "linear":
    case "conv1d":
    case "conv2d":
    case "sigmoid":
      return 1;
    case "tanh":
      return 5 / 3;
    case "relu":
      return Math.SQRT2;
    case "leaky_relu": {
      const slope = param ?? 0.01;
      return Math.sqrt(2 / (1 + slope * slope));
    }
    case "selu":
      return 3 / 4;
  }
}

/**
 * Fan-in and fan-out of a weight (`[out, in, ...kernel]`), as PyTorch computes them for
 * initialisation.
 */
export function fans(t: Tensor): {
  /** in · receptive field size. */
  fanIn: number;
  /** out · receptive field size. */
  fanOut: number;
} {
  if (t.ndim < 2)
    fail("init", `fan in/out need a tensor with at least 2 dims, got ${fmtShape(t.shape)}`);
  const receptive = t.shape.slice(2).reduce((a, b) => a * b, 1);
  return { fanIn: t.shape[1] * receptive, fanOut: t.shape[0] * receptive };
}

function fill(t: Tensor, draw: (a: Float32Array) => void): Tensor {
  const a = new Float32Array(t.size);
  draw(a);
  return noGrad(() => t._assign(fromArray(a, t.shape, t.device)));
}

/** Fills `t` in place from U(low, high) (default U(0, 1)); returns it. Not recorded by autograd. */
export const uniform_ = (t: Tensor, low = 0, high = 1): Tensor =>
  fill(t, (a) => fillUniform(a, low, high));
/** Fills `t` in place from N(mean, std²) (default N(0, 1)); returns it. */
export const normal_ = (t: Tensor, mean = 0, std = 1): Tensor =>
  fill(t, (a) => fillNormal(a, mean, std));
/** Fills `t` in place with `value`; returns it. */
export const constant_ = (t: Tensor, value: number): Tensor => fill(t, (a) => a.fill(value));
/** Fills `t` in place with zeros; returns it. */
export const zeros_ = (t: Tensor): Tensor => constant_(t, 0);
/** Fills `t` in place with ones; returns it. */
export const ones_ = (t: Tensor): Tensor => constant_(t, 1);

/**
 * Glorot uniform: U(−a, a) with a = gain·√(6/(fanIn + fanOut)), in place
 * (`nn.init.xavier_uniform_`).
 */
export function xavierUniform_(t: Tensor, gain = 1): Tensor {
  const { fanIn, fanOut } = fans(t);
  const bound = gain * Math.sqrt(6 / (fanIn + fanOut));
  return uniform_(t, -bound, bound);
}

/**
 * Glorot normal: N(0, std²) with std = gain·√(2/(fanIn + fanOut)), in place
 * (`nn.init.xavier_normal_`).
 */
export function xavierNormal_(t: Tensor, gain = 1): Tensor {
  const { fanIn, fanOut } = fans(t);
  return normal_(t, 0, gain * Math.sqrt(2 / (fanIn + fanOut)));
}

/** Options of the He (Kaiming) initialisers, as PyTorch's. */
export interface KaimingOptions {
  /** Negative slope of the leaky_relu that follows (default 0). */
  a?: number;
  /** Preserve the variance of the forward pass (`"fanIn"`, the default) or of the backward pass. */
  mode?: "fanIn" | "fanOut";
  /** The nonlinearity that follows (default `"leaky_relu"`). */
  nonlinearity?: Nonlinearity;
}

function kaimingStd(t: Tensor, opts: KaimingOptions): number {
  const { fanIn, fanOut } = fans(t);
  const fan = opts.mode === "fanOut" ? fanOut : fanIn;
  const gain = calculateGain(opts.nonlinearity ?? "leaky_relu", opts.a ?? 0);
  return fan > 0 ? gain / Math.sqrt(fan) : 0;
}

/** He uniform: U(−b, b) with b = gain·√(3/fan), in place (`nn.init.kaiming_uniform_`). */
export function kaimingUniform_(t: Tensor, opts: KaimingOptions = {}): Tensor {
  const bound = Math.sqrt(3) * kaimingStd(t, opts);
  return uniform_(t, -bound, bound);
}

/** He normal: N(0, std²) with std = gain/√fan, in place (`nn.init.kaiming_normal_`). */
export function kaimingNormal_(t: Tensor, opts: KaimingOptions = {}): Tensor {
  return normal_(t, 0, kaimingStd(t, opts));
}

/** A (semi-)orthogonal matrix from the QR decomposition of a normal draw (Gram–Schmidt). */
export function orthogonal_(t: Tensor, gain = 1): Tensor {
  if (t.ndim < 2) fail("orthogonal_", `needs at least 2 dims, got ${fmtShape(t.shape)}`);
  const rows = t.shape[0];
  const cols = t.size / rows;
  const n = Math.max(rows, cols);
  const m = Math.min(rows, cols);
  const a = new Float64Array(n * m);
  const draw = new Float32Array(n * m);
  fillNormal(draw);
  a.set(draw);
  // Modified Gram–Schmidt on the m columns of an n×m matrix; signs fixed like torch (diag of R > 0).
  for (let j = 0; j < m; j++) {
    for (let k = 0; k < j; k++) {
      let dot = 0;
      for (let i = 0; i < n; i++) dot += a[i * m + k] * a[i * m + j];
      for (let i = 0; i < n; i++) a[i * m + j] -= dot * a[i * m + k];
    }
    let norm = 0;
    for (let i = 0; i < n; i++) norm += a[i * m + j] ** 2;
    norm = Math.sqrt(norm) || 1;
    for (let i = 0; i < n; i++) a[i * m + j] /= norm;
  }
  const q = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < cols; c++)
      q[r * cols + c] = gain * (rows >= cols ? a[r * m + c] : a[c * m + r]);
  return noGrad(() => t._assign(fromArray(q, t.shape, t.device)));
}
