// No half-done state changes: a load that fails (a disposed, mis-shaped, mistyped, missing or
// non-tensor entry anywhere in the dict) leaves every parameter bit-identical, for models and
// optimizers; names like "__proto__" round-trip through safetensors.
import { describe, expect, it } from "vitest";
import * as dl from "../../src/index.js";
import { rng } from "../helpers/ref.js";

const bits = (t: dl.Tensor): string =>
  Buffer.from(new Uint8Array(t.dataSync().buffer.slice(0))).toString("base64");

function snapshot(model: dl.nn.Module): Map<string, string> {
  return new Map(
    [...model.namedParameters(), ...model.namedBuffers()].map(([k, t]) => [k, bits(t)]),
  );
}

function randomModel(r: () => number): dl.nn.Module {
  const sizes = Array.from({ length: 2 + Math.floor(r() * 3) }, () => 1 + Math.floor(r() * 5));
  const layers: dl.nn.Module[] = [];
  for (let i = 0; i + 1 < sizes.length; i++) {
    layers.push(new dl.nn.Linear(sizes[i], sizes[i + 1]));
    if (r() < 0.5) layers.push(new dl.nn.BatchNorm1d(sizes[i + 1]));
  }
  return new dl.nn.Sequential(...layers);
}

type Corruption = (dict: Record<string, dl.Tensor>, key: string) => void;
const corruptions: [string, Corruption][] = [
  ["disposed", (d, k) => d[k].dispose()],
  ["wrong shape", (d, k) => (d[k] = dl.zeros([...d[k].shape, 2]))],
  ["not a tensor", (d, k) => ((d as Record<string, unknown>)[k] = [1, 2, 3])],
  [
    "integer into float",
    (d, k) =>
      (d[k] = dl.zeros(d[k].shape, { dtype: d[k].dtype === "float32" ? "int32" : "float32" })),
  ],
  ["missing", (d, k) => delete d[k]],
];

describe("Module.loadStateDict is all or nothing", () => {
  it("200 seeded failed loads leave every parameter and buffer bit-identical", () => {
    const r = rng(11);
    let failures = 0;
    for (let trial = 0; trial < 200; trial++) {
      dl.manualSeed(trial);
      const model = randomModel(r);
      const before = snapshot(model);
      // A like model's values, so every entry would change the target if written.
      const dict: Record<string, dl.Tensor> = {};
      for (const [k, t] of [...model.namedParameters(), ...model.namedBuffers()])
        dict[k] = dl.full(t.shape, 7, { dtype: t.dtype });
      const keys = Object.keys(dict);
      const target = keys[Math.floor(r() * keys.length)];
      const [name, corrupt] = corruptions[Math.floor(r() * corruptions.length)];
      corrupt(dict, target);
      let error: unknown = null;
      try {
        model.loadStateDict(dict);
      } catch (e) {
        error = e;
      }
      expect(error, `${name} at ${target}`).toBeInstanceOf(dl.DendriteError);
      expect((error as Error).message).toMatch(/^loadStateDict: /);
      expect(snapshot(model)).toEqual(before);
      failures++;
    }
    expect(failures).toBe(200);
  });

  it("a good load writes every entry", () => {
    const model = new dl.nn.Linear(3, 2);
    model.loadStateDict({ weight: dl.ones([2, 3]), bias: dl.full([2], 2) });
    expect(model.weight.toArraySync()).toEqual([
      [1, 1, 1],
      [1, 1, 1],
    ]);
    expect(model.bias!.toArraySync()).toEqual([2, 2]);
  });

  it("names every problem at once", () => {
    const model = new dl.nn.Linear(3, 2);
    const w = dl.ones([2, 3]);
    w.dispose();
    expect(() => model.loadStateDict({ weight: w, bias: dl.ones([5]) })).toThrow(
      /"weight" was disposed.*size mismatch for bias/,
    );
  });
});

describe("Optimizer.loadStateDict is all or nothing", () => {
  function trained(): { params: dl.Tensor[]; opt: dl.optim.Adam } {
    dl.manualSeed(3);
    const params = [
      dl.randn([3, 2], { requiresGrad: true }),
      dl.randn([4], { requiresGrad: true }),
    ];
    const opt = new dl.optim.Adam([{ params: [params[0]] }, { params: [params[1]], lr: 0.1 }], {
      lr: 0.01,
    });
    for (let i = 0; i < 3; i++) {
      opt.zeroGrad();
      params[0].square().sum().add(params[1].sin().sum()).backward();
      opt.step();
    }
    return { params, opt };
  }

  function optimizerBits(opt: dl.optim.Adam): string {
    const d = opt.stateDict();
    const state = Object.entries(d.state).map(([k, s]) => [
      k,
      Object.entries(s).map(([n, v]) => [n, v instanceof dl.Tensor ? bits(v) : v]),
    ]);
    const groups = d.paramGroups.map((g) => ({ ...g }));
    return JSON.stringify({ state, groups });
  }

  const corrupt: [string, (d: dl.optim.OptimizerStateDict) => void][] = [
    ["a bad lr in the last group", (d) => (d.paramGroups[1].lr = -1)],
    ["a disposed moment of the last parameter", (d) => (d.state[1].expAvg as dl.Tensor).dispose()],
    ["a mis-shaped moment", (d) => (d.state[1].expAvgSq = dl.zeros([7]))],
    ["a non-tensor state", (d) => ((d.state[1] as Record<string, unknown>).expAvg = "x")],
    ["params not a list", (d) => ((d.paramGroups[1] as Record<string, unknown>).params = 1)],
  ];
  for (const [name, edit] of corrupt)
    it(`${name}: nothing changes`, () => {
      const { opt } = trained();
      const other = trained();
      other.opt.paramGroups[0].lr = 0.5;
      const dict = other.opt.stateDict();
      edit(dict);
      const before = optimizerBits(opt);
      expect(() => opt.loadStateDict(dict)).toThrow(dl.DendriteError);
      expect(optimizerBits(opt)).toBe(before);
      expect(opt.paramGroups[0].lr).toBe(0.01);
    });
});

describe("safetensors names", () => {
  it("__proto__ and constructor round-trip", async () => {
    const dict = Object.create(null) as Record<string, dl.Tensor>;
    dict["__proto__"] = dl.tensor([1, 2]);
    dict["constructor"] = dl.tensor([3]);
    dict["toString"] = dl.tensor([4, 5, 6]);
    const bytes = await dl.io.toSafetensors(dict);
    const back = dl.io.fromSafetensors(bytes);
    expect(Object.keys(back).sort()).toEqual(["__proto__", "constructor", "toString"]);
    expect(back["__proto__"].toArraySync()).toEqual([1, 2]);
    expect(back["constructor"].toArraySync()).toEqual([3]);
    expect(Object.getPrototypeOf(back)).toBe(null);
  });
});
