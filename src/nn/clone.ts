// A deep copy of a module, as Python's copy.deepcopy gives PyTorch's TransformerEncoder its
// layer clones: the same class and settings, parameters and buffers copied to new storage
// (equal values, independent afterwards). Parameters shared inside the module stay shared in
// the copy. Forward hooks are not copied (they belong to the original's owner).
import type { Tensor } from "../tensor/tensor.js";
import { noGrad } from "../autograd/mode.js";
import { copy } from "../ops/copy.js";
import { Module } from "./module.js";
import { Buffer, Parameter } from "./parameter.js";

export function cloneModule<M extends Module>(m: M): M {
  return noGrad(() => cloneValue(m, new Map())) as M;
}

function cloneValue(v: unknown, memo: Map<unknown, unknown>): unknown {
  if (v === null || typeof v !== "object") return v;
  const seen = memo.get(v);
  if (seen !== undefined) return seen;
  let out: unknown = v;
  if (v instanceof Parameter) out = new Parameter(copyOf(v), v.requiresGrad);
  else if (v instanceof Buffer) out = new Buffer(copyOf(v));
  else if (v instanceof Module) out = cloneFields(v, memo);
  else if (Array.isArray(v)) out = v.map((x) => cloneValue(x, memo));
  else if (v instanceof Map)
    out = new Map([...(v as Map<unknown, unknown>)].map(([k, x]) => [k, cloneValue(x, memo)]));
  // Anything else (numbers in options objects, functions, devices) is shared, as settings.
  memo.set(v, out);
  return out;
}

function cloneFields(m: Module, memo: Map<unknown, unknown>): Module {
  const twin = Object.create(Object.getPrototypeOf(m) as object) as Module;
  memo.set(m, twin);
  for (const key of Reflect.ownKeys(m)) {
    const field = Object.getOwnPropertyDescriptor(m, key)!;
    if ("value" in field) field.value = cloneValue(field.value, memo);
    Object.defineProperty(twin, key, field);
  }
  return twin;
}

const copyOf = (t: Tensor): Tensor => copy(t.detach());
