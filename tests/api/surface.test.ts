// Contract test for the tensor half of docs/api.md: every name it lists exists
// (function and method forms), takes the options it names, and does one observable thing. The
// deep numerical checks live in tests/tensor, tests/ops and tests/autograd; this file is the
// line-by-line audit that the documented surface is all there.
import { describe, expect, it } from "vitest";
import * as dl from "../../src/index.js";

const close = (a: number[], b: number[], tol = 1e-5) => {
  expect(a.length).toBe(b.length);
  a.forEach((v, i) => expect(Math.abs(v - b[i])).toBeLessThanOrEqual(tol * (1 + Math.abs(b[i]))));
};
const flat = (t: dl.Tensor) => Array.from(t.dataSync());

describe("api.md: the root package exports every name the contract writes as dl.X", () => {
  it("functions and namespaces", () => {
    const functions = [
      ...["tensor", "zeros", "ones", "full", "zerosLike", "onesLike", "arange", "linspace", "eye"],
      ...["rand", "randn", "randint", "manualSeed", "useDevice", "devices", "preferredDevice"],
      ...["add", "sub", "mul", "div", "pow", "neg", "abs", "exp", "log", "sqrt", "rsqrt"],
      ...["square", "reciprocal", "sin", "cos", "tanh", "sigmoid", "relu", "leakyRelu", "elu"],
      ...["gelu", "silu", "softplus", "sign", "clamp", "maximum", "minimum", "eq", "ne", "lt"],
      ...["le", "gt", "ge", "where", "logicalAnd", "logicalOr", "logicalNot", "sum", "mean"],
      ...["max", "min", "prod", "var", "std", "logsumexp", "argmax", "argmin", "matmul"],
      ...["transpose", "permute", "outer", "einsum", "reshape", "flatten", "squeeze"],
      ...["unsqueeze", "expand", "repeat", "cat", "stack", "split", "chunk", "narrow", "select"],
      ...["indexSelect", "gather", "scatterAdd", "pad", "flip", "tril", "triu", "oneHot"],
      ...["noGrad", "grad", "gradcheck", "tidy", "memory", "save", "load", "fit"],
      ...["floor", "ceil", "round", "amax", "amin", "all", "any", "norm", "cdist", "maskedFill"],
      ...["clone", "cumsum", "cumprod", "argsort", "sort", "topk", "multinomial", "bernoulli"],
      ...["Generator", "setNumThreads", "getNumThreads", "backendInfo", "randperm", "log10"],
      ...["log2"],
    ];
    const root = dl as unknown as Record<string, unknown>;
    expect(functions.filter((n) => typeof root[n] !== "function")).toEqual([]);
    for (const ns of ["nn", "optim", "data", "rl", "io", "viz", "distributions"])
      expect([ns, typeof root[ns]]).toEqual([ns, "object"]);
    expect(typeof dl.Tensor).toBe("function");
  });
});

describe("api.md § Tensors: creation", () => {
  it("dl.tensor takes numbers, nested arrays, booleans and typed arrays with opts.shape", () => {
    expect(dl.tensor(2.5).shape).toEqual([]);
    expect(dl.tensor([[1, 2, 3]]).shape).toEqual([1, 3]);
    expect(dl.tensor([true, false]).dtype).toBe("bool");
    const t = dl.tensor(new Float32Array([1, 2, 3, 4, 5, 6]), { shape: [3, 2] });
    expect([t.shape, t.dtype]).toEqual([[3, 2], "float32"]);
  });

  it("every creation function takes { dtype, device, requiresGrad }", () => {
    const opts = { dtype: "float32", device: "cpu", requiresGrad: true } as const;
    const made: [string, dl.Tensor][] = [
      ["tensor", dl.tensor([1, 2], opts)],
      ["zeros", dl.zeros([2], opts)],
      ["ones", dl.ones([2], opts)],
      ["full", dl.full([2], 7, opts)],
      ["zerosLike", dl.zerosLike(dl.ones([2]), opts)],
      ["onesLike", dl.onesLike(dl.ones([2]), opts)],
      ["arange", dl.arange(0, 2, 1, opts)],
      ["linspace", dl.linspace(0, 1, 2, opts)],
      ["eye", dl.eye(2, 2, opts)],
      ["rand", dl.rand([2], opts)],
      ["randn", dl.randn([2], opts)],
    ];
    for (const [name, t] of made) {
      expect([name, t.dtype, t.device, t.requiresGrad, t.isLeaf]).toEqual([
        name,
        "float32",
        "cpu",
        true,
        true,
      ]);
    }
    for (const t of [dl.zeros([2], { dtype: "int32" }), dl.full([2], 3, { dtype: "int32" })])
      expect(t.dtype).toBe("int32");
    expect(dl.zeros([2], { dtype: "bool" }).dtype).toBe("bool");
    expect(dl.linspace(0, 4, 5, { dtype: "int32" }).dtype).toBe("int32");
    expect(dl.eye(2, 2, { dtype: "int32" }).dtype).toBe("int32");
    expect(() => dl.rand([2], { dtype: "int32" })).toThrow(/rand.*float/);
    expect(() => dl.randn([2], { dtype: "bool" })).toThrow(/randn.*float/);
  });

  it("creation values: full, arange both forms, linspace, eye, randint range", () => {
    expect(flat(dl.full([2, 2], 3))).toEqual([3, 3, 3, 3]);
    expect(flat(dl.arange(4))).toEqual([0, 1, 2, 3]);
    expect(flat(dl.arange(1, 7, 2))).toEqual([1, 3, 5]);
    // Options may follow any of the numbers (torch.arange(5, dtype=...), torch.eye(3, dtype=...)).
    expect(dl.arange(3, { dtype: "float32" }).dtype).toBe("float32");
    expect(flat(dl.arange(2, 4, { dtype: "float32" }))).toEqual([2, 3]);
    expect(dl.eye(2, { dtype: "int32" }).toArraySync()).toEqual([
      [1, 0],
      [0, 1],
    ]);
    expect(dl.eye(2, 3).shape).toEqual([2, 3]);
    close(flat(dl.arange(0, 1, 0.25)), [0, 0.25, 0.5, 0.75]);
    close(flat(dl.linspace(-1, 1, 5)), [-1, -0.5, 0, 0.5, 1]);
    expect(dl.eye(3).toArraySync()).toEqual([
      [1, 0, 0],
      [0, 1, 0],
      [0, 0, 1],
    ]);
    const r = dl.randint(2, 5, [200]);
    expect(r.dtype).toBe("int32");
    const vals = flat(r);
    expect(Math.min(...vals)).toBe(2);
    expect(Math.max(...vals)).toBe(4);
    expect(dl.randint(0, 3, [2], { dtype: "float32" }).dtype).toBe("float32");
    expect(dl.zerosLike(dl.ones([2, 3], { dtype: "int32" })).dtype).toBe("int32");
    expect(dl.onesLike(dl.ones([2, 3])).shape).toEqual([2, 3]);
  });

  it("dl.manualSeed makes rand, randn, randint and randperm-like draws reproducible", () => {
    const draw = () => [dl.rand([3]), dl.randn([3]), dl.randint(0, 100, [3])].flatMap(flat);
    dl.manualSeed(123);
    const a = draw();
    dl.manualSeed(123);
    expect(draw()).toEqual(a);
    dl.manualSeed(124);
    expect(draw()).not.toEqual(a);
  });
});

describe("api.md § Tensors: properties and reads", () => {
  it("shape (readonly), dtype, device, ndim, size, requiresGrad, grad", () => {
    const t = dl.zeros([2, 3, 4]);
    expect([t.shape, t.dtype, t.device, t.ndim, t.size, t.requiresGrad, t.grad]).toEqual([
      [2, 3, 4],
      "float32",
      "cpu",
      3,
      24,
      false,
      null,
    ]);
    expect(() => (t.shape as number[]).push(1)).toThrow();
  });

  it("requiresGrad is settable on float leaves, refused on non-leaves and on int/bool", () => {
    const w = dl.ones([2]);
    w.requiresGrad = true;
    expect(w.requiresGrad).toBe(true);
    const y = w.mul(2);
    expect(() => (y.requiresGrad = false)).toThrow(dl.DendriteError);
    expect(() => (dl.ones([2], { dtype: "int32" }).requiresGrad = true)).toThrow(/float/);
    expect(() => dl.tensor([true], { requiresGrad: true })).toThrow(dl.DendriteError);
    y.sum().backward();
    expect(w.grad).toBeInstanceOf(dl.Tensor);
    expect(flat(w.grad!)).toEqual([2, 2]);
  });

  it("async reads: toArray (nested), data (typed copy), item (one element)", async () => {
    const t = dl.tensor([
      [1, 2],
      [3, 4],
    ]);
    expect(await t.toArray()).toEqual([
      [1, 2],
      [3, 4],
    ]);
    const d = await t.data();
    expect(d).toBeInstanceOf(Int32Array);
    d[0] = 99;
    expect(flat(t)[0]).toBe(1);
    expect(await dl.tensor([[5.5]]).item()).toBe(5.5);
    await expect(t.item()).rejects.toThrow(/one-element/);
    expect(await dl.tensor([true, false]).toArray()).toEqual([true, false]);
  });

  it("sync reads on the CPU: toArraySync, dataSync, itemSync", () => {
    const t = dl.arange(6).reshape([2, 3]);
    expect(t.toArraySync()).toEqual([
      [0, 1, 2],
      [3, 4, 5],
    ]);
    expect(Array.from(t.T.dataSync())).toEqual([0, 3, 1, 4, 2, 5]);
    expect(dl.tensor(7).itemSync()).toBe(7);
  });

  it("a sync read on a device that cannot read synchronously says to use the async form", () => {
    // Stand-in for a GPU tensor where no GPU exists: the same Tensor code path, reached by a
    // backend without readSync (the WebGPU backend has none).
    const t = dl.ones([1]);
    const backend = t.backend;
    const stub = Object.create(backend) as typeof backend;
    Object.defineProperty(stub, "readSync", { value: undefined });
    Object.defineProperty(stub, "device", { value: "webgpu" });
    Object.defineProperty(t, "backend", { value: stub });
    Object.defineProperty(t, "device", { value: "webgpu" });
    for (const read of [() => t.dataSync(), () => t.toArraySync(), () => t.itemSync()])
      expect(read).toThrow(/synchronously.*await t\.(data|toArray)\(\)/);
  });
});

describe("api.md § Tensors: devices", () => {
  it("dl.devices lists cpu with its adapter info; t.to(sameDevice) is the tensor itself", () => {
    const list = dl.devices();
    const cpu = list.find((d) => d.device === "cpu");
    expect(cpu).toMatchObject({ device: "cpu", initialised: true });
    expect(cpu!.adapter).toBeDefined();
    expect(list.some((d) => d.device === "webgpu")).toBe(true);
    const t = dl.ones([2]);
    expect(t.to("cpu")).toBe(t);
  });

  it("mixing devices in one op is an error that names both devices", () => {
    // Stand-in for a GPU tensor (the check reads only t.device; tests/webgpu run it for real).
    const gpu = dl.ones([2]);
    Object.defineProperty(gpu, "device", { value: "webgpu" });
    expect(() => dl.add(dl.ones([2]), gpu)).toThrow(/add:.*cpu.*webgpu|add:.*webgpu.*cpu/);
  });

  it("useDevice('webgpu') either starts an adapter or rejects saying none was found", async () => {
    try {
      await dl.useDevice("webgpu");
      const gpu = dl.devices().find((d) => d.device === "webgpu")!;
      expect([gpu.initialised, gpu.isDefault, typeof gpu.adapter?.description]).toEqual([
        true,
        true,
        "string",
      ]);
    } catch (e) {
      expect(String(e)).toMatch(/useDevice: no WebGPU adapter was found/);
    } finally {
      await dl.useDevice("cpu");
    }
  });

  it("dl.useDevice('cpu') resolves; unknown devices reject with a clear message", async () => {
    await expect(dl.useDevice("cpu")).resolves.toBe("cpu");
    await expect(dl.useDevice("tpu" as dl.Device)).rejects.toThrow(/unknown device.*"webgpu"/);
    expect(dl.zeros([1]).device).toBe("cpu");
  });
});

type Unary = (x: dl.Tensor) => dl.Tensor;
const UNARY: [string, (v: number) => number][] = [
  ["neg", (v) => -v],
  ["abs", Math.abs],
  ["exp", Math.exp],
  ["log", Math.log],
  ["sqrt", Math.sqrt],
  ["rsqrt", (v) => 1 / Math.sqrt(v)],
  ["square", (v) => v * v],
  ["reciprocal", (v) => 1 / v],
  ["sin", Math.sin],
  ["cos", Math.cos],
  ["tanh", Math.tanh],
  ["sigmoid", (v) => 1 / (1 + Math.exp(-v))],
  ["relu", (v) => Math.max(0, v)],
  ["leakyRelu", (v) => (v > 0 ? v : 0.01 * v)],
  ["elu", (v) => (v > 0 ? v : Math.expm1(v))],
  ["silu", (v) => v / (1 + Math.exp(-v))],
  ["softplus", (v) => Math.log1p(Math.exp(v))],
  ["sign", Math.sign],
];

describe("api.md § Operations: function form dl.op(a) and method form a.op()", () => {
  const xs = [0.3, 1.7, 2.5];
  it.each(UNARY)("%s", (name, ref) => {
    const x = dl.tensor(xs);
    const fn = (dl as unknown as Record<string, Unary>)[name];
    const method = (x as unknown as Record<string, () => dl.Tensor>)[name];
    expect(typeof fn).toBe("function");
    expect(typeof method).toBe("function");
    close(flat(fn(x)), xs.map(ref));
    close(flat(method.call(x)), xs.map(ref));
  });

  it("gelu (exact by default, 'tanh' approximation) and clamp(min?, max?)", () => {
    const x = dl.tensor([-1, 0.5, 2]);
    close(flat(dl.gelu(x)), [-0.158655, 0.345731, 1.9545]);
    close(flat(x.gelu("tanh")), [-0.158808, 0.345714, 1.954598]);
    expect(flat(dl.clamp(x, 0, 1))).toEqual([0, 0.5, 1]);
    expect(flat(x.clamp(0))).toEqual([0, 0.5, 2]);
    expect(flat(x.clamp(null, 0))).toEqual([-1, 0, 0]);
  });

  it("binary ops broadcast (NumPy rules) and accept numbers on either side", () => {
    const a = dl.tensor([[1], [2]]).float();
    const b = dl.tensor([10, 20, 30]).float();
    const cases: [string, number[]][] = [
      ["add", [11, 21, 31, 12, 22, 32]],
      ["sub", [-9, -19, -29, -8, -18, -28]],
      ["mul", [10, 20, 30, 20, 40, 60]],
      ["div", [0.1, 0.05, 1 / 30, 0.2, 0.1, 2 / 30]],
      ["pow", [1, 1, 1, 1024, 1048576, 1073741824]],
      ["maximum", [10, 20, 30, 10, 20, 30]],
      ["minimum", [1, 1, 1, 2, 2, 2]],
    ];
    type Bin = (x: dl.TensorLike, y: dl.TensorLike) => dl.Tensor;
    for (const [name, want] of cases) {
      const fn = (dl as unknown as Record<string, Bin>)[name];
      const m = (a as unknown as Record<string, (o: dl.TensorLike) => dl.Tensor>)[name];
      const out = fn(a, b);
      expect(out.shape).toEqual([2, 3]);
      close(flat(out), want);
      close(flat(m.call(a, b)), want);
    }
    expect(flat(dl.add(1, dl.tensor([1, 2])))).toEqual([2, 3]);
    expect(flat(dl.tensor([1, 2]).mul(3))).toEqual([3, 6]);
    expect(flat(dl.sub(10, dl.tensor([1, 2])))).toEqual([9, 8]);
  });

  it("comparisons give bool; where, logicalAnd/Or/Not", () => {
    const a = dl.tensor([1, 2, 3]);
    const expected: Record<string, boolean[]> = {
      eq: [false, true, false],
      ne: [true, false, true],
      lt: [true, false, false],
      le: [true, true, false],
      gt: [false, false, true],
      ge: [false, true, true],
    };
    type Cmp = (x: dl.TensorLike, y: dl.TensorLike) => dl.Tensor;
    for (const [name, want] of Object.entries(expected)) {
      const out = (dl as unknown as Record<string, Cmp>)[name](a, 2);
      const m = (a as unknown as Record<string, (o: number) => dl.Tensor>)[name].call(a, 2);
      expect([out.dtype, out.toArraySync(), m.toArraySync()]).toEqual(["bool", want, want]);
    }
    const c = dl.tensor([true, false, true]);
    expect(flat(dl.where(c, a, dl.tensor([7, 8, 9])))).toEqual([1, 8, 3]);
    expect(flat(dl.where(c, 1.5, 0))).toEqual([1.5, 0, 1.5]);
    const d = dl.tensor([true, true, false]);
    expect(dl.logicalAnd(c, d).toArraySync()).toEqual([true, false, false]);
    expect(c.logicalOr(d).toArraySync()).toEqual([true, true, true]);
    expect(dl.logicalNot(c).toArraySync()).toEqual([false, true, false]);
    expect(c.logicalNot().dtype).toBe("bool");
  });
});

describe("api.md § Operations: reductions (dim?: number | number[], keepdim = false)", () => {
  const x = dl
    .tensor([
      [1, 5, 3],
      [4, 2, 6],
    ])
    .float();
  type Red = (t: dl.Tensor, dim?: number | number[], keepdim?: boolean) => dl.Tensor;
  const table: [string, number, number[], number[]][] = [
    // name, all-reduce, dim=1, dim=0
    ["sum", 21, [9, 12], [5, 7, 9]],
    ["mean", 3.5, [3, 4], [2.5, 3.5, 4.5]],
    ["max", 6, [5, 6], [4, 5, 6]],
    ["min", 1, [1, 2], [1, 2, 3]],
    ["prod", 720, [15, 48], [4, 10, 18]],
    ["var", 3.5, [4, 4], [4.5, 4.5, 4.5]],
    ["std", Math.sqrt(3.5), [2, 2], [Math.sqrt(4.5), Math.sqrt(4.5), Math.sqrt(4.5)]],
    [
      "logsumexp",
      Math.log([1, 5, 3, 4, 2, 6].reduce((s, v) => s + Math.exp(v), 0)),
      [
        Math.log(Math.exp(1) + Math.exp(5) + Math.exp(3)),
        Math.log(Math.exp(4) + Math.exp(2) + Math.exp(6)),
      ],
      [
        Math.log(Math.exp(1) + Math.exp(4)),
        Math.log(Math.exp(5) + Math.exp(2)),
        Math.log(Math.exp(3) + Math.exp(6)),
      ],
    ],
  ];
  it.each(table)(
    "%s: all, dim, negative dim, dim list, keepdim; method form",
    (name, all, d1, d0) => {
      const fn = (dl as unknown as Record<string, Red>)[name];
      const m = (t: dl.Tensor, ...a: unknown[]) =>
        (t as unknown as Record<string, (...a: unknown[]) => dl.Tensor>)[name].apply(t, a);
      const whole = fn(x);
      expect(whole.shape).toEqual([]);
      close(flat(whole), [all]);
      close(flat(fn(x, 1)), d1);
      close(flat(fn(x, -1)), d1);
      close(flat(m(x, 0)), d0);
      close(flat(fn(x, [0, 1])), [all]);
      close(flat(m(x, [-2, -1])), [all]);
      expect(fn(x, 1, true).shape).toEqual([2, 1]);
      expect(m(x, [0, 1], true).shape).toEqual([1, 1]);
    },
  );

  it("argmax / argmin (dim?, keepdim?) give int32 indices; flat index without dim", () => {
    expect(dl.argmax(x).itemSync()).toBe(5);
    expect(x.argmin().itemSync()).toBe(0);
    expect(flat(dl.argmax(x, 1))).toEqual([1, 2]);
    expect(flat(x.argmin(-1))).toEqual([0, 1]);
    const k = x.argmax(0, true);
    expect([k.shape, k.dtype]).toEqual([[1, 3], "int32"]);
  });

  it("var/std use Bessel's correction by default, like PyTorch (correction option)", () => {
    const v = dl.tensor([1, 2, 3, 4]);
    close(flat(v.float().var()), [1.6666666]);
    close(flat(dl.std(v.float())), [1.2909944]);
    close(flat(dl.var(v.float(), undefined, false, { correction: 0 })), [1.25]);
  });
});

describe("api.md § Operations: linear algebra", () => {
  it("matmul (1-D..N-D, batch broadcast), t.T, transpose, permute, outer, einsum", () => {
    const a = dl.arange(6).float().reshape([2, 3]);
    const v = dl.tensor([1, 0, -1]).float();
    expect(flat(dl.matmul(a, v))).toEqual([-2, -2]);
    expect(flat(v.matmul(v))).toEqual([2]);
    expect(dl.matmul(dl.ones([4, 1, 2, 3]), dl.ones([5, 3, 2])).shape).toEqual([4, 5, 2, 2]);
    expect(a.T.shape).toEqual([3, 2]);
    expect(a.T.toArraySync()).toEqual([
      [0, 3],
      [1, 4],
      [2, 5],
    ]);
    expect(dl.transpose(dl.ones([2, 3, 4]), 0, 2).shape).toEqual([4, 3, 2]);
    expect(dl.ones([2, 3, 4]).transpose(-1, 0).shape).toEqual([4, 3, 2]);
    expect(dl.permute(dl.ones([2, 3, 4]), [2, 0, 1]).shape).toEqual([4, 2, 3]);
    expect(dl.ones([2, 3, 4]).permute([1, 2, 0]).shape).toEqual([3, 4, 2]);
    expect(dl.outer(dl.tensor([1, 2]), dl.tensor([3, 4, 5])).toArraySync()).toEqual([
      [3, 4, 5],
      [6, 8, 10],
    ]);
    expect(dl.tensor([1, 2]).outer(dl.tensor([1])).shape).toEqual([2, 1]);
    expect(flat(dl.einsum("ij,j->i", a, v))).toEqual([-2, -2]);
    expect(dl.einsum("bij,bjk->bik", dl.ones([2, 3, 4]), dl.ones([2, 4, 5])).shape).toEqual([
      2, 3, 5,
    ]);
  });
});

describe("api.md § Operations: shape and indexing", () => {
  const x = dl.arange(24).reshape([2, 3, 4]);

  it("reshape (one -1), flatten(startDim = 0, endDim = -1), squeeze, unsqueeze, expand, repeat", () => {
    expect(x.reshape([4, -1]).shape).toEqual([4, 6]);
    expect(dl.reshape(x, [-1]).shape).toEqual([24]);
    expect(() => x.reshape([-1, -1])).toThrow(dl.DendriteError);
    expect(x.flatten().shape).toEqual([24]);
    expect(dl.flatten(x, 1).shape).toEqual([2, 12]);
    expect(x.flatten(0, 1).shape).toEqual([6, 4]);
    expect(dl.ones([1, 3, 1]).squeeze().shape).toEqual([3]);
    expect(dl.squeeze(dl.ones([1, 3, 1]), 0).shape).toEqual([3, 1]);
    expect(dl.ones([3]).unsqueeze(0).shape).toEqual([1, 3]);
    expect(dl.unsqueeze(dl.ones([3]), -1).shape).toEqual([3, 1]);
    expect(dl.ones([3, 1]).expand([3, 4]).shape).toEqual([3, 4]);
    expect(dl.expand(dl.ones([1]), [2, 5]).shape).toEqual([2, 5]);
    expect(flat(dl.tensor([1, 2]).repeat([2]))).toEqual([1, 2, 1, 2]);
    expect(dl.repeat(dl.ones([2, 3]), [2, 1, 2]).shape).toEqual([2, 2, 6]);
  });

  it("dl.cat / dl.stack (ts, dim)", () => {
    const a = dl.ones([2, 3]);
    expect(dl.cat([a, a], 0).shape).toEqual([4, 3]);
    expect(dl.cat([a, a], -1).shape).toEqual([2, 6]);
    expect(dl.stack([a, a], 0).shape).toEqual([2, 2, 3]);
    expect(dl.stack([a, a], -1).shape).toEqual([2, 3, 2]);
  });

  it("split(sizeOrSections, dim), chunk(n, dim), narrow, select", () => {
    expect(x.split(2, 2).map((t) => t.shape)).toEqual([
      [2, 3, 2],
      [2, 3, 2],
    ]);
    expect(dl.split(x, [1, 3], -1).map((t) => t.shape[2])).toEqual([1, 3]);
    expect(x.chunk(3, 1).length).toBe(3);
    expect(dl.chunk(x, 2, 2)[1].shape).toEqual([2, 3, 2]);
    expect(flat(x.narrow(2, 1, 2).select(0, 0).select(0, 0))).toEqual([1, 2]);
    expect(flat(dl.narrow(x, -1, 3, 1).flatten())).toEqual([3, 7, 11, 15, 19, 23]);
    expect(dl.select(x, 1, -1).shape).toEqual([2, 4]);
  });

  it("indexSelect, gather, scatterAdd (function and method forms)", () => {
    const m = dl.tensor([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    const idx = dl.tensor([2, 0]);
    expect(m.indexSelect(1, idx).toArraySync()).toEqual([
      [3, 1],
      [6, 4],
    ]);
    expect(dl.indexSelect(m, 0, dl.tensor([1])).toArraySync()).toEqual([[4, 5, 6]]);
    const g = dl.tensor([[0], [2]]);
    expect(m.gather(1, g).toArraySync()).toEqual([[1], [6]]);
    expect(dl.gather(m, 1, g).toArraySync()).toEqual([[1], [6]]);
    const z = dl.zeros([2, 3]);
    const s = dl.ones([2, 1]);
    expect(z.scatterAdd(1, g, s).toArraySync()).toEqual([
      [1, 0, 0],
      [0, 0, 1],
    ]);
    expect(flat(dl.scatterAdd(dl.zeros([3]), 0, dl.tensor([1, 1, 2]), dl.ones([3])))).toEqual([
      0, 2, 1,
    ]);
  });

  it("t.slice with a NumPy-style string", () => {
    const y = dl.arange(60).reshape([10, 3, 2]);
    expect(y.slice("0:10, :, -1").shape).toEqual([10, 3]);
    expect(flat(y.slice("1, 0:2, 0"))).toEqual([6, 8]);
    expect(y.slice("::3").shape).toEqual([4, 3, 2]);
    expect(flat(dl.arange(5).slice("-2:"))).toEqual([3, 4]);
  });

  it("dl.pad(t, pads, value?), flip(dims), tril/triu(k?), dl.oneHot(indices, numClasses)", () => {
    const v = dl.tensor([1, 2]).float();
    expect(flat(dl.pad(v, [1, 2]))).toEqual([0, 1, 2, 0, 0]);
    expect(flat(dl.pad(v, [0, 1], -1))).toEqual([1, 2, -1]);
    expect(dl.pad(dl.ones([2, 2]), [1, 1, 0, 1]).shape).toEqual([3, 4]);
    expect(flat(dl.tensor([1, 2, 3]).flip(0))).toEqual([3, 2, 1]);
    expect(
      dl
        .flip(
          dl.tensor([
            [1, 2],
            [3, 4],
          ]),
          [0, 1],
        )
        .toArraySync(),
    ).toEqual([
      [4, 3],
      [2, 1],
    ]);
    const o = dl.ones([3, 3]);
    expect(flat(o.tril())).toEqual([1, 0, 0, 1, 1, 0, 1, 1, 1]);
    expect(flat(dl.triu(o, 1))).toEqual([0, 1, 1, 0, 0, 1, 0, 0, 0]);
    expect(flat(dl.tril(o, -1))).toEqual([0, 0, 0, 1, 0, 0, 1, 1, 0]);
    expect(o.triu(-1).sum().itemSync()).toBe(8);
    const h = dl.oneHot(dl.tensor([0, 2]), 3);
    expect(h.toArraySync()).toEqual([
      [1, 0, 0],
      [0, 0, 1],
    ]);
    expect(dl.oneHot(dl.tensor([1, 3])).shape).toEqual([2, 4]);
  });

  it("differentiable ops support backward; int and bool tensors never require grad", () => {
    const w = dl.tensor([1, 2, 3], { dtype: "float32", requiresGrad: true });
    dl.cat([w.narrow(0, 0, 2).flip(0), w.mul(w)], 0)
      .sum()
      .backward();
    expect(flat(w.grad!)).toEqual([3, 5, 6]);
    expect(w.argmax().requiresGrad).toBe(false);
    expect(w.gt(1).requiresGrad).toBe(false);
  });
});

describe("api.md § Autograd", () => {
  it("backward(grad?) accumulates into leaves; twice needs { retainGraph: true }", () => {
    const x = dl.tensor([1.5, 2], { requiresGrad: true });
    const y = x.mul(x);
    y.backward(dl.tensor([1, 10]), { retainGraph: true });
    expect(flat(x.grad!)).toEqual([3, 40]);
    y.backward(dl.tensor([1, 1]));
    expect(flat(x.grad!)).toEqual([6, 44]);
    expect(() => y.backward(dl.tensor([1, 1]))).toThrow(/retainGraph/);
  });

  it("noGrad, detach, grad(fn, inputs) leaves .grad alone, gradcheck", () => {
    const x = dl.tensor([3], { dtype: "float32", requiresGrad: true });
    expect(dl.noGrad(() => x.mul(2)).requiresGrad).toBe(false);
    const d = x.detach();
    expect([d.requiresGrad, d.isLeaf]).toEqual([false, true]);
    const [g] = dl.grad((a) => a.pow(3).sum(), [x]);
    expect(flat(g)).toEqual([27]);
    expect(x.grad).toBeNull();
    const p = dl.tensor([0.5, -0.3]).float();
    p.requiresGrad = true;
    expect(dl.gradcheck((a) => a.tanh().mul(a).sum(), [p])).toBe(true);
  });
});

describe("api.md § Memory", () => {
  it("tidy frees what it does not return; dispose; memory() = { tensors, bytes, byDevice }", () => {
    const before = dl.memory();
    expect(Object.keys(before).sort()).toEqual(["byDevice", "bytes", "tensors"]);
    const kept = dl.tidy(() => {
      const a = dl.ones([100]);
      a.add(1);
      return a.mul(2);
    });
    const after = dl.memory();
    expect(after.tensors - before.tensors).toBe(1);
    expect(after.bytes - before.bytes).toBe(400);
    expect(after.byDevice.cpu).toBeDefined();
    kept.dispose();
    expect(kept.isDisposed).toBe(true);
    expect(dl.memory().tensors).toBe(before.tensors);
    expect(() => kept.add(1)).toThrow(/dispose/);
  });
});
