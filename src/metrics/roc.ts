// The ROC curve of a binary scorer and the area under it, as scikit-learn's roc_curve and
// roc_auc_score compute them: one point per distinct score, thresholds in decreasing order
// starting at +Infinity (nothing predicted positive), area by the trapezoidal rule — which
// counts a tied positive/negative pair as half a correct ordering.
import { fail } from "../tensor/errors.js";
import { numbersOf, sameLength, type Values } from "./values.js";

/** What {@link rocCurve} returns, as scikit-learn's `roc_curve`. */
export interface RocCurve {
  /** False positive rate at each threshold: negatives scored ≥ threshold / all negatives. */
  fpr: number[];
  /** True positive rate (recall) at each threshold. */
  tpr: number[];
  /** Decreasing; a sample is predicted positive when its score ≥ the threshold. */
  thresholds: number[];
}

function checkLabels(op: string, labels: number[]): { positives: number; negatives: number } {
  const bad = labels.find((l) => l !== 0 && l !== 1);
  if (bad !== undefined) fail(op, `labels must be 0 or 1, found ${bad}`);
  const positives = labels.filter((l) => l === 1).length;
  const negatives = labels.length - positives;
  if (positives === 0 || negatives === 0)
    fail(
      op,
      `needs both classes among the labels, got ${positives} positives and ${negatives} negatives`,
    );
  return { positives, negatives };
}

function curve(op: string, scores: number[], labels: number[]): RocCurve {
  sameLength(op, scores, labels, ["scores", "labels"]);
  if (scores.some((s) => Number.isNaN(s))) fail(op, "scores contain NaN");
  const { positives, negatives } = checkLabels(op, labels);
  const order = scores.map((_, i) => i).sort((a, b) => scores[b] - scores[a]);
  const out: RocCurve = { fpr: [0], tpr: [0], thresholds: [Infinity] };
  let tp = 0;
  let fp = 0;
  for (let k = 0; k < order.length; k++) {
    const i = order[k];
    if (labels[i] === 1) tp++;
    else fp++;
    // Emit a point only after the last sample of a run of equal scores.
    if (k + 1 < order.length && scores[order[k + 1]] === scores[i]) continue;
    out.fpr.push(fp / negatives);
    out.tpr.push(tp / positives);
    out.thresholds.push(scores[i]);
  }
  return out;
}

/** The ROC curve of `scores` (higher = more likely positive) against 0/1 `labels`. */
export async function rocCurve(scores: Values, labels: Values): Promise<RocCurve> {
  const op = "metrics.rocCurve";
  return curve(op, await numbersOf(op, "scores", scores), await numbersOf(op, "labels", labels));
}

/**
 * The area under the ROC curve: the probability that a random positive scores higher than a
 * random negative (ties count half). 1 is a perfect ranking, 0.5 a random one.
 */
export async function rocAuc(scores: Values, labels: Values): Promise<number> {
  const op = "metrics.rocAuc";
  const c = curve(op, await numbersOf(op, "scores", scores), await numbersOf(op, "labels", labels));
  let area = 0;
  for (let k = 1; k < c.fpr.length; k++)
    area += ((c.fpr[k] - c.fpr[k - 1]) * (c.tpr[k] + c.tpr[k - 1])) / 2;
  return area;
}
