// Number and shape formatting shared by the views: short, stable strings for labels and headers.
import type { SampleValue, Shape } from "../../src/display/protocol.js";

/** 1234567 -> "1.23M": parameter counts in diagrams must stay short. */
export function formatCount(n: number): string {
  const units: [number, string][] = [
    [1e12, "T"],
    [1e9, "G"],
    [1e6, "M"],
    [1e3, "k"],
  ];
  for (const [size, unit] of units) {
    if (Math.abs(n) >= size) return `${trim(n / size, 3)}${unit}`;
  }
  return String(n);
}

function trim(x: number, digits: number): string {
  return String(Number(x.toPrecision(digits)));
}

/** A compact value for headers, tables and hovers: 4 significant digits, exponent when needed. */
export function formatValue(x: SampleValue | number | null): string {
  if (x === null) return "–";
  if (typeof x === "string") return x === "Infinity" ? "inf" : x === "-Infinity" ? "-inf" : "nan";
  if (!Number.isFinite(x)) return Number.isNaN(x) ? "nan" : x > 0 ? "inf" : "-inf";
  if (Number.isInteger(x) && Math.abs(x) < 1e6) return String(x);
  const a = Math.abs(x);
  if (a !== 0 && (a < 1e-3 || a >= 1e5)) return x.toExponential(2);
  return trim(x, 4);
}

export function formatShape(shape: Shape | null | undefined): string {
  if (!shape) return "?";
  return `[${shape.map((d) => (d === null ? "?" : String(d))).join(", ")}]`;
}

/** Decodes a sample value (JSON has no NaN/Infinity, so those travel as strings). */
export function toNumber(v: SampleValue): number {
  if (typeof v === "number") return v;
  return v === "Infinity" ? Infinity : v === "-Infinity" ? -Infinity : NaN;
}
