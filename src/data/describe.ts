// Readable text for datasets, as torchvision prints them ("Dataset MNIST / Number of
// datapoints: 60000 / …"): a title and indented "label: value" lines, where a tensor shows its
// shape and dtype and a list its size and first items. Used by String(dataset), console.log
// and the notebook display of Dataset subclasses and of the plain-object datasets.
import { fmtShape } from "../tensor/errors.js";
import { Tensor } from "../tensor/tensor.js";

export type Description = readonly (readonly [label: string, value: unknown])[];

const INSPECT = Symbol.for("nodejs.util.inspect.custom");
const JUPYTER = Symbol.for("Jupyter.display");

function formatValue(v: unknown): string {
  if (v instanceof Tensor)
    return `${fmtShape(v.shape)} ${v.dtype}${v.device === "cpu" ? "" : ` on ${v.device}`}`;
  if (Array.isArray(v)) {
    const shown = v.slice(0, 5).map((x) => (typeof x === "string" ? x : formatValue(x)));
    return `${v.length.toLocaleString("en-US")} (${shown.join(", ")}${v.length > 5 ? ", …" : ""})`;
  }
  if (typeof v === "number") return v.toLocaleString("en-US");
  return String(v);
}

export function formatDescription(title: string, lines: Description): string {
  return [title, ...lines.map(([label, value]) => `    ${label}: ${formatValue(value)}`)].join(
    "\n",
  );
}

/** The methods that make an object print its description (for classes and plain objects). */
export function describedBy(text: (self: object) => string): PropertyDescriptorMap {
  const method = (fn: (self: object) => unknown) => ({
    value: function (this: object) {
      return fn(this);
    },
    enumerable: false,
    configurable: true,
    writable: true,
  });
  return {
    toString: method(text),
    [INSPECT]: method(text),
    [JUPYTER]: method((self) => ({ "text/plain": text(self) })),
  };
}

/** Gives a plain-object dataset a readable String() and display; its keys stay as they were. */
export function withDescription<T extends object>(obj: T, title: string, lines: Description): T {
  return Object.defineProperties(
    obj,
    describedBy(() => formatDescription(title, lines)),
  );
}
