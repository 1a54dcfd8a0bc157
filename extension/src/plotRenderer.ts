// The reference pulls in the plotly module typing wherever this file is compiled (the root
// tsconfig reaches it through the tests); an import cannot name an ambient declaration file.
// eslint-disable-next-line @typescript-eslint/triple-slash-reference
/// <reference path="./plotly.d.ts" />
// Renderer for application/vnd.dendrite.plot.v1+json. plotly.js (~4.8 MB) is imported lazily on
// the first plot, as JupyterLab's vega renderer does with vega. Updates of a live plot arrive
// as renderModel calls on the same renderer (update_display_data) and go through Plotly.react,
// which diffs against the drawn figure: the chart changes in place, without a blank frame.
import type { IRenderMime } from "@jupyterlab/rendermime-interfaces";
import type { Message } from "@lumino/messaging";
import { Widget } from "@lumino/widgets";
import { validatePlotPayload, type PlotPayload } from "../../src/display/protocol.js";
import { errorView, h } from "./dom.js";
import { themedLayout } from "./plotTheme.js";
import { themeColors, watchTheme } from "./theme.js";

type Plotly = (typeof import("plotly.js-dist-min"))["default"];
let plotlyPromise: Promise<Plotly> | null = null;

export function loadPlotly(): Promise<Plotly> {
  plotlyPromise ??= import("plotly.js-dist-min").then((m) => (m.default ?? m) as Plotly);
  return plotlyPromise;
}

export class PlotRenderer extends Widget implements IRenderMime.IRenderer {
  private readonly plotDiv = h("div", { class: "dd-plot-area" });
  private figure: PlotPayload | null = null;
  private plotly: Plotly | null = null;
  private readonly stopTheme: () => void;
  private readonly resizeObserver: ResizeObserver | null;
  private resizeQueued = false;

  constructor(private readonly options: IRenderMime.IRendererOptions) {
    super();
    this.addClass("dd-plot");
    this.stopTheme = watchTheme(() => void this.draw());
    // Panels resize without Lumino resize messages reaching outputs (e.g. the sidebar opening),
    // so watch the element itself.
    this.resizeObserver =
      typeof ResizeObserver === "undefined" ? null : new ResizeObserver(() => this.queueResize());
  }

  async renderModel(model: IRenderMime.IMimeModel): Promise<void> {
    const payload: unknown = model.data[this.options.mimeType];
    const errors = validatePlotPayload(payload);
    if (errors.length > 0) {
      this.figure = null;
      this.node.replaceChildren(errorView("plot", errors));
      return;
    }
    // plotly annotates the objects it is given; the model's data must stay untouched.
    this.figure = JSON.parse(JSON.stringify(payload)) as PlotPayload;
    if (!this.plotDiv.isConnected || this.plotDiv.parentNode !== this.node)
      this.node.replaceChildren(this.plotDiv);
    try {
      this.plotly = await loadPlotly();
    } catch (err) {
      this.node.replaceChildren(errorView("plot", [`plotly.js failed to load: ${String(err)}`]));
      return;
    }
    await this.draw();
  }

  private async draw(): Promise<void> {
    if (!this.plotly || !this.figure) return;
    const f = this.figure;
    const layout = themedLayout(f.layout ?? {}, themeColors());
    const config = { displaylogo: false, responsive: false, ...(f.config ?? {}) };
    await this.plotly.react(this.plotDiv, f.data, layout, config);
  }

  private queueResize(): void {
    if (this.resizeQueued || !this.plotly || !this.figure) return;
    this.resizeQueued = true;
    requestAnimationFrame(() => {
      this.resizeQueued = false;
      if (this.plotly && this.figure && this.plotDiv.isConnected)
        void this.plotly.Plots.resize(this.plotDiv);
    });
  }

  protected override onAfterAttach(msg: Message): void {
    super.onAfterAttach(msg);
    this.resizeObserver?.observe(this.node);
    this.queueResize();
  }

  protected override onBeforeDetach(msg: Message): void {
    this.resizeObserver?.unobserve(this.node);
    super.onBeforeDetach(msg);
  }

  protected override onResize(msg: Widget.ResizeMessage): void {
    super.onResize(msg);
    this.queueResize();
  }

  override dispose(): void {
    if (this.isDisposed) return;
    this.stopTheme();
    this.resizeObserver?.disconnect();
    this.plotly?.purge(this.plotDiv);
    super.dispose();
  }
}
