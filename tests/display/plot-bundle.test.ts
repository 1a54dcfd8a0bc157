import { describe, expect, it } from "vitest";
import { decimate, plotBundle } from "../../src/display/plot-bundle.js";
import { PLOT_MIME, PLOTLY_MIME, validatePlotPayload } from "../../src/display/protocol.js";
import { escapeXml } from "../../src/display/svg.js";

describe("plot bundle", () => {
  it("decimates long series under the cap, keeping extremes", () => {
    const x = Array.from({ length: 10000 }, (_, i) => i);
    const y = x.map((i) => Math.sin(i / 50));
    y[4321] = 9;
    y[777] = -9;
    const d = decimate(x, y, 500);
    expect(d.x.length).toBeLessThanOrEqual(500);
    expect(d.y).toContain(9);
    expect(d.y).toContain(-9);
    expect([...d.x].sort((a, b) => a - b)).toEqual(d.x);
  });

  it("lifts the pen at NaN in the static picture, as plotly does (one trace, separate segments)", () => {
    const edges = {
      type: "scatter",
      mode: "lines",
      x: [0, 1, NaN, 2, 3, NaN, 4, 5],
      y: [0, 1, NaN, 1, 0, NaN, 1, 1],
    };
    const svg = plotBundle({ data: [edges], layout: {} }, "generic", "edges")[
      "image/svg+xml"
    ] as string;
    const lines = svg.match(/<polyline [^>]*points="([^"]*)"/g) ?? [];
    expect(lines.length).toBe(3);
    for (const l of lines) expect(l).not.toContain("NaN");
    expect(lines.map((l) => /points="([^"]*)"/.exec(l)![1].split(" ").length)).toEqual([2, 2, 2]);
  });

  it("carries the figure in both plot types and a static picture", () => {
    const b = plotBundle(
      { data: [{ type: "scatter", y: [3, 2, 1], name: "loss" }], layout: { title: "t" } },
      "curves",
      "text",
    );
    expect(validatePlotPayload(b[PLOT_MIME])).toEqual([]);
    expect((b[PLOT_MIME] as any).kind).toBe("curves");
    expect((b[PLOTLY_MIME] as any).data[0].x).toEqual([0, 1, 2]);
    expect(b["image/svg+xml"]).toContain("polyline");
  });

  it("escapes labels in static pictures", () => {
    const b = plotBundle(
      { data: [{ type: "scatter", y: [1, 2], name: "<script>x</script>" }], layout: {} },
      "generic",
      "t",
    );
    expect(b["image/svg+xml"]).not.toContain("<script>");
    expect(escapeXml(`<a href="x">&'`)).toBe("&lt;a href=&quot;x&quot;&gt;&amp;&#39;");
  });

  it("draws bar traces as bars from zero: heights proportional, a negative bar below the axis", () => {
    const b = plotBundle(
      {
        data: [
          { type: "bar", name: "train", x: ["cat", "dog", "owl"], y: [2, 4, -1] },
          { type: "bar", name: "test", x: ["cat", "dog", "owl"], y: [1, 3, 0.5] },
        ],
        layout: { title: "counts" },
      },
      "generic",
      "bars",
    );
    const svg = b["image/svg+xml"] as string;
    const rects = [...svg.matchAll(/<rect x="[^"]*" y="([^"]*)" width="[^"]*" height="([^"]*)"/g)];
    expect(rects.length).toBe(6);
    const [y, height] = [rects.map((r) => Number(r[1])), rects.map((r) => Number(r[2]))];
    // train's dog bar is twice its cat bar; its owl bar (-1) starts at the zero line, below the others.
    expect(height[1] / height[0]).toBeCloseTo(2, 1);
    expect(height[2] / height[0]).toBeCloseTo(0.5, 1);
    expect(y[2]).toBeCloseTo(y[0] + height[0], 0);
    for (const label of ["cat", "dog", "owl", "train", "test", "counts"])
      expect(svg).toContain(label);
    expect(svg).not.toContain("polyline");
  });
});
