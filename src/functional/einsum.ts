// einsum: operands are contracted pairwise, each pair as one batched matmul
// ([batch, left, contracted] @ [batch, contracted, right]). Letters repeated inside one
// operand take its diagonal; letters found in one operand only are summed away first.
import type { Tensor } from "../tensor/tensor.js";
import { fail, fmtShape } from "../tensor/errors.js";
import { eye } from "../tensor/create.js";
import { batchedMatmul } from "../ops/matmul.js";
import { permute } from "../ops/permute.js";
import { sum } from "../ops/sum.js";
import { mul } from "../ops/mul.js";
import { view } from "../ops/view.js";
import { reshape } from "./shape.js";

interface Term {
  t: Tensor;
  letters: string[];
}

function parse(spec: string, count: number): { inputs: string[][]; output: string[] } {
  const clean = spec.replace(/\s+/g, "");
  const [lhs, rhs] = clean.split("->");
  const inputs = lhs.split(",").map((s) => [...s]);
  if (inputs.length !== count)
    fail("einsum", `"${spec}" names ${inputs.length} operands but ${count} were given`);
  for (const s of inputs)
    if (s.some((c) => !/[a-zA-Z]/.test(c)))
      fail("einsum", `only letters are supported in "${spec}"`);
  let output: string[];
  if (rhs === undefined) {
    const counts = new Map<string, number>();
    for (const c of inputs.flat()) counts.set(c, (counts.get(c) ?? 0) + 1);
    output = [...counts.keys()].filter((c) => counts.get(c) === 1).sort();
  } else output = [...rhs];
  for (const c of output)
    if (!inputs.some((s) => s.includes(c)))
      fail("einsum", `output letter "${c}" does not appear in any input of "${spec}"`);
  return { inputs, output };
}

/** Takes the diagonal for letters repeated within one operand. */
function diagonals(term: Term): Term {
  let { t, letters } = term;
  for (;;) {
    const dup = letters.findIndex((c, i) => letters.indexOf(c) !== i);
    if (dup < 0) return { t, letters };
    const first = letters.indexOf(letters[dup]);
    const n = t.shape[first];
    if (t.shape[dup] !== n)
      fail("einsum", `letter "${letters[dup]}" has sizes ${n} and ${t.shape[dup]}`);
    const maskShape = t.shape.map((s, i) => (i === first || i === dup ? s : 1));
    t = sum(mul(t, view(eye(n, n, { device: t.device }), maskShape)), dup);
    letters = letters.filter((_, i) => i !== dup);
  }
}

function sumAway(term: Term, keep: Set<string>): Term {
  const dims = term.letters.map((c, i) => (keep.has(c) ? -1 : i)).filter((i) => i >= 0);
  if (!dims.length) return term;
  return { t: sum(term.t, dims), letters: term.letters.filter((c) => keep.has(c)) };
}

function sizesOf(term: Term, letters: string[]): number[] {
  return letters.map((c) => term.t.shape[term.letters.indexOf(c)]);
}

function contract(a: Term, b: Term, keep: Set<string>): Term {
  const inB = new Set(b.letters);
  const inA = new Set(a.letters);
  const batch = a.letters.filter((c) => inB.has(c) && keep.has(c));
  const summed = a.letters.filter((c) => inB.has(c) && !keep.has(c));
  const left = a.letters.filter((c) => !inB.has(c));
  const right = b.letters.filter((c) => !inA.has(c));
  for (const c of [...batch, ...summed])
    if (sizesOf(a, [c])[0] !== sizesOf(b, [c])[0])
      fail("einsum", `letter "${c}" has sizes ${sizesOf(a, [c])[0]} and ${sizesOf(b, [c])[0]}`);
  const prod = (xs: number[]) => xs.reduce((p, x) => p * x, 1);
  const [B, L, S, R] = [batch, left, summed, right].map((ls, i) =>
    prod(sizesOf(i === 3 ? b : a, ls)),
  );
  const pa = permute(
    a.t,
    [...batch, ...left, ...summed].map((c) => a.letters.indexOf(c)),
  );
  const pb = permute(
    b.t,
    [...batch, ...summed, ...right].map((c) => b.letters.indexOf(c)),
  );
  const out = batchedMatmul(reshape(pa, [B, L, S]), reshape(pb, [B, S, R]));
  const letters = [...batch, ...left, ...right];
  return { t: reshape(out, [...sizesOf(a, [...batch, ...left]), ...sizesOf(b, right)]), letters };
}

export function einsum(spec: string, ...tensors: Tensor[]): Tensor {
  const { inputs, output } = parse(spec, tensors.length);
  let terms = tensors.map((t, i): Term => {
    if (t.ndim !== inputs[i].length)
      fail(
        "einsum",
        `operand ${i} has shape ${fmtShape(t.shape)} but "${inputs[i].join("")}" names ${inputs[i].length} dims`,
      );
    return diagonals({ t, letters: inputs[i] });
  });
  const needed = (from: number) =>
    new Set([...output, ...terms.slice(from).flatMap((x) => x.letters)]);
  let acc = sumAway(terms[0], needed(1));
  for (let i = 1; i < terms.length; i++) {
    const keep = needed(i + 1);
    const next = sumAway(terms[i], new Set([...keep, ...acc.letters]));
    acc = contract(sumAway(acc, new Set([...keep, ...next.letters])), next, keep);
  }
  terms = [];
  acc = sumAway(acc, new Set(output));
  return permute(
    acc.t,
    output.map((c) => acc.letters.indexOf(c)),
  );
}
