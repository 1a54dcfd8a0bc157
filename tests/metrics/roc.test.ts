// ROC curve and AUROC against scikit-learn's documented example and an independent
// pairwise count (the Mann–Whitney statistic) on data with ties.
import { describe, expect, it } from "vitest";
import * as dl from "../../src/index.js";

/** P(score of a random positive > score of a random negative), ties counted half: O(n²). */
function pairwiseAuc(scores: number[], labels: number[]): number {
  let wins = 0;
  let pairs = 0;
  scores.forEach((sp, i) => {
    if (labels[i] !== 1) return;
    scores.forEach((sn, j) => {
      if (labels[j] !== 0) return;
      pairs++;
      wins += sp > sn ? 1 : sp === sn ? 0.5 : 0;
    });
  });
  return wins / pairs;
}

describe("metrics.rocCurve / rocAuc", () => {
  it("match scikit-learn's roc_curve example (y = [0, 0, 1, 1], scores [0.1, 0.4, 0.35, 0.8])", async () => {
    const c = await dl.metrics.rocCurve([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1]);
    expect(c.fpr).toEqual([0, 0, 0.5, 0.5, 1]);
    expect(c.tpr).toEqual([0, 0.5, 0.5, 1, 1]);
    expect(c.thresholds).toEqual([Infinity, 0.8, 0.4, 0.35, 0.1]);
    expect(await dl.metrics.rocAuc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])).toBeCloseTo(0.75, 12);
  });

  it("equal the pairwise count on random scores with many ties, from tensors or arrays", async () => {
    dl.manualSeed(3);
    for (let trial = 0; trial < 5; trial++) {
      const n = 200 + trial * 37;
      const labels = Array.from(dl.rand([n]).lt(0.3).int().dataSync());
      // scores rounded to one decimal: plenty of ties, shifted upwards for the positives
      const raw = Array.from(dl.rand([n]).dataSync());
      const scores = raw.map((r, i) => Math.round((r + 0.3 * labels[i]) * 10) / 10);
      const auc = await dl.metrics.rocAuc(dl.tensor(scores), dl.tensor(labels, { dtype: "int32" }));
      expect(auc).toBeCloseTo(pairwiseAuc(scores, labels), 12);
      const c = await dl.metrics.rocCurve(scores, labels);
      expect(c.fpr[c.fpr.length - 1]).toBe(1);
      expect(c.tpr[c.tpr.length - 1]).toBe(1);
      expect(c.thresholds.length).toBe(new Set(scores).size + 1);
      for (let k = 1; k < c.fpr.length; k++) {
        expect(c.fpr[k]).toBeGreaterThanOrEqual(c.fpr[k - 1]);
        expect(c.tpr[k]).toBeGreaterThanOrEqual(c.tpr[k - 1]);
        expect(c.thresholds[k]).toBeLessThan(c.thresholds[k - 1]);
      }
    }
  });

  it("a perfect ranking scores 1, a reversed one 0", async () => {
    expect(await dl.metrics.rocAuc([1, 2, 3, 4], [0, 0, 1, 1])).toBe(1);
    expect(await dl.metrics.rocAuc([4, 3, 2, 1], [0, 0, 1, 1])).toBe(0);
  });

  it("rejects one-class labels, labels other than 0/1, NaN scores and length mismatches", async () => {
    await expect(dl.metrics.rocAuc([1, 2], [1, 1])).rejects.toThrow(
      /rocAuc: needs both classes.*2 positives and 0 negatives/,
    );
    await expect(dl.metrics.rocCurve([1, 2], [0, 2])).rejects.toThrow(
      /rocCurve: labels must be 0 or 1, found 2/,
    );
    await expect(dl.metrics.rocAuc([1, NaN], [0, 1])).rejects.toThrow(/NaN/);
    await expect(dl.metrics.rocAuc([1, 2, 3], [0, 1])).rejects.toThrow(
      /scores \(3\) and labels \(2\)/,
    );
    await expect(dl.metrics.rocAuc(dl.zeros([2, 2]), [0, 1])).rejects.toThrow(
      /scores must be 1-D, got \[2, 2\]/,
    );
  });
});
