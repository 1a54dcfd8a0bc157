// A perceptually ordered colour scale (control points sampled from matplotlib's viridis,
// which reads in both light and dark themes and in greyscale print) with linear interpolation.
const STOPS: [number, number, number][] = [
  [68, 1, 84],
  [72, 40, 120],
  [62, 74, 137],
  [49, 104, 142],
  [38, 130, 142],
  [31, 158, 137],
  [53, 183, 121],
  [110, 206, 88],
  [181, 222, 43],
  [253, 231, 37],
];

/** RGB for t in [0, 1]; NaN maps to a neutral grey so missing values stand out. */
export function viridis(t: number): [number, number, number] {
  if (Number.isNaN(t)) return [128, 128, 128];
  const x = Math.min(1, Math.max(0, t)) * (STOPS.length - 1);
  const i = Math.min(STOPS.length - 2, Math.floor(x));
  const f = x - i;
  const a = STOPS[i];
  const b = STOPS[i + 1];
  return [0, 1, 2].map((k) => Math.round(a[k] + (b[k] - a[k]) * f)) as [number, number, number];
}

/** Normalises v into [0, 1] for the range [lo, hi] (a flat range maps to the middle). */
export function normalise(v: number, lo: number, hi: number): number {
  if (!Number.isFinite(v)) return v === Infinity ? 1 : v === -Infinity ? 0 : NaN;
  return hi > lo ? (v - lo) / (hi - lo) : 0.5;
}
