// dl.viz.livePlot: training curves that update one output in place. Metrics whose name
// contains "loss" share the left axis; the others (accuracy...) the right one.
import { JUPYTER_DISPLAY, type MimeBundle, type PlotTrace } from "../display/protocol.js";
import { plotBundle } from "../display/plot-bundle.js";
import { LiveDisplay } from "./throttle.js";
import { publishDisplay } from "../display/publish.js";
import { commTransport } from "../widgets/transport.js";
import { HBox } from "../widgets/containers.js";
import { StopButton } from "../widgets/steer.js";
import type { Widget } from "../widgets/model.js";

/** Options of {@link livePlot}. */
export interface LivePlotOptions {
  /** Title above the chart. */
  title?: string;
  /** Title of the x axis (default "step"). */
  xLabel?: string;
  /** Minimum milliseconds between updates sent to the front end (default 250). */
  throttleMs?: number;
  /** Show the output when created (default true). */
  display?: boolean;
  /**
   * A Stop button above the plot (default: shown where widgets render, i.e. in the Dendrite
   * kernel): a loop checks `plot.stopped` and ends. Pass your own StopButton to share one.
   */
  stopButton?: boolean | StopButton;
  /** More widgets beside the Stop button (a `dl.widgets.lrSlider(optimizer)`, …). */
  controls?: Widget[];
}

/** The Stop button a live plot or dl.fit shows: the given one, a new one, or none. */
export function stopButtonFor(option: boolean | StopButton | undefined): StopButton | null {
  if (option instanceof StopButton) return option;
  if (option === false || (option === undefined && !commTransport())) return null;
  return new StopButton();
}

/** Shows the Stop button and any controls in one row (nothing to show: nothing sent). */
export function showControls(stop: StopButton | null, controls: Widget[] = []): void {
  const row = [...(stop ? [stop] : []), ...controls];
  if (row.length > 0) publishDisplay(new HBox(row).bundle() as Record<string, unknown>);
}

/**
 * A chart that updates in place as values are pushed (e.g. the loss during training); outside a
 * notebook it prints nothing.
 */
export class LivePlot {
  /** Every value pushed, by metric: the x (step) and y series. */
  readonly series = new Map<
    string,
    {
      /** Steps. */
      x: number[];
      /** Values. */
      y: number[];
    }
  >();
  private lastStep: number | undefined;
  private readonly live: LiveDisplay;
  /** The Stop button shown with the plot, if any. */
  readonly stopButton: StopButton | null;

  constructor(private readonly opts: LivePlotOptions = {}) {
    this.live = new LiveDisplay(() => this.bundle(), opts.throttleMs ?? 250);
    const shown = opts.display !== false;
    this.stopButton = stopButtonFor(opts.stopButton ?? false);
    if (shown) showControls(this.stopButton, opts.controls);
    if (shown) this.live.show();
  }

  /** True once the Stop button was pressed: end the loop (the plot keeps its data). */
  get stopped(): boolean {
    return this.stopButton?.stopped ?? false;
  }

  /** Adds one point per metric at `step` and refreshes the plot (throttled). */
  push(step: number, values: Record<string, number>): this {
    for (const [name, v] of Object.entries(values)) {
      if (typeof v !== "number") continue;
      let s = this.series.get(name);
      if (!s) this.series.set(name, (s = { x: [], y: [] }));
      s.x.push(step);
      s.y.push(v);
    }
    this.lastStep = step;
    this.live.update();
    return this;
  }

  /** Sends the final state now (also sent automatically after the last push). */
  done(): this {
    this.live.flush();
    this.stopButton?.finish();
    return this;
  }

  private figure() {
    const names = [...this.series.keys()];
    const hasRight = names.some((n) => !/loss/i.test(n));
    const data: PlotTrace[] = names.map((name) => {
      const s = this.series.get(name)!;
      const right = hasRight && !/loss/i.test(name) && names.some((n) => /loss/i.test(n));
      return {
        type: "scatter",
        mode: "lines",
        name,
        x: s.x,
        y: s.y,
        ...(right ? { yaxis: "y2" } : {}),
      };
    });
    const layout: Record<string, unknown> = {
      title: { text: this.opts.title ?? "training" },
      xaxis: { title: { text: this.opts.xLabel ?? "step" } },
      yaxis: { title: { text: names.some((n) => /loss/i.test(n)) ? "loss" : "value" } },
    };
    if (data.some((t) => t.yaxis === "y2"))
      layout.yaxis2 = { overlaying: "y", side: "right", title: { text: "metric" } };
    return { data, layout };
  }

  private text(): string {
    const last = [...this.series]
      .map(([n, s]) => `${n}=${s.y[s.y.length - 1]?.toPrecision(4)}`)
      .join(", ");
    return `LivePlot(${this.opts.title ?? "training"}: ${this.lastStep === undefined ? "no data" : `step ${this.lastStep}, ${last}`})`;
  }

  /** The current chart as a display bundle. */
  bundle(): MimeBundle {
    return plotBundle(this.figure(), "curves", this.text(), this.lastStep);
  }

  /** The current chart as a display bundle. */
  [JUPYTER_DISPLAY](): MimeBundle {
    return this.bundle();
  }

  /** A text summary: the last value of each series. */
  toString(): string {
    return this.text();
  }
}

/**
 * A live chart that updates in place: `push(step, { loss })` adds points.
 *
 * @example
 * ```ts
 * const plot = dl.viz.livePlot({ title: "training" });
 * for (let step = 0; step < 100; step++) {
 *   const loss = await trainStep();
 *   plot.push(step, { loss });
 *   if (plot.stopped) break;
 * }
 * ```
 */
export function livePlot(opts: LivePlotOptions = {}): LivePlot {
  return new LivePlot(opts);
}
