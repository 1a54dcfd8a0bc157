// A table of invalid calls (issue 11's list and their neighbours): each must throw a
// DendriteError whose message starts with the name of the op the user called. Nothing may
// surface as a TypeError, a RangeError, a stack overflow or a silently wrong value.
import { describe, expect, it } from "vitest";
import * as dl from "../../src/index.js";

const a = () => dl.ones([2, 3]);
const ints = (v: number[]) => dl.tensor(v, { dtype: "int32" });
const cyclic = () => {
  const c: unknown[] = [1];
  c.push(c);
  return c;
};
const deep = () => {
  let d: unknown = [1];
  for (let i = 0; i < 10_000; i++) d = [d];
  return d;
};
// Deliberately ill-typed calls, as a JavaScript user could write them.
const any = (x: unknown) => x as never;

export const INVALID_CALLS: [string, () => unknown, string][] = [
  // sizes: negative, fractional, NaN, infinite
  ["eye(2.5)", () => dl.eye(2.5), "eye"],
  ["eye(-1)", () => dl.eye(-1), "eye"],
  ["eye(3, NaN)", () => dl.eye(3, NaN), "eye"],
  ["arange(NaN)", () => dl.arange(NaN), "arange"],
  ["arange(Infinity)", () => dl.arange(Infinity), "arange"],
  ["arange(0, 1, NaN)", () => dl.arange(0, 1, NaN), "arange"],
  ["arange step 0", () => dl.arange(0, 1, 0), "arange"],
  ["linspace(0, 1, 2.5)", () => dl.linspace(0, 1, 2.5), "linspace"],
  ["linspace(NaN, 1, 3)", () => dl.linspace(NaN, 1, 3), "linspace"],
  ["zeros([2.5])", () => dl.zeros([2.5]), "zeros"],
  ["ones([-1])", () => dl.ones([-1]), "ones"],
  ["full([NaN], 1)", () => dl.full([NaN], 1), "full"],
  ["zeros(3) (not an array)", () => dl.zeros(any(3)), "zeros"],
  ["rand([Infinity])", () => dl.rand([Infinity]), "rand"],
  ["randn([1.5])", () => dl.randn([1.5]), "randn"],
  ["randint shape [2.5]", () => dl.randint(0, 3, [2.5]), "randint"],
  ["expand([2.5, 3])", () => dl.ones([1, 3]).expand([2.5, 3]), "expand"],
  ["expand(undefined)", () => dl.ones([1, 3]).expand(any(undefined)), "expand"],
  ["pad(a, [0.5, 1])", () => dl.pad(a(), [0.5, 1]), "pad"],
  ["pad(a, 'x')", () => dl.pad(a(), any("x")), "pad"],
  ["new Linear(1.5, 3)", () => new dl.nn.Linear(1.5, 3), "Linear"],
  ["new Linear(3, -2)", () => new dl.nn.Linear(3, -2), "Linear"],
  ["new Linear(NaN, 2)", () => new dl.nn.Linear(NaN, 2), "Linear"],
  ["repeat([-1, 1])", () => a().repeat([-1, 1]), "repeat"],
  ["repeat([1.5, 1])", () => a().repeat([1.5, 1]), "repeat"],
  ["chunk(0)", () => a().chunk(0), "chunk"],
  ["chunk(1.5)", () => a().chunk(1.5), "chunk"],
  // allocations beyond memory
  ["zeros([1e6, 1e6])", () => dl.zeros([1e6, 1e6]), "zeros"],
  ["ones([2**31])", () => dl.ones([2 ** 31]), "ones"],
  ["randn([1e5, 1e5])", () => dl.randn([1e5, 1e5]), "randn"],
  ["eye(1e6)", () => dl.eye(1e6), "eye"],
  ["arange(1e10)", () => dl.arange(0, 1e10, 1, { dtype: "float32" }), "arange"],
  ["a huge matmul output", () => dl.matmul(dl.ones([100000, 1]), dl.ones([1, 100000])), "matmul"],
  [
    "a huge expand then contiguous",
    () => dl.ones([1, 1]).expand([100000, 100000]).contiguous(),
    "contiguous",
  ],
  ["new Embedding(1e9, 1e3)", () => new dl.nn.Embedding(1e9, 1e3), "Embedding"],
  ["new Linear(1e6, 1e6)", () => new dl.nn.Linear(1e6, 1e6), "Linear"],
  // wrong argument types
  ["sum('1')", () => a().sum(any("1")), "sum"],
  ["sum([0.5])", () => a().sum([0.5]), "sum"],
  ["mean('0')", () => a().mean(any("0")), "mean"],
  ["max(1.5)", () => a().max(1.5), "max"],
  ["reshape(undefined)", () => a().reshape(any(undefined)), "reshape"],
  ["reshape([2, 'a'])", () => a().reshape(any([2, "a"])), "reshape"],
  ["reshape([-1, -1])", () => a().reshape([-1, -1]), "reshape"],
  ["view(null)", () => a().view(any(null)), "view"],
  ["permute('01')", () => a().permute(any("01")), "permute"],
  ["permute([0, 0])", () => a().permute([0, 0]), "permute"],
  ["transpose(0.5, 1)", () => a().transpose(0.5, 1), "transpose"],
  ["dl.grad(5, [a])", () => dl.grad(any(5), [a()]), "grad"],
  ["dl.grad(fn, a)", () => dl.grad((x) => x.sum(), any(a())), "grad"],
  ["Linear.forward([1, 2, 3])", () => new dl.nn.Linear(3, 2).forward(any([1, 2, 3])), "linear"],
  ["dl.cat(a)", () => dl.cat(any(a())), "cat"],
  ["dl.cat([])", () => dl.cat([]), "cat"],
  ["dl.cat([a, 5])", () => dl.cat([a(), any(5)]), "cat"],
  ["dl.stack(a)", () => dl.stack(any(a())), "stack"],
  ["dl.tensor([1n])", () => dl.tensor(any([1n])), "tensor"],
  ["dl.tensor('abc')", () => dl.tensor(any("abc")), "tensor"],
  ["dl.tensor({})", () => dl.tensor(any({})), "tensor"],
  ["dl.tensor([[1], 2])", () => dl.tensor(any([[1], 2])), "tensor"],
  ["dl.tensor(cyclic)", () => dl.tensor(any(cyclic())), "tensor"],
  ["dl.tensor(10,000 deep)", () => dl.tensor(any(deep())), "tensor"],
  ["dl.tensor([null])", () => dl.tensor(any([null])), "tensor"],
  ["full([2], 'x')", () => dl.full([2], any("x")), "full"],
  ["clamp('a')", () => a().clamp(any("a")), "clamp"],
  ["clamp(undefined, [1])", () => a().clamp(undefined, any([1])), "clamp"],
  ["add(a, 'x')", () => dl.add(a(), any("x")), "add"],
  ["mul(a, null)", () => dl.mul(a(), any(null)), "mul"],
  // silent wrong values are refused
  ["tensor([3e9]) as int32", () => dl.tensor([3e9], { dtype: "int32" }), "tensor"],
  ["tensor([3e9]) inferred int", () => dl.tensor([3e9]), "tensor"],
  ["tensor([-3e9])", () => dl.tensor([-3e9]), "tensor"],
  [
    "tensor(Int-like Float64Array 1e10 as int32)",
    () => dl.tensor(any(new Float64Array([1e10])), { dtype: "int32" }),
    "tensor",
  ],
  ["full([2], 1e20, int32)", () => dl.full([2], 1e20, { dtype: "int32" }), "full"],
  ["full([2], NaN, int32)", () => dl.full([2], NaN, { dtype: "int32" }), "full"],
  ["full([2], Infinity, int32)", () => dl.full([2], Infinity, { dtype: "int32" }), "full"],
  ["randint(0, 2**40)", () => dl.randint(0, 2 ** 40, [2]), "randint"],
  ["randint(0.5, 3)", () => dl.randint(0.5, 3, [2]), "randint"],
  ["randint(3, 3)", () => dl.randint(3, 3, [2]), "randint"],
  ["arange past 2^31", () => dl.arange(2 ** 31 - 2, 2 ** 31 + 2), "arange"],
  ["oneHot class >= numClasses", () => dl.oneHot(ints([0, 3]), 3), "oneHot"],
  ["oneHot class < 0", () => dl.oneHot(ints([0, -1]), 3), "oneHot"],
  ["oneHot numClasses 1.5", () => dl.oneHot(ints([0]), 1.5), "oneHot"],
  ["oneHot numClasses -2", () => dl.oneHot(ints([0]), -2), "oneHot"],
  [
    "gather negative index",
    () => dl.gather(a(), 1, ints([0, -1, 0, 0, 0, 0]).reshape([2, 3])),
    "gather",
  ],
  [
    "gather index too large",
    () => dl.gather(a(), 1, ints([0, 3, 0, 0, 0, 0]).reshape([2, 3])),
    "gather",
  ],
  ["gather float index", () => dl.gather(a(), 1, a()), "gather"],
  ["indexSelect negative", () => a().indexSelect(1, ints([-1])), "indexSelect"],
  ["indexSelect too large", () => a().indexSelect(1, ints([3])), "indexSelect"],
  ["indexSelect float index", () => a().indexSelect(1, dl.tensor([0.5])), "indexSelect"],
  [
    "scatterAdd negative",
    () => dl.scatterAdd(a(), 1, ints([-1, 0, 0, 0, 0, 0]).reshape([2, 3]), a()),
    "scatterAdd",
  ],
  [
    "scatterAdd too large",
    () => dl.scatterAdd(a(), 0, ints([2, 0, 0, 0, 0, 0]).reshape([2, 3]), a()),
    "scatterAdd",
  ],
  // errors name the op the user called
  ["bool logSoftmax", () => dl.ones([3], { dtype: "bool" }).logSoftmax(0), "logSoftmax"],
  ["bool softmax", () => dl.ones([3], { dtype: "bool" }).softmax(0), "softmax"],
  ["bool logsumexp", () => dl.ones([2], { dtype: "bool" }).logsumexp(0), "logsumexp"],
  ["softmax dim 2 of 2-d", () => a().softmax(2), "softmax"],
  ["indexSelect dim 5", () => a().indexSelect(5, ints([0])), "indexSelect"],
  ["gather dim 'x'", () => dl.gather(a(), any("x"), ints([0])), "gather"],
  // data and tokenizers
  [
    "CharTokenizer.decode(null)",
    () => new dl.data.CharTokenizer("abc").decode(any(null)),
    "CharTokenizer.decode",
  ],
  [
    "CharTokenizer.decode(5)",
    () => new dl.data.CharTokenizer("abc").decode(any(5)),
    "CharTokenizer.decode",
  ],
  [
    "CharTokenizer.decode([9])",
    () => new dl.data.CharTokenizer("abc").decode([9]),
    "CharTokenizer.decode",
  ],
  [
    "CharTokenizer.encode(5)",
    () => new dl.data.CharTokenizer("abc").encode(any(5)),
    "CharTokenizer.encode",
  ],
  [
    "WordTokenizer.encodeBatch('héllo')",
    () => new dl.data.WordTokenizer("héllo world").encodeBatch(any("héllo")),
    "WordTokenizer.encodeBatch",
  ],
  [
    "WordTokenizer.encodeBatch(null)",
    () => new dl.data.WordTokenizer("a b").encodeBatch(any(null)),
    "WordTokenizer.encodeBatch",
  ],
  [
    "WordTokenizer pad === unk",
    () => new dl.data.WordTokenizer("a b", { pad: "<x>", unk: "<x>" }),
    "WordTokenizer",
  ],
  [
    "CharTokenizer pad === unk",
    () => new dl.data.CharTokenizer("ab", { pad: "#", unk: "#" }),
    "CharTokenizer",
  ],
  ["CharTokenizer pad ''", () => new dl.data.CharTokenizer("ab", { pad: "" }), "CharTokenizer"],
  [
    "WordTokenizer maxSize 0",
    () => new dl.data.WordTokenizer("a b", { maxSize: 0 }),
    "WordTokenizer",
  ],
  [
    "WordTokenizer maxSize 2.5",
    () => new dl.data.WordTokenizer("a b", { maxSize: 2.5 }),
    "WordTokenizer",
  ],
  [
    "WordTokenizer minFreq 0",
    () => new dl.data.WordTokenizer("a b", { minFreq: 0 }),
    "WordTokenizer",
  ],
  [
    "WordTokenizer minFreq '2'",
    () => new dl.data.WordTokenizer("a b", { minFreq: any("2") }),
    "WordTokenizer",
  ],
  ["WordTokenizer corpus 5", () => new dl.data.WordTokenizer(any(5)), "WordTokenizer"],
  [
    "DataLoader batchSize 0",
    () => new dl.data.DataLoader(new dl.data.TensorDataset(a()), { batchSize: 0 }),
    "DataLoader",
  ],
  ["DataLoader of a number", () => new dl.data.DataLoader(any(5)), "DataLoader"],
  [
    "DataLoader length NaN",
    () => new dl.data.DataLoader(any({ length: NaN, get: () => 1 })),
    "DataLoader",
  ],
];

describe(`${INVALID_CALLS.length} invalid calls`, () => {
  for (const [name, call, op] of INVALID_CALLS)
    it(`${name} -> DendriteError from ${op}`, () => {
      let error: unknown = null;
      try {
        call();
      } catch (e) {
        error = e;
      }
      expect(error, `${name} did not throw`).toBeInstanceOf(dl.DendriteError);
      expect((error as Error).message.startsWith(`${op}: `), (error as Error).message).toBe(true);
    });
});
