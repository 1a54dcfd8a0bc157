// PyTorch-style text repr: tensor([[0.1000, 2.0000], ...]) with summarisation of large
// tensors (first and last 3 items per dim once a tensor exceeds 1000 elements).
import type { Tensor } from "./tensor.js";
import { fmtShape } from "./errors.js";

const THRESHOLD = 1000;
const EDGE = 3;

function formatter(values: ArrayLike<number>, dtype: string): (v: number) => string {
  if (dtype === "bool") return (v) => (v ? "True" : "False");
  if (dtype === "int32") return (v) => String(v);
  let allInt = true;
  let maxAbs = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) continue;
    if (!Number.isInteger(v)) allInt = false;
    maxAbs = Math.max(maxAbs, Math.abs(v));
  }
  const sci = maxAbs >= 1e8 || (maxAbs > 0 && maxAbs < 1e-4);
  return (v) => {
    if (Number.isNaN(v)) return "nan";
    if (!Number.isFinite(v)) return v > 0 ? "inf" : "-inf";
    if (sci) return v.toExponential(4);
    return allInt ? `${v}.` : v.toFixed(4);
  };
}

export function formatValues(
  data: ArrayLike<number>,
  shape: readonly number[],
  dtype: string,
  indent: number,
): string {
  const fmt = formatter(data, dtype);
  const summarise = data.length > THRESHOLD;
  const strides: number[] = [];
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i];
  }
  const cells: string[] = [];
  const visit = (d: number, off: number): unknown => {
    if (d === shape.length) {
      const c = fmt(data[off]);
      cells.push(c);
      return c;
    }
    const n = shape[d];
    const idx =
      summarise && n > 2 * EDGE
        ? [...Array(EDGE).keys(), -1, ...Array.from({ length: EDGE }, (_, i) => n - EDGE + i)]
        : [...Array(n).keys()];
    return idx.map((i) => (i < 0 ? "..." : visit(d + 1, off + i * strides[d])));
  };
  const tree = visit(0, 0);
  const width = Math.max(0, ...cells.map((c) => c.length));
  const render = (node: unknown, depth: number): string => {
    if (!Array.isArray(node))
      return typeof node === "string" && node !== "..." ? node.padStart(width) : String(node);
    if (depth === shape.length - 1) return `[${node.map((n) => render(n, depth + 1)).join(", ")}]`;
    const sep = `,${"\n".repeat(shape.length - 1 - depth)}${" ".repeat(indent + depth + 1)}`;
    return `[${node.map((n) => render(n, depth + 1)).join(sep)}]`;
  };
  return render(tree, 0);
}

export function formatTensor(t: Tensor): string {
  const extras: string[] = [];
  if (t.size > THRESHOLD || t.size === 0) extras.push(`shape=${fmtShape(t.shape)}`);
  if (t.device !== "cpu") extras.push(`device='${t.device}'`);
  if (t.dtype !== "float32" && t.dtype !== "bool" && t.size > 0) extras.push(`dtype=${t.dtype}`);
  if (t.dtype === "bool" && t.size === 0) extras.push("dtype=bool");
  if (t.gradFn) extras.push(`gradFn=<${t.gradFn.op}>`);
  else if (t.requiresGrad) extras.push("requiresGrad=true");
  let body: string;
  if (!t.backend.readSync) body = `<on ${t.device}: await t.toArray() to read>`;
  else body = formatValues(t.dataSync(), t.shape, t.dtype, "tensor(".length);
  return `tensor(${[body, ...extras].join(", ")})`;
}
