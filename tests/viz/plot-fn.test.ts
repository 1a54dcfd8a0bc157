import { describe, expect, it } from "vitest";
import * as dl from "../../src/index.js";
import { PLOT_MIME, PLOTLY_MIME, validatePlotPayload } from "../../src/display/protocol.js";

const display = (x: unknown) =>
  (x as Record<symbol, () => Record<string, any>>)[Symbol.for("Jupyter.display")]();

describe("viz.plot", () => {
  it("draws tensors and arrays as plotly traces with a static picture", () => {
    const x = dl.linspace(-1, 1, 5);
    const b = display(
      dl.viz.plot(
        [
          { name: "data", x, y: [1, 0, 2, 0, 1], mode: "markers" },
          { name: "fit", x: [-1, 1], y: dl.tensor([0.5, 0.5]), style: { line: { dash: "dot" } } },
        ],
        { title: "fit", xLabel: "x" },
      ),
    );
    expect(validatePlotPayload(b[PLOT_MIME])).toEqual([]);
    expect(b[PLOT_MIME].kind).toBe("generic");
    const [data, fit] = b[PLOTLY_MIME].data;
    expect(data).toMatchObject({ type: "scatter", mode: "markers", x: [-1, -0.5, 0, 0.5, 1] });
    expect(fit).toMatchObject({ mode: "lines", y: [0.5, 0.5], line: { dash: "dot" } });
    expect(b[PLOTLY_MIME].layout.xaxis.title.text).toBe("x");
    // The scatter stays dots and the fit a line in the static SVG.
    expect((b["image/svg+xml"].match(/<circle/g) ?? []).length).toBe(5);
    expect((b["image/svg+xml"].match(/<polyline/g) ?? []).length).toBe(1);
    expect(b["text/plain"]).toBe('plot "fit": data, fit');
  });

  it("numbers the x axis when none is given and draws bars over labels", () => {
    const b = display(dl.viz.plot([{ y: [3, 1, 2] }, { x: ["a", "b"], y: [1, 2], mode: "bar" }]));
    expect(b[PLOTLY_MIME].data[0].x).toEqual([0, 1, 2]);
    expect(b[PLOTLY_MIME].data[1]).toMatchObject({ type: "bar", x: ["a", "b"], y: [1, 2] });
  });

  it("rejects a 2-D tensor and mismatched lengths, naming the op", () => {
    expect(() => dl.viz.plot({ y: dl.zeros([2, 2]) })).toThrow(/viz\.plot.*\[2, 2\]/);
    expect(() => dl.viz.plot({ x: [1, 2, 3], y: [1, 2] })).toThrow(/viz\.plot.*3 x values and 2/);
  });
});
