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

  const displayOf = async (d: unknown): Promise<Record<string, unknown>> =>
    (d as Record<symbol, () => Promise<Record<string, unknown>>>)[
      Symbol.for("Jupyter.display")
    ].call(d);

  it("dl.viz displays (tensor, heatmap, plot, confusion matrix) of GPU tensors match the CPU's", async () => {
    dl.manualSeed(5);
    const m = dl.randn([4, 6]);
    const pred = dl.randint(0, 3, [40]);
    const target = dl.randint(0, 3, [40]);
    const pairs: [string, (dev: "cpu" | "webgpu") => unknown][] = [
      ["tensor", (dev) => dl.viz.tensor(m.to(dev), { name: "m" })],
      ["heatmap", (dev) => dl.viz.heatmap(m.to(dev))],
      ["plot", (dev) => dl.viz.plot({ x: m.select(0, 0).to(dev), y: m.select(0, 1).to(dev) })],
      ["confusion", (dev) => dl.viz.confusionMatrix(pred.to(dev), target.to(dev))],
    ];
    for (const [what, make] of pairs) {
      const [cpu, gpu] = [await displayOf(make("cpu")), await displayOf(make("webgpu"))];
      expect(Object.keys(gpu).sort(), what).toEqual(Object.keys(cpu).sort());
      const vendor = Object.keys(cpu).find((k) => k.startsWith("application/vnd.dendrite"))!;
      const strip = (b: Record<string, unknown>) =>
        JSON.stringify(b[vendor]).replace(/"device":"(cpu|webgpu)"/g, "");
      expect(strip(gpu), what).toBe(strip(cpu));
    }
  });

  it("losses, embeddings and Normal on GPU tensors compute on the device (no read), as on the CPU", async () => {
    dl.manualSeed(6);
    const logits = dl.randn([8, 5]);
    const classes = dl.randint(0, 5, [8]);
    const probs = dl.rand([8]);
    const weight = dl.randn([10, 3]);
    const ids = dl.randint(0, 10, [2, 4]);
    const cases: [string, (dev: "cpu" | "webgpu") => dl.Tensor][] = [
      ["crossEntropy", (d) => dl.nn.functional.crossEntropy(logits.to(d), classes.to(d))],
      ["nllLoss", (d) => dl.nn.functional.nllLoss(logits.to(d).logSoftmax(1), classes.to(d))],
      [
        "binaryCrossEntropy",
        (d) => dl.nn.functional.binaryCrossEntropy(probs.to(d), probs.gt(0.5).float().to(d)),
      ],
      ["embedding", (d) => dl.nn.functional.embedding(ids.to(d), weight.to(d))],
      [
        "Normal.logProb",
        (d) => new dl.distributions.Normal(probs.to(d), probs.add(0.5).to(d)).logProb(probs.to(d)),
      ],
    ];
    for (const [what, f] of cases) {
      const [c, g] = [f("cpu"), f("webgpu")];
      expect(g.device, what).toBe("webgpu");
      expectClose(what, await g.data(), c.dataSync());
    }
  });

  it("clipGradNorm clips GPU gradients like the CPU's, and says why errorIfNonfinite cannot", async () => {
    const grads = [dl.randn([3, 4]).mul(5), dl.randn([7]).mul(5)];
    const params = (d: "cpu" | "webgpu") =>
      grads.map((g) => {
        const p = dl.zeros(g.shape, { device: d, requiresGrad: true });
        p.grad = g.to(d);
        return p;
      });
    const [pc, pg] = [params("cpu"), params("webgpu")];
    const [nc, ng] = [dl.nn.utils.clipGradNorm(pc, 1.5), dl.nn.utils.clipGradNorm(pg, 1.5)];
    expectClose("total norm", [await ng.item()], [nc.itemSync()]);
    for (let k = 0; k < pc.length; k++)
      expectClose(`clipped grad ${k}`, await pg[k].grad!.data(), pc[k].grad!.dataSync());
    expect(() => dl.nn.utils.clipGradNorm(pg, 1.5, 2, { errorIfNonfinite: true })).toThrow(
      /clipGradNorm: errorIfNonfinite reads the total norm .* webgpu device; leave it off/,
    );
  });

  it("gradcheck and Tokenizer.decode, which read synchronously, say how to use GPU tensors", async () => {
    const x = dl.randn([3]).to("webgpu");
    expect(() => dl.gradcheck((t) => t.mul(t), [x])).toThrow(
      /gradcheck: input 0 is on webgpu, .*\(await dl\.toDeviceAsync\(t, "cpu"\)/,
    );
    const tok = new dl.data.CharTokenizer(["hello"]);
    const ids = tok.encode("hello");
    const onGpu = dl.tensor(ids, { dtype: "int32" }).to("webgpu");
    expect(() => tok.decode(onGpu)).toThrow(/decode: the ids are on webgpu/);
    expect(tok.decode(Array.from(await onGpu.data()))).toBe(tok.decode(ids));
    expect(tok.decode(Array.from(await onGpu.data()))).toBe("hello");
  });
});
