// Each environment and space owns its random stream, as in Gymnasium: `reset(seed)` must make an
// episode reproducible whatever else the notebook draws from the library's global generator in
// between (weight init, dropout, DataLoader shuffles). The algorithm is the library's
// (xoshiro128** seeded by splitmix32), held per instance instead of in module state.
import { fail } from "../tensor/errors.js";
import { nextUint32 } from "../tensor/random.js";

/** Something that yields uniform numbers in [0, 1). */
export interface UniformSource {
  uniform(): number;
}

export class Rng implements UniformSource {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  constructor(seed: number) {
    if (!Number.isSafeInteger(seed))
      fail("rl.seed", `expected an integer seed (a safe integer), got ${seed}`);
    let x = (seed ^ Math.floor(seed / 2 ** 32)) >>> 0;
    const next = (): number => {
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.s0 = next();
    this.s1 = next();
    this.s2 = next();
    this.s3 = next();
  }

  /** A stream seeded from the library's global generator, so `dl.manualSeed` reaches it. */
  static fromGlobal(): Rng {
    return new Rng(nextUint32());
  }

  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5) >>> 0, 7), 9) >>> 0;
    const t = (this.s1 << 9) >>> 0;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform in [0, 1) with 53 bits: environment states are float64 like Gymnasium's. */
  uniform(): number {
    const hi = this.nextUint32() >>> 5;
    const lo = this.nextUint32() >>> 6;
    return (hi * 67108864 + lo) / 9007199254740992;
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
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
