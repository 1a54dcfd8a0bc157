// Normal(loc, scale), PyTorch's torch.distributions.Normal: sample (no gradient), rsample
// (loc + scale·ε, reparameterised, so gradients reach loc and scale), logProb and entropy.
import type { Tensor } from "../tensor/tensor.js";
import { fail } from "../tensor/errors.js";
import type { Generator } from "../tensor/random.js";
import { randn } from "../tensor/create-random.js";
import { broadcastShapes } from "../tensor/shape.js";
import { noGrad } from "../autograd/mode.js";
import { asTensor, commonDevice, describe, type TensorLike } from "../ops/dispatch.js";
import { add, div, mul, sub } from "../ops/arithmetic.js";
import { log } from "../ops/unary.js";
import { expand } from "../ops/views.js";

const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

function param(x: TensorLike, what: string, device: ReturnType<typeof commonDevice>): Tensor {
  const t = asTensor("distributions.Normal", x, device, "float32");
  if (t.dtype !== "float32")
    fail("distributions.Normal", `${what} must be float32, got ${describe(t)}`);
  return t;
}

/**
 * A normal distribution N(loc, scale²), batched by broadcasting, as `torch.distributions.Normal`:
 * sample, rsample (reparameterised), logProb, entropy.
 */
export class Normal {
  /** The mean. */
  readonly loc: Tensor;
  /** The standard deviation (> 0). */
  readonly scale: Tensor;
  /** The broadcast shape of loc and scale. */
  readonly batchShape: readonly number[];

  constructor(loc: TensorLike, scale: TensorLike) {
    const op = "distributions.Normal";
    const device = commonDevice(op, [loc, scale]);
    this.loc = param(loc, "loc", device);
    this.scale = param(scale, "scale", device);
    this.batchShape = broadcastShapes(op, this.loc.shape, this.scale.shape);
    // PyTorch validates scale > 0; on the CPU the check costs nothing (a GPU read would wait).
    if (this.scale.backend.readSync) {
      const bad = this.scale.dataSync().find((s) => !(s > 0));
      if (bad !== undefined) fail(op, `scale must be positive, got ${bad}`);
    }
  }

  /** The mean (loc). */
  get mean(): Tensor {
    return expand(this.loc, this.batchShape);
  }
  /** The standard deviation (scale). */
  get stddev(): Tensor {
    return expand(this.scale, this.batchShape);
  }
  /** The variance (scale²). */
  get variance(): Tensor {
    return expand(mul(this.scale, this.scale), this.batchShape);
  }

  /** loc + scale·ε with ε ~ N(0, 1) of shape sampleShape + batchShape; differentiable. */
  rsample(sampleShape: readonly number[] = [], opts: { generator?: Generator } = {}): Tensor {
    const eps = randn([...sampleShape, ...this.batchShape], {
      device: this.loc.device,
      generator: opts.generator,
    });
    return add(this.loc, mul(this.scale, eps));
  }

  /** A draw of shape sampleShape + batchShape, outside the graph. */
  sample(sampleShape: readonly number[] = [], opts: { generator?: Generator } = {}): Tensor {
    return noGrad(() => this.rsample(sampleShape, opts));
  }

  /** log density: -(x - loc)² / (2 scale²) - log scale - log √(2π). */
  logProb(value: TensorLike): Tensor {
    const z = div(sub(value, this.loc), this.scale);
    return sub(sub(mul(mul(z, z), -0.5), log(this.scale)), HALF_LOG_2PI);
  }

  /** ½ + ½ log(2π) + log scale, per batch element. */
  entropy(): Tensor {
    return expand(add(log(this.scale), 0.5 + HALF_LOG_2PI), this.batchShape);
  }
}
