import { describe, expect, it } from "vitest";
import {
  GRAPH_MIME,
  MAX_SAMPLE_ELEMENTS,
  PLOT_MIME,
  PLOTLY_MIME,
  TENSOR_MIME,
  isGraphPayload,
  isPlotPayload,
  isTensorPayload,
  validateGraphPayload,
  validateTensorPayload,
} from "../../src/display/protocol.js";
import { curvesPlot, imageBatchTensor, matrixTensor, mlpGraph, vectorTensor } from "./fixtures.js";

describe("display protocol", () => {
  it("names versioned vendor MIME types", () => {
    expect([GRAPH_MIME, TENSOR_MIME, PLOT_MIME]).toEqual([
      "application/vnd.dendrite.graph.v1+json",
      "application/vnd.dendrite.tensor.v1+json",
      "application/vnd.dendrite.plot.v1+json",
    ]);
    expect(PLOTLY_MIME).toBe("application/vnd.plotly.v1+json");
  });

  it("accepts well-formed payloads, also after a JSON round trip", () => {
    for (const p of [mlpGraph()]) expect(isGraphPayload(JSON.parse(JSON.stringify(p)))).toBe(true);
    for (const p of [matrixTensor(), imageBatchTensor(), vectorTensor()])
      expect(validateTensorPayload(JSON.parse(JSON.stringify(p)))).toEqual([]);
    expect(isPlotPayload(curvesPlot())).toBe(true);
    // A plain plotly figure (no kind) is still drawable.
    expect(isPlotPayload({ data: [], layout: {} })).toBe(true);
  });

  it("names what is wrong, with the path to it", () => {
    const g = mlpGraph();
    g.nodes[2].parent = "nowhere";
    g.nodes[3].numParameters = -1;
    expect(validateGraphPayload(g)).toEqual([
      "graph.nodes[3].numParameters must be a count",
      'graph.nodes[2].parent "nowhere" names no node',
    ]);
    const dup = mlpGraph();
    dup.nodes[1].id = "input";
    expect(validateGraphPayload(dup).join("\n")).toContain('"input" is repeated');
  });

  it("enforces the sample cap", () => {
    const n = MAX_SAMPLE_ELEMENTS + 1;
    const p = {
      ...vectorTensor(),
      sample: { method: "head", shape: [n], step: [1], values: new Array(n).fill(0) },
    };
    expect(validateTensorPayload(p)[0]).toMatch(/over the cap/);
    expect(isTensorPayload(p)).toBe(false);
  });
});
