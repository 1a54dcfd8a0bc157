import { describe, expect, it } from "vitest";
import * as dl from "../../src/index.js";
import {
  autoView,
  histogram,
  sampleSteps,
  tensorSample,
  tensorStats,
} from "../../src/display/tensor-bundle.js";
import {
  TENSOR_MIME,
  MAX_SAMPLE_ELEMENTS,
  validateTensorPayload,
} from "../../src/display/protocol.js";

const display = (x: unknown) =>
  (x as Record<symbol, () => Record<string, any>>)[Symbol.for("Jupyter.display")]();

describe("tensor bundle", () => {
  it("computes stats over finite values and counts NaN/Inf", () => {
    const s = tensorStats([1, 2, 3, 4, NaN, Infinity, -Infinity]);
    expect(s.min).toBe(1);
    expect(s.max).toBe(4);
    expect(s.mean).toBeCloseTo(2.5, 12);
    expect(s.std).toBeCloseTo(Math.sqrt(5 / 3), 12); // sample std of 1..4
    expect(s.nanCount).toBe(1);
    expect(s.infCount).toBe(2);
    expect(tensorStats([NaN]).min).toBeNull();
  });

  it("samples large tensors on a strided grid under the cap", () => {
    const shape = [300, 200];
    const values = Float32Array.from({ length: 60000 }, (_, i) => i);
    const steps = sampleSteps(shape, MAX_SAMPLE_ELEMENTS);
    const s = tensorSample(values, shape, MAX_SAMPLE_ELEMENTS);
    expect(s.method).toBe("strided");
    expect(s.step).toEqual(steps);
    expect(s.values.length).toBeLessThanOrEqual(MAX_SAMPLE_ELEMENTS);
    expect(s.values.length).toBe(s.shape[0] * s.shape[1]);
    // sample (i, j) is tensor (i*step0, j*step1)
    const [i, j] = [7, 11];
    expect(s.values[i * s.shape[1] + j]).toBe(i * steps[0] * 200 + j * steps[1]);
  });

  it("bins every finite value once", () => {
    const v = [0, 0.5, 1, 1, NaN, 3];
    const h = histogram(v, tensorStats(v), 3)!;
    expect(h.counts.reduce((a, b) => a + b, 0)).toBe(5);
    expect(h.counts).toEqual([2, 2, 1]); // bins [0,1) [1,2) [2,3]
  });

  it("chooses views from shapes", () => {
    expect(autoView([16, 1, 28, 28], 16 * 784)).toBe("images");
    expect(autoView([3, 32, 32], 3 * 1024)).toBe("image");
    expect(autoView([20, 30], 600)).toBe("heatmap");
    expect(autoView([5000], 5000)).toBe("histogram");
    expect(autoView([3, 4], 12)).toBe("table");
  });

  it("gives a tensor text, a valid payload and a static picture", () => {
    dl.manualSeed(0);
    const t = dl.rand([4, 1, 28, 28]);
    const b = display(t);
    expect(b["text/plain"]).toMatch(/^tensor\(/);
    expect(validateTensorPayload(b[TENSOR_MIME])).toEqual([]);
    expect(b[TENSOR_MIME].shape).toEqual([4, 1, 28, 28]);
    expect(b["image/svg+xml"]).toMatch(/^<svg/);
    const small = display(dl.tensor([[1, NaN]]));
    expect(small[TENSOR_MIME].sample.values).toEqual([1, "NaN"]);
    expect(JSON.parse(JSON.stringify(small[TENSOR_MIME]))).toEqual(small[TENSOR_MIME]);
  });

  it("dl.viz.tensor honours the requested view", () => {
    const b = display(dl.viz.tensor(dl.arange(100).float(), { as: "histogram", name: "x" }));
    expect(b[TENSOR_MIME].view).toBe("histogram");
    expect(b[TENSOR_MIME].name).toBe("x");
    expect(b["image/svg+xml"]).toContain("<rect");
  });
});
