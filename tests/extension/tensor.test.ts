// @vitest-environment jsdom
import "./jsdom-polyfills.js";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { TENSOR_MIME, type TensorPayload } from "../../src/display/protocol.js";
import { chooseView, histogramOf, toGrid, toImages } from "../../extension/src/tensorData.js";
import { TensorRenderer, headerLines } from "../../extension/src/tensorRenderer.js";
import { attach, mimeModel, rendererOptions, stubCanvas } from "./dom-helpers.js";
import { imageBatchTensor, matrixTensor, vectorTensor } from "./fixtures.js";

beforeAll(stubCanvas);
afterEach(() => document.body.replaceChildren());

async function render(payload: unknown): Promise<TensorRenderer> {
  const r = new TensorRenderer(rendererOptions(TENSOR_MIME));
  attach(r);
  await r.renderModel(mimeModel(TENSOR_MIME, payload));
  return r;
}

const click = (r: TensorRenderer, view: string) =>
  (r.node.querySelector(`button[data-view="${view}"]`) as HTMLButtonElement).click();

describe("tensor data helpers", () => {
  it("maps sample cells back to tensor indices through the sampling step", () => {
    const p = vectorTensor();
    const g = toGrid(p, new Float64Array(8));
    expect(g.index(0, 3)).toEqual([6]);
  });

  it("chooses a view from the shape when the hint is auto or does not fit", () => {
    expect(chooseView(vectorTensor())).toBe("table");
    expect(chooseView({ ...matrixTensor(), view: "auto" })).toBe("heatmap");
    expect(chooseView({ ...matrixTensor(), view: "images" })).toBe("heatmap");
    expect(chooseView(imageBatchTensor())).toBe("images");
  });

  it("reads channel-first image batches", () => {
    const p = imageBatchTensor(2, 4);
    const set = toImages(p, Float64Array.from(p.sample.values as number[]), true);
    expect([set.count, set.channels, set.height, set.width]).toEqual([2, 1, 4, 4]);
  });

  it("builds a histogram over finite sampled values, or uses the exact one", () => {
    const h = histogramOf(vectorTensor(), Float64Array.from([1, 2, NaN, 3, Infinity]), 2);
    expect(h.counts).toEqual([1, 2]);
    expect(
      histogramOf(
        { ...vectorTensor(), histogram: { min: 0, max: 1, counts: [4] } },
        new Float64Array(),
      ).exact,
    ).toBe(true);
  });
});

describe("TensorRenderer", () => {
  it("shows a stats header and a heatmap, and switches to a table of cells", async () => {
    const r = await render(matrixTensor(12, 16));
    const header = r.node.querySelector(".dd-header")?.textContent ?? "";
    expect(header).toContain("float32[12, 16]");
    expect(header).toMatch(/min -?0\.9\d* · max 0\.9/);
    expect(r.node.querySelector("canvas.dd-heatmap")?.getAttribute("width")).toBe("16");
    click(r, "table");
    expect(r.node.querySelectorAll("td.dd-cell")).toHaveLength(12 * 16);
    expect(r.node.querySelector('button[data-view="table"]')?.getAttribute("aria-selected")).toBe(
      "true",
    );
  });

  it("shows NaN and Inf in a strided vector and says how it was sampled", async () => {
    const r = await render(vectorTensor());
    const cells = Array.from(r.node.querySelectorAll("td")).map((c) => c.textContent);
    expect(cells).toEqual(["0.5", "-1.25", "3", "nan", "2.5", "inf", "0.125", "-0.75"]);
    expect(r.node.querySelectorAll("td.dd-nonfinite")).toHaveLength(2);
    // Row headers are tensor indices (step 2), not sample positions.
    expect(
      Array.from(r.node.querySelectorAll("tbody th"))
        .map((c) => c.textContent)
        .slice(0, 3),
    ).toEqual(["0", "2", "4"]);
    expect(headerLines(vectorTensor()).join(" ")).toContain("NaN 1");
    expect(r.node.textContent).toContain("step [2]: 8 of 16 elements");
  });

  it("draws an image grid with one canvas per image, and a histogram", async () => {
    const r = await render(imageBatchTensor(6, 8));
    expect(r.node.querySelectorAll("canvas.dd-image-canvas")).toHaveLength(6);
    click(r, "histogram");
    expect(r.node.querySelectorAll("rect.dd-bar").length).toBeGreaterThan(0);
  });

  it("shows the value under the pointer in a histogram bar", async () => {
    const r = await render({ ...matrixTensor(), view: "histogram" });
    r.node
      .querySelector("rect.dd-bar")
      ?.dispatchEvent(new MouseEvent("mousemove", { bubbles: true }));
    expect(r.node.querySelector(".dd-tooltip")?.textContent).toMatch(
      /^\[-?[\d.]+, -?[\d.]+\): \d+$/,
    );
  });

  it("keeps the chosen view across in-place updates", async () => {
    const r = await render(matrixTensor());
    click(r, "table");
    await r.renderModel(mimeModel(TENSOR_MIME, matrixTensor(3, 4)));
    expect(r.node.querySelectorAll("td.dd-cell")).toHaveLength(12);
  });

  const bad = (patch: Partial<Record<keyof TensorPayload, unknown>>) => ({
    ...matrixTensor(),
    ...patch,
  });
  it.each([
    ["null", null, "not an object"],
    ["a wrong view", bad({ view: "3d" }), "tensor.view must be one of"],
    [
      "too few values",
      bad({ sample: { method: "full", shape: [2, 2], step: [1, 1], values: [1] } }),
      "has 1 values",
    ],
    ["a bad stat", bad({ stats: { min: "a" } }), "tensor.stats.min"],
  ])("shows a readable error for %s", async (_n, payload, message) => {
    const r = await render(payload);
    expect(r.node.querySelector(".dd-error")?.textContent).toContain(message);
  });
});
