// Renderer for application/vnd.dendrite.tensor.v1+json: a stats header, a view switch
// (heatmap / image / images / histogram / table) and the chosen view, with values on hover.
import type { IRenderMime } from "@jupyterlab/rendermime-interfaces";
import { Widget } from "@lumino/widgets";
import { validateTensorPayload, type TensorPayload } from "../../src/display/protocol.js";
import { Tooltip, errorView, h } from "./dom.js";
import { formatShape, formatValue } from "./format.js";
import { chooseView, decodeValues, possibleViews, type ConcreteView } from "./tensorData.js";
import { heatmapView } from "./tensorHeatmap.js";
import { histogramView } from "./tensorHistogram.js";
import { imagesView } from "./tensorImages.js";
import { tableView } from "./tensorTable.js";

export class TensorRenderer extends Widget implements IRenderMime.IRenderer {
  private payload: TensorPayload | null = null;
  private values = new Float64Array(0);
  private view: ConcreteView = "table";
  private readonly body = h("div", { class: "dd-tensor-body" });
  private readonly switcher = h("div", { class: "dd-toolbar", role: "tablist" });
  private readonly header = h("div", { class: "dd-header" });
  private readonly tooltip: Tooltip;

  constructor(private readonly options: IRenderMime.IRendererOptions) {
    super();
    this.addClass("dd-tensor");
    this.tooltip = new Tooltip(this.node);
  }

  async renderModel(model: IRenderMime.IMimeModel): Promise<void> {
    const payload: unknown = model.data[this.options.mimeType];
    const errors = validateTensorPayload(payload);
    if (errors.length > 0) {
      this.payload = null;
      this.node.replaceChildren(errorView("tensor", errors));
      return;
    }
    const p = payload as TensorPayload;
    // Keep the reader's chosen view across in-place updates when it still fits the new shape.
    const keep = this.payload !== null && possibleViews(p).includes(this.view);
    this.payload = p;
    this.values = decodeValues(p);
    if (!keep) this.view = chooseView(p);
    this.node.replaceChildren(this.header, this.switcher, this.body, this.tooltip.node);
    this.header.replaceChildren(
      ...headerLines(p).map((l, i) => h(i === 0 ? "strong" : "div", {}, l)),
    );
    this.showView(this.view);
  }

  private showView(view: ConcreteView): void {
    const p = this.payload;
    if (!p) return;
    this.view = view;
    this.switcher.replaceChildren(
      ...possibleViews(p).map((v) => {
        const b = h(
          "button",
          { class: "dd-button", type: "button", role: "tab", "data-view": v },
          v,
        );
        b.setAttribute("aria-selected", String(v === view));
        if (v === view) b.classList.add("dd-active");
        b.addEventListener("click", () => this.showView(v));
        return b;
      }),
    );
    this.tooltip.hide();
    this.body.replaceChildren(this.build(p, view));
  }

  private build(p: TensorPayload, view: ConcreteView): HTMLElement {
    switch (view) {
      case "heatmap":
        return heatmapView(p, this.values, this.tooltip, this.node);
      case "image":
        return imagesView(p, this.values, false, this.tooltip, this.node);
      case "images":
        return imagesView(p, this.values, true, this.tooltip, this.node);
      case "histogram":
        return histogramView(p, this.values, this.tooltip, this.node);
      case "table":
        return tableView(p, this.values);
    }
  }
}

/** The stats header: what the tensor is, its statistics over every element, how it was sampled. */
export function headerLines(p: TensorPayload): string[] {
  const title = [p.name, `${p.dtype}${formatShape(p.shape)}`, `on ${p.device}`];
  if (p.requiresGrad) title.push("requires grad");
  const st = p.stats;
  const stats = [
    `min ${formatValue(st.min)}`,
    `max ${formatValue(st.max)}`,
    `mean ${formatValue(st.mean)}`,
    `std ${formatValue(st.std)}`,
  ];
  if (st.nanCount > 0) stats.push(`NaN ${st.nanCount}`);
  if (st.infCount > 0) stats.push(`Inf ${st.infCount}`);
  const total = p.shape.reduce((a, b) => a * b, 1);
  const n = p.sample.values.length;
  const sampled =
    p.sample.method === "full"
      ? `all ${total} elements shown`
      : p.sample.method === "head"
        ? `first ${formatShape(p.sample.shape)} of ${total} elements shown`
        : `strided sample, step ${formatShape(p.sample.step)}: ${n} of ${total} elements shown`;
  return [title.filter(Boolean).join(" "), stats.join(" · "), sampled];
}
