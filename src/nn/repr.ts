// PyTorch's module repr: the class name, extraRepr, and children indented by two spaces.
import type { Module } from "./module.js";

export function formatModule(m: Module): string {
  const children = m.namedChildren();
  const extra = m.extraRepr();
  const name = m.constructor.name;
  if (children.length === 0) return `${name}(${extra})`;
  const lines = extra ? extra.split("\n") : [];
  for (const [key, child] of children) {
    // The child's own toString, as PyTorch nests repr(child): a layer that prints itself
    // differently (GCNConv, as PyG does) reads the same alone and inside a model.
    const text = child.toString().split("\n").join("\n  ");
    lines.push(`(${key}): ${text}`);
  }
  return `${name}(\n  ${lines.join("\n  ")}\n)`;
}
