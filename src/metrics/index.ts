// dl.metrics: evaluation measures that are fiddly to get right by hand.
export { rocCurve, rocAuc, type RocCurve } from "./roc.js";
export {
  linearSumAssignment,
  clusterAccuracy,
  type Assignment,
  type ClusterAccuracy,
} from "./assignment.js";
export type { Values } from "./values.js";
