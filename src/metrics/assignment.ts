// Optimal one-to-one matching (the assignment problem) by the Hungarian method with row and
// column potentials, O(n²m) — scipy.optimize.linear_sum_assignment's contract — and the
// clustering accuracy built on it: clusters carry arbitrary numbers, so each cluster is
// matched to the class it should stand for before counting hits.
import { fail } from "../tensor/errors.js";
import { numbersOf, sameLength, type Values } from "./values.js";

/** A matching of rows to columns (see {@link linearSumAssignment}). */
export interface Assignment {
  /** Increasing row indices, one per assigned row. */
  rowIndices: number[];
  /** The column assigned to each of those rows. */
  colIndices: number[];
}

function checkCost(op: string, cost: readonly (readonly number[])[]): number {
  const cols = cost[0]?.length ?? 0;
  cost.forEach((row, i) => {
    if (row.length !== cols)
      fail(op, `cost must be rectangular: row ${i} has ${row.length} entries, row 0 has ${cols}`);
    if (row.some((v) => !Number.isFinite(v))) fail(op, `cost row ${i} has a non-finite entry`);
  });
  return cols;
}

/** Hungarian method for n ≤ m: for every row the column it gets (1-based potentials). */
function hungarian(a: readonly (readonly number[])[], n: number, m: number): number[] {
  const u = new Array<number>(n + 1).fill(0);
  const v = new Array<number>(m + 1).fill(0);
  const owner = new Array<number>(m + 1).fill(0); // owner[j]: the row holding column j (0 = none)
  const way = new Array<number>(m + 1).fill(0);
  for (let i = 1; i <= n; i++) {
    owner[0] = i;
    let j0 = 0;
    const minv = new Array<number>(m + 1).fill(Infinity);
    const used = new Array<boolean>(m + 1).fill(false);
    do {
      used[j0] = true;
      const i0 = owner[j0];
      let delta = Infinity;
      let j1 = 0;
      for (let j = 1; j <= m; j++) {
        if (used[j]) continue;
        const cur = a[i0 - 1][j - 1] - u[i0] - v[j];
        if (cur < minv[j]) [minv[j], way[j]] = [cur, j0];
        if (minv[j] < delta) [delta, j1] = [minv[j], j];
      }
      for (let j = 0; j <= m; j++) {
        if (used[j]) [u[owner[j]], v[j]] = [u[owner[j]] + delta, v[j] - delta];
        else minv[j] -= delta;
      }
      j0 = j1;
    } while (owner[j0] !== 0);
    // Flip the augmenting path back to its start.
    do {
      const j1 = way[j0];
      owner[j0] = owner[j1];
      j0 = j1;
    } while (j0 !== 0);
  }
  const colOfRow = new Array<number>(n).fill(-1);
  for (let j = 1; j <= m; j++) if (owner[j] !== 0) colOfRow[owner[j] - 1] = j - 1;
  return colOfRow;
}

/**
 * The matching of rows to columns with the least total cost (the most with `maximize`); a
 * rectangular matrix assigns min(rows, cols) pairs.
 */
export function linearSumAssignment(
  cost: readonly (readonly number[])[],
  opts: { maximize?: boolean } = {},
): Assignment {
  const op = "metrics.linearSumAssignment";
  const cols = checkCost(op, cost);
  const rows = cost.length;
  if (rows === 0 || cols === 0) return { rowIndices: [], colIndices: [] };
  const sign = opts.maximize ? -1 : 1;
  if (rows <= cols) {
    const colOfRow = hungarian(
      cost.map((r) => r.map((c) => sign * c)),
      rows,
      cols,
    );
    return { rowIndices: colOfRow.map((_, i) => i), colIndices: colOfRow };
  }
  // More rows than columns: solve the transpose and read it back in row order.
  const t = Array.from({ length: cols }, (_, j) => cost.map((r) => sign * r[j]));
  const rowOfCol = hungarian(t, cols, rows);
  const pairs = rowOfCol.map((r, j) => [r, j]).sort((x, y) => x[0] - y[0]);
  return { rowIndices: pairs.map((p) => p[0]), colIndices: pairs.map((p) => p[1]) };
}

/** What {@link clusterAccuracy} returns. */
export interface ClusterAccuracy {
  /** Fraction of samples whose cluster is matched to their class. */
  accuracy: number;
  /** For each cluster number, the class it is matched to (-1: left unmatched). */
  mapping: number[];
}

/**
 * Clustering accuracy: the best one-to-one matching of cluster numbers to class labels (the
 * Hungarian method on the contingency table), then the fraction of samples it gets right.
 */
export async function clusterAccuracy(clusters: Values, labels: Values): Promise<ClusterAccuracy> {
  const op = "metrics.clusterAccuracy";
  const c = await numbersOf(op, "clusters", clusters);
  const y = await numbersOf(op, "labels", labels);
  sameLength(op, c, y, ["clusters", "labels"]);
  if ([...c, ...y].some((v) => !Number.isInteger(v) || v < 0))
    fail(op, "clusters and labels must be non-negative integers");
  if (c.length === 0) fail(op, "needs at least one sample");
  const k = Math.max(...c) + 1;
  const classes = Math.max(...y) + 1;
  const counts = Array.from({ length: k }, () => new Array<number>(classes).fill(0));
  c.forEach((ci, i) => counts[ci][y[i]]++);
  const { rowIndices, colIndices } = linearSumAssignment(counts, { maximize: true });
  const mapping = new Array<number>(k).fill(-1);
  let hits = 0;
  rowIndices.forEach((r, t) => {
    mapping[r] = colIndices[t];
    hits += counts[r][colIndices[t]];
  });
  return { accuracy: hits / c.length, mapping };
}
