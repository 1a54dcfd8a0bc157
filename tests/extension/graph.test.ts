// @vitest-environment jsdom
import "./jsdom-polyfills.js";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { GRAPH_MIME } from "../../src/display/protocol.js";
import { GraphRenderer, describeNode } from "../../extension/src/graphRenderer.js";
import { GraphIndex, initialCollapsed, visibleGraph } from "../../extension/src/graphModel.js";
import { attach, mimeModel, rendererOptions, stubCanvas } from "./dom-helpers.js";
import { mlpGraph } from "./fixtures.js";

beforeAll(stubCanvas);
afterEach(() => document.body.replaceChildren());

async function render(payload: unknown): Promise<GraphRenderer> {
  const r = new GraphRenderer(rendererOptions(GRAPH_MIME));
  attach(r);
  await r.renderModel(mimeModel(GRAPH_MIME, payload));
  return r;
}

describe("graph model", () => {
  it("re-routes edges to a collapsed container and drops its internal edges", () => {
    const index = new GraphIndex(mlpGraph());
    const open = visibleGraph(index, new Set());
    expect(open.edges).toHaveLength(5);
    const folded = visibleGraph(index, new Set(["encoder"]));
    expect(folded.edges.map((e) => `${e.from}>${e.to}`)).toEqual([
      "input>encoder",
      "encoder>head",
      "head>output",
    ]);
    expect(folded.roots.find((r) => r.node.id === "encoder")?.children).toHaveLength(0);
  });

  it("starts large models folded below the top level", () => {
    const p = mlpGraph();
    expect(initialCollapsed(new GraphIndex(p)).size).toBe(0);
    expect([...initialCollapsed(new GraphIndex(p), 3)]).toEqual(["encoder"]);
  });
});

describe("GraphRenderer", () => {
  it("draws a laid-out diagram with nodes, shapes on edges and parameter counts", async () => {
    const r = await render(mlpGraph());
    const ids = Array.from(r.node.querySelectorAll("[data-node-id]")).map((n) =>
      n.getAttribute("data-node-id"),
    );
    expect(ids).toEqual(
      expect.arrayContaining(["input", "encoder", "encoder.0", "encoder.2", "head", "output"]),
    );
    expect(r.node.querySelectorAll(".dd-edge path")).toHaveLength(5);
    const labels = Array.from(r.node.querySelectorAll(".dd-edge-label")).map((t) => t.textContent);
    expect(labels).toContain("[64, 784]");
    expect(r.node.textContent).toContain("201k params");
    expect(r.node.querySelector(".dd-header")?.textContent).toContain("235,146 parameters");
    // Laid out: boxes have distinct vertical positions (top-down layered layout).
    const ys = Array.from(r.node.querySelectorAll(".dd-node:not(.dd-container) > rect")).map((n) =>
      Number(n.getAttribute("y")),
    );
    expect(new Set(ys).size).toBeGreaterThan(3);
  });

  it("folds and unfolds a container on click", async () => {
    const r = await render(mlpGraph());
    const container = r.node.querySelector('[data-node-id="encoder"]') as Element;
    container.dispatchEvent(new MouseEvent("click", { bubbles: true }));
    await expect.poll(() => r.node.querySelector('[data-node-id="encoder.0"]')).toBeNull();
    expect(
      r.node.querySelector('[data-node-id="encoder"]')?.classList.contains("dd-collapsed"),
    ).toBe(true);
    r.node
      .querySelector('[data-node-id="encoder"]')
      ?.dispatchEvent(new MouseEvent("click", { bubbles: true }));
    await expect.poll(() => r.node.querySelector('[data-node-id="encoder.0"]')).not.toBeNull();
  });

  it("shows hover details for a node", async () => {
    const r = await render(mlpGraph());
    const leaf = r.node.querySelector('[data-node-id="head"] rect') as Element;
    leaf.dispatchEvent(new MouseEvent("mousemove", { bubbles: true, clientX: 5, clientY: 5 }));
    const tip = r.node.querySelector(".dd-tooltip") as HTMLElement;
    expect(tip.style.display).toBe("block");
    expect(tip.textContent).toContain("in: [64, 128]");
    expect(describeNode(mlpGraph().nodes[2])).toContain("inFeatures: 784");
  });

  it("renders labels from the payload as text, never as markup", async () => {
    const p = mlpGraph();
    p.nodes[5].name = '<img src=x onerror="alert(1)">';
    p.title = "<script>alert(1)</script>";
    const r = await render(p);
    expect(r.node.querySelector("img, script")).toBeNull();
    expect(r.node.textContent).toContain('<img src=x onerror="alert(1)">');
  });

  it("zooms with the toolbar buttons", async () => {
    const r = await render(mlpGraph());
    const svg = r.node.querySelector("svg") as SVGSVGElement;
    const before = svg.getAttribute("viewBox");
    (r.node.querySelector('button[title="Zoom in"]') as HTMLButtonElement).click();
    expect(svg.getAttribute("viewBox")).not.toBe(before);
    (r.node.querySelector('button[title="Fit the whole diagram"]') as HTMLButtonElement).click();
    expect(svg.getAttribute("viewBox")).toBe(before);
  });

  it.each([
    ["a string", "not a graph", "not an object"],
    ["nodes missing", { title: "x", edges: [], totals: {} }, "graph.nodes must be an array"],
    [
      "an edge to nowhere",
      { ...mlpGraph(), edges: [{ from: "input", to: "ghost", shape: null }] },
      "graph.edges[0].to must name a node",
    ],
  ])("shows a readable error for %s", async (_name, payload, message) => {
    const r = await render(payload);
    const err = r.node.querySelector(".dd-error");
    expect(err?.textContent).toContain("Cannot display this layer diagram");
    expect(err?.textContent).toContain(message);
  });
});
