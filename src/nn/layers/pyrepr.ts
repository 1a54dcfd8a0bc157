// Python-style value formatting for extraRepr, so module reprs read exactly like PyTorch's
// (`kernel_size=(5, 5)`, `eps=1e-05`, `affine=True`).

/** A Python float literal: 1.0, 0.1, 1e-05. */
export function pyFloat(v: number): string {
  if (Number.isInteger(v) && Math.abs(v) < 1e16) return v.toFixed(1);
  const abs = Math.abs(v);
  if (abs !== 0 && (abs < 1e-4 || abs >= 1e16)) {
    const [mant, exp] = v.toExponential().split("e");
    const sign = exp.startsWith("-") ? "-" : "+";
    const digits = exp.replace(/^[-+]/, "").padStart(2, "0");
    return `${mant}e${sign}${digits}`;
  }
  return String(v);
}

export const pyBool = (v: boolean): string => (v ? "True" : "False");

/** A Python tuple: (5, 5) or (5,). */
export const pyTuple = (v: readonly (number | null)[]): string =>
  v.length === 1 ? `(${v[0] ?? "None"},)` : `(${v.map((x) => x ?? "None").join(", ")})`;

/** An int-or-tuple argument shown as the user gave it. */
export const pyIntOrTuple = (v: number | readonly (number | null)[]): string =>
  typeof v === "number" ? String(v) : pyTuple(v);
