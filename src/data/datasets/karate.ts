// Zachary's karate club (W. W. Zachary, "An Information Flow Model for Conflict and Fission
// in Small Groups", J. Anthropological Research 33, 1977): 34 members, 78 friendships, and
// the split of the club into Mr. Hi's group and the Officer's after their dispute. The edges
// and the grouping are those of the UCINET data file, as networkx's karate_club_graph has them.
import type { Device } from "../../backend/backend.js";
import { fromArray } from "../../tensor/create.js";
import type { Tensor } from "../../tensor/tensor.js";
import { withDescription } from "../describe.js";

// prettier-ignore
const EDGES: readonly (readonly [number, number])[] = [
  [0,1],[0,2],[0,3],[0,4],[0,5],[0,6],[0,7],[0,8],[0,10],[0,11],[0,12],[0,13],[0,17],[0,19],
  [0,21],[0,31],[1,2],[1,3],[1,7],[1,13],[1,17],[1,19],[1,21],[1,30],[2,3],[2,7],[2,8],[2,9],
  [2,13],[2,27],[2,28],[2,32],[3,7],[3,12],[3,13],[4,6],[4,10],[5,6],[5,10],[5,16],[6,16],
  [8,30],[8,32],[8,33],[9,33],[13,33],[14,32],[14,33],[15,32],[15,33],[18,32],[18,33],[19,33],
  [20,32],[20,33],[22,32],[22,33],[23,25],[23,27],[23,29],[23,32],[23,33],[24,25],[24,27],
  [24,31],[25,31],[26,29],[26,33],[27,33],[28,31],[28,33],[29,32],[29,33],[30,32],[30,33],
  [31,32],[31,33],[32,33],
];

/** Members who stayed with Mr. Hi (label 0); everyone else followed the Officer (label 1). */
const MR_HI = new Set([0, 1, 2, 3, 4, 5, 6, 7, 8, 10, 11, 12, 13, 16, 17, 19, 21]);

const NODES = 34;

/** Zachary's karate club graph as tensors (see {@link karateClub}). */
export interface KarateClub {
  /** Number of members (34). */
  numNodes: number;
  /** The 78 friendships in both directions, PyTorch Geometric's edge_index: [2, 156] int32. */
  edgeIndex: Tensor;
  /** Symmetric 0/1 adjacency [34, 34] float32, no self-loops. */
  adjacency: Tensor;
  /** One-hot node features [34, 34] float32 (the identity), as in the usual GCN demo. */
  features: Tensor;
  /** Club after the split [34] int32: 0 = Mr. Hi, 1 = Officer. */
  labels: Tensor;
  /** The two clubs' names, indexed by label. */
  classes: readonly string[];
}

/** Zachary's karate club graph (written into the library: it is 78 edges). */
export function karateClub(opts: { device?: Device } = {}): KarateClub {
  const m = EDGES.length;
  // row 0 holds sources, row 1 targets; column k is a -> b, column m + k is b -> a
  const edgeIndex = new Int32Array(4 * m);
  const adjacency = new Float32Array(NODES * NODES);
  EDGES.forEach(([a, b], k) => {
    edgeIndex[k] = a;
    edgeIndex[2 * m + k] = b;
    edgeIndex[m + k] = b;
    edgeIndex[3 * m + k] = a;
    adjacency[a * NODES + b] = adjacency[b * NODES + a] = 1;
  });
  const features = new Float32Array(NODES * NODES);
  for (let i = 0; i < NODES; i++) features[i * NODES + i] = 1;
  const labels = Int32Array.from({ length: NODES }, (_, i) => (MR_HI.has(i) ? 0 : 1));
  const club = {
    numNodes: NODES,
    edgeIndex: fromArray(edgeIndex, [2, 2 * m], opts.device),
    adjacency: fromArray(adjacency, [NODES, NODES], opts.device),
    features: fromArray(features, [NODES, NODES], opts.device),
    labels: fromArray(labels, [NODES], opts.device),
    classes: ["Mr. Hi", "Officer"],
  };
  return withDescription(club, "KarateClub", [
    ["Number of nodes", NODES],
    ["edgeIndex", club.edgeIndex],
    ["adjacency", club.adjacency],
    ["features", club.features],
    ["labels", club.labels],
    ["classes", club.classes],
  ]);
}
