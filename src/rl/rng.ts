// Each environment and space owns its random stream, as in Gymnasium: `reset(seed)` must make an
// episode reproducible whatever else the notebook draws from the library's global generator in
// between (weight init, dropout, DataLoader shuffles). The stream is the library's Generator
// (xoshiro128** seeded by splitmix32), drawing float64 uniforms.
import { fail } from "../tensor/errors.js";
import { Generator, nextUint32 } from "../tensor/random.js";

/** Something that yields uniform numbers in [0, 1). */
export interface UniformSource {
  uniform(): number;
}

export class Rng extends Generator implements UniformSource {
  constructor(seed: number) {
    if (!Number.isSafeInteger(seed))
      fail("rl.seed", `expected an integer seed (a safe integer), got ${seed}`);
    super(seed);
  }

  /** A stream seeded from the library's global generator, so `dl.manualSeed` reaches it. */
  static fromGlobal(): Rng {
    return new Rng(nextUint32());
  }

  /** Uniform in [0, 1) with 53 bits: environment states are float64 like Gymnasium's. */
  uniform(): number {
    const hi = this.nextUint32() >>> 5;
    const lo = this.nextUint32() >>> 6;
    return (hi * 67108864 + lo) / 9007199254740992;
  }
}

export function uniformIn(src: UniformSource, low: number, high: number): number {
  return low + (high - low) * src.uniform();
}

/** An integer in [0, n). */
export function integerBelow(src: UniformSource, n: number): number {
  return Math.min(n - 1, Math.floor(src.uniform() * n));
}

/** A standard normal draw (Box–Muller, one value per call: simplicity over speed). */
export function standardNormal(src: UniformSource): number {
  const u1 = 1 - src.uniform(); // (0, 1]: log stays finite
  const u2 = src.uniform();
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}

/** An Exponential(1) draw. */
export function standardExponential(src: UniformSource): number {
  return -Math.log(1 - src.uniform());
}
