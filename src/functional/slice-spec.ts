// NumPy-style index strings for t.slice(): "0:10, :, -1", "::2", "..., 0", "None, :".
// Python slice semantics, negative steps included; integers select (and drop) a dim.
import { fail } from "../tensor/errors.js";

export type IndexItem =
  | { kind: "index"; index: number }
  | { kind: "range"; start: number | null; stop: number | null; step: number | null }
  | { kind: "ellipsis" }
  | { kind: "newaxis" };

function parseInt_(spec: string, text: string): number | null {
  const s = text.trim();
  if (s === "") return null;
  if (!/^[+-]?\d+$/.test(s)) fail("slice", `invalid index "${s}" in "${spec}"`);
  return Number(s);
}

export function parseSliceSpec(spec: string): IndexItem[] {
  if (typeof spec !== "string")
    fail("slice", `expected an index string such as "0:10, :, -1", got ${typeof spec}`);
  if (spec.trim() === "") return [];
  return spec.split(",").map((part): IndexItem => {
    const p = part.trim();
    if (p === "...") return { kind: "ellipsis" };
    if (p === "None" || p === "null") return { kind: "newaxis" };
    if (!p.includes(":")) {
      const index = parseInt_(spec, p);
      if (index === null) fail("slice", `empty index in "${spec}"`);
      return { kind: "index", index };
    }
    const bits = p.split(":");
    if (bits.length > 3) fail("slice", `too many colons in "${p}" (in "${spec}")`);
    const [start, stop, step] = [
      parseInt_(spec, bits[0]),
      parseInt_(spec, bits[1]),
      parseInt_(spec, bits[2] ?? ""),
    ];
    if (step === 0) fail("slice", `slice step cannot be zero (in "${spec}")`);
    return { kind: "range", start, stop, step };
  });
}

/** Python's slice.indices(length): start, element count and step, all within bounds. */
export function resolveRange(
  length: number,
  start: number | null,
  stop: number | null,
  step: number | null,
): { start: number; size: number; step: number } {
  const st = step ?? 1;
  const clampTo = (v: number, lo: number, hi: number) => Math.min(Math.max(v, lo), hi);
  const norm = (v: number) => (v < 0 ? v + length : v);
  let a: number;
  let b: number;
  if (st > 0) {
    a = start === null ? 0 : clampTo(norm(start), 0, length);
    b = stop === null ? length : clampTo(norm(stop), 0, length);
  } else {
    a = start === null ? length - 1 : clampTo(norm(start), -1, length - 1);
    b = stop === null ? -1 : clampTo(norm(stop), -1, length - 1);
  }
  const size = Math.max(0, Math.ceil((b - a) / st));
  return { start: size === 0 ? 0 : a, size, step: st };
}
