// The one random generator. Draws happen on the host from a seeded counter-free PRNG
// (xoshiro128**), so every backend receives the same numbers for the same seed.
import { fail } from "./errors.js";

function splitmix32(seed: number): () => number {
  let x = seed >>> 0;
  return () => {
    x = (x + 0x9e3779b9) >>> 0;
    let z = x;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

/**
 * A random stream (PyTorch's torch.Generator): xoshiro128** seeded by splitmix32. The library's
 * draws use the default one, which `dl.manualSeed` reseeds; sampling functions also accept
 * their own (`{ generator }`), so one stream can be replayed whatever else draws meanwhile.
 */
export class Generator {
  private s0 = 0;
  private s1 = 0;
  private s2 = 0;
  private s3 = 0;
  private seedValue = 0;

  constructor(seed: number = Date.now()) {
    this.manualSeed(seed);
  }

  /** Restarts the stream from `seed` (returns the generator, as torch's does). */
  manualSeed(seed: number): this {
    if (!Number.isFinite(seed)) fail("manualSeed", `expected a finite number, got ${seed}`);
    const next = splitmix32(Math.floor(seed) ^ Math.floor(seed / 2 ** 32));
    this.s0 = next();
    this.s1 = next();
    this.s2 = next();
    this.s3 = next();
    this.seedValue = Math.floor(seed);
    return this;
  }

  /** The seed the stream last started from. */
  initialSeed(): number {
    return this.seedValue;
  }

  /** A uniform 32-bit unsigned integer. */
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

  /** Uniform in [0, 1) with 24 bits, exactly representable in float32. */
  nextUniform(): number {
    return (this.nextUint32() >>> 8) / 16777216;
  }
}

/** The stream every draw uses unless given its own generator. */
export const defaultGenerator = new Generator();

/**
 * Seeds the default random stream (rand, randn, dropout, init, shuffling), as `torch.manual_seed`,
 * for reproducible runs.
 */
export function manualSeed(seed: number): void {
  defaultGenerator.manualSeed(seed);
}

/** A uniform 32-bit unsigned integer from the default stream. */
export function nextUint32(): number {
  return defaultGenerator.nextUint32();
}

/**
 * A key for the counter-based generator below: two draws from the host stream, so the host
 * stream (and every later draw) advances the same way whatever the tensor's size or device.
 */
export function nextKey(): readonly [number, number] {
  return [nextUint32(), nextUint32()];
}

/** A 32-bit integer hash with full avalanche (Wellons' lowbias32). */
function mix32(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x7feb352d);
  x ^= x >>> 15;
  x = Math.imul(x, 0x846ca68b);
  return (x ^ (x >>> 16)) >>> 0;
}

/**
 * Element `i` of the counter-based uniform stream under `key`, in [0, 1) with 24 bits. Each
 * element depends only on (key, i), so a GPU computes the same numbers in parallel: the
 * WGSL twin is in backend/webgpu/kernels/random.ts.
 */
export function counterUniform(key: readonly [number, number], i: number): number {
  return (mix32((mix32((i + key[0]) >>> 0) ^ key[1]) >>> 0) >>> 8) / 16777216;
}

/** Uniform in [0, 1) with 24 bits from the default stream. */
export function nextUniform(): number {
  return defaultGenerator.nextUniform();
}

export function fillUniform(out: Float32Array, low = 0, high = 1, gen = defaultGenerator): void {
  for (let i = 0; i < out.length; i++) out[i] = low + (high - low) * gen.nextUniform();
}

/** Standard normal draws by the Box–Muller transform (pairs). */
export function fillNormal(out: Float32Array, mean = 0, std = 1, gen = defaultGenerator): void {
  for (let i = 0; i < out.length; i += 2) {
    const u1 = 1 - gen.nextUniform(); // (0, 1]: log stays finite
    const u2 = gen.nextUniform();
    const r = Math.sqrt(-2 * Math.log(u1));
    out[i] = mean + std * r * Math.cos(2 * Math.PI * u2);
    if (i + 1 < out.length) out[i + 1] = mean + std * r * Math.sin(2 * Math.PI * u2);
  }
}

/** Uniform integers in [low, high). */
export function fillInt(out: Int32Array, low: number, high: number, gen = defaultGenerator): void {
  const span = high - low;
  for (let i = 0; i < out.length; i++) out[i] = low + Math.floor(gen.nextUniform() * span);
}

/** A random permutation of 0..n-1 (Fisher–Yates). */
export function permutation(n: number, gen = defaultGenerator): number[] {
  const p = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(gen.nextUniform() * (i + 1));
    [p[i], p[j]] = [p[j], p[i]];
  }
  return p;
}
