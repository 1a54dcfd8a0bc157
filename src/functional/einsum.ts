// einsum: operands are contracted pairwise, each pair as one batched matmul
// ([batch, left, contracted] @ [batch, contracted, right]). Letters repeated inside one
// operand take its diagonal; letters found in one operand only are summed away first. "..."
// stands for the broadcast dims, as in PyTorch.
import type { Tensor } from "../tensor/tensor.js";
import { fail, fmtShape } from "../tensor/errors.js";
import { eye } from "../tensor/create.js";
import { batchedMatmul } from "../ops/matmul.js";
import { permute, view, expand } from "../ops/views.js";
import { sum } from "../ops/reductions.js";
import { mul } from "../ops/arithmetic.js";
import { reshape } from "./shape.js";

interface Term {
  t: Tensor;
  letters: string[];
}

const ELLIPSIS = "...";

/** An operand's (or the output's) subscripts: letters, and at most one "..." token. */
function tokens(spec: string, s: string): string[] {
  const parts = s.split(ELLIPSIS);
  if (parts.length > 2) fail("einsum", `"${spec}" has more than one "..." in "${s}"`);
  const letters = parts.map((p) => [...p]);
  if (letters.flat().some((c) => !/[a-zA-Z]/.test(c)))
    fail("einsum", `only letters and "..." are supported in "${spec}"`);
  return parts.length === 2 ? [...letters[0], ELLIPSIS, ...letters[1]] : letters[0];
}

function parse(spec: string, count: number): { inputs: string[][]; output: string[] | null } {
  const clean = spec.replace(/\s+/g, "");
  const [lhs, rhs] = clean.split("->");
  const inputs = lhs.split(",").map((s) => tokens(spec, s));
  if (inputs.length !== count)
    fail("einsum", `"${spec}" names ${inputs.length} operands but ${count} were given`);
  return { inputs, output: rhs === undefined ? null : tokens(spec, rhs) };
}

/**
 * Replaces "..." by one name per dim it covers, right-aligned across operands (as PyTorch
 * broadcasts them), and fills in the implicit output: the ellipsis dims, then the letters
 * used once, sorted.
 */
function resolve(
  spec: string,
  parsed: { inputs: string[][]; output: string[] | null },
  tensors: readonly Tensor[],
): { inputs: string[][]; output: string[] } {
  const widths = parsed.inputs.map((s, i) =>
    s.includes(ELLIPSIS) ? tensors[i].ndim - (s.length - 1) : 0,
  );
  widths.forEach((w, i) => {
    if (w < 0)
      fail(
        "einsum",
        `operand ${i} has shape ${fmtShape(tensors[i].shape)} but "${parsed.inputs[i].join("")}" names more dims`,
      );
  });
  const width = Math.max(0, ...widths);
  const names = (w: number) => Array.from({ length: w }, (_, j) => `…${width - w + j}`);
  const inputs = parsed.inputs.map((s, i) =>
    s.flatMap((c) => (c === ELLIPSIS ? names(widths[i]) : [c])),
  );
  let output: string[];
  if (parsed.output === null) {
    const counts = new Map<string, number>();
    for (const c of parsed.inputs.flat()) counts.set(c, (counts.get(c) ?? 0) + 1);
    const once = [...counts.keys()].filter((c) => c !== ELLIPSIS && counts.get(c) === 1);
    output = [...names(width), ...once.sort()];
  } else output = parsed.output.flatMap((c) => (c === ELLIPSIS ? names(width) : [c]));
  for (const c of output)
    if (!inputs.some((s) => s.includes(c)))
      fail("einsum", `output letter "${c}" does not appear in any input of "${spec}"`);
  return { inputs, output };
}

/** Size-1 dims broadcast against the same letter's size elsewhere (PyTorch's rule). */
function broadcastTerms(terms: Term[]): Term[] {
  const size = new Map<string, number>();
  for (const { t, letters } of terms)
    letters.forEach((c, i) => {
      const cur = size.get(c);
      if (cur === undefined || cur === 1) size.set(c, t.shape[i]);
      else if (t.shape[i] !== 1 && t.shape[i] !== cur)
        fail("einsum", `letter "${c}" has sizes ${cur} and ${t.shape[i]}`);
    });
  return terms.map((term) => {
    const target = term.letters.map((c) => size.get(c)!);
    if (target.every((n, i) => n === term.t.shape[i])) return term;
    return { t: expand(term.t, target), letters: term.letters };
  });
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

/**
 * Einstein summation, as `torch.einsum`: `einsum("ij,jk->ik", a, b)` is a matmul; repeated indices
 * are summed, indices missing from the output are reduced.
 *
 * @example
 * ```ts
 * const a = dl.randn([2, 3, 4]);
 * const b = dl.randn([2, 4, 5]);
 * dl.einsum("bij,bjk->bik", a, b).shape; // [2, 3, 5], a batched matmul
 * ```
 */
export function einsum(spec: string, ...tensors: Tensor[]): Tensor {
  const { inputs, output } = resolve(spec, parse(spec, tensors.length), tensors);
  let terms = tensors.map((t, i): Term => {
    if (t.ndim !== inputs[i].length)
      fail(
        "einsum",
        `operand ${i} has shape ${fmtShape(t.shape)} but "${inputs[i].join("")}" names ${inputs[i].length} dims`,
      );
    return diagonals({ t, letters: inputs[i] });
  });
  terms = broadcastTerms(terms);
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
