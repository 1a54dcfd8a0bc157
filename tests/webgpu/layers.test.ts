// Every nn layer on WebGPU against the CPU: the same seeded module on both devices, forward
// and backward on tiny inputs (SwiftShader is slow), outputs, input and parameter gradients,
// running statistics, then the parameters after one optimizer step.
import { describe, expect, it } from "vitest";
import * as dl from "../../src/index.js";
import { checkOnGpu, expectSame, gpuAvailable, uniform, values } from "./gpu.js";
import { checkModule } from "./modules.js";

const { nn } = dl;
const randn = (...shape: number[]) => dl.randn(shape);
const bools = (shape: number[], data: number[]) => values(shape, data, "bool");

describe.skipIf(!gpuAvailable)("every nn layer on webgpu matches the CPU", () => {
  it("Linear, Bilinear, Identity, Flatten, Unflatten", async () => {
    const forward = (m: dl.nn.Module & { forward(x: dl.Tensor): dl.Tensor }, [x]: dl.Tensor[]) =>
      m.forward(x);
    await checkModule("Linear", {
      build: () => new nn.Linear(5, 3),
      inputs: () => [randn(4, 5)],
      forward,
      optimizer: "adam",
    });
    await checkModule("Linear without bias on [2, 3, 5]", {
      build: () => new nn.Linear(5, 2, { bias: false }),
      inputs: () => [randn(2, 3, 5)],
      forward,
    });
    await checkModule("Bilinear", {
      build: () => new nn.Bilinear(3, 4, 2),
      inputs: () => [randn(5, 3), randn(5, 4)],
      forward: (m, [a, b]) => m.forward(a, b),
      optimizer: "adam",
    });
    await checkModule("Identity", {
      build: () => new nn.Identity(),
      inputs: () => [randn(3)],
      forward,
    });
    await checkModule("Flatten", {
      build: () => new nn.Flatten(),
      inputs: () => [randn(2, 3, 2, 2)],
      forward: (m, [x]) => m.forward(x.permute([0, 2, 1, 3])), // a strided input
    });
    await checkModule("Unflatten", {
      build: () => new nn.Unflatten(1, [2, 3]),
      inputs: () => [randn(2, 6)],
      forward,
    });
  });

  it("Conv1d, Conv2d (stride, padding, dilation, groups), ConvTranspose2d", async () => {
    await checkModule("Conv1d", {
      build: () => new nn.Conv1d(2, 4, 3, { stride: 2, padding: 1, groups: 2 }),
      inputs: () => [randn(2, 2, 7)],
      forward: (m, [x]) => m.forward(x),
    });
    await checkModule("Conv2d", {
      build: () => new nn.Conv2d(2, 3, 3, { padding: 1 }),
      inputs: () => [randn(2, 2, 8, 8)], // 128 output positions: past the matmul's 64-wide tile
      forward: (m, [x]) => m.forward(x),
      optimizer: "adam",
    });
    await checkModule("Conv2d strided, dilated, grouped", {
      build: () => new nn.Conv2d(4, 2, [2, 3], { stride: [2, 1], dilation: 2, groups: 2 }),
      inputs: () => [randn(1, 4, 7, 6)],
      forward: (m, [x]) => m.forward(x),
    });
    await checkModule("ConvTranspose2d", {
      build: () => new nn.ConvTranspose2d(2, 3, 3, { stride: 2, padding: 1, outputPadding: 1 }),
      inputs: () => [randn(2, 2, 3, 3)],
      forward: (m, [x]) => m.forward(x),
    });
  });

  it("MaxPool1d, MaxPool2d (indices), AvgPool2d, AdaptiveAvgPool2d", async () => {
    await checkModule("MaxPool1d", {
      build: () => new nn.MaxPool1d(3, { stride: 2, padding: 1 }),
      inputs: () => [randn(2, 2, 7)],
      forward: (m, [x]) => m.forward(x),
    });
    await checkModule("MaxPool2d with indices, ceilMode", {
      build: () => new nn.MaxPool2d(2, { ceilMode: true, returnIndices: true }),
      inputs: () => [randn(1, 2, 5, 5)],
      forward: (m, [x]) => m.forward(x),
    });
    await checkModule("AvgPool2d countIncludePad false", {
      build: () => new nn.AvgPool2d(3, { stride: 2, padding: 1, countIncludePad: false }),
      inputs: () => [randn(1, 2, 5, 6)],
      forward: (m, [x]) => m.forward(x),
    });
    await checkModule("AdaptiveAvgPool2d", {
      build: () => new nn.AdaptiveAvgPool2d([2, 3]),
      inputs: () => [randn(2, 1, 5, 7)],
      forward: (m, [x]) => m.forward(x),
    });
  });

  it("BatchNorm1d and BatchNorm2d in training (running stats) and eval", async () => {
    await checkModule("BatchNorm1d train", {
      build: () => new nn.BatchNorm1d(3),
      inputs: () => [uniform([6, 3], -1, 3)],
      forward: (m, [x]) => m.forward(x),
    });
    await checkModule("BatchNorm1d train on [N, C, L], cumulative average", {
      build: () => new nn.BatchNorm1d(2, { momentum: null }),
      inputs: () => [randn(3, 2, 4)],
      forward: (m, [x]) => m.forward(x),
    });
    await checkModule("BatchNorm2d train", {
      build: () => new nn.BatchNorm2d(3),
      inputs: () => [randn(2, 3, 8, 8)], // 128 values per channel: the tree reduction
      forward: (m, [x]) => m.forward(x),
    });
    await checkModule("BatchNorm2d eval", {
      build: () => {
        const m = new nn.BatchNorm2d(3);
        m.running_mean!._assign(dl.randn([3]));
        m.running_var!._assign(dl.rand([3]).add(0.5));
        return m;
      },
      eval: true,
      inputs: () => [randn(2, 3, 2, 2)],
      forward: (m, [x]) => m.forward(x),
    });
  });

  it("LayerNorm, GroupNorm", async () => {
    await checkModule("LayerNorm", {
      build: () => new nn.LayerNorm([3, 4]),
      inputs: () => [randn(2, 3, 4)],
      forward: (m, [x]) => m.forward(x),
      optimizer: "adam",
    });
    await checkModule("GroupNorm", {
      build: () => new nn.GroupNorm(2, 4),
      inputs: () => [randn(2, 4, 3)],
      forward: (m, [x]) => m.forward(x),
    });
  });

  it("Dropout draws the same mask on both devices; eval is the identity", async () => {
    await checkModule("Dropout", {
      build: () => new nn.Dropout(0.4),
      inputs: () => [randn(4, 6)],
      forward: (m, [x]) => m.forward(x),
    });
    await checkModule("Dropout eval", {
      build: () => new nn.Dropout(0.4),
      eval: true,
      inputs: () => [randn(4, 6)],
      forward: (m, [x]) => m.forward(x),
    });
  });

  it("Embedding with a padding index, repeated indices", async () => {
    await checkModule("Embedding", {
      build: () => new nn.Embedding(6, 3, { paddingIdx: 0 }),
      inputs: () => [values([2, 4], [1, 0, 5, 1, 3, 1, 0, 2], "int32")],
      forward: (m, [i]) => m.forward(i),
    });
  });

  it("EmbeddingBag: sum with offsets and per-sample weights, max with an empty bag", async () => {
    const idx = () => values([7], [1, 4, 4, 0, 2, 5, 3], "int32");
    await checkModule("EmbeddingBag sum", {
      build: () => new nn.EmbeddingBag(6, 3, { mode: "sum", paddingIdx: 2 }),
      inputs: () => [idx(), randn(7)],
      forward: (m, [i, w]) => m.forward(i, { offsets: [0, 3, 3, 5], perSampleWeights: w }),
    });
    await checkModule("EmbeddingBag max", {
      build: () => new nn.EmbeddingBag(6, 3, { mode: "max" }),
      inputs: () => [idx()],
      forward: (m, [i]) => m.forward(i, { offsets: [0, 2, 2, 6] }),
    });
  });

  it("LSTM and GRU on a PackedSequence (unsorted lengths, bidirectional)", async () => {
    const { packPaddedSequence, padPackedSequence } = dl.nn.utils.rnn;
    const run = (m: dl.nn.LSTM | dl.nn.GRU, x: dl.Tensor) => {
      const packed = packPaddedSequence(x, [2, 4, 1], { enforceSorted: false });
      const [y, h] = (m as dl.nn.GRU).forward(packed);
      return [padPackedSequence(y)[0], h];
    };
    await checkModule("LSTM packed", {
      build: () => new nn.LSTM(3, 4, { numLayers: 2, bidirectional: true }),
      inputs: () => [randn(4, 3, 3)],
      forward: (m, [x]) => run(m, x),
    });
    await checkModule("GRU packed", {
      build: () => new nn.GRU(3, 4, { bidirectional: true }),
      inputs: () => [randn(4, 3, 3)],
      forward: (m, [x]) => run(m, x),
    });
  });

  it("RNN, LSTM, GRU: two layers, bidirectional, batchFirst, initial states", async () => {
    const opts = { numLayers: 2, bidirectional: true } as const;
    await checkModule("RNN tanh", {
      build: () => new nn.RNN(3, 4, { ...opts, batchFirst: true }),
      inputs: () => [randn(2, 3, 3), randn(4, 2, 4)],
      forward: (m, [x, h0]) => m.forward(x, h0),
    });
    await checkModule("RNN relu, one layer", {
      build: () => new nn.RNN(3, 2, { nonlinearity: "relu" }),
      inputs: () => [randn(3, 2, 3)],
      forward: (m, [x]) => m.forward(x),
    });
    await checkModule("LSTM", {
      build: () => new nn.LSTM(3, 4, opts),
      inputs: () => [randn(3, 2, 3), randn(4, 2, 4), randn(4, 2, 4)],
      forward: (m, [x, h0, c0]) => m.forward(x, [h0, c0]),
    });
    await checkModule("RNNCell, LSTMCell, GRUCell", {
      build: () => {
        const cells = [new nn.RNNCell(3, 2), new nn.LSTMCell(3, 2), new nn.GRUCell(3, 2)];
        return new nn.ModuleList(cells);
      },
      inputs: () => [randn(2, 3), randn(2, 2), randn(2, 2)],
      forward: (m, [x, h, c]) => {
        const [rnn, lstm, gru] = [...m] as [dl.nn.RNNCell, dl.nn.LSTMCell, dl.nn.GRUCell];
        return [rnn.forward(x, h), lstm.forward(x, [h, c]), gru.forward(x)];
      },
    });
    await checkModule("GRU", {
      build: () => new nn.GRU(3, 4, { ...opts, batchFirst: true }),
      inputs: () => [randn(2, 3, 3)],
      forward: (m, [x]) => m.forward(x),
    });
  });

  it("MultiheadAttention: self and cross attention, boolean and float masks", async () => {
    await checkModule("MultiheadAttention self, key padding + causal bool mask", {
      build: () => new nn.MultiheadAttention(4, 2, { batchFirst: true }),
      inputs: () => [
        randn(2, 3, 4),
        bools([2, 3], [0, 0, 1, 0, 1, 0]),
        bools([3, 3], [0, 1, 1, 0, 0, 1, 0, 0, 0]),
      ],
      forward: (m, [x, kpm, mask]) => m.forward(x, x, x, { keyPaddingMask: kpm, attnMask: mask }),
    });
    await checkModule("MultiheadAttention cross, kdim/vdim, float mask, per-head weights", {
      build: () => new nn.MultiheadAttention(4, 2, { kdim: 3, vdim: 5 }),
      inputs: () => [randn(2, 2, 4), randn(3, 2, 3), randn(3, 2, 5), randn(2, 3)],
      forward: (m, [q, k, v, mask]) =>
        m.forward(q, k, v, { attnMask: mask, averageAttnWeights: false }),
    });
  });

  it("F.scaledDotProductAttention: causal, bool mask, dropout with the host's mask", async () => {
    const F = dl.nn.functional;
    const qkv = () => [randn(2, 3, 4), randn(2, 5, 4), randn(2, 5, 3)];
    await checkOnGpu(
      "sdpa causal",
      (q, k, v) => F.scaledDotProductAttention(q, k, v, { causal: true }),
      qkv(),
    );
    const allowed = bools([3, 5], [1, 0, 1, 1, 0, 0, 1, 1, 1, 1, 1, 1, 0, 0, 1]);
    await checkOnGpu(
      "sdpa mask",
      (q, k, v, m) => F.scaledDotProductAttention(q, k, v, { mask: m }),
      [...qkv(), allowed],
    );
    const dropped = (q: dl.Tensor, k: dl.Tensor, v: dl.Tensor) => {
      dl.manualSeed(7);
      return F.scaledDotProductAttention(q, k, v, { dropoutP: 0.3 });
    };
    await checkOnGpu("sdpa dropout", dropped, qkv());
  });

  it("TransformerEncoderLayer and TransformerDecoderLayer", async () => {
    await checkModule("TransformerEncoderLayer", {
      build: () => new nn.TransformerEncoderLayer(4, 2, { dimFeedforward: 6, dropout: 0.2 }),
      inputs: () => [randn(3, 2, 4), bools([2, 3], [0, 0, 1, 0, 0, 0])],
      forward: (m, [x, kpm]) => m.forward(x, { srcKeyPaddingMask: kpm }),
    });
    await checkModule("TransformerDecoderLayer, norm first, gelu, causal", {
      build: () =>
        new nn.TransformerDecoderLayer(4, 2, {
          dimFeedforward: 6,
          dropout: 0,
          normFirst: true,
          activation: "gelu",
          batchFirst: true,
        }),
      inputs: () => [randn(2, 3, 4), randn(2, 2, 4)],
      forward: (m, [tgt, mem]) => m.forward(tgt, mem, { tgtIsCausal: true }),
    });
  });

  it("Transformer (encoder and decoder stacks with final norms, masks)", async () => {
    await checkModule("Transformer", {
      build: () =>
        new nn.Transformer({
          dModel: 4,
          nhead: 2,
          numEncoderLayers: 2,
          numDecoderLayers: 1,
          dimFeedforward: 6,
          dropout: 0,
        }),
      inputs: () => [randn(3, 2, 4), randn(2, 2, 4), bools([2, 3], [0, 0, 1, 0, 0, 0])],
      forward: (m, [src, tgt, kpm]) =>
        m.forward(src, tgt, {
          tgtIsCausal: true,
          srcKeyPaddingMask: kpm,
          memoryKeyPaddingMask: kpm,
        }),
    });
  });

  it("GCNConv with edge weights", async () => {
    await checkModule("GCNConv", {
      build: () => new nn.GCNConv(3, 2),
      inputs: () => [
        randn(4, 3),
        values([2, 5], [0, 1, 1, 2, 3, 1, 0, 2, 1, 0], "int32"),
        uniform([5], 0.5, 2),
      ],
      forward: (m, [x, e, w]) => m.forward(x, e, w),
    });
  });

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

  it("the activation modules", async () => {
    const mods = [
      new nn.ReLU(),
      new nn.LeakyReLU(0.2),
      new nn.ELU(0.5),
      new nn.GELU(),
      new nn.GELU("tanh"),
      new nn.SiLU(),
      new nn.Tanh(),
      new nn.Sigmoid(),
      new nn.Softmax(1),
      new nn.LogSoftmax(0),
      new nn.Softplus(2, 1),
    ];
    for (const m of mods)
      await checkModule(`${m.constructor.name} ${m.extraRepr()}`, {
        build: () => m,
        inputs: () => [uniform([3, 4], -3, 3)],
        forward: (mod, [x]) => mod.forward(x),
      });
  });
});
