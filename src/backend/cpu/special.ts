// Special functions the CPU kernels need that Math lacks. SCALAR_FNS is what the loop engine
// puts in scope of every compiled expression, so an op row's CPU expression can call them
// by name (erf's row says "erf(a)").

const TWO_OVER_SQRT_PI = 1.1283791670955126;

/**
 * Error function. Near zero a Taylor series keeps the relative error small; elsewhere the
 * Chebyshev fit of erfc from Numerical Recipes (fractional error < 1.2e-7 everywhere).
 */
export function erf(x: number): number {
  const ax = Math.abs(x);
  if (ax < 0.5) {
    const x2 = x * x;
    return (
      TWO_OVER_SQRT_PI *
      x *
      (1 -
        x2 / 3 +
        (x2 * x2) / 10 -
        (x2 * x2 * x2) / 42 +
        (x2 * x2 * x2 * x2) / 216 -
        x2 ** 5 / 1320)
    );
  }
  const t = 1 / (1 + 0.5 * ax);
  const poly =
    -1.26551223 +
    t *
      (1.00002368 +
        t *
          (0.37409196 +
            t *
              (0.09678418 +
                t *
                  (-0.18628806 +
                    t *
                      (0.27886807 +
                        t *
                          (-1.13520398 +
                            t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
  const erfc = t * Math.exp(-ax * ax + poly);
  return x >= 0 ? 1 - erfc : erfc - 1;
}

/** Steps per octave of expf's table: e^x = 2^(k/64) · e^r with |r| ≤ ln 2 / 128. */
const STEPS = 64;
const STEPS_PER_NAT = STEPS / Math.LN2;
// ln 2 / 64 split in two, so k · LN2_HI is exact and r keeps its low bits.
const LN2_HI = 0.6931471803691238 / STEPS;
const LN2_LO = 1.9082149292705877e-10 / STEPS;
/** Adding and subtracting 1.5 · 2^52 rounds a double to the nearest integer, branch-free. */
const ROUND = 6755399441055744.0;
const FRACTION = Float64Array.from({ length: STEPS }, (_, j) => 2 ** (j / STEPS));
/** 2^n for n in [-127, 128] at index n + 127. */
const OCTAVE = Float64Array.from({ length: 256 }, (_, i) => 2 ** (i - 127));

/**
 * e^x for results stored as float32: a table of 2^(j/64) and a cubic for e^r on the
 * remaining |r| ≤ 0.0055 (relative error < 4e-11 before the float32 rounding; the stored
 * value equals Math.exp's rounded to float32 except for ~1 in 10,000 one-ulp ties). Math.exp
 * is a call into V8's fdlibm port, 4× slower per element in the loop engine. Outside the
 * range where float32 results are normal, Math.exp answers (Infinity, 0, NaN included).
 */
export function expf(x: number): number {
  if (!(x > -87 && x < 88)) return Math.exp(x);
  const k = x * STEPS_PER_NAT + ROUND - ROUND;
  const r = x - k * LN2_HI - k * LN2_LO;
  const ki = k | 0;
  return (
    (1 + r * (1 + r * (0.5 + r * (1 / 6)))) * FRACTION[ki & (STEPS - 1)] * OCTAVE[(ki >> 6) + 127]
  );
}

/**
 * tanh through expf: 1 − 2 / (e^2x + 1) is exact enough in float64 except near zero, where
 * the subtraction cancels; there (|x| < 0.0625) tanh x = x − x³/3 + 2x⁵/15 − 17x⁷/315 to
 * better than 1e-12 relative (and -0 stays -0).
 */
export function tanhf(x: number): number {
  if (x > -0.0625 && x < 0.0625) {
    const x2 = x * x;
    return x * (1 + x2 * (-1 / 3 + x2 * (2 / 15 - x2 * (17 / 315))));
  }
  return 1 - 2 / (expf(2 * x) + 1);
}

/** The helper functions every CPU expression may call, by name. */
export const SCALAR_FNS: Readonly<Record<string, (x: number) => number>> = { erf, expf, tanhf };
