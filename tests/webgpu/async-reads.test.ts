// Library paths that read tensor values work on a WebGPU tensor, reading asynchronously or not
// at all, with the CPU backend as the oracle: what the tutorials need to train on a GPU.
import { describe, expect, it } from "vitest";
import * as dl from "../../src/index.js";
import { expectClose, gpuAvailable } from "./gpu.js";

const { nn } = dl;

/** A small CNN, seeded, with a Linear head: conv, batch-norm, ReLU, pool and dense layers. */
function smallCnn(): dl.nn.Sequential {
  dl.manualSeed(3);
  return new nn.Sequential(
    new nn.Conv2d(1, 4, 3),
    new nn.BatchNorm2d(4),
    new nn.ReLU(),
    new nn.MaxPool2d(2),
    new nn.Flatten(),
    new nn.Linear(4 * 3 * 3, 5),
  );
}

describe.skipIf(!gpuAvailable)("async reads on WebGPU", () => {
  it("dl.viz.activations reads a GPU model's rows asynchronously, equal to the CPU's", async () => {
    dl.manualSeed(4);
    const x = dl.randn([6, 1, 8, 8]);
    const y = dl.randint(0, 5, [6]);
    const loss = (yy: dl.Tensor) => (out: dl.Tensor) => dl.nn.functional.crossEntropy(out, yy);
    const cpu = dl.viz.activations(smallCnn(), x, { loss: loss(y) });
    const gpuModel = smallCnn().to("webgpu");
    const yg = y.to("webgpu");
    const gpu = dl.viz.activations(gpuModel, x.to("webgpu"), { loss: loss(yg) });
    expect(gpu.layers).toEqual([]); // filled when the reads complete
    const rows = await gpu.ready;
    expect(gpu.layers).toBe(rows);
    expect(rows.map((r) => [r.name, r.kind, r.shape])).toEqual(
      cpu.layers.map((r) => [r.name, r.kind, r.shape]),
    );
    const numbers = (rs: dl.viz.LayerActivation[]) =>
      rs.flatMap((r) => [r.mean, r.std, r.zeroFraction, r.gradNorm ?? -1]);
    expectClose("activation rows", numbers(rows), numbers(cpu.layers), { rtol: 1e-3, atol: 1e-4 });
    const display = (gpu as unknown as Record<symbol, () => Promise<Record<string, unknown>>>)[
      Symbol.for("Jupyter.display")
    ];
    const bundle = await display.call(gpu);
    expect(String(bundle["text/plain"])).toContain("Conv2d");
  });
});
