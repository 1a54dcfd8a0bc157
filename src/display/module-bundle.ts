// The module bundle: PyTorch's repr with parameter totals, a static layer diagram, and the
// graph payload for the extension's interactive diagram.
import type { Tensor } from "../tensor/tensor.js";
import type { Module } from "../nn/module.js";
import { GRAPH_MIME, type GraphPayload, type MimeBundle } from "./protocol.js";
import { boxStackSvg } from "./svg.js";
import { moduleGraph } from "./module-graph.js";

/** Box count in the static diagram; longer models end with a "+N more" box. */
const STATIC_BOXES = 40;

const fmtShapes = (s: (number | null)[][]) =>
  s.map((x) => `[${x.map((d) => d ?? "?").join(", ")}]`).join(", ");

export function graphSvg(g: GraphPayload): string {
  const isParent = new Set(g.nodes.map((n) => n.parent).filter((p) => p !== null));
  const leaves = g.nodes.filter((n) => !isParent.has(n.id));
  const boxes = leaves.slice(0, STATIC_BOXES).map((n) => {
    const shapes = n.outputShapes.length ? ` → ${fmtShapes(n.outputShapes)}` : "";
    const params = n.numParameters ? ` · ${n.numParameters.toLocaleString("en-US")} params` : "";
    return {
      title: n.name === n.kind ? n.kind : `${n.name}: ${n.kind}`,
      detail: `${shapes}${params}`.replace(/^ → /, "out ") || " ",
    };
  });
  if (leaves.length > STATIC_BOXES)
    boxes.push({ title: `+${leaves.length - STATIC_BOXES} more layers`, detail: " " });
  return boxStackSvg(
    boxes,
    `${g.title} — ${g.totals.numParameters.toLocaleString("en-US")} parameters`,
  );
}

export function moduleText(model: Module): string {
  const total = model.numParameters();
  const trainable = model.numParameters(true);
  return `${model.toString()}\n${total.toLocaleString("en-US")} parameters (${trainable.toLocaleString("en-US")} trainable)`;
}

export function moduleBundle(model: Module, sampleInput?: Tensor | Tensor[]): MimeBundle {
  const graph = moduleGraph(model, sampleInput);
  return { "text/plain": moduleText(model), "image/svg+xml": graphSvg(graph), [GRAPH_MIME]: graph };
}
