import { describe, expect, it } from "vitest";
import * as dl from "../../src/index.js";
import { confusionCounts } from "../../src/viz/plots.js";
import { pca2 } from "../../src/viz/pca.js";
import { PLOT_MIME, validatePlotPayload } from "../../src/display/protocol.js";

const display = (x: unknown) =>
  (x as Record<symbol, () => Record<string, any>>)[Symbol.for("Jupyter.display")]();

describe("viz plots", () => {
  it("counts a confusion matrix with true rows and predicted columns", () => {
    expect(confusionCounts([0, 1, 1, 2, 2], [0, 1, 2, 2, 0], 3)).toEqual([
      [1, 0, 1],
      [0, 1, 0],
      [0, 1, 1],
    ]);
  });

  it("confusionMatrix takes scores or indices and reports accuracy", () => {
    const scores = dl.tensor([
      [0.9, 0.1],
      [0.2, 0.8],
      [0.6, 0.4],
    ]);
    const b = display(dl.viz.confusionMatrix(scores, dl.tensor([0, 1, 1]), ["cat", "dog"]));
    expect(validatePlotPayload(b[PLOT_MIME])).toEqual([]);
    expect(b[PLOT_MIME].data[0].z).toEqual([
      [1, 0],
      [1, 1],
    ]);
    expect(b["text/plain"]).toContain("66.67%");
  });

  it("finds principal axes of points on a tilted line", () => {
    const n = 50;
    const data = new Float64Array(n * 3);
    for (let i = 0; i < n; i++) {
      const t = i - 25;
      data.set([2 * t, t, 0.01 * ((i * 7) % 5)], 3 * i);
    }
    const { points, explained } = pca2(data, n, 3);
    expect(explained[0]).toBeGreaterThan(0.999);
    // PC1 coordinates are the centred projections on (2, 1, 0)/√5 (mean t is -0.5), up to sign
    const sign = Math.sign(points[2 * 49]);
    expect(sign * points[2 * 49]).toBeCloseTo(24.5 * Math.sqrt(5), 2);
  });

  it("embedding groups points by label", () => {
    dl.manualSeed(3);
    const b = display(
      dl.viz.embedding(dl.randn([10, 4]), { labels: [0, 1, 0, 1, 0, 1, 0, 1, 0, 1] }),
    );
    expect(b[PLOT_MIME].data.map((t: any) => t.name)).toEqual(["0", "1"]);
    expect(b[PLOT_MIME].data[0].x).toHaveLength(5);
    expect(b[PLOT_MIME].data[0].mode).toBe("markers");
  });

  it("embedding writes each row's text beside its point, within its label's group", () => {
    // Rows 0 and 2 lie far out on the one axis of variance, row 1 in the middle.
    const t = dl.tensor([
      [-3, 0],
      [0, 0],
      [3, 0],
    ]);
    const b = display(dl.viz.embedding(t, { labels: ["a", "b", "a"], text: ["x", "y", "z"] }));
    const [groupA, groupB] = b[PLOT_MIME].data;
    expect(groupA.mode).toBe("markers+text");
    expect(groupA.text).toEqual(["x", "z"]);
    expect(groupB.text).toEqual(["y"]);
    expect(Math.abs(groupA.x[0])).toBeCloseTo(3, 5);
    expect(groupA.x[0]).toBeCloseTo(-groupA.x[1], 5);
    expect(groupB.x[0]).toBeCloseTo(0, 5);
  });

  it("attention draws one heatmap per head", () => {
    const w = dl.tensor([1, 2, 3, 4, 5, 6, 7, 8]).float().reshape([2, 2, 2]).softmax(-1);
    const b = display(dl.viz.attention(w, { xLabels: ["a", "b"], yLabels: ["c", "d"] }));
    expect(b[PLOT_MIME].data).toHaveLength(2);
    expect(b[PLOT_MIME].data[1].z[1][0]).toBeCloseTo(1 / (1 + Math.E), 5);
  });

  it("heatmap keeps rows as written, with labels, a fixed range and printed values", () => {
    const t = dl.tensor([
      [0.25, 0.5, 1],
      [-1, 0, 2],
    ]);
    const b = display(
      dl.viz.heatmap(t, {
        xLabels: ["a", "b", 3],
        yLabels: ["r0", "r1"],
        range: [0, 1],
        decimals: 1,
      }),
    );
    expect(validatePlotPayload(b[PLOT_MIME])).toEqual([]);
    const trace = b[PLOT_MIME].data[0];
    expect(trace.type).toBe("heatmap");
    expect(trace.z).toEqual([
      [0.25, 0.5, 1],
      [-1, 0, 2],
    ]);
    expect(trace.x).toEqual(["a", "b", "3"]);
    expect(trace.y).toEqual(["r0", "r1"]);
    expect([trace.zmin, trace.zmax]).toEqual([0, 1]);
    expect(trace.text[0]).toEqual(["0.3", "0.5", "1.0"]);
    expect(b[PLOT_MIME].layout.yaxis.autorange).toBe("reversed");
    expect(b["text/plain"]).toContain("[2, 3]");
  });

  it("rejects misuse with the shapes involved", () => {
    expect(() => dl.viz.heatmap(dl.zeros([4]))).toThrow(/viz.heatmap: .*\[4\]/);
    expect(() => dl.viz.heatmap(dl.zeros([2, 3]), { xLabels: ["a"] })).toThrow(
      /1 xLabels for 3 columns/,
    );
    expect(() => dl.viz.attention(dl.zeros([2]))).toThrow(/attention: .*\[2\]/);
    expect(() => dl.viz.embedding(dl.zeros([3, 2]), { labels: [1] })).toThrow(
      /1 labels for 3 rows/,
    );
    expect(() => dl.viz.embedding(dl.zeros([3, 2]), { text: ["a", "b"] })).toThrow(
      /embedding: 2 text entries for 3 rows/,
    );
  });
});
