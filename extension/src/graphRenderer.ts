// Renderer for application/vnd.dendrite.graph.v1+json: the layer diagram of a module.
import type { IRenderMime } from "@jupyterlab/rendermime-interfaces";
import { Widget } from "@lumino/widgets";
import {
  validateGraphPayload,
  type GraphNode,
  type GraphPayload,
} from "../../src/display/protocol.js";
import { Tooltip, errorView, h, localPoint } from "./dom.js";
import { formatShape } from "./format.js";
import { drawGraph } from "./graphDraw.js";
import { layoutGraph } from "./graphLayout.js";
import { GraphIndex, initialCollapsed, visibleGraph } from "./graphModel.js";
import { PanZoom } from "./panZoom.js";

export class GraphRenderer extends Widget implements IRenderMime.IRenderer {
  private index: GraphIndex | null = null;
  private collapsed = new Set<string>();
  /** Bumped per draw so a slow layout never paints over a newer one. */
  private generation = 0;
  private readonly header = h("div", { class: "dd-header" });
  private readonly toolbar = h("div", { class: "dd-toolbar" });
  private readonly canvas = h("div", { class: "dd-graph-canvas" });
  private panZoom: PanZoom | null = null;
  private readonly tooltip: Tooltip;

  constructor(private readonly options: IRenderMime.IRendererOptions) {
    super();
    this.addClass("dd-graph");
    this.node.append(this.header, this.toolbar, this.canvas);
    this.tooltip = new Tooltip(this.node);
    this.canvas.addEventListener("mousemove", (ev) => this.onHover(ev));
    this.canvas.addEventListener("mouseleave", () => this.tooltip.hide());
    this.canvas.addEventListener("click", (ev) => this.onClick(ev));
    this.toolbar.append(
      this.button("+", "Zoom in", () => this.panZoom?.zoom(1.25)),
      this.button("−", "Zoom out", () => this.panZoom?.zoom(0.8)),
      this.button("Fit", "Fit the whole diagram", () => this.panZoom?.reset()),
      this.button("Expand all", "Unfold every container", () => this.fold(false)),
      this.button("Collapse all", "Fold every container", () => this.fold(true)),
    );
  }

  async renderModel(model: IRenderMime.IMimeModel): Promise<void> {
    const payload: unknown = model.data[this.options.mimeType];
    const errors = validateGraphPayload(payload);
    if (errors.length > 0) {
      this.generation++;
      this.node.replaceChildren(errorView("layer diagram", errors));
      return;
    }
    if (!this.canvas.isConnected)
      this.node.replaceChildren(this.header, this.toolbar, this.canvas, this.tooltip.node);
    this.index = new GraphIndex(payload as GraphPayload);
    this.collapsed = initialCollapsed(this.index);
    this.renderHeader(payload as GraphPayload);
    await this.draw();
  }

  private renderHeader(p: GraphPayload): void {
    const t = p.totals;
    // Exact counts in the header (people compare them with PyTorch's); short forms in the boxes.
    const exact = (n: number) => n.toLocaleString("en-US");
    const parts = [`${exact(t.numParameters)} parameters`];
    if (t.trainableParameters !== t.numParameters)
      parts.push(`${exact(t.trainableParameters)} trainable`);
    if (t.sizeBytes !== undefined) parts.push(`${(t.sizeBytes / 1048576).toFixed(2)} MB`);
    parts.push(`${p.nodes.length} modules`);
    if (p.truncated) parts.push("truncated");
    this.header.replaceChildren(h("strong", {}, p.title), ` — ${parts.join(" · ")}`);
  }

  private async draw(): Promise<void> {
    if (!this.index) return;
    const gen = ++this.generation;
    try {
      const layout = await layoutGraph(visibleGraph(this.index, this.collapsed));
      if (gen !== this.generation) return;
      const svg = drawGraph(layout);
      this.canvas.replaceChildren(svg);
      this.panZoom = new PanZoom(svg);
    } catch (err) {
      if (gen !== this.generation) return;
      this.canvas.replaceChildren(errorView("layer diagram", [`layout failed: ${String(err)}`]));
    }
  }

  private fold(all: boolean): void {
    if (!this.index) return;
    this.collapsed = new Set(
      all
        ? this.index.payload.nodes.filter((n) => this.index?.isContainer(n.id)).map((n) => n.id)
        : [],
    );
    void this.draw();
  }

  private nodeAt(ev: Event): GraphNode | undefined {
    const el = (ev.target as Element | null)?.closest?.("[data-node-id]");
    const id = el?.getAttribute("data-node-id");
    return id ? this.index?.byId.get(id) : undefined;
  }

  private onClick(ev: MouseEvent): void {
    const n = this.nodeAt(ev);
    if (!n || !this.index?.isContainer(n.id)) return;
    if (this.collapsed.has(n.id)) this.collapsed.delete(n.id);
    else this.collapsed.add(n.id);
    void this.draw();
  }

  private onHover(ev: MouseEvent): void {
    const n = this.nodeAt(ev);
    if (!n) return this.tooltip.hide();
    const p = localPoint(ev, this.node);
    this.tooltip.show(describeNode(n), p.x, p.y);
  }

  private button(label: string, title: string, onClick: () => void): HTMLButtonElement {
    const b = h("button", { class: "dd-button", title, type: "button" }, label);
    b.addEventListener("click", onClick);
    return b;
  }
}

/** Hover details: everything the payload says about a node, one fact per line. */
export function describeNode(n: GraphNode): string[] {
  const lines = [`${n.name || n.id} (${n.kind})`];
  if (n.inputShapes.length) lines.push(`in: ${n.inputShapes.map(formatShape).join(", ")}`);
  if (n.outputShapes.length) lines.push(`out: ${n.outputShapes.map(formatShape).join(", ")}`);
  const train = n.numParameters === 0 ? "" : n.trainable ? " (trainable)" : " (frozen)";
  lines.push(`parameters: ${n.numParameters.toLocaleString("en-US")}${train}`);
  for (const [k, v] of Object.entries(n.attrs))
    lines.push(`${k}: ${Array.isArray(v) ? formatShape(v) : String(v)}`);
  return lines;
}
