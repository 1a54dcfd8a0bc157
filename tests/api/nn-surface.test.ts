// Contract test for api.md § nn: the Module protocol, every listed layer and activation module
// (constructed with its options, one forward with the output shape PyTorch gives), every loss
// in module and functional form, dl.nn.functional's list, dl.nn.init and dl.nn.utils. Defaults
// where api.md is silent are compared with values recorded from PyTorch 1.13 (Debian's
// python3-torch), e.g. `torch.nn.LayerNorm(4).eps`. Deep numerics live in tests/nn.
import { describe, expect, it } from "vitest";
import * as dl from "../../src/index.js";

const nn = dl.nn;
const F = dl.nn.functional;
const flat = (t: dl.Tensor) => Array.from(t.dataSync());
const close = (a: number, b: number, tol = 1e-5) =>
  expect(Math.abs(a - b)).toBeLessThanOrEqual(tol * (1 + Math.abs(b)));

class Net extends nn.Module {
  layers = new nn.ModuleList([new nn.Linear(4, 3), new nn.Linear(3, 2, { bias: false })]);
  scale = new nn.Parameter(dl.ones([1]));
  head = new nn.Sequential(new nn.ReLU(), new nn.Identity());
  forward(x: dl.Tensor): dl.Tensor {
    let h = x;
    for (const l of this.layers) h = (l as dl.nn.Linear).forward(h);
    return this.head.forward(h.mul(this.scale)) as dl.Tensor;
  }
}

describe("api.md § nn: Module", () => {
  it("declares Parameters and children as fields; PyTorch dotted names", () => {
    const net = new Net();
    expect(net.namedParameters().map(([n, p]) => [n, p.shape])).toEqual([
      ["layers.0.weight", [3, 4]],
      ["layers.0.bias", [3]],
      ["layers.1.weight", [2, 3]],
      ["scale", [1]],
    ]);
    expect(net.parameters().every((p) => p instanceof nn.Parameter && p.requiresGrad)).toBe(true);
    expect(net.children().map((c) => c.constructor.name)).toEqual(["ModuleList", "Sequential"]);
    expect(net.modules().length).toBe(7);
    expect(net.numParameters()).toBe(12 + 3 + 6 + 1);
    expect(net.forward(dl.ones([5, 4])).shape).toEqual([5, 2]);
  });

  it("train/eval, zeroGrad, to, stateDict, loadStateDict({ strict })", () => {
    const net = new Net();
    expect(net.eval()).toBe(net);
    expect(net.modules().every((m) => !m.training)).toBe(true);
    net.train();
    expect(net.modules().every((m) => m.training)).toBe(true);
    net
      .forward(dl.ones([1, 4]))
      .sum()
      .backward();
    expect(net.parameters().every((p) => p.grad !== null)).toBe(true);
    net.zeroGrad();
    expect(net.parameters().every((p) => p.grad === null)).toBe(true);
    expect(net.to("cpu")).toBe(net);
    const sd = net.stateDict();
    expect(Object.keys(sd)).toEqual([
      "layers.0.weight",
      "layers.0.bias",
      "layers.1.weight",
      "scale",
    ]);
    const other = new Net();
    other.loadStateDict(sd);
    expect(flat(other.layers.at(0).parameters()[0])).toEqual(flat(sd["layers.0.weight"]));
    const partial = { scale: dl.full([1], 3) };
    expect(() => other.loadStateDict(partial)).toThrow(/missing/i);
    const r = other.loadStateDict(partial, { strict: false });
    expect(r.missingKeys).toContain("layers.0.weight");
    expect(flat(other.scale)).toEqual([3]);
  });

  it("requiresGrad_(false) freezes every parameter; gradients still flow through to the input", () => {
    const net = new Net();
    expect(net.requiresGrad_(false)).toBe(net);
    expect(net.parameters().every((p) => !p.requiresGrad)).toBe(true);
    const x = dl.ones([1, 4]).requiresGrad_();
    net.forward(x).sum().backward();
    expect(net.parameters().every((p) => p.grad === null)).toBe(true);
    expect(x.grad).not.toBeNull();
    net.requiresGrad_();
    expect(net.parameters().every((p) => p.requiresGrad)).toBe(true);
  });
  it("BatchNorm buffers are in the state dict under PyTorch's names", () => {
    expect(Object.keys(new nn.BatchNorm1d(3).stateDict())).toEqual([
      "weight",
      "bias",
      "running_mean",
      "running_var",
      "num_batches_tracked",
    ]);
  });
});

type Case = [string, () => dl.nn.Module, () => dl.Tensor[], (out: unknown) => void];
const shapeIs = (shape: number[]) => (out: unknown) =>
  expect((out as dl.Tensor).shape).toEqual(shape);

const LAYERS: Case[] = [
  ["Linear", () => new nn.Linear(4, 3, { bias: true }), () => [dl.randn([2, 4])], shapeIs([2, 3])],
  [
    "Bilinear",
    () => new nn.Bilinear(3, 4, 5),
    () => [dl.randn([2, 3]), dl.randn([2, 4])],
    shapeIs([2, 5]),
  ],
  [
    "Conv1d",
    () => new nn.Conv1d(2, 4, 3, { stride: 1, padding: 1, dilation: 1, groups: 2, bias: false }),
    () => [dl.randn([1, 2, 8])],
    shapeIs([1, 4, 8]),
  ],
  [
    "Conv2d",
    () => new nn.Conv2d(3, 4, [3, 3], { stride: 2, padding: "valid" }),
    () => [dl.randn([1, 3, 9, 9])],
    shapeIs([1, 4, 4, 4]),
  ],
  [
    "ConvTranspose2d",
    () => new nn.ConvTranspose2d(4, 2, 3, { stride: 2, padding: 1, outputPadding: 1 }),
    () => [dl.randn([1, 4, 5, 5])],
    shapeIs([1, 2, 10, 10]),
  ],
  ["MaxPool1d", () => new nn.MaxPool1d(2), () => [dl.randn([1, 2, 8])], shapeIs([1, 2, 4])],
  [
    "MaxPool2d",
    () => new nn.MaxPool2d(2, { stride: 2 }),
    () => [dl.randn([1, 1, 6, 6])],
    shapeIs([1, 1, 3, 3]),
  ],
  [
    "AvgPool2d",
    () => new nn.AvgPool2d(3, { stride: 1, padding: 1 }),
    () => [dl.randn([1, 1, 5, 5])],
    shapeIs([1, 1, 5, 5]),
  ],
  [
    "AdaptiveAvgPool2d",
    () => new nn.AdaptiveAvgPool2d([2, 3]),
    () => [dl.randn([2, 1, 7, 9])],
    shapeIs([2, 1, 2, 3]),
  ],
  [
    "BatchNorm1d",
    () => new nn.BatchNorm1d(3, { momentum: 0.2 }),
    () => [dl.randn([4, 3])],
    shapeIs([4, 3]),
  ],
  [
    "BatchNorm2d",
    () => new nn.BatchNorm2d(3, { affine: false }),
    () => [dl.randn([2, 3, 4, 4])],
    shapeIs([2, 3, 4, 4]),
  ],
  [
    "LayerNorm",
    () => new nn.LayerNorm([4], { eps: 1e-6 }),
    () => [dl.randn([2, 4])],
    shapeIs([2, 4]),
  ],
  ["GroupNorm", () => new nn.GroupNorm(2, 4), () => [dl.randn([2, 4, 3])], shapeIs([2, 4, 3])],
  ["Dropout", () => new nn.Dropout(0.1), () => [dl.randn([3, 3])], shapeIs([3, 3])],
  [
    "Embedding",
    () => new nn.Embedding(10, 4, { paddingIdx: 0 }),
    () => [dl.tensor([[1, 2, 0]])],
    shapeIs([1, 3, 4]),
  ],
  [
    "RNN",
    () => new nn.RNN(3, 5, { numLayers: 2, batchFirst: true, bidirectional: true }),
    () => [dl.randn([2, 7, 3])],
    (out) => {
      const [y, h] = out as [dl.Tensor, dl.Tensor];
      expect([y.shape, h.shape]).toEqual([
        [2, 7, 10],
        [4, 2, 5],
      ]);
    },
  ],
  [
    "LSTM",
    () => new nn.LSTM(3, 5, { numLayers: 2, bidirectional: true }),
    () => [dl.randn([7, 2, 3])],
    (out) => {
      const [y, [h, c]] = out as [dl.Tensor, [dl.Tensor, dl.Tensor]];
      expect([y.shape, h.shape, c.shape]).toEqual([
        [7, 2, 10],
        [4, 2, 5],
        [4, 2, 5],
      ]);
    },
  ],
  [
    "GRU",
    () => new nn.GRU(3, 5, { batchFirst: true }),
    () => [dl.randn([2, 7, 3])],
    (out) => {
      const [y, h] = out as [dl.Tensor, dl.Tensor];
      expect([y.shape, h.shape]).toEqual([
        [2, 7, 5],
        [1, 2, 5],
      ]);
    },
  ],
  [
    "MultiheadAttention",
    () => new nn.MultiheadAttention(8, 2, { batchFirst: true }),
    () => {
      const q = dl.randn([2, 5, 8]);
      return [q, q, q];
    },
    (out) => {
      const [y, w] = out as [dl.Tensor, dl.Tensor];
      expect([y.shape, w.shape]).toEqual([
        [2, 5, 8],
        [2, 5, 5],
      ]);
    },
  ],
  [
    "TransformerEncoderLayer",
    () => new nn.TransformerEncoderLayer(8, 2, { dimFeedforward: 16, batchFirst: true }),
    () => [dl.randn([2, 5, 8])],
    shapeIs([2, 5, 8]),
  ],
  [
    "TransformerDecoderLayer",
    () => new nn.TransformerDecoderLayer(8, 2, { dimFeedforward: 16 }),
    () => [dl.randn([5, 2, 8]), dl.randn([6, 2, 8])],
    shapeIs([5, 2, 8]),
  ],
  [
    "EmbeddingBag",
    () => new nn.EmbeddingBag(10, 4, { mode: "sum" }),
    () => [
      dl.tensor(
        [
          [1, 2],
          [3, 9],
        ],
        { dtype: "int32" },
      ),
    ],
    shapeIs([2, 4]),
  ],
  [
    "TransformerEncoder",
    () =>
      new nn.TransformerEncoder(new nn.TransformerEncoderLayer(8, 2, { dimFeedforward: 16 }), 2),
    () => [dl.randn([5, 2, 8])],
    shapeIs([5, 2, 8]),
  ],
  [
    "TransformerDecoder",
    () =>
      new nn.TransformerDecoder(new nn.TransformerDecoderLayer(8, 2, { dimFeedforward: 16 }), 2, {
        norm: new nn.LayerNorm(8),
      }),
    () => [dl.randn([5, 2, 8]), dl.randn([6, 2, 8])],
    shapeIs([5, 2, 8]),
  ],
  [
    "Transformer",
    () => new nn.Transformer({ dModel: 8, nhead: 2, numEncoderLayers: 1, numDecoderLayers: 1 }),
    () => [dl.randn([6, 2, 8]), dl.randn([5, 2, 8])],
    shapeIs([5, 2, 8]),
  ],
  [
    "GCNConv",
    () => new nn.GCNConv(3, 4),
    () => [
      dl.randn([4, 3]),
      dl.tensor([
        [0, 1, 2],
        [1, 2, 3],
      ]),
    ],
    shapeIs([4, 4]),
  ],
  ["Flatten", () => new nn.Flatten(), () => [dl.randn([2, 3, 4])], shapeIs([2, 12])],
  ["Unflatten", () => new nn.Unflatten(1, [3, 4]), () => [dl.randn([2, 12])], shapeIs([2, 3, 4])],
  ["Identity", () => new nn.Identity(), () => [dl.randn([2, 3])], shapeIs([2, 3])],
  [
    "Sequential",
    () => new nn.Sequential(new nn.Linear(4, 3), new nn.Tanh()),
    () => [dl.randn([2, 4])],
    shapeIs([2, 3]),
  ],
];

describe("api.md § nn: layers", () => {
  it.each(LAYERS)("%s", (name, make, inputs, check) => {
    const Ctor = (nn as unknown as Record<string, unknown>)[name];
    expect(typeof Ctor).toBe("function");
    const m = make();
    expect(m).toBeInstanceOf(nn.Module);
    expect(m.constructor.name).toBe(name);
    check((m.forward as (...a: dl.Tensor[]) => unknown)(...inputs()));
    expect(m.toString()).toMatch(new RegExp(`^${name}\\(`));
  });

  it("ModuleList and ModuleDict hold children under their keys", () => {
    const list = new nn.ModuleList([new nn.Linear(2, 2)]).append(new nn.Linear(2, 1));
    expect([list.length, list.namedParameters().map(([n]) => n)]).toEqual([
      2,
      ["0.weight", "0.bias", "1.weight", "1.bias"],
    ]);
    const dict = new nn.ModuleDict({ enc: new nn.Linear(2, 2) });
    dict.set("dec", new nn.Linear(2, 1));
    expect([dict.keys(), dict.has("enc"), dict.get("dec").numParameters()]).toEqual([
      ["enc", "dec"],
      true,
      3,
    ]);
  });

  it("activation modules match their function forms", () => {
    const x = dl.tensor([-2, -0.5, 0.5, 2]);
    const pairs: [dl.nn.Module, dl.Tensor][] = [
      [new nn.ReLU(), dl.relu(x)],
      [new nn.LeakyReLU(0.2), dl.leakyRelu(x, 0.2)],
      [new nn.ELU(0.5), dl.elu(x, 0.5)],
      [new nn.GELU("tanh"), dl.gelu(x, "tanh")],
      [new nn.SiLU(), dl.silu(x)],
      [new nn.Tanh(), dl.tanh(x)],
      [new nn.Sigmoid(), dl.sigmoid(x)],
      [new nn.Softmax(0), dl.softmax(x, 0)],
      [new nn.LogSoftmax(-1), dl.logSoftmax(x, -1)],
      [new nn.Softplus(2), dl.softplus(x, 2)],
    ];
    for (const [m, want] of pairs) expect(flat(m.forward(x) as dl.Tensor)).toEqual(flat(want));
  });
});

describe("api.md § nn: losses (module and functional forms, reduction)", () => {
  const p = dl.tensor([0.2, 0.7, 0.9]);
  const y = dl.tensor([0, 1, 1]).float();
  const logits = dl.tensor([
    [2, 0.5, -1],
    [0.1, 0.2, 3],
  ]);
  const cls = dl.tensor([0, 2]);
  const pairs: [
    string,
    dl.nn.Loss<string>,
    () => dl.Tensor,
    (o: { reduction: dl.nn.Reduction }) => dl.Tensor,
  ][] = [
    ["MSELoss", new nn.MSELoss(), () => new nn.MSELoss().forward(p, y), (o) => F.mseLoss(p, y, o)],
    ["L1Loss", new nn.L1Loss(), () => new nn.L1Loss().forward(p, y), (o) => F.l1Loss(p, y, o)],
    [
      "HuberLoss",
      new nn.HuberLoss(0.5),
      () => new nn.HuberLoss(0.5).forward(p, y),
      (o) => F.huberLoss(p, y, { delta: 0.5, ...o }),
    ],
    [
      "SmoothL1Loss",
      new nn.SmoothL1Loss(),
      () => new nn.SmoothL1Loss().forward(p, y),
      (o) => F.smoothL1Loss(p, y, o),
    ],
    [
      "BCELoss",
      new nn.BCELoss(),
      () => new nn.BCELoss().forward(p, y),
      (o) => F.binaryCrossEntropy(p, y, o),
    ],
    [
      "BCEWithLogitsLoss",
      new nn.BCEWithLogitsLoss(),
      () => new nn.BCEWithLogitsLoss().forward(p, y),
      (o) => F.binaryCrossEntropyWithLogits(p, y, o),
    ],
    [
      "CrossEntropyLoss",
      new nn.CrossEntropyLoss(),
      () => new nn.CrossEntropyLoss().forward(logits, cls),
      (o) => F.crossEntropy(logits, cls, o),
    ],
    [
      "NLLLoss",
      new nn.NLLLoss(),
      () => new nn.NLLLoss().forward(dl.logSoftmax(logits, 1), cls),
      (o) => F.nllLoss(dl.logSoftmax(logits, 1), cls, o),
    ],
    [
      "KLDivLoss",
      new nn.KLDivLoss(),
      () => new nn.KLDivLoss().forward(dl.logSoftmax(logits, 1), dl.softmax(logits.flip(1), 1)),
      (o) => F.klDiv(dl.logSoftmax(logits, 1), dl.softmax(logits.flip(1), 1), o),
    ],
    [
      "HingeEmbeddingLoss",
      new nn.HingeEmbeddingLoss(),
      () => new nn.HingeEmbeddingLoss().forward(p, dl.tensor([1, -1, 1])),
      (o) => F.hingeEmbeddingLoss(p, dl.tensor([1, -1, 1]), o),
    ],
    [
      "MultiMarginLoss",
      new nn.MultiMarginLoss(),
      () => new nn.MultiMarginLoss().forward(logits, cls),
      (o) => F.multiMarginLoss(logits, cls, o),
    ],
    [
      "CosineEmbeddingLoss",
      new nn.CosineEmbeddingLoss(),
      () => new nn.CosineEmbeddingLoss().forward(logits, logits.flip(1), dl.tensor([1, -1])),
      (o) => F.cosineEmbeddingLoss(logits, logits.flip(1), dl.tensor([1, -1]), o),
    ],
  ];
  it.each(pairs)(
    "%s: module = functional; mean = sum / n; 'none' keeps elements",
    (name, m, mod, fn) => {
      expect(m.constructor.name).toBe(name);
      expect(m.reduction).toBe("mean");
      const mean = mod();
      expect(mean.shape).toEqual([]);
      close(mean.itemSync(), fn({ reduction: "mean" }).itemSync());
      const none = fn({ reduction: "none" });
      const sum = fn({ reduction: "sum" }).itemSync();
      close(
        flat(none).reduce((a, b) => a + b, 0),
        sum,
      );
      if (name !== "KLDivLoss" && name !== "CrossEntropyLoss" && name !== "NLLLoss")
        close(mean.itemSync(), sum / none.size);
    },
  );

  it("CrossEntropyLoss: class indices, probability targets, labelSmoothing, ignoreIndex", () => {
    const lsm = flat(dl.logSoftmax(logits, 1));
    const sparse = new nn.CrossEntropyLoss().forward(logits, cls).itemSync();
    close(sparse, -(lsm[0] + lsm[5]) / 2);
    const probs = dl.oneHot(cls, 3).float();
    close(new nn.CrossEntropyLoss().forward(logits, probs).itemSync(), sparse);
    const eps = 0.1;
    const smooth = (i: number, c: number) =>
      -((1 - eps) * lsm[i * 3 + c] + (eps / 3) * (lsm[i * 3] + lsm[i * 3 + 1] + lsm[i * 3 + 2]));
    close(
      new nn.CrossEntropyLoss({ labelSmoothing: eps }).forward(logits, cls).itemSync(),
      (smooth(0, 0) + smooth(1, 2)) / 2,
    );
    close(F.crossEntropy(logits, dl.tensor([0, -100])).itemSync(), -lsm[0], 1e-5);
    close(new nn.CrossEntropyLoss({ ignoreIndex: 2 }).forward(logits, cls).itemSync(), -lsm[0]);
  });
});

describe("api.md § nn: dl.nn.functional", () => {
  it("lists every name api.md gives", () => {
    const names = [
      "softmax",
      "logSoftmax",
      "dropout",
      "conv1d",
      "conv2d",
      "convTranspose2d",
      "maxPool2d",
      "avgPool2d",
      "batchNorm",
      "layerNorm",
      "embedding",
      "linear",
      "scaledDotProductAttention",
      "mseLoss",
      "l1Loss",
      "huberLoss",
      "smoothL1Loss",
      "binaryCrossEntropy",
      "binaryCrossEntropyWithLogits",
      "crossEntropy",
      "nllLoss",
      "klDiv",
      "hingeEmbeddingLoss",
      "multiMarginLoss",
      "cosineEmbeddingLoss",
      "relu",
      "leakyRelu",
      "elu",
      "gelu",
      "silu",
      "tanh",
      "sigmoid",
      "softplus",
      "pad",
      "oneHot",
      "maxPool1d",
      "adaptiveAvgPool2d",
      "groupNorm",
      "bilinear",
    ];
    const missing = names.filter((n) => typeof (F as Record<string, unknown>)[n] !== "function");
    expect(missing).toEqual([]);
  });

  it("one forward each with PyTorch's argument order", () => {
    const x = dl.randn([2, 3, 8, 8]);
    expect(F.conv2d(x, dl.randn([4, 3, 3, 3]), dl.zeros([4]), { padding: 1 }).shape).toEqual([
      2, 4, 8, 8,
    ]);
    expect(F.conv1d(dl.randn([1, 2, 5]), dl.randn([3, 2, 2])).shape).toEqual([1, 3, 4]);
    expect(F.convTranspose2d(x, dl.randn([3, 2, 2, 2]), null, { stride: 2 }).shape).toEqual([
      2, 2, 16, 16,
    ]);
    expect(F.maxPool2d(x, 2).shape).toEqual([2, 3, 4, 4]);
    expect(F.avgPool2d(x, [2, 4]).shape).toEqual([2, 3, 4, 2]);
    const bn = F.batchNorm(x, dl.zeros([3]), dl.ones([3]), { training: true });
    close(bn.mean().itemSync(), 0, 1e-4);
    const ln = F.layerNorm(dl.randn([4, 6]), [6]);
    close(ln.std(-1, false, { correction: 0 }).mean().itemSync(), 1, 1e-3);
    expect(F.embedding(dl.tensor([1, 2]), dl.eye(3)).toArraySync()).toEqual([
      [0, 1, 0],
      [0, 0, 1],
    ]);
    expect(
      flat(F.linear(dl.tensor([[1, 2]]).float(), dl.tensor([[1, 1]]).float(), dl.tensor([0.5]))),
    ).toEqual([3.5]);
    expect(F.dropout(dl.ones([5]), 0.5, false).toArraySync()).toEqual([1, 1, 1, 1, 1]);
    close(F.softmax(dl.tensor([0, 0]), 0).dataSync()[0], 0.5);
    close(F.logSoftmax(dl.tensor([0, 0]), 0).dataSync()[0], Math.log(0.5));
  });

  it("scaledDotProductAttention(q, k, v, { mask, causal })", () => {
    const q = dl.randn([2, 4, 8]);
    const v = dl.arange(4).float().reshape([1, 4, 1]).expand([2, 4, 1]);
    expect(F.scaledDotProductAttention(q, q, v).shape).toEqual([2, 4, 1]);
    // causal: position 0 sees only itself.
    const c = F.scaledDotProductAttention(q, q, v, { causal: true });
    expect(flat(c.select(2, 0).select(1, 0))).toEqual([0, 0]);
    // bool mask: true = may attend; masking all but key 3 returns v[3].
    const mask = dl.tensor([false, false, false, true]);
    expect(flat(F.scaledDotProductAttention(q, q, v, { mask }))).toEqual(Array(8).fill(3));
  });
});

describe("api.md § nn: dl.nn.init and dl.nn.utils", () => {
  it("every init function fills in place and returns the tensor", () => {
    const names = [
      "uniform_",
      "normal_",
      "zeros_",
      "ones_",
      "xavierUniform_",
      "xavierNormal_",
      "kaimingUniform_",
      "kaimingNormal_",
      "orthogonal_",
    ] as const;
    for (const name of names) {
      const t = dl.zeros([30, 20]);
      expect(nn.init[name](t)).toBe(t);
    }
    const w = nn.init.uniform_(dl.zeros([1000]), -2, -1);
    expect(Math.min(...flat(w))).toBeGreaterThanOrEqual(-2);
    expect(Math.max(...flat(w))).toBeLessThanOrEqual(-1);
    expect(flat(nn.init.ones_(dl.zeros([2])))).toEqual([1, 1]);
    const q = nn.init.orthogonal_(dl.zeros([4, 4]));
    const eye = flat(q.matmul(q.T));
    eye.forEach((v, i) => close(v, i % 5 === 0 ? 1 : 0, 1e-4));
    // xavierUniform_ bound = gain * sqrt(6 / (fanIn + fanOut)) (PyTorch's formula).
    const xb = Math.sqrt(6 / 50);
    const xu = flat(nn.init.xavierUniform_(dl.zeros([30, 20])));
    expect(Math.max(...xu.map(Math.abs))).toBeLessThanOrEqual(xb);
    expect(Math.max(...xu.map(Math.abs))).toBeGreaterThan(0.9 * xb);
    // kaimingUniform_ default (a = 0, fanIn, leaky_relu): bound = sqrt(2) * sqrt(3 / fanIn).
    const kb = Math.sqrt(2) * Math.sqrt(3 / 20);
    const ku = flat(nn.init.kaimingUniform_(dl.zeros([30, 20])));
    expect(Math.max(...ku.map(Math.abs))).toBeLessThanOrEqual(kb);
    expect(Math.max(...ku.map(Math.abs))).toBeGreaterThan(0.9 * kb);
  });

  it("clipGradNorm(params, maxNorm) rescales and returns the total norm before clipping", () => {
    const a = dl.zeros([2], { requiresGrad: true });
    a.grad = dl.tensor([3, 4]).float();
    const total = nn.utils.clipGradNorm([a], 1);
    close(total.itemSync(), 5);
    close(flat(a.grad!)[0], 0.6, 1e-4);
    close(flat(a.grad!)[1], 0.8, 1e-4);
  });
});

describe("values recorded from PyTorch 1.13 (where semantics are easy to get subtly wrong)", () => {
  it("GRU with torch's weights (gate order r, z, n; r scales W_hn h + b_hn) gives torch's output", () => {
    const gru = new nn.GRU(2, 3);
    const w = (shape: number[], v: number[]) => dl.tensor(v).reshape(shape);
    // prettier-ignore
    gru.loadStateDict({
      weight_ih_l0: w([9, 2], [-0.295, -0.285, 0.345, -0.42, 0.0, 0.42, -0.2, 0.52, 0.18, -0.0, 1.15, -0.94, -0.025, -0.52, -0.48, 0.015, 0.355, -0.77]),
      weight_hh_l0: w([9, 3], [-0.68, 0.17, 0.26, -1.305, -0.85, -0.115, 0.14, 0.035, 0.04, 0.17, 0.225, 0.045, -0.335, 0.305, -0.365, -0.44, -0.21, -0.4, 0.285, 0.09, 0.055, -0.375, 0.12, -0.04, 0.06, -0.295, -0.62]),
      bias_ih_l0: w([9], [0.215, -0.865, -0.67, 0.445, 0.385, 0.03, 0.11, 0.275, -0.29]),
      bias_hh_l0: w([9], [0.01, 0.065, 0.51, -0.225, 0.225, -0.49, 0.355, -0.38, -0.32]),
    });
    const [y] = gru.forward(dl.tensor([[[0.5, -1.0]], [[1.5, 0.25]]]));
    const want = [0.406369, -0.049518, 0.127838, 0.269542, -0.213085, 0.048517];
    flat(y).forEach((v, i) => close(v, want[i], 1e-5));
  });

  it("cross entropy with weight, labelSmoothing, ignoreIndex; KL batchmean; weighted multi-margin", () => {
    const logits = dl.tensor([
      [2, 0.5, -1],
      [0.1, 0.2, 3],
      [1, -1, 0],
      [0.3, 0.3, 0.3],
    ]);
    const t = dl.tensor([0, 2, 1, 2]);
    const weight = dl.tensor([1, 2, 0.5]);
    const opts = { weight, labelSmoothing: 0.2, ignoreIndex: 1 };
    close(F.crossEntropy(logits, t, opts).itemSync(), 0.9406118392944336);
    close(new nn.CrossEntropyLoss({ weight }).forward(logits, t).itemSync(), 1.415157675743103);
    const lp = dl.logSoftmax(logits, 1);
    const q = dl.softmax(logits.flip(1), 1);
    close(F.klDiv(lp, q, { reduction: "batchmean" }).itemSync(), 1.2789793014526367);
    const mm = new nn.MultiMarginLoss({ p: 2, margin: 0.5, weight }).forward(logits, t);
    close(mm.itemSync(), 1.4375);
  });
});

describe("PyTorch 1.13 defaults where api.md is silent", () => {
  it("normalisation, dropout, activation and loss defaults", () => {
    expect(new nn.LayerNorm(4).eps).toBe(1e-5);
    const bn = new nn.BatchNorm1d(3);
    expect([bn.eps, bn.momentum, bn.affine, bn.trackRunningStats]).toEqual([1e-5, 0.1, true, true]);
    expect(new nn.GroupNorm(1, 2).eps).toBe(1e-5);
    expect(new nn.Dropout().p).toBe(0.5);
    expect(new nn.LeakyReLU().negativeSlope).toBe(0.01);
    expect(new nn.ELU().alpha).toBe(1);
    expect([new nn.Softplus().beta, new nn.Softplus().threshold]).toEqual([1, 20]);
    expect(new nn.GELU().approximate).toBe("none");
    expect([new nn.Flatten().startDim, new nn.Flatten().endDim]).toEqual([1, -1]);
    const ce = new nn.CrossEntropyLoss();
    expect([ce.ignoreIndex, ce.labelSmoothing, ce.reduction, ce.weight]).toEqual([
      -100,
      0,
      "mean",
      null,
    ]);
    expect(new nn.NLLLoss().ignoreIndex).toBe(-100);
    const mm = new nn.MultiMarginLoss();
    expect([mm.p, mm.margin]).toEqual([1, 1]);
    expect(new nn.HingeEmbeddingLoss().margin).toBe(1);
    expect(new nn.CosineEmbeddingLoss().margin).toBe(0);
    expect(new nn.HuberLoss().delta).toBe(1);
    expect(new nn.SmoothL1Loss().beta).toBe(1);
    const kl = new nn.KLDivLoss();
    expect([kl.reduction, kl.logTarget]).toEqual(["mean", false]);
  });

  it("recurrent, attention and transformer defaults", () => {
    const rnn = new nn.RNN(2, 3);
    expect([rnn.numLayers, rnn.batchFirst, rnn.bidirectional, rnn.bias, rnn.dropout]).toEqual([
      1,
      false,
      false,
      true,
      0,
    ]);
    expect(rnn.toString()).not.toMatch(/relu/);
    const mha = new nn.MultiheadAttention(8, 2);
    expect([mha.dropout, mha.batchFirst, mha.in_proj_bias !== null]).toEqual([0, false, true]);
    const tel = new nn.TransformerEncoderLayer(8, 2);
    expect([tel.linear1.outFeatures, tel.dropout.p, tel.norm1.eps, tel.normFirst]).toEqual([
      2048,
      0.1,
      1e-5,
      false,
    ]);
    expect(tel.self_attn.batchFirst).toBe(false);
  });

  it("Conv2d and Linear initialise U(-1/sqrt(fanIn), 1/sqrt(fanIn)), Embedding N(0, 1)", () => {
    dl.manualSeed(0);
    const conv = new nn.Conv2d(3, 64, 3);
    const bound = 1 / Math.sqrt(27);
    const w = flat(conv.weight).map(Math.abs);
    expect(Math.max(...w)).toBeLessThanOrEqual(bound);
    expect(Math.max(...w)).toBeGreaterThan(0.98 * bound);
    const b = flat(conv.bias!).map(Math.abs);
    expect(Math.max(...b)).toBeLessThanOrEqual(bound);
    const lin = new nn.Linear(100, 50);
    const lw = flat(lin.weight).map(Math.abs);
    expect(Math.max(...lw)).toBeLessThanOrEqual(0.1);
    expect(Math.max(...lw)).toBeGreaterThan(0.098);
    const e = flat(new nn.Embedding(1000, 10).weight);
    const m = e.reduce((s, v) => s + v, 0) / e.length;
    const sd = Math.sqrt(e.reduce((s, v) => s + (v - m) ** 2, 0) / e.length);
    close(sd, 1, 0.05);
  });
});
