// Every misuse throws a DendriteError whose message starts with the op's name and names the
// shapes, dtypes or devices involved and what was expected.
import { describe, expect, it } from "vitest";
import * as dl from "../../src/index.js";
import type { Backend, BackendBuffer, DType } from "../../src/index.js";

/** Asserts `fn` throws a DendriteError for `op` whose message matches every pattern. */
function expectMisuse(fn: () => unknown, op: string, ...patterns: (RegExp | string)[]): void {
  let error: unknown = null;
  try {
    fn();
  } catch (e) {
    error = e;
  }
  expect(error, `expected ${op} to throw`).toBeInstanceOf(dl.DendriteError);
  const e = error as dl.DendriteError;
  expect(e.op).toBe(op);
  expect(e.message.startsWith(`${op}: `)).toBe(true);
  for (const p of patterns) expect(e.message).toMatch(p);
}

const x23 = () => dl.zeros([2, 3]);

describe("shape mismatches", () => {
  const cases: [string, () => unknown, string, ...(RegExp | string)[]][] = [
    ["add", () => dl.add(x23(), dl.zeros([4])), "add", "[2, 3]", "[4]", /broadcast/],
    ["mul method", () => x23().mul(dl.zeros([3, 2])), "mul", "[2, 3]", "[3, 2]", /broadcast/],
    ["where", () => dl.where(dl.ones([2], { dtype: "bool" }), x23(), 0), "where", "[2]", "[2, 3]"],
    ["matmul", () => dl.matmul(x23(), dl.zeros([4, 5])), "matmul", "[2, 3]", "[4, 5]"],
    ["matmul of a scalar", () => dl.matmul(dl.zeros([]), x23()), "matmul", /at least 1 dim/],
    ["cat", () => dl.cat([x23(), dl.zeros([2, 4])], 0), "cat", "[2, 3]", "[2, 4]", /dim 0/],
    ["stack", () => dl.stack([x23(), dl.zeros([3, 2])]), "stack", "[2, 3]", "[3, 2]", /same shape/],
    ["reshape", () => x23().reshape([4]), "reshape", "[4]", /size 6/],
    ["reshape two -1", () => x23().reshape([-1, -1]), "reshape", /one -1/],
    ["view", () => x23().T.view([6]), "view", "[3, 2]", /reshape/],
    ["expand", () => dl.zeros([3]).expand([4]), "expand", /size 3 to 4/, "[3]", "[4]"],
    ["split", () => x23().split([1, 1], 1), "split", /\[1,1\]/, /size 3/],
    ["outer", () => dl.outer(x23(), dl.zeros([2])), "outer", /1-D/, "[2, 3]"],
    [
      "gather",
      () => dl.gather(x23(), 0, dl.zeros([2], { dtype: "int32" })),
      "gather",
      "[2]",
      "[2, 3]",
    ],
    ["gather index dtype", () => dl.gather(x23(), 0, x23()), "gather", /int32/, "float32[2, 3]"],
    ["einsum", () => dl.einsum("ij,jk->ik", x23(), dl.zeros([4, 2])), "einsum", /"j"/, /3 and 4/],
    ["einsum dims", () => dl.einsum("ijk->i", x23()), "einsum", "[2, 3]", /3 dims/],
    ["repeat", () => x23().repeat([2]), "repeat", /number of dims 2/, "[2, 3]"],
    ["pad", () => dl.pad(dl.zeros([2]), [1, 1, 1, 1]), "pad", /pairs/],
    ["tril", () => dl.tril(dl.zeros([3])), "tril", /2 dims/, "[3]"],
    ["ragged nested array", () => dl.tensor([[1, 2], [3]]), "tensor", /ragged/],
    ["item", () => x23().itemSync(), "item", /one-element/, "[2, 3]"],
    [
      "scatterAdd dtype",
      () =>
        dl.scatterAdd(
          x23(),
          0,
          dl.zeros([1, 3], { dtype: "int32" }),
          dl.zeros([1, 3], { dtype: "int32" }),
        ),
      "scatterAdd",
      /int32/,
      /float32/,
    ],
  ];
  for (const [name, fn, op, ...patterns] of cases)
    it(name, () => expectMisuse(fn, op, ...patterns));
});

describe("bad dims and indices", () => {
  const cases: [string, () => unknown, string, ...(RegExp | string)[]][] = [
    ["sum", () => x23().sum(2), "sum", /dim 2 is out of range/, /2 dims/, /-2\.\.1/],
    ["mean negative", () => dl.mean(x23(), -3), "mean", /dim -3/, /-2\.\.1/],
    ["max list", () => dl.max(x23(), [0, 5]), "max", /dim 5/],
    ["repeated dim", () => dl.sum(x23(), [1, -1]), "sum", /repeated dim/],
    ["softmax", () => dl.softmax(x23(), 2), "softmax", /dim 2/],
    ["softmax without dim", () => dl.softmax(x23()), "softmax", /dim is required/, "[2, 3]"],
    ["argmax", () => dl.argmax(x23(), 4), "argmax", /dim 4/],
    ["transpose", () => x23().transpose(0, 2), "transpose", /dim 2/],
    ["permute", () => x23().permute([0, 0]), "permute", /not a permutation/],
    ["unsqueeze", () => x23().unsqueeze(4), "unsqueeze", /dim 4/, /-3\.\.2/],
    ["squeeze", () => x23().squeeze(3), "squeeze", /dim 3/],
    ["flatten", () => dl.zeros([2, 3, 4]).flatten(2, 1), "flatten", /startDim 2.*endDim 1/],
    ["cat", () => dl.cat([x23(), x23()], 2), "cat", /dim 2/],
    ["stack", () => dl.stack([x23()], 4), "stack", /dim 4/],
    ["select", () => x23().select(1, 3), "select", /index 3/, /size 3/, "[2, 3]"],
    ["narrow", () => x23().narrow(1, 2, 2), "narrow", /start 2 and length 2/, /size 3/],
    ["slice index", () => x23().slice("2"), "slice", /index 2/, /size 2/],
    ["slice too many", () => x23().slice("0, 0, 0"), "slice", /too many indices/, "[2, 3]"],
    ["slice syntax", () => x23().slice("a:b"), "slice", /invalid index "a"/],
    ["slice step", () => x23().slice("::0"), "slice", /step cannot be zero/],
    ["max of empty", () => dl.max(dl.zeros([0, 3]), 0), "max", /zero-size dim/, "[0, 3]"],
    ["split size", () => x23().split(0), "split", /positive integer/],
    ["chunk", () => x23().chunk(0), "chunk", /positive integer/],
    ["arange", () => dl.arange(0, 5, 0), "arange", /non-zero/],
    ["randint", () => dl.randint(3, 3, [2]), "randint", /low < high/],
    ["shape", () => dl.zeros([2, -1]), "zeros", /non-negative integers/],
    ["clamp", () => dl.clamp(x23()), "clamp", /at least one of min and max/],
    ["manualSeed", () => dl.manualSeed(NaN), "manualSeed", /finite number/, /NaN/],
  ];
  for (const [name, fn, op, ...patterns] of cases)
    it(name, () => expectMisuse(fn, op, ...patterns));
});

describe("dtypes", () => {
  it("an integer tensor cannot require grad", () => {
    expectMisuse(
      () => (dl.tensor([1, 2]).requiresGrad = true),
      "requiresGrad",
      /int32/,
      "[2]",
      /floating-point/,
    );
    expectMisuse(() => dl.tensor([1, 2], { requiresGrad: true }), "requiresGrad", /int32/);
    expectMisuse(() => dl.tensor([true]).requiresGrad_(), "requiresGrad", /bool/);
  });
  it("dl.grad refuses integer inputs", () => {
    expectMisuse(
      () => dl.grad((t) => t.sum(), [dl.tensor([1, 2])]),
      "grad",
      /float32/,
      /int32/,
      "[2]",
    );
  });
  it("arithmetic that bool does not define", () => {
    expectMisuse(() => dl.neg(dl.tensor([true])), "neg", /bool/, "bool[1]");
  });
  it("unknown dtype names", () => {
    expectMisuse(() => dl.zeros([2], { dtype: "float64" as DType }), "zeros", /float64/, /float32/);
    expectMisuse(() => dl.zeros([2]).cast("float16" as DType), "cast", /float16/);
    expectMisuse(() => dl.tensor([1], { dtype: "int8" as DType }), "tensor", /int8/);
    expectMisuse(() => dl.arange(3, undefined, 1, { dtype: "x" as DType }), "arange", /"x"|x;/);
  });
  it("a non-tensor operand", () => {
    expectMisuse(() => dl.add(x23(), "1" as never), "add", /Tensor or a number/, /string/);
  });
});

describe("autograd misuse", () => {
  it("backward on a non-scalar without a gradient", () => {
    const x = dl.zeros([2, 3], { requiresGrad: true });
    expectMisuse(() => dl.mul(x, 2).backward(), "backward", /scalar/, "[2, 3]", /onesLike/);
  });
  it("backward with a gradient of the wrong shape", () => {
    const x = dl.zeros([2, 3], { requiresGrad: true });
    expectMisuse(() => dl.mul(x, 2).backward(dl.ones([3])), "backward", "[3]", "[2, 3]");
  });
  it("backward on a tensor that does not require grad", () => {
    expectMisuse(() => x23().sum().backward(), "backward", /does not require grad/, "[]");
  });
  it("a second backward without retainGraph", () => {
    const x = dl.ones([2], { requiresGrad: true });
    const y = dl.exp(x).sum();
    y.backward();
    expectMisuse(() => y.backward(), "backward", /second time/, /retainGraph/);
  });
  it("turning off requiresGrad on a non-leaf", () => {
    const y = dl.mul(dl.ones([2], { requiresGrad: true }), 2);
    expectMisuse(() => (y.requiresGrad = false), "requiresGrad", /non-leaf/, /detach/);
  });
  it("dl.grad of a non-scalar function", () => {
    expectMisuse(() => dl.grad((t) => dl.mul(t, 2), [dl.ones([3])]), "grad", /one-element/, "[3]");
  });
  it("a scope that ends while an async scope started inside it still runs", async () => {
    // (async scopes themselves are allowed: tests/memory/async-scope.test.ts)
    const waitOnce = async () => await null;
    expectMisuse(() => dl.tidy(() => void dl.tidy(waitOnce)), "tidy", /overlapped/, /await/);
    expectMisuse(() => dl.noGrad(() => void dl.noGrad(waitOnce)), "noGrad", /overlapped/);
    expect(dl.isGradEnabled()).toBe(false); // the inner scope is still open, and program-wide
    await new Promise((r) => setTimeout(r, 0));
    expect(dl.isGradEnabled()).toBe(true);
  });
});

describe("use after dispose", () => {
  const disposed = () => {
    const t = dl.ones([2, 3]);
    t.dispose();
    return t;
  };
  const cases: [string, (t: dl.Tensor) => unknown, string][] = [
    ["add", (t) => dl.add(t, 1), "add"],
    ["add as second operand", (t) => dl.add(dl.ones([3]), t), "add"],
    ["exp method", (t) => t.exp(), "exp"],
    ["sum", (t) => t.sum(), "sum"],
    ["matmul", (t) => dl.matmul(dl.ones([3, 2]), t), "matmul"],
    ["cat", (t) => dl.cat([dl.ones([2, 3]), t]), "cat"],
    // Composites report the primitive that touched the tensor.
    ["reshape", (t) => t.reshape([3, 2]), "view"],
    ["transpose", (t) => t.transpose(0, 1), "permute"],
    ["where", (t) => dl.where(true, t, 0), "where"],
    ["gather", (t) => dl.gather(t, 0, dl.zeros([1, 3], { dtype: "int32" })), "gather"],
  ];
  for (const [name, fn, op] of cases)
    it(name, () => expectMisuse(() => fn(disposed()), op, /dispose/, "[2, 3]"));
  it("reading values", async () => {
    expectMisuse(() => disposed().toArraySync(), "toArraySync", /dispose/, "[2, 3]");
    await expect(disposed().data()).rejects.toThrow(/data: .*\[2, 3\].*dispose/);
  });
});

/** A second device for tests: host memory posing as "webgpu", without kernels or sync reads. */
interface FakeBuffer extends BackendBuffer {
  data: Float32Array | Int32Array | Uint8Array;
}
class FakeGpu implements Backend {
  readonly device = "webgpu" as const;
  alloc(dtype: DType, length: number): FakeBuffer {
    const data =
      dtype === "float32"
        ? new Float32Array(length)
        : dtype === "int32"
          ? new Int32Array(length)
          : new Uint8Array(length);
    return { device: "webgpu", dtype, length, data };
  }
  free(): void {}
  write(buffer: BackendBuffer, data: ArrayLike<number>): void {
    (buffer as FakeBuffer).data.set(data);
  }
  async read(buffer: BackendBuffer, start: number, length: number) {
    return (buffer as FakeBuffer).data.slice(start, start + length);
  }
  fillUniform(): void {
    throw new Error("test double: no random kernel");
  }
  async sync(): Promise<void> {}
  info() {
    return { description: "test double" };
  }
}

describe("devices", () => {
  dl.registerBackend(new FakeGpu(), {});
  const gpu = (shape: number[]) => dl.zeros(shape, { device: "webgpu" });
  const cases: [string, () => unknown, string][] = [
    ["add", () => dl.add(x23(), gpu([2, 3])), "add"],
    ["add method, gpu first", () => gpu([2, 3]).add(x23()), "add"],
    ["matmul", () => dl.matmul(x23(), gpu([3, 2])), "matmul"],
    [
      "where",
      () => dl.where(dl.zeros([3], { dtype: "bool", device: "webgpu" }), x23(), 0),
      "where",
    ],
    ["cat", () => dl.cat([x23(), gpu([2, 3])]), "cat"],
    [
      "gather",
      () => dl.gather(x23(), 1, dl.zeros([2, 1], { dtype: "int32", device: "webgpu" })),
      "gather",
    ],
  ];
  for (const [name, fn, op] of cases)
    it(`mixing devices in ${name}`, () => expectMisuse(fn, op, /cpu/, /webgpu/, /one device/));
  it("backward with a gradient on another device", () => {
    const y = dl.mul(dl.ones([2], { requiresGrad: true }), 2);
    expectMisuse(() => y.backward(gpu([2])), "backward", /webgpu/, /cpu/);
  });
  it("synchronous reads of a GPU tensor point to the async form", async () => {
    const t = dl.tensor([1, 2], { device: "webgpu" });
    expectMisuse(() => t.dataSync(), "dataSync", /webgpu/, /await t\.data\(\)/);
    expectMisuse(() => t.toArraySync(), "dataSync", /await/);
    expect(await t.toArray()).toEqual([1, 2]);
    expect(t.device).toBe("webgpu");
  });
});
