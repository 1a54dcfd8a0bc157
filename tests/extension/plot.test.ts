// @vitest-environment jsdom
import "./jsdom-polyfills.js";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { PLOT_MIME } from "../../src/display/protocol.js";
import { themedLayout } from "../../extension/src/plotTheme.js";
import { attach, mimeModel, rendererOptions } from "./dom-helpers.js";
import { curvesPlot } from "./fixtures.js";

// plotly.js needs a real browser (WebGL, layout); its calls are recorded instead. The real
// thing is exercised by the browser end-to-end test.
const plotly = vi.hoisted(() => ({
  react: vi.fn(async (el: HTMLElement) => el),
  purge: vi.fn(),
  Plots: { resize: vi.fn() },
}));
vi.mock("plotly.js-dist-min", () => ({ default: plotly }));

const { PlotRenderer } = await import("../../extension/src/plotRenderer.js");

const live: { dispose(): void }[] = [];
beforeEach(() => vi.clearAllMocks());
afterEach(() => {
  // Renderers watch the theme on document.body until disposed, as output areas do on clear.
  live.splice(0).forEach((r) => r.dispose());
  document.body.replaceChildren();
});

async function render(payload: unknown) {
  const r = new PlotRenderer(rendererOptions(PLOT_MIME));
  live.push(r);
  attach(r);
  await r.renderModel(mimeModel(PLOT_MIME, payload));
  return r;
}

describe("PlotRenderer", () => {
  it("draws the figure with plotly, themed, without touching the model's data", async () => {
    const fig = curvesPlot(5);
    const r = await render(fig);
    expect(plotly.react).toHaveBeenCalledTimes(1);
    const [div, data, layout, config] = plotly.react.mock.calls[0] as unknown as [
      HTMLElement,
      unknown[],
      any,
      any,
    ];
    expect(r.node.contains(div)).toBe(true);
    expect(data).toEqual(fig.data);
    expect(data).not.toBe(fig.data);
    expect(layout.paper_bgcolor).toBe("rgba(0,0,0,0)");
    expect(layout.yaxis2.overlaying).toBe("y");
    expect(layout.yaxis2.gridcolor).toBeDefined();
    expect(config.displaylogo).toBe(false);
  });

  it("updates in place: a new model re-uses the same plot element", async () => {
    const r = await render(curvesPlot(5));
    await r.renderModel(mimeModel(PLOT_MIME, curvesPlot(10)));
    expect(plotly.react).toHaveBeenCalledTimes(2);
    expect(plotly.react.mock.calls[1][0]).toBe(plotly.react.mock.calls[0][0]);
    expect(plotly.purge).not.toHaveBeenCalled();
  });

  it("repaints when the theme switches, and purges on dispose", async () => {
    const r = await render(curvesPlot(5));
    document.body.dataset.jpThemeLight = "false";
    await vi.waitFor(() => expect(plotly.react).toHaveBeenCalledTimes(2));
    delete document.body.dataset.jpThemeLight;
    r.dispose();
    expect(plotly.purge).toHaveBeenCalledTimes(1);
    expect(r.isDisposed).toBe(true);
  });

  it("lets the figure's own layout win over theme defaults", () => {
    const t = {
      light: true,
      background: "#fff",
      foreground: "#111",
      muted: "#666",
      grid: "#eee",
      font: "sans",
    };
    const out = themedLayout({ font: { size: 20 }, xaxis: { gridcolor: "red" }, height: 200 }, t);
    expect(out.font).toEqual({ color: "#111", family: "sans", size: 20 });
    expect((out.xaxis as any).gridcolor).toBe("red");
    expect(out.height).toBe(200);
  });

  it.each([
    ["a number", 42, "not an object"],
    ["data not a list", { kind: "curves", data: {}, layout: {} }, "plot.data must be an array"],
    ["an unknown kind", { ...curvesPlot(2), kind: "pie-in-the-sky" }, "plot.kind must be one of"],
  ])("shows a readable error for %s", async (_n, payload, message) => {
    const r = await render(payload);
    expect(r.node.querySelector(".dd-error")?.textContent).toContain(message);
    expect(plotly.react).not.toHaveBeenCalled();
  });
});
