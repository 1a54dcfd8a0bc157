// A module's constructor arguments as data. Module.attrs() lists them in PyTorch's order, each
// with its value and how PyTorch's repr prints it; extraRepr() formats that list and the
// layer diagram reads the values, so neither parses the other's text (a convolution's channel
// counts, printed without names, reach the diagram as in_channels and out_channels).
import { pyBool, pyFloat, pyIntOrTuple, pyTuple } from "./layers/pyrepr.js";

export type AttrValue = string | number | boolean | null | (number | null)[];

/** How the repr prints a value: 5, 1e-05, True, (3, 3), 3 or (3, 3), sum, 'none', 0.1. */
export type AttrFormat = "int" | "float" | "bool" | "tuple" | "intOrTuple" | "text" | "quoted";

export interface Attr {
  /** PyTorch's argument name (in_features, kernel_size). */
  readonly name: string;
  readonly value: AttrValue;
  readonly format: AttrFormat;
  /** Printed without its name, as PyTorch prints leading arguments. */
  readonly positional?: boolean;
  /** Left out of the repr (a default PyTorch does not print); still given to the diagram. */
  readonly quiet?: boolean;
}

type Extra = Pick<Attr, "positional" | "quiet">;

/** Attr constructors by format: attr.int("in_channels", 3, { positional: true }). */
export const attr = {
  int: (name: string, value: number | null, o: Extra = {}): Attr => ({
    name,
    value,
    format: "int",
    ...o,
  }),
  float: (name: string, value: number | null, o: Extra = {}): Attr => ({
    name,
    value,
    format: "float",
    ...o,
  }),
  bool: (name: string, value: boolean, o: Extra = {}): Attr => ({
    name,
    value,
    format: "bool",
    ...o,
  }),
  tuple: (name: string, value: readonly (number | null)[], o: Extra = {}): Attr => ({
    name,
    value: [...value],
    format: "tuple",
    ...o,
  }),
  intOrTuple: (name: string, value: number | readonly (number | null)[], o: Extra = {}): Attr => ({
    name,
    value: typeof value === "number" ? value : [...value],
    format: "intOrTuple",
    ...o,
  }),
  /** A value printed as JavaScript prints it (a string bare, a number as String(n)). */
  text: (name: string, value: string | number, o: Extra = {}): Attr => ({
    name,
    value,
    format: "text",
    ...o,
  }),
  quoted: (name: string, value: string, o: Extra = {}): Attr => ({
    name,
    value,
    format: "quoted",
    ...o,
  }),
};

function formatValue(a: Attr): string {
  const v = a.value;
  if (v === null) return "None";
  switch (a.format) {
    case "float":
      return pyFloat(v as number);
    case "bool":
      return pyBool(v as boolean);
    case "tuple":
      return pyTuple(v as (number | null)[]);
    case "intOrTuple":
      return pyIntOrTuple(v as number | (number | null)[]);
    case "quoted":
      return `'${v}'`;
    case "int":
    case "text":
      return String(v);
  }
}

/** PyTorch's extra_repr text: positional values first as given, then name=value pairs. */
export function formatAttrs(attrs: readonly Attr[]): string {
  return attrs
    .filter((a) => !a.quiet)
    .map((a) => (a.positional ? formatValue(a) : `${a.name}=${formatValue(a)}`))
    .join(", ");
}

/** The values by name (what the layer diagram shows). */
export function attrValues(attrs: readonly Attr[]): Record<string, AttrValue> {
  return Object.fromEntries(attrs.map((a) => [a.name, a.value]));
}
