// The Hungarian method against scipy's documented example and brute force over every
// permutation; clustering accuracy against a brute-force best relabelling.
import { describe, expect, it } from "vitest";
import * as dl from "../../src/index.js";

function permutations(n: number, k: number): number[][] {
  if (k === 0) return [[]];
  return permutations(n, k - 1).flatMap((p) =>
    Array.from({ length: n }, (_, j) => j)
      .filter((j) => !p.includes(j))
      .map((j) => [...p, j]),
  );
}

/** The least total cost over every injective row→column map (rows ≤ cols). */
function bruteForce(cost: number[][]): number {
  let best = Infinity;
  for (const cols of permutations(cost[0].length, cost.length))
    best = Math.min(
      best,
      cols.reduce((s, c, r) => s + cost[r][c], 0),
    );
  return best;
}

const total = (cost: number[][], a: dl.metrics.Assignment) =>
  a.rowIndices.reduce((s, r, t) => s + cost[r][a.colIndices[t]], 0);

describe("metrics.linearSumAssignment", () => {
  it("solves scipy's documented example", () => {
    const cost = [
      [4, 1, 3],
      [2, 0, 5],
      [3, 2, 2],
    ];
    const a = dl.metrics.linearSumAssignment(cost);
    expect(a).toEqual({ rowIndices: [0, 1, 2], colIndices: [1, 0, 2] });
    expect(total(cost, a)).toBe(5);
  });

  it("finds the brute-force optimum on random square and rectangular matrices", () => {
    dl.manualSeed(11);
    for (const [rows, cols] of [
      [1, 1],
      [2, 2],
      [3, 5],
      [5, 3],
      [6, 6],
      [7, 7],
      [4, 7],
      [7, 4],
    ]) {
      for (let trial = 0; trial < 3; trial++) {
        // small integers: many ties between optimal matchings
        const cost = dl.randint(0, 10, [rows, cols]).toArraySync() as number[][];
        const a = dl.metrics.linearSumAssignment(cost);
        const pairs = Math.min(rows, cols);
        expect(a.rowIndices.length).toBe(pairs);
        expect(new Set(a.rowIndices).size).toBe(pairs);
        expect(new Set(a.colIndices).size).toBe(pairs);
        expect(a.rowIndices).toEqual([...a.rowIndices].sort((x, y) => x - y));
        const reference =
          rows <= cols
            ? bruteForce(cost)
            : bruteForce(cost[0].map((_, j) => cost.map((r) => r[j])));
        expect(total(cost, a)).toBe(reference);
        const negated = cost.map((r) => r.map((v) => -v));
        expect(total(cost, dl.metrics.linearSumAssignment(negated, { maximize: true }))).toBe(
          reference,
        );
      }
    }
  });

  it("rejects ragged and non-finite cost matrices", () => {
    expect(() => dl.metrics.linearSumAssignment([[1, 2], [3]])).toThrow(
      /linearSumAssignment: cost must be rectangular: row 1 has 1/,
    );
    expect(() => dl.metrics.linearSumAssignment([[1, Infinity]])).toThrow(
      /row 0 has a non-finite entry/,
    );
  });
});

describe("metrics.clusterAccuracy", () => {
  it("is 1 for any relabelling of the classes and matches a brute-force best relabelling", async () => {
    const labels = [0, 0, 1, 1, 2, 2, 2, 3];
    const renamed = labels.map((l) => [2, 0, 3, 1][l]);
    const perfect = await dl.metrics.clusterAccuracy(
      dl.tensor(renamed, { dtype: "int32" }),
      labels,
    );
    expect(perfect.accuracy).toBe(1);
    expect(perfect.mapping).toEqual([1, 3, 0, 2]);

    dl.manualSeed(5);
    for (let trial = 0; trial < 4; trial++) {
      const y = Array.from(dl.randint(0, 5, [60]).dataSync());
      const c = Array.from(dl.randint(0, 5, [60]).dataSync());
      let best = 0;
      for (const perm of permutations(5, 5))
        best = Math.max(best, c.filter((ci, i) => perm[ci] === y[i]).length);
      const r = await dl.metrics.clusterAccuracy(c, y);
      expect(r.accuracy).toBeCloseTo(best / 60, 12);
      expect(c.filter((ci, i) => r.mapping[ci] === y[i]).length).toBe(best);
    }
  });

  it("rejects negative or fractional cluster numbers", async () => {
    await expect(dl.metrics.clusterAccuracy([0, -1], [0, 1])).rejects.toThrow(
      /clusterAccuracy: clusters and labels must be non-negative integers/,
    );
  });
});
