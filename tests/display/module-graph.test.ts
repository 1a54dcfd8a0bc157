import { describe, expect, it } from "vitest";
import * as dl from "../../src/index.js";
import { moduleGraph } from "../../src/display/module-graph.js";
import { GRAPH_MIME, validateGraphPayload } from "../../src/display/protocol.js";

class Residual extends dl.nn.Module {
  inner = new dl.nn.Sequential(new dl.nn.Linear(6, 6), new dl.nn.Linear(6, 6));
  head = new dl.nn.Linear(6, 2);
  forward(x: dl.Tensor): dl.Tensor {
    const flat = x.flatten(1);
    return this.head.forward(this.inner.forward(flat).add(flat));
  }
}

const edgeSet = (g: ReturnType<typeof moduleGraph>) =>
  g.edges.map((e) => `${e.from}->${e.to}:${JSON.stringify(e.shape)}`).sort();

describe("module graph", () => {
  it("traces data flow through free ops and residual connections", () => {
    const g = moduleGraph(new Residual(), dl.randn([3, 2, 3]));
    expect(validateGraphPayload(g)).toEqual([]);
    expect(edgeSet(g)).toEqual(
      [
        "<input>->inner.0:[3,6]",
        "inner.0->inner.1:[3,6]",
        "inner.1->head:[3,6]",
        "<input>->head:[3,6]",
        "head-><output>:[3,2]",
      ].sort(),
    );
    const inner = g.nodes.find((n) => n.id === "inner")!;
    expect(inner.numParameters).toBe(2 * (36 + 6));
    expect(g.nodes.find((n) => n.id === "inner.0")!.parent).toBe("inner");
    expect(g.nodes.find((n) => n.id === "head")!.outputShapes).toEqual([[3, 2]]);
    expect(g.totals.numParameters).toBe(2 * 42 + 14);
  });

  it("chains leaves in declaration order without a sample input", () => {
    const m = new dl.nn.Sequential(new dl.nn.Linear(2, 3), new dl.nn.Linear(3, 1));
    const g = moduleGraph(m);
    expect(edgeSet(g)).toEqual(["0->1:null"]);
  });

  it("reads each module's attrs as data, positional arguments included", () => {
    // Formerly parsed from extraRepr text, which lost the values printed without a name.
    const g = moduleGraph(
      new dl.nn.Sequential(new dl.nn.Linear(4, 8), new dl.nn.Conv2d(3, 16, 3, { padding: 1 })),
    );
    expect(g.nodes.find((n) => n.id === "0")!.attrs).toEqual({
      in_features: 4,
      out_features: 8,
      bias: true,
    });
    expect(g.nodes.find((n) => n.id === "1")!.attrs).toMatchObject({
      in_channels: 3,
      out_channels: 16,
      kernel_size: [3, 3],
      padding: [1, 1],
      bias: true,
    });
    expect(validateGraphPayload(g)).toEqual([]);
  });

  it("a module displays its repr, a static diagram and the graph", () => {
    const m = new dl.nn.Sequential(new dl.nn.Linear(2, 3));
    const b = (m as any)[Symbol.for("Jupyter.display")]();
    expect(b["text/plain"]).toContain("Linear(in_features=2, out_features=3, bias=True)");
    expect(b["text/plain"]).toContain("9 parameters");
    expect(b["image/svg+xml"]).toContain("Linear");
    expect(validateGraphPayload(b[GRAPH_MIME])).toEqual([]);
  });
});
