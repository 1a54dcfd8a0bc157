// PyTorch's module repr: the class name, extraRepr, and children indented by two spaces. A
// child is printed by its own toString, so a layer that prints itself differently (GCNConv,
// like PyG, hides its inner Linear) looks the same alone and nested.
import type { Module } from "./module.js";

export function formatModule(m: Module): string {
  const children = m.namedChildren();
  const extra = m.extraRepr();
  const name = m.constructor.name;
  if (children.length === 0) return `${name}(${extra})`;
  const lines = extra ? extra.split("\n") : [];
  for (const [key, child] of children) {
    const text = child.toString().split("\n").join("\n  ");
    lines.push(`(${key}): ${text}`);
  }
  return `${name}(\n  ${lines.join("\n  ")}\n)`;
}
