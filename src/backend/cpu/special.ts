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

/** The helper functions every CPU expression may call, by name. */
export const SCALAR_FNS: Readonly<Record<string, (x: number) => number>> = { erf };
