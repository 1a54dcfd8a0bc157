// What the layer diagram shows for a given set of collapsed containers. Pure (no DOM, no layout)
// so the folding rules are unit-testable: a collapsed container stands in for all its
// descendants, and edges are re-routed to the nearest visible ancestor of each end.
import type { GraphEdge, GraphNode, GraphPayload, Shape } from "../../src/display/protocol.js";

export interface VisibleNode {
  node: GraphNode;
  /** Has children in the payload (a container such as Sequential). */
  container: boolean;
  /** Container currently folded into one box. */
  collapsed: boolean;
  /** Visible children (empty for leaves and collapsed containers). */
  children: VisibleNode[];
}

export interface VisibleEdge {
  id: string;
  from: string;
  to: string;
  shape: Shape | null;
}

export interface VisibleGraph {
  roots: VisibleNode[];
  edges: VisibleEdge[];
}

export class GraphIndex {
  readonly byId = new Map<string, GraphNode>();
  readonly childrenOf = new Map<string | null, GraphNode[]>();

  constructor(readonly payload: GraphPayload) {
    for (const n of payload.nodes) this.byId.set(n.id, n);
    for (const n of payload.nodes) {
      // A parent that names no node (the validator catches it) is treated as top level.
      const p = n.parent !== null && this.byId.has(n.parent) ? n.parent : null;
      const list = this.childrenOf.get(p) ?? [];
      list.push(n);
      this.childrenOf.set(p, list);
    }
  }

  isContainer(id: string): boolean {
    return (this.childrenOf.get(id)?.length ?? 0) > 0;
  }

  depth(id: string): number {
    let d = 0;
    for (let n = this.byId.get(id); n && n.parent !== null; n = this.byId.get(n.parent)) d++;
    return d;
  }

  /** The outermost collapsed ancestor-or-self of `id`, or `id` itself when none is collapsed. */
  visibleRep(id: string, collapsed: ReadonlySet<string>): string {
    let rep = id;
    for (
      let n = this.byId.get(id);
      n;
      n = n.parent === null ? undefined : this.byId.get(n.parent)
    ) {
      if (collapsed.has(n.id) && this.isContainer(n.id)) rep = n.id;
    }
    return rep;
  }
}

/**
 * The containers folded when a diagram first opens: none for small models, and everything below
 * the top level for large ones, so a big model starts readable and unfolds on demand.
 */
export function initialCollapsed(index: GraphIndex, maxVisible = 40): Set<string> {
  const collapsed = new Set<string>();
  if (index.payload.nodes.length <= maxVisible) return collapsed;
  for (const n of index.payload.nodes) {
    if (index.isContainer(n.id) && index.depth(n.id) >= 1) collapsed.add(n.id);
  }
  // Still too many? Fold the top-level containers too.
  if (visibleCount(index, collapsed) > maxVisible) {
    for (const n of index.payload.nodes) if (index.isContainer(n.id)) collapsed.add(n.id);
  }
  return collapsed;
}

function visibleCount(index: GraphIndex, collapsed: ReadonlySet<string>): number {
  return index.payload.nodes.filter((n) => index.visibleRep(n.id, collapsed) === n.id).length;
}

export function visibleGraph(index: GraphIndex, collapsed: ReadonlySet<string>): VisibleGraph {
  const build = (n: GraphNode): VisibleNode => {
    const container = index.isContainer(n.id);
    const isCollapsed = container && collapsed.has(n.id);
    const kids = isCollapsed ? [] : (index.childrenOf.get(n.id) ?? []);
    return { node: n, container, collapsed: isCollapsed, children: kids.map(build) };
  };
  const roots = (index.childrenOf.get(null) ?? []).map(build);
  const seen = new Set<string>();
  const edges: VisibleEdge[] = [];
  index.payload.edges.forEach((e: GraphEdge) => {
    const from = index.visibleRep(e.from, collapsed);
    const to = index.visibleRep(e.to, collapsed);
    // Edges inside a folded container vanish; parallel edges after folding are drawn once.
    if (from === to || !index.byId.has(from) || !index.byId.has(to)) return;
    const key = `${from}\u0000${to}`;
    if (seen.has(key)) return;
    seen.add(key);
    edges.push({ id: `e${edges.length}`, from, to, shape: e.shape });
  });
  return { roots, edges };
}
