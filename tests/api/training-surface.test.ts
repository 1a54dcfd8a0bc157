// Contract test for api.md § optim, data, rl, io and Display: every listed name, its
// constructor options, and one observable behaviour each (optimizer defaults are compared with
// `torch.optim.X(params).defaults` recorded from PyTorch 1.13). Deep checks live in
// tests/optim, tests/data, tests/rl, tests/io, tests/viz and tests/display.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import * as dl from "../../src/index.js";

const flat = (t: dl.Tensor) => Array.from(t.dataSync());
const close = (a: number, b: number, tol = 1e-6) =>
  expect(Math.abs(a - b)).toBeLessThanOrEqual(tol * (1 + Math.abs(b)));
const DISPLAY = Symbol.for("Jupyter.display");
type Bundle = Record<string, unknown>;
const bundleOf = async (x: unknown): Promise<Bundle> =>
  await (x as Record<symbol, () => Bundle | Promise<Bundle>>)[DISPLAY]();

afterEach(() => dl.setDisplayPublisher(null));

/** One parameter w with loss = sum(w²) / 2, so grad = w. */
function quadratic(init: number[]) {
  const w = new dl.nn.Parameter(dl.tensor(init).float());
  const lossStep = (opt: { step(): void; zeroGrad(): void }) => {
    opt.zeroGrad();
    w.square().sum().mul(0.5).backward();
    opt.step();
  };
  return { w, lossStep };
}

describe("api.md § optim", () => {
  it("SGD({ lr, momentum, nesterov, weightDecay, dampening }): one plain step is w -= lr * g", () => {
    const { w, lossStep } = quadratic([1, -2]);
    const opt = new dl.optim.SGD([w], {
      lr: 0.1,
      momentum: 0,
      nesterov: false,
      weightDecay: 0,
      dampening: 0,
    });
    lossStep(opt);
    expect(flat(w).map((v) => Math.round(v * 1e6) / 1e6)).toEqual([0.9, -1.8]);
    expect(() => new dl.optim.SGD([w], { lr: 0.1, nesterov: true })).toThrow(/Nesterov/);
  });

  it("every optimizer: new X(paramsOrGroups, opts), step, zeroGrad, stateDict/loadStateDict", () => {
    const makers: [string, (p: dl.optim.ParamsOrGroups) => dl.optim.Optimizer][] = [
      ["SGD", (p) => new dl.optim.SGD(p as dl.Tensor[], { lr: 0.1, momentum: 0.9 })],
      ["Adam", (p) => new dl.optim.Adam(p as dl.Tensor[], { lr: 0.1 })],
      ["AdamW", (p) => new dl.optim.AdamW(p as dl.Tensor[], { lr: 0.1 })],
      ["RMSprop", (p) => new dl.optim.RMSprop(p as dl.Tensor[], { lr: 0.01 })],
      ["Adagrad", (p) => new dl.optim.Adagrad(p as dl.Tensor[], { lr: 0.1 })],
    ];
    for (const [name, make] of makers) {
      const a = quadratic([1, -2]);
      const b = quadratic([0.5]);
      const opt = make([{ params: [a.w] }, { params: [b.w], lr: 0.05 }]);
      expect(opt.constructor.name).toBe(name);
      expect(opt.paramGroups.map((g) => g.lr)).toEqual([opt.defaults.lr, 0.05]);
      a.lossStep(opt);
      b.lossStep(opt);
      expect(Math.abs(flat(a.w)[0])).toBeLessThan(1);
      opt.zeroGrad();
      expect(a.w.grad).toBeNull();
      // A state dict restores the trajectory: two copies continue identically.
      const sd = opt.stateDict();
      const c = quadratic(flat(a.w));
      const d = quadratic(flat(b.w));
      const twin = make([{ params: [c.w] }, { params: [d.w], lr: 0.05 }]);
      twin.loadStateDict(sd);
      a.lossStep(opt);
      c.lossStep(twin);
      expect([name, flat(c.w)]).toEqual([name, flat(a.w)]);
    }
  });

  it("optimizer defaults are PyTorch's", () => {
    const p = [dl.zeros([1], { requiresGrad: true })];
    expect(new dl.optim.Adam(p).defaults).toMatchObject({
      lr: 1e-3,
      betas: [0.9, 0.999],
      eps: 1e-8,
      weightDecay: 0,
      amsgrad: false,
      maximize: false,
    });
    expect(new dl.optim.AdamW(p).defaults).toMatchObject({
      lr: 1e-3,
      betas: [0.9, 0.999],
      eps: 1e-8,
      weightDecay: 0.01,
      amsgrad: false,
    });
    expect(new dl.optim.RMSprop(p).defaults).toMatchObject({
      lr: 1e-2,
      alpha: 0.99,
      eps: 1e-8,
      weightDecay: 0,
      momentum: 0,
      centered: false,
    });
    expect(new dl.optim.Adagrad(p).defaults).toMatchObject({
      lr: 1e-2,
      lrDecay: 0,
      weightDecay: 0,
      initialAccumulatorValue: 0,
      eps: 1e-10,
    });
    expect(new dl.optim.SGD(p, { lr: 0.1 }).defaults).toMatchObject({
      lr: 0.1,
      momentum: 0,
      dampening: 0,
      weightDecay: 0,
      nesterov: false,
    });
  });

  it("three steps on sum(w⁴)/4 land where torch.optim 1.13 lands (defaults and options)", () => {
    // Recorded with Debian's python3-torch 1.13: w = [1, -2, 0.5], zero_grad, backward, step.
    const P = dl.optim;
    type Make = (w: dl.Tensor[]) => dl.optim.Optimizer;
    const cases: [string, Make, number[]][] = [
      [
        "SGD nesterov wd",
        (w) => new P.SGD(w, { lr: 0.1, momentum: 0.9, nesterov: true, weightDecay: 0.01 }),
        [0.4600019, 0.7868572, 0.4074933],
      ],
      [
        "SGD dampening",
        (w) => new P.SGD(w, { lr: 0.1, momentum: 0.9, dampening: 0.5 }),
        [0.6366012, 0.3352088, 0.4499123],
      ],
      ["Adam defaults", (w) => new P.Adam(w), [0.9970003, -1.9970001, 0.4970006]],
      [
        "Adam wd amsgrad",
        (w) => new P.Adam(w, { lr: 0.1, weightDecay: 0.1, amsgrad: true }),
        [0.7067351, -1.7025158, 0.2156542],
      ],
      ["AdamW", (w) => new P.AdamW(w, { lr: 0.1 }), [0.7049319, -1.6969593, 0.2217138]],
      ["RMSprop defaults", (w) => new P.RMSprop(w), [0.7972971, -1.7838601, 0.3238177]],
      [
        "RMSprop centered momentum wd",
        (w) => new P.RMSprop(w, { lr: 0.01, momentum: 0.5, centered: true, weightDecay: 0.1 }),
        [0.6942527, -1.67652, 0.219486],
      ],
      ["Adagrad defaults", (w) => new P.Adagrad(w), [0.9774032, -1.9772787, 0.4776553]],
      [
        "Adagrad lrDecay initialAccumulatorValue",
        (w) => new P.Adagrad(w, { lr: 0.1, lrDecay: 0.1, initialAccumulatorValue: 0.5 }),
        [0.8353089, -1.7989316, 0.4568576],
      ],
    ];
    for (const [name, make, want] of cases) {
      const w = new dl.nn.Parameter(dl.tensor([1, -2, 0.5]));
      const opt = make([w]);
      for (let i = 0; i < 3; i++) {
        opt.zeroGrad();
        w.pow(4).sum().div(4).backward();
        opt.step();
      }
      flat(w).forEach((v, i) => expect([name, Math.abs(v - want[i]) < 2e-5]).toEqual([name, true]));
    }
  });

  it("dl.optim.lrScheduler: every scheduler steps the learning rate", () => {
    const S = dl.optim.lrScheduler;
    const lrAfter = (steps: number, make: (o: dl.optim.SGD) => { step(m?: number): void }) => {
      const o = new dl.optim.SGD([dl.zeros([1], { requiresGrad: true })], { lr: 1 });
      const s = make(o);
      for (let i = 0; i < steps; i++) {
        o.step();
        s.step(1);
      }
      return o.paramGroups[0].lr;
    };
    close(
      lrAfter(2, (o) => new S.StepLR(o, { stepSize: 2 })),
      0.1,
    );
    close(
      lrAfter(3, (o) => new S.MultiStepLR(o, { milestones: [1, 3], gamma: 0.5 })),
      0.25,
    );
    close(
      lrAfter(2, (o) => new S.ExponentialLR(o, { gamma: 0.5 })),
      0.25,
    );
    close(
      lrAfter(5, (o) => new S.CosineAnnealingLR(o, { tMax: 10 })),
      0.5,
    );
    close(
      lrAfter(3, (o) => new S.LambdaLR(o, { lrLambda: (e) => 1 / (e + 1) })),
      0.25,
    );
    close(
      lrAfter(0, (o) => new S.OneCycleLR(o, { maxLr: 1, totalSteps: 10 })),
      1 / 25,
    );
    // ReduceLROnPlateau: patience 10 by default, so the 12th flat epoch cuts lr by 10.
    close(
      lrAfter(11, (o) => new S.ReduceLROnPlateau(o)),
      1,
    );
    close(
      lrAfter(12, (o) => new S.ReduceLROnPlateau(o)),
      0.1,
    );
    const o = new dl.optim.SGD([dl.zeros([1], { requiresGrad: true })], { lr: 1 });
    const s = new S.StepLR(o, { stepSize: 1, gamma: 0.5 });
    s.step();
    const saved = s.stateDict();
    const s2 = new S.StepLR(o, { stepSize: 1, gamma: 0.5 });
    s2.loadStateDict(saved);
    expect(s2.lastEpoch).toBe(1);
    expect(s.getLastLr()).toEqual([0.5]);
  });
});

describe("api.md § data", () => {
  class Squares extends dl.data.Dataset<[number, number]> {
    get length() {
      return 10;
    }
    get(i: number): [number, number] {
      return [i, i * i];
    }
  }

  it("Dataset (length, get), TensorDataset, randomSplit", () => {
    const ds = new Squares();
    expect([ds.length, ds.get(3)]).toEqual([10, [3, 9]]);
    const td = new dl.data.TensorDataset(dl.arange(6).reshape([3, 2]), dl.tensor([7, 8, 9]));
    expect(td.length).toBe(3);
    expect(td.get(1).map(flat)).toEqual([[2, 3], [8]]);
    dl.manualSeed(0);
    const [a, b] = dl.data.randomSplit(ds, [7, 3]);
    expect([a.length, b.length]).toEqual([7, 3]);
    const all = [...a, ...b].map(([i]) => i).sort((x, y) => x - y);
    expect(all).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(dl.data.randomSplit(ds, [0.5, 0.5]).map((s) => s.length)).toEqual([5, 5]);
  });

  it("DataLoader(dataset, { batchSize, shuffle, dropLast, collate }) is sized and async-iterable", async () => {
    const loader = new dl.data.DataLoader(new Squares(), { batchSize: 4, shuffle: false });
    expect(loader.length).toBe(3);
    const sizes: number[] = [];
    for await (const [x, y] of loader) {
      sizes.push(x.shape[0]);
      expect(flat(y)).toEqual(flat(x).map((v) => v * v));
    }
    expect(sizes).toEqual([4, 4, 2]);
    const dropped = new dl.data.DataLoader(new Squares(), {
      batchSize: 4,
      dropLast: true,
      shuffle: true,
    });
    expect(dropped.length).toBe(2);
    const seen: number[] = [];
    for await (const [x] of dropped) seen.push(...flat(x));
    expect(new Set(seen).size).toBe(8);
    const custom = new dl.data.DataLoader(new Squares(), {
      batchSize: 5,
      collate: (s: [number, number][]) => s.map(([i]) => i).join(","),
    });
    const batches: string[] = [];
    for await (const b of custom) batches.push(b);
    expect(batches).toEqual(["0,1,2,3,4", "5,6,7,8,9"]);
  });

  it("CharTokenizer and WordTokenizer: vocabulary, encode, decode", () => {
    const ct = new dl.data.CharTokenizer("hello world");
    expect(ct.vocabSize).toBe(ct.vocab.length);
    expect(ct.decode(ct.encode("hello"))).toBe("hello");
    const wt = new dl.data.WordTokenizer(["the cat sat", "the dog"]);
    expect(wt.vocab).toEqual(expect.arrayContaining(["the", "cat", "sat", "dog"]));
    const ids = wt.encode("the cat");
    expect(ids).toHaveLength(2);
    expect(wt.decode(ids)).toBe("the cat");
    expect(wt.decode(dl.tensor(ids))).toBe("the cat");
  });

  it("built-in datasets are named and read from installed packages", () => {
    for (const name of [
      "mnist",
      "mobyDick",
      "stateOfTheUnion",
      "spamAssassin",
      "usBirths",
      "karateClub",
    ])
      expect(typeof (dl.data as Record<string, unknown>)[name]).toBe("function");
    const g = dl.data.karateClub();
    expect([g.numNodes, g.edgeIndex.shape[0], g.labels.shape]).toEqual([34, 2, [34]]);
  });
});

describe("api.md § rl", () => {
  const envs = () => [
    new dl.rl.CartPole(),
    new dl.rl.MountainCar(),
    new dl.rl.Pendulum(),
    new dl.rl.GridWorld(),
  ];
  it("reset(seed?) → observation; step → { observation, reward, terminated, truncated, info }", () => {
    for (const env of envs()) {
      const obs = env.reset(0);
      expect(env.observationSpace.contains(obs)).toBe(true);
      const r = env.step(env.actionSpace.sample() as never);
      expect(Object.keys(r).sort()).toEqual([
        "info",
        "observation",
        "reward",
        "terminated",
        "truncated",
      ]);
      expect(typeof r.reward).toBe("number");
      expect(env.observationSpace.contains(r.observation)).toBe(true);
      expect(JSON.stringify(env.reset(5))).toBe(JSON.stringify(env.reset(5)));
    }
  });

  it("spaces: Discrete for CartPole/MountainCar/GridWorld actions, Box for Pendulum (continuous)", () => {
    const [cp, mc, pd, gw] = envs();
    expect(cp.actionSpace).toBeInstanceOf(dl.rl.Discrete);
    expect((cp.actionSpace as dl.rl.Discrete).n).toBe(2);
    expect((mc.actionSpace as dl.rl.Discrete).n).toBe(3);
    expect(pd.actionSpace).toBeInstanceOf(dl.rl.Box);
    expect((pd.observationSpace as dl.rl.Box).shape).toEqual([3]);
    expect((gw.actionSpace as dl.rl.Discrete).n).toBe(4);
    expect((cp.observationSpace as dl.rl.Box).shape).toEqual([4]);
  });

  it("render() is a displayable frame; an environment itself displays its state", async () => {
    for (const env of envs()) {
      expect((await bundleOf(env))["text/plain"]).toBe(env.toString());
      env.reset(1);
      expect(await bundleOf(env)).toEqual(await bundleOf(env.render()));
      env.reset(1);
      const b = await bundleOf(env.render());
      expect(b["image/svg+xml"]).toMatch(/^<svg/);
      expect(typeof b["text/plain"]).toBe("string");
    }
  });

  it("ReplayBuffer(capacity): push, sample(batch) as tensors", () => {
    const buf = new dl.rl.ReplayBuffer(3);
    for (let i = 0; i < 5; i++)
      buf.push({
        observation: [i, i],
        action: i % 2,
        reward: i,
        nextObservation: [i + 1, i + 1],
        terminated: i === 4,
      });
    expect(buf.length).toBe(3);
    const b = buf.sample(2);
    expect([b.observation.shape, b.action.shape, b.reward.shape, b.nextObservation.shape]).toEqual([
      [2, 2],
      [2],
      [2],
      [2, 2],
    ]);
    expect(flat(b.reward).every((r) => r >= 2)).toBe(true);
  });
});

describe("api.md § io", () => {
  it("dl.save / dl.load round-trip a state dict (names and dtypes) in safetensors", async () => {
    const dir = mkdtempSync(join(tmpdir(), "dendrite-api-"));
    try {
      const sd = {
        "layer.weight": dl.randn([2, 3]),
        steps: dl.tensor([4, 5]),
        mask: dl.tensor([true]),
      };
      await dl.save(sd, join(dir, "m.safetensors"));
      const back = await dl.load(join(dir, "m.safetensors"));
      expect(Object.keys(back).sort()).toEqual(["layer.weight", "mask", "steps"]);
      expect(back.steps.dtype).toBe("int32");
      expect(back.mask.dtype).toBe("bool");
      expect(flat(back["layer.weight"])).toEqual(flat(sd["layer.weight"]));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("dl.io.toSafetensors / fromSafetensors work on bytes (header = 8-byte LE length + JSON)", async () => {
    const bytes = await dl.io.toSafetensors({ w: dl.tensor([1.5, 2.5]) });
    expect(bytes).toBeInstanceOf(Uint8Array);
    const n = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n)));
    expect(header.w).toMatchObject({ dtype: "F32", shape: [2] });
    expect(flat(dl.io.fromSafetensors(bytes).w)).toEqual([1.5, 2.5]);
  });
});

describe("api.md § Display", () => {
  const model = () =>
    new dl.nn.Sequential(new dl.nn.Linear(4, 3), new dl.nn.ReLU(), new dl.nn.Linear(3, 2));

  it("Tensors and Modules render through Symbol.for('Jupyter.display'); show() publishes", async () => {
    const t = await bundleOf(dl.ones([2, 2]));
    expect(t["text/plain"]).toContain("tensor");
    expect(Object.keys(t).some((k) => k.startsWith("application/vnd.dendrite.tensor"))).toBe(true);
    const m = await bundleOf(model());
    expect(m["text/plain"]).toMatch(/^Sequential\(/);
    expect(Object.keys(m).some((k) => k.startsWith("application/vnd.dendrite.graph"))).toBe(true);
    const shown: Bundle[] = [];
    dl.setDisplayPublisher((b) => shown.push(b));
    await dl.viz.show(dl.ones([1]));
    expect(shown).toHaveLength(1);
  });

  it("graph, tensor({ as }), confusionMatrix, attention, embedding, activations are displayable", async () => {
    const displays: [string, unknown][] = [
      ["graph", dl.viz.graph(model(), dl.randn([1, 4]))],
      ...(["auto", "heatmap", "image", "images", "histogram", "table"] as const).map(
        (as) => [`tensor ${as}`, dl.viz.tensor(dl.rand([2, 4, 4]), { as })] as [string, unknown],
      ),
      [
        "confusionMatrix",
        dl.viz.confusionMatrix(dl.tensor([0, 1, 1]), dl.tensor([0, 1, 0]), ["a", "b"]),
      ],
      [
        "attention",
        dl.viz.attention(dl.softmax(dl.randn([3, 3]), 1), {
          xLabels: ["x", "y", "z"],
          yLabels: ["p", "q", "r"],
        }),
      ],
      ["embedding", dl.viz.embedding(dl.randn([6, 5]), { labels: [0, 0, 0, 1, 1, 1] })],
      ["activations", dl.viz.activations(model(), dl.randn([2, 4]))],
    ];
    for (const [name, d] of displays) {
      const b = await bundleOf(d);
      expect([name, typeof b["text/plain"]]).toEqual([name, "string"]);
      expect([name, Object.keys(b).length > 1]).toEqual([name, true]);
    }
    expect(dl.viz.activations(model(), dl.randn([2, 4])).layers.length).toBeGreaterThan(0);
  });

  it("livePlot(opts).push(step, { loss, acc }) updates one display in place; progress wraps loops", async () => {
    const published: [Bundle, dl.PublishOptions | undefined][] = [];
    dl.setDisplayPublisher((b, o) => published.push([b, o]));
    const plot = dl.viz.livePlot({ title: "training", throttleMs: 0 });
    plot.push(0, { loss: 1, acc: 0.5 }).push(1, { loss: 0.5, acc: 0.75 });
    plot.done();
    expect(plot.series.get("loss")!.y).toEqual([1, 0.5]);
    const ids = new Set(published.map(([, o]) => o?.displayId));
    expect(ids.size).toBe(1);
    expect(published.slice(1).every(([, o]) => o?.update)).toBe(true);
    const seen: number[] = [];
    const it = dl.viz.progress([1, 2, 3], { total: 3 });
    for (const v of it) seen.push(v);
    expect(seen).toEqual([1, 2, 3]);
    expect(it.bar.count).toBe(3);
    const asyncSeen: number[] = [];
    async function* gen() {
      yield 1;
      yield 2;
    }
    for await (const v of dl.viz.progress(gen(), { total: 2 })) asyncSeen.push(v);
    expect(asyncSeen).toEqual([1, 2]);
    // A DataLoader is sized and iterable both ways: the bar takes its length, both loops work.
    const loader = new dl.data.DataLoader(new dl.data.TensorDataset(dl.arange(5)), {
      batchSize: 2,
    });
    const wrapped = dl.viz.progress(loader);
    expect(wrapped.bar.opts.total).toBe(3);
    let batches = 0;
    for (const [xb] of wrapped) batches += xb.shape[0];
    for await (const [xb] of dl.viz.progress(loader)) batches += xb.shape[0];
    expect(batches).toBe(10);
  });

  it("dl.fit(model, { train, val, loss, optimizer, epochs, metrics, scheduler }) returns the history", async () => {
    dl.manualSeed(0);
    const x = dl.randn([64, 4]);
    const y = x.sum(1).gt(0).int();
    const train = new dl.data.DataLoader(new dl.data.TensorDataset(x, y), { batchSize: 16 });
    const net = model();
    const optimizer = new dl.optim.Adam(net.parameters(), { lr: 0.05 });
    const published: Bundle[] = [];
    dl.setDisplayPublisher((b) => published.push(b));
    const history = await dl.fit(net, {
      train,
      val: train,
      loss: new dl.nn.CrossEntropyLoss(),
      optimizer,
      epochs: 3,
      metrics: ["accuracy"],
      scheduler: new dl.optim.lrScheduler.StepLR(optimizer, { stepSize: 1, gamma: 0.5 }),
    });
    // A progress bar and a live plot of every metric.
    const plots = published.filter((b) => "application/vnd.dendrite.plot.v1+json" in b);
    expect(plots.length).toBeGreaterThan(0);
    expect(JSON.stringify(plots.at(-1))).toContain("valAccuracy");
    expect(published.some((b) => /\d+\/\d+/.test(String(b["text/plain"])))).toBe(true);
    expect(Object.keys(history).sort()).toEqual(["accuracy", "loss", "valAccuracy", "valLoss"]);
    expect(history.loss).toHaveLength(3);
    expect(history.loss[2]).toBeLessThan(history.loss[0]);
    close(optimizer.paramGroups[0].lr, 0.05 / 8);
  });
});
