// Layers built directly on WebGPU ({ device: "webgpu" }) start with exactly the parameters the
// same seed gives on the CPU. (Every layer's forward, backward and optimizer step runs on every
// device from one case list: tests/nn/modules-on-devices.test.ts.)
import { describe, expect, it } from "vitest";
import * as dl from "../../src/index.js";
import { expectSame, gpuAvailable } from "./gpu.js";

const { nn } = dl;

describe.skipIf(!gpuAvailable)("layers built on webgpu", () => {
  it('layers built with { device: "webgpu" } start with the CPU\'s parameters', async () => {
    const builds: ((device: "cpu" | "webgpu") => dl.nn.Module)[] = [
      (device) => new nn.Linear(4, 3, { device }),
      (device) => new nn.Bilinear(2, 3, 2, { device }),
      (device) => new nn.Conv2d(2, 3, 3, { device }),
      (device) => new nn.ConvTranspose2d(2, 3, 3, { device }),
      (device) => new nn.BatchNorm2d(3, { device }),
      (device) => new nn.LayerNorm(4, { device }),
      (device) => new nn.GroupNorm(2, 4, { device }),
      (device) => new nn.Embedding(5, 3, { paddingIdx: 1, device }),
      (device) => new nn.LSTM(3, 2, { numLayers: 2, device }),
      (device) => new nn.MultiheadAttention(4, 2, { kdim: 3, device }),
      (device) => new nn.TransformerEncoderLayer(4, 2, { dimFeedforward: 6, device }),
      (device) => new nn.GCNConv(3, 2, { device }),
    ];
    for (const build of builds) {
      const [cpu, gpu] = (["cpu", "webgpu"] as const).map((device) => {
        dl.manualSeed(5);
        return build(device);
      });
      const entries = (m: dl.nn.Module) => Object.entries(m.stateDict());
      const [c, g] = [entries(cpu), entries(gpu)];
      expect(g.map(([n]) => n)).toEqual(c.map(([n]) => n));
      for (let i = 0; i < c.length; i++)
        await expectSame(`${cpu.constructor.name} ${c[i][0]}`, g[i][1], c[i][1]);
    }
  });
});
