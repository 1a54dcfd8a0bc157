// Graph convolution pieces following PyTorch Geometric's GCNConv: gcnNorm computes the edge
// weights of D^-1/2 (A + I) D^-1/2 and propagate sums weighted source features into target
// nodes. Everything is gather/scatterAdd, so gradients reach node features and edge weights.
import type { Tensor } from "../../tensor/tensor.js";
import { fail, fmtShape } from "../../tensor/errors.js";
import { arange, ones, zeros } from "../../tensor/create.js";
import { describe } from "../../ops/dispatch.js";
import { cast } from "../../ops/copy.js";
import { cat } from "../../ops/cat.js";
import { eq, gt } from "../../ops/comparison.js";
import { mul, add } from "../../ops/arithmetic.js";
import { where } from "../../ops/where.js";
import { gather, scatterAdd } from "../../ops/indexing.js";
import { expand, view } from "../../ops/views.js";
import { rsqrt } from "../../functional/math.js";
import { indexSelect } from "../../functional/indexing.js";
import { select } from "../../functional/shape.js";
import { linear } from "./linear.js";

/** Edges as source (`row`), target (`col`) and weight, each [E]. */
export interface WeightedEdges {
  /** Source node of each edge, int32 [E]. */
  row: Tensor;
  /** Target node of each edge, int32 [E]. */
  col: Tensor;
  /** Weight of each edge, float32 [E]. */
  weight: Tensor;
}

/** Options of {@link gcnNorm}. */
export interface GcnNormOptions {
  /** Give every node a self-loop (existing self-loops keep their weight). Default true. */
  addSelfLoops?: boolean;
  /** Self-loop weight 2 instead of 1 (GCNConv's `improved`). */
  improved?: boolean;
}

/** Checks edgeIndex [2, E] int32 and edgeWeight [E] float32; returns the edges. */
export function edgesOf(op: string, edgeIndex: Tensor, edgeWeight?: Tensor | null): WeightedEdges {
  if (edgeIndex.dtype !== "int32" || edgeIndex.ndim !== 2 || edgeIndex.shape[0] !== 2)
    fail(op, `edgeIndex must be an int32 tensor [2, numEdges], got ${describe(edgeIndex)}`);
  const E = edgeIndex.shape[1];
  if (edgeWeight && (edgeWeight.dtype !== "float32" || edgeWeight.shape.join() !== `${E}`))
    fail(op, `edgeWeight must be float32 [${E}] (one per edge), got ${describe(edgeWeight)}`);
  return {
    row: select(edgeIndex, 0, 0),
    col: select(edgeIndex, 0, 1),
    weight: edgeWeight ?? ones([E], { device: edgeIndex.device }),
  };
}

const sumInto = (n: number, index: Tensor, values: Tensor): Tensor =>
  scatterAdd(zeros([n], { device: values.device }), 0, index, values);

/**
 * PyG's add_remaining_self_loops: a loop for every node, weighted `fill` unless the node
 * already has one. Existing loops are moved to the appended block (their old entries get
 * weight 0), so nothing is read back from the device.
 */
function withSelfLoops(e: WeightedEdges, numNodes: number, fill: number): WeightedEdges {
  const isLoop = eq(e.row, e.col);
  const loopWeight = sumInto(numNodes, e.col, where(isLoop, e.weight, 0));
  const hasLoop = gt(sumInto(numNodes, e.col, cast(isLoop, "float32")), 0);
  const nodes = arange(numNodes, undefined, 1, { device: e.row.device });
  return {
    row: cat([e.row, nodes], 0),
    col: cat([e.col, nodes], 0),
    weight: cat([where(isLoop, 0, e.weight), where(hasLoop, loopWeight, fill)], 0),
  };
}

/** Edge weights of D^-1/2 (A [+ I]) D^-1/2, with D the weighted in-degree (isolated nodes: 0). */
export function gcnNorm(
  edgeIndex: Tensor,
  numNodes: number,
  edgeWeight?: Tensor | null,
  opts: GcnNormOptions = {},
): WeightedEdges {
  let e = edgesOf("gcnNorm", edgeIndex, edgeWeight);
  if (opts.addSelfLoops ?? true) e = withSelfLoops(e, numNodes, opts.improved ? 2 : 1);
  const degree = sumInto(numNodes, e.col, e.weight);
  const positive = gt(degree, 0);
  const invSqrt = where(positive, rsqrt(where(positive, degree, 1)), 0);
  const weight = mul(mul(gather(invSqrt, 0, e.row), e.weight), gather(invSqrt, 0, e.col));
  return { row: e.row, col: e.col, weight };
}

/** out[i] = Σ over edges (j → i) of weight · x[j], for x [N, C]. */
export function propagate(x: Tensor, edges: WeightedEdges): Tensor {
  if (x.ndim !== 2) fail("propagate", `expected node features [N, C], got ${fmtShape(x.shape)}`);
  const [N, C] = x.shape;
  const E = edges.row.shape[0];
  const messages = mul(indexSelect(x, 0, edges.row), view(edges.weight, [E, 1]));
  const targets = expand(view(edges.col, [E, 1]), [E, C]);
  return scatterAdd(zeros([N, C], { device: x.device }), 0, targets, messages);
}

/** Options of {@link gcnConv}. */
export interface GcnConvOptions extends GcnNormOptions {
  /** Weight of each edge, [E] (default all ones). */
  edgeWeight?: Tensor | null;
  /** Added to every node's output, [Cout] (default none). */
  bias?: Tensor | null;
  /** Symmetric normalisation (default true); false sums raw edge weights, adding no loops. */
  normalize?: boolean;
}

/** GCN layer: propagate(x Wᵀ) over the normalised edges, plus bias. weight is [out, in]. */
export function gcnConv(
  x: Tensor,
  edgeIndex: Tensor,
  weight: Tensor,
  opts: GcnConvOptions = {},
): Tensor {
  if (x.ndim !== 2 || weight.ndim !== 2 || x.shape[1] !== weight.shape[1])
    fail(
      "gcnConv",
      `expected node features [N, in] and weight [out, in], got ${fmtShape(x.shape)} and ${fmtShape(weight.shape)}`,
    );
  const edges =
    (opts.normalize ?? true)
      ? gcnNorm(edgeIndex, x.shape[0], opts.edgeWeight, opts)
      : edgesOf("gcnConv", edgeIndex, opts.edgeWeight);
  const out = propagate(linear(x, weight), edges);
  return opts.bias ? add(out, opts.bias) : out;
}
