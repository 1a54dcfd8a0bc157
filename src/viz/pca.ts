// Two leading principal components by power iteration with deflation, in float64 on the host.

function covariance(
  data: ArrayLike<number>,
  n: number,
  d: number,
): { cov: Float64Array; centered: Float64Array } {
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] += data[i * d + j] / n;
  const centered = new Float64Array(n * d);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < d; j++) centered[i * d + j] = data[i * d + j] - mean[j];
  const cov = new Float64Array(d * d);
  for (let i = 0; i < n; i++)
    for (let a = 0; a < d; a++) {
      const va = centered[i * d + a];
      if (va === 0) continue;
      for (let b = 0; b < d; b++) cov[a * d + b] += (va * centered[i * d + b]) / Math.max(1, n - 1);
    }
  return { cov, centered };
}

function leadingEigen(cov: Float64Array, d: number): { vec: Float64Array; val: number } {
  let v = new Float64Array(d).map((_, i) => 1 / Math.sqrt(d) + (i % 2 ? 1e-3 : -1e-3));
  let val = 0;
  for (let it = 0; it < 300; it++) {
    const w = new Float64Array(d);
    for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) w[a] += cov[a * d + b] * v[b];
    const norm = Math.hypot(...w);
    if (norm === 0) break;
    const next = w.map((x) => x / norm);
    const delta = next.reduce((s, x, i) => s + Math.abs(x - v[i]), 0);
    v = next;
    val = norm;
    if (delta < 1e-10) break;
  }
  return { vec: v, val };
}

/** Rows projected on PC1 and PC2 (interleaved x, y) and each component's share of variance. */
export function pca2(
  data: ArrayLike<number>,
  n: number,
  d: number,
): { points: Float64Array; explained: [number, number] } {
  const { cov, centered } = covariance(data, n, d);
  let trace = 0;
  for (let a = 0; a < d; a++) trace += cov[a * d + a];
  const first = leadingEigen(cov, d);
  for (let a = 0; a < d; a++)
    for (let b = 0; b < d; b++) cov[a * d + b] -= first.val * first.vec[a] * first.vec[b];
  const second = d > 1 ? leadingEigen(cov, d) : { vec: new Float64Array(d), val: 0 };
  const points = new Float64Array(2 * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < d; j++) {
      points[2 * i] += centered[i * d + j] * first.vec[j];
      points[2 * i + 1] += centered[i * d + j] * second.vec[j];
    }
  const share = (v: number) => (trace > 0 ? v / trace : 0);
  return { points, explained: [share(first.val), share(second.val)] };
}
