// defaultCollate: turns a list of samples into one batch, as torch's default_collate does:
// tensors are stacked along a new first dimension, numbers and booleans become 1-D tensors,
// strings stay a list, and arrays (tuples) and plain objects are collated field by field.
import { stack } from "../functional/index.js";
import { tensor } from "../tensor/create.js";
import { fail } from "../tensor/errors.js";
import { Tensor } from "../tensor/tensor.js";

/**
 * Numbers collate to int32 when every number in the batch is an integer, otherwise to float32
 * (the dl.tensor rule: JavaScript cannot tell 1.0 from 1). For float targets that may all be
 * whole, return tensors from the dataset or pass your own collate.
 */
export function defaultCollate(samples: readonly unknown[]): unknown {
  if (!Array.isArray(samples) || samples.length === 0)
    fail("collate", "expected a non-empty array of samples");
  const first = samples[0];
  if (first instanceof Tensor) return stack(samples.map((s) => expectKind(s, "Tensor")));
  if (typeof first === "number") return tensor(samples.map((s) => expectKind(s, "number")));
  if (typeof first === "boolean") return tensor(samples.map((s) => expectKind(s, "boolean")));
  if (typeof first === "string") return samples.map((s) => expectKind(s, "string"));
  if (first instanceof Float32Array || first instanceof Int32Array)
    return collateTypedArrays(samples as (Float32Array | Int32Array)[]);
  if (Array.isArray(first)) return collateTuples(samples as unknown[][]);
  if (
    first !== null &&
    typeof first === "object" &&
    Object.getPrototypeOf(first) === Object.prototype
  )
    return collateRecords(samples as Record<string, unknown>[]);
  fail(
    "collate",
    `cannot batch samples of type ${describe(first)}; samples may be tensors, numbers, ` +
      `booleans, strings, Float32Array/Int32Array, or arrays and plain objects of these`,
  );
}

type Kinds = { Tensor: Tensor; number: number; boolean: boolean; string: string };

function expectKind<K extends keyof Kinds>(value: unknown, kind: K): Kinds[K] {
  const ok = kind === "Tensor" ? value instanceof Tensor : typeof value === kind;
  if (!ok)
    fail(
      "collate",
      `every sample in a batch must have the same structure: expected ${kind}, got ${describe(value)}`,
    );
  return value as Kinds[K];
}

function collateTypedArrays(samples: readonly (Float32Array | Int32Array)[]): Tensor {
  const first = samples[0];
  const Ctor = first.constructor as Float32ArrayConstructor | Int32ArrayConstructor;
  const out = new Ctor(samples.length * first.length);
  samples.forEach((s, i) => {
    if (s.constructor !== Ctor || s.length !== first.length)
      fail(
        "collate",
        `typed-array samples must share type and length, got ${describe(first)} and ${describe(s)}`,
      );
    out.set(s, i * first.length);
  });
  return tensor(out, { shape: [samples.length, first.length] });
}

function collateTuples(samples: readonly unknown[][]): unknown[] {
  const width = samples[0].length;
  for (const s of samples)
    if (!Array.isArray(s) || s.length !== width)
      fail("collate", `array samples must all have ${width} fields, got ${describe(s)}`);
  return Array.from({ length: width }, (_, k) => defaultCollate(samples.map((s) => s[k])));
}

function collateRecords(samples: readonly Record<string, unknown>[]): Record<string, unknown> {
  const keys = Object.keys(samples[0]);
  const out: Record<string, unknown> = {};
  for (const key of keys) {
    for (const s of samples)
      if (s === null || typeof s !== "object" || !(key in s))
        fail("collate", `object samples must all have the key "${key}", got ${describe(s)}`);
    out[key] = defaultCollate(samples.map((s) => s[key]));
  }
  return out;
}

function describe(v: unknown): string {
  if (v instanceof Tensor) return `Tensor [${v.shape.join(", ")}] ${v.dtype}`;
  if (Array.isArray(v)) return `array of length ${v.length}`;
  if (ArrayBuffer.isView(v)) return `${v.constructor.name} of length ${(v as Float32Array).length}`;
  if (v === null) return "null";
  if (typeof v === "object") return v.constructor?.name ?? "object";
  return typeof v;
}
