// Lays out the visible graph with ELK's layered algorithm (elkjs): a maintained library that
// handles nested compound nodes and edges crossing container borders, which is exactly what a
// module tree with collapsible containers needs. elkjs is ~1.5 MB, so it is imported lazily
// on the first diagram, not when JupyterLab starts.
import type { ELK, ElkExtendedEdge, ElkNode } from "elkjs/lib/elk-api.js";
import { formatCount, formatShape } from "./format.js";
import type { VisibleGraph, VisibleNode } from "./graphModel.js";

export interface Box {
  id: string;
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface LaidOutNode extends Box {
  vis: VisibleNode;
  lines: string[];
}

export interface LaidOutEdge {
  id: string;
  from: string;
  to: string;
  points: { x: number; y: number }[];
  label: string | null;
  labelBox: Box | null;
}

export interface Layout {
  width: number;
  height: number;
  nodes: LaidOutNode[];
  edges: LaidOutEdge[];
}

// Text is measured by estimate, not by the DOM, so layout also works before the output is
// attached (and in tests). 12px UI fonts average about 7px per character.
const CHAR_W = 7;
const LINE_H = 15;
const PAD = 10;
const CONTAINER_TITLE = 24;

/** The text lines inside a node box: name, class (with a fold marker), parameters. */
export function nodeLines(v: VisibleNode): string[] {
  const n = v.node;
  const lines = [n.name || n.kind];
  const marker = v.container ? (v.collapsed ? " ▸" : " ▾") : "";
  if (n.name && n.name !== n.kind) lines.push(`${n.kind}${marker}`);
  else if (marker) lines[0] += marker;
  if (n.numParameters > 0) lines.push(`${formatCount(n.numParameters)} params`);
  return lines;
}

let elkPromise: Promise<ELK> | null = null;

async function loadElk(): Promise<ELK> {
  elkPromise ??= import("elkjs/lib/elk.bundled.js").then((mod) => {
    // CommonJS interop differs between bundlers: the constructor may sit one `default` deeper.
    let ctor: unknown = mod.default ?? mod;
    if (typeof ctor !== "function") ctor = (ctor as { default: unknown }).default;
    return new (ctor as new () => ELK)();
  });
  return elkPromise;
}

export async function layoutGraph(graph: VisibleGraph): Promise<Layout> {
  const lines = new Map<string, string[]>();
  const visById = new Map<string, VisibleNode>();
  const toElk = (v: VisibleNode): ElkNode => {
    const l = nodeLines(v);
    lines.set(v.node.id, l);
    visById.set(v.node.id, v);
    const width = Math.max(...l.map((t) => t.length * CHAR_W)) + 2 * PAD;
    if (v.children.length > 0) {
      return {
        id: v.node.id,
        layoutOptions: {
          "elk.padding": `[top=${CONTAINER_TITLE + LINE_H * (l.length - 1)},left=${PAD},bottom=${PAD},right=${PAD}]`,
          "elk.nodeSize.constraints": "MINIMUM_SIZE",
          "elk.nodeSize.minimum": `(${width}, 40)`,
        },
        children: v.children.map(toElk),
      };
    }
    return { id: v.node.id, width, height: l.length * LINE_H + PAD };
  };
  const edges: ElkExtendedEdge[] = graph.edges.map((e) => {
    const text = e.shape ? formatShape(e.shape) : null;
    return {
      id: e.id,
      sources: [e.from],
      targets: [e.to],
      labels: text ? [{ id: `${e.id}l`, text, width: text.length * 6 + 4, height: 12 }] : [],
    };
  });
  const root: ElkNode = {
    id: "__root__",
    layoutOptions: {
      "elk.algorithm": "layered",
      "elk.direction": "DOWN",
      "elk.hierarchyHandling": "INCLUDE_CHILDREN",
      "elk.edgeRouting": "ORTHOGONAL",
      "elk.spacing.nodeNode": "24",
      "elk.layered.spacing.nodeNodeBetweenLayers": "28",
      "elk.edgeLabels.placement": "CENTER",
      // Absolute coordinates everywhere, so drawing needs no offset bookkeeping per container.
      "elk.json.shapeCoords": "ROOT",
      "elk.json.edgeCoords": "ROOT",
    },
    children: graph.roots.map(toElk),
    edges,
  };
  const elk = await loadElk();
  const out = await elk.layout(root);
  return collect(out, lines, visById, graph);
}

function collect(
  out: ElkNode,
  lines: Map<string, string[]>,
  visById: Map<string, VisibleNode>,
  graph: VisibleGraph,
): Layout {
  const nodes: LaidOutNode[] = [];
  const walk = (n: ElkNode) => {
    for (const c of n.children ?? []) {
      const vis = visById.get(c.id);
      if (vis) {
        const box = {
          id: c.id,
          x: c.x ?? 0,
          y: c.y ?? 0,
          width: c.width ?? 0,
          height: c.height ?? 0,
        };
        nodes.push({ ...box, vis, lines: lines.get(c.id) ?? [] });
      }
      walk(c);
    }
  };
  walk(out);
  const byId = new Map(graph.edges.map((e) => [e.id, e]));
  const edges: LaidOutEdge[] = [];
  const gather = (n: ElkNode) => {
    for (const e of n.edges ?? []) {
      const src = byId.get(e.id);
      if (!src) continue;
      const sec = e.sections?.[0];
      const points = sec ? [sec.startPoint, ...(sec.bendPoints ?? []), sec.endPoint] : [];
      const lab = e.labels?.[0];
      const labelBox = lab
        ? {
            id: lab.id ?? "",
            x: lab.x ?? 0,
            y: lab.y ?? 0,
            width: lab.width ?? 0,
            height: lab.height ?? 0,
          }
        : null;
      edges.push({
        id: e.id,
        from: src.from,
        to: src.to,
        points,
        label: lab?.text ?? null,
        labelBox,
      });
    }
    for (const c of n.children ?? []) gather(c);
  };
  gather(out);
  return { width: out.width ?? 0, height: out.height ?? 0, nodes, edges };
}
