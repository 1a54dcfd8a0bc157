// Draws a laid-out graph as SVG. Every label goes in through text nodes (see dom.ts). Nodes carry
// data-node-id so the renderer can attach hover details and folding with one delegated listener.
import { s } from "./dom.js";
import type { Layout, LaidOutEdge, LaidOutNode } from "./graphLayout.js";

const MARGIN = 8;

export function drawGraph(layout: Layout): SVGSVGElement {
  const w = Math.ceil(layout.width + 2 * MARGIN);
  const hgt = Math.ceil(layout.height + 2 * MARGIN);
  const svg = s("svg", {
    class: "dd-graph-svg",
    viewBox: `${-MARGIN} ${-MARGIN} ${w} ${hgt}`,
    width: w,
    height: hgt,
    role: "img",
  });
  const defs = s(
    "defs",
    {},
    s(
      "marker",
      {
        id: "dd-arrow",
        viewBox: "0 0 10 10",
        refX: 9,
        refY: 5,
        markerWidth: 7,
        markerHeight: 7,
        orient: "auto-start-reverse",
      },
      s("path", { d: "M 0 0 L 10 5 L 0 10 z", class: "dd-arrowhead" }),
    ),
  );
  svg.appendChild(defs);
  // Containers first (they enclose their children), then edges, then leaf boxes on top.
  const containers = layout.nodes.filter((n) => n.vis.children.length > 0);
  const leaves = layout.nodes.filter((n) => n.vis.children.length === 0);
  const viewport = s("g", { class: "dd-viewport" });
  for (const n of containers) viewport.appendChild(drawNode(n, true));
  for (const e of layout.edges) viewport.appendChild(drawEdge(e));
  for (const n of leaves) viewport.appendChild(drawNode(n, false));
  svg.appendChild(viewport);
  return svg;
}

function drawNode(n: LaidOutNode, expanded: boolean): SVGGElement {
  const node = n.vis.node;
  const classes = ["dd-node", `dd-kind-${cssIdent(node.kind)}`];
  if (expanded) classes.push("dd-container");
  if (n.vis.collapsed) classes.push("dd-collapsed");
  if (!node.trainable && node.numParameters > 0) classes.push("dd-frozen");
  if (node.kind === "input" || node.kind === "output") classes.push("dd-io");
  const g = s("g", { class: classes.join(" "), "data-node-id": node.id });
  g.appendChild(s("rect", { x: n.x, y: n.y, width: n.width, height: n.height, rx: 4, ry: 4 }));
  n.lines.forEach((line, i) => {
    const cls = i === 0 ? "dd-node-title" : "dd-node-sub";
    // Expanded containers put their title at the top-left; boxes centre their lines.
    const x = expanded ? n.x + 8 : n.x + n.width / 2;
    const anchor = expanded ? "start" : "middle";
    const y = n.y + 15 + i * 15;
    g.appendChild(s("text", { x, y, class: cls, "text-anchor": anchor }, line));
  });
  return g;
}

function drawEdge(e: LaidOutEdge): SVGGElement {
  const g = s("g", { class: "dd-edge", "data-from": e.from, "data-to": e.to });
  if (e.points.length >= 2) {
    const d = e.points.map((p, i) => `${i === 0 ? "M" : "L"} ${p.x} ${p.y}`).join(" ");
    g.appendChild(s("path", { d, "marker-end": "url(#dd-arrow)" }));
  }
  if (e.label && e.labelBox) {
    const b = e.labelBox;
    g.appendChild(
      s("text", { x: b.x + 2, y: b.y + b.height - 2, class: "dd-edge-label" }, e.label),
    );
  }
  return g;
}

/** Node kinds come from payloads: keep only characters that are safe in a class name. */
function cssIdent(kind: string): string {
  return kind.replace(/[^A-Za-z0-9_-]/g, "_").slice(0, 40);
}
