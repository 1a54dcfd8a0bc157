// Reverse-mode differentiation: walk the graph from the output in reverse topological order,
// call each node's vjp, reduce broadcast gradients to input shapes (here, once, for every
// rule), and accumulate into leaves. Saved tensors are freed unless retainGraph is set.
import type { Tensor } from "../tensor/tensor.js";
import type { BackwardOptions } from "../tensor/tensor.js";
import { fail, fmtShape } from "../tensor/errors.js";
import { shapesEqual } from "../tensor/shape.js";
import { keep, tidy } from "../memory/scope.js";
import { stepBoundary } from "../memory/lifetime.js";
import { Node } from "./node.js";
import { withGradMode } from "./mode.js";
import { add } from "../ops/arithmetic.js";
import { sum } from "../ops/reductions.js";
import { view } from "../ops/views.js";
import { onesLike } from "../tensor/create.js";

/** Sums a broadcast gradient back to `shape` (leading dims, then size-1 dims). */
export function reduceToShape(g: Tensor, shape: readonly number[]): Tensor {
  if (shapesEqual(g.shape, shape)) return g;
  const lead = g.ndim - shape.length;
  const dims: number[] = [];
  for (let i = 0; i < g.ndim; i++)
    if (i < lead || (shape[i - lead] === 1 && g.shape[i] !== 1)) dims.push(i);
  const s = dims.length ? sum(g, dims, true) : g;
  return view(s, shape);
}

function topoOrder(root: Node): Node[] {
  const order: Node[] = [];
  const seen = new Set<Node>();
  // The depth-first stack as two parallel arrays (node, next edge): no tuple per node.
  const nodes: Node[] = [root];
  const next: number[] = [0];
  seen.add(root);
  while (nodes.length) {
    const top = nodes.length - 1;
    const node = nodes[top];
    const i = next[top];
    if (i < node.edges.length) {
      next[top] = i + 1;
      const e = node.edges[i];
      if (e instanceof Node && !seen.has(e)) {
        seen.add(e);
        nodes.push(e);
        next.push(0);
      }
    } else {
      order.push(node);
      nodes.pop();
      next.pop();
    }
  }
  return order.reverse();
}

/**
 * Runs backward from `output` with seed gradient `seed`. Leaf gradients are handed to `sink`
 * (backward() accumulates into .grad; dl.grad() collects them instead).
 */
export function runBackward(
  output: Tensor,
  seed: Tensor,
  opts: BackwardOptions,
  sink: (leaf: Tensor, g: Tensor) => void,
): void {
  if (!output.gradFn) {
    if (output.requiresGrad) sink(output._leaf, opts.createGraph ? seed : seed.detach());
    return;
  }
  const keepAll = opts.createGraph === true;
  const grads = new Map<Node, Tensor>([[output.gradFn, keepAll ? seed : seed.detach()]]);
  const order = topoOrder(output.gradFn);
  withGradMode(keepAll, () => {
    for (const node of order) {
      const g = grads.get(node);
      if (!g) continue;
      grads.delete(node);
      const inputGrads = keepAll ? reducedGrads(node, g) : tidy(() => reducedGrads(node, g));
      for (let i = 0; i < node.edges.length; i++) {
        const edge = node.edges[i];
        const gi = inputGrads[i];
        if (!edge || !gi) continue;
        // Without createGraph every gradient gets its own handle, so the ones consumed here
        // can be freed at once instead of waiting for the garbage collector.
        const own = keepAll ? gi : gi.detach();
        if (edge instanceof Node) {
          const prev = grads.get(edge);
          grads.set(edge, prev ? accumulate(prev, own, keepAll) : own);
        } else sink(edge, own);
      }
      if (!keepAll) {
        g.dispose();
        for (const t of inputGrads) t?.dispose();
      }
      if (!opts.retainGraph) node.release();
    }
  });
}

/** The node's input gradients, each summed back to its input's shape. */
function reducedGrads(node: Node, g: Tensor): (Tensor | null)[] {
  const raw = node.rule.vjp!(g, node.context());
  return raw.map((gi, i) => (gi ? reduceToShape(gi, node.inputShapes[i]) : null));
}

function accumulate(prev: Tensor, next: Tensor, keepAll: boolean): Tensor {
  const sum = add(prev, next);
  if (!keepAll) {
    prev.dispose();
    next.dispose();
  }
  return sum;
}

export function backward(t: Tensor, grad: Tensor | undefined, opts: BackwardOptions): void {
  if (!t.requiresGrad)
    fail(
      "backward",
      `tensor of shape ${fmtShape(t.shape)} does not require grad and has no grad_fn`,
    );
  if (grad === undefined && t.size !== 1)
    fail(
      "backward",
      `grad can be implicitly created only for scalar outputs; got shape ${fmtShape(t.shape)}, ` +
        `pass a gradient of that shape (e.g. t.backward(dl.onesLike(t)))`,
    );
  if (grad && !shapesEqual(grad.shape, t.shape))
    fail(
      "backward",
      `gradient shape ${fmtShape(grad.shape)} does not match output shape ${fmtShape(t.shape)}`,
    );
  // A step boundary: handles of earlier steps that nobody disposed go to the GC (lifetime.ts).
  stepBoundary();
  const seed = grad ?? onesLike(t);
  if (grad && grad.device !== t.device)
    fail("backward", `gradient is on ${grad.device} but the output is on ${t.device}`);
  // As in PyTorch, retainGraph defaults to createGraph: the gradient's own graph runs
  // through the forward graph's saved tensors, so they must outlive this call.
  const runOpts = { ...opts, retainGraph: opts.retainGraph ?? opts.createGraph };
  runBackward(t, seed, runOpts, (leaf, raw) => {
    // Leaves get contiguous gradients (PyTorch's layout contract), so optimizer maths on
    // them runs on flat arrays rather than through transposed strides.
    const g = raw.isContiguous || opts.createGraph ? raw : raw.contiguous();
    if (g !== raw) raw.dispose();
    // Accumulate in place so references to .grad held elsewhere see the new values.
    if (leaf.grad && !opts.createGraph) {
      leaf.grad._assign(add(leaf.grad, g));
      g.dispose();
    } else leaf.grad = keep(leaf.grad ? add(leaf.grad, g) : g);
  });
  // The implicit seed is ours: without createGraph the walk used its own detached handle.
  if (grad === undefined && !opts.createGraph) seed.dispose();
}
