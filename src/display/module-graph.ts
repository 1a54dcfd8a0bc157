// The graph payload of a Module. Nodes are the module tree (containers hold their children);
// edges come from tracing a sample input: every leaf module's call is recorded, and each
// input tensor is followed back through the autograd graph to the module call (or the model
// input) that produced it, so free ops between layers (flatten, residual adds) fold into
// edges. Without a sample input, leaves are chained in declaration order.
import { Tensor } from "../tensor/tensor.js";
import { Node } from "../autograd/node.js";
import { enableGrad } from "../autograd/mode.js";
import type { Module } from "../nn/module.js";
import { attrValues } from "../nn/attrs.js";
import { MAX_GRAPH_NODES, type GraphEdge, type GraphNode, type GraphPayload } from "./protocol.js";

const INPUT_ID = "<input>";
const OUTPUT_ID = "<output>";

function moduleNodes(model: Module): { nodes: GraphNode[]; leaves: [string, Module][] } {
  const nodes: GraphNode[] = [];
  const leaves: [string, Module][] = [];
  for (const [name, m] of model.namedModules()) {
    if (name === "") continue;
    const parent = name.includes(".") ? name.slice(0, name.lastIndexOf(".")) : null;
    nodes.push({
      id: name,
      kind: m.constructor.name,
      name,
      attrs: attrValues(m.attrs()),
      inputShapes: [],
      outputShapes: [],
      numParameters: m.numParameters(),
      trainable: m.parameters().some((p) => p.requiresGrad),
      parent,
    });
    if (m.namedChildren().length === 0) leaves.push([name, m]);
  }
  if (leaves.length === 0) {
    // A model with no submodules is its own single leaf.
    nodes.push({
      id: model.constructor.name,
      kind: model.constructor.name,
      name: model.constructor.name,
      attrs: attrValues(model.attrs()),
      inputShapes: [],
      outputShapes: [],
      numParameters: model.numParameters(),
      trainable: model.parameters().some((p) => p.requiresGrad),
      parent: null,
    });
    leaves.push([model.constructor.name, model]);
  }
  return { nodes, leaves };
}

function tensorsIn(value: unknown, out: Tensor[] = [], depth = 0): Tensor[] {
  if (value instanceof Tensor) out.push(value);
  else if (Array.isArray(value) && depth < 3) for (const v of value) tensorsIn(v, out, depth + 1);
  return out;
}

/** Module calls and model inputs that `x` derives from, walking back through free ops. */
function sourcesOf(x: Tensor, producedBy: Map<Node, string>, inputs: Set<Tensor>): Set<string> {
  const found = new Set<string>();
  if (inputs.has(x._leaf)) found.add(INPUT_ID);
  const start = x.gradFn;
  if (!start) return found;
  const seen = new Set<Node>();
  const stack: Node[] = [start];
  while (stack.length) {
    const n = stack.pop()!;
    if (seen.has(n)) continue;
    seen.add(n);
    const owner = producedBy.get(n);
    if (owner) {
      found.add(owner);
      continue;
    }
    for (const e of n.edges) {
      if (e instanceof Node) stack.push(e);
      else if (e && inputs.has(e)) found.add(INPUT_ID);
    }
  }
  return found;
}

interface Call {
  id: string;
  inputs: Tensor[];
  outputs: Tensor[];
}

function trace(
  model: Module,
  leaves: [string, Module][],
  sample: Tensor[],
): { calls: Call[]; outputs: Tensor[]; inputs: Tensor[] } {
  const calls: Call[] = [];
  const removers = leaves.map(([id, m]) =>
    m.registerForwardHook((_m, args, out) =>
      calls.push({ id, inputs: tensorsIn(args), outputs: tensorsIn(out) }),
    ),
  );
  // Float inputs are traced as leaves requiring grad so every derived tensor has a gradFn.
  const inputs = sample.map((t) => (t.dtype === "float32" ? t.detach().requiresGrad_() : t));
  try {
    const out = enableGrad(() => model.forward(...inputs));
    return { calls, outputs: tensorsIn(out), inputs };
  } finally {
    for (const remove of removers) remove();
  }
}

function edgeKey(e: GraphEdge): string {
  return `${e.from}->${e.to}`;
}

export function moduleGraph(model: Module, sampleInput?: Tensor | Tensor[]): GraphPayload {
  const { nodes, leaves } = moduleNodes(model);
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const edges = new Map<string, GraphEdge>();
  const addEdge = (e: GraphEdge) => edges.has(edgeKey(e)) || edges.set(edgeKey(e), e);
  const ends = (shapes: (number | null)[][]) => ({
    attrs: {},
    numParameters: 0,
    trainable: false,
    parent: null,
    inputShapes: shapes,
    outputShapes: shapes,
  });
  if (sampleInput !== undefined) {
    const sample = Array.isArray(sampleInput) ? sampleInput : [sampleInput];
    const { calls, outputs, inputs } = trace(model, leaves, sample);
    const producedBy = new Map<Node, string>();
    const inputSet = new Set(inputs.map((t) => t._leaf));
    for (const call of calls) {
      const node = byId.get(call.id)!;
      if (node.inputShapes.length === 0) {
        node.inputShapes = call.inputs.map((t) => [...t.shape]);
        node.outputShapes = call.outputs.map((t) => [...t.shape]);
      }
      for (const x of call.inputs)
        for (const src of sourcesOf(x, producedBy, inputSet))
          if (src !== call.id)
            addEdge({ from: src, to: call.id, shape: [...x.shape], dtype: x.dtype });
      for (const y of call.outputs) if (y.gradFn) producedBy.set(y.gradFn, call.id);
    }
    for (const y of outputs)
      for (const src of sourcesOf(y, producedBy, inputSet))
        addEdge({ from: src, to: OUTPUT_ID, shape: [...y.shape], dtype: y.dtype });
    nodes.unshift({
      id: INPUT_ID,
      kind: "input",
      name: "input",
      ...ends(sample.map((t) => [...t.shape])),
    });
    nodes.push({
      id: OUTPUT_ID,
      kind: "output",
      name: "output",
      ...ends(outputs.map((t) => [...t.shape])),
    });
  } else {
    // Without a trace, assume the declaration order is the data flow (true for Sequential).
    leaves.forEach(([id], i) => i > 0 && addEdge({ from: leaves[i - 1][0], to: id, shape: null }));
  }
  const numParameters = model.numParameters();
  const truncated = nodes.length > MAX_GRAPH_NODES;
  const kept = new Set(nodes.slice(0, MAX_GRAPH_NODES).map((n) => n.id));
  return {
    title: model.constructor.name,
    nodes: nodes.slice(0, MAX_GRAPH_NODES),
    edges: [...edges.values()].filter((e) => kept.has(e.from) && kept.has(e.to)),
    totals: {
      numParameters,
      trainableParameters: model.numParameters(true),
      sizeBytes: model.parameters().reduce((n, p) => n + p.size * 4, 0),
    },
    ...(truncated ? { truncated } : {}),
  };
}
