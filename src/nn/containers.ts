// Containers: Sequential, ModuleList and ModuleDict. Their children are named by index or
// key, as in PyTorch, so `layers.0.weight` round-trips through state dicts.
import { fail } from "../tensor/errors.js";
import { runChain } from "./scratch.js";
import { Module } from "./module.js";

function checkModule(op: string, m: unknown, where: string): Module {
  if (!(m instanceof Module))
    fail(op, `${where} is not a Module (got ${m === null ? "null" : typeof m})`);
  return m;
}

export class ModuleList extends Module {
  private readonly items: Module[];

  constructor(modules: Iterable<Module> = []) {
    super();
    this.items = [...modules].map((m, i) => checkModule("ModuleList", m, `item ${i}`));
  }

  protected override entries(): [string, unknown][] {
    return this.items.map((m, i) => [String(i), m]);
  }

  get length(): number {
    return this.items.length;
  }

  at(i: number): Module {
    const m = this.items.at(i);
    if (!m) fail("ModuleList", `index ${i} is out of range for ${this.items.length} modules`);
    return m;
  }

  append(m: Module): this {
    this.items.push(checkModule("ModuleList.append", m, "the argument"));
    return this;
  }

  [Symbol.iterator](): Iterator<Module> {
    return this.items[Symbol.iterator]();
  }

  forward(..._args: unknown[]): any {
    return fail("ModuleList", "has no forward(); iterate over its modules instead");
  }
}

export class Sequential extends ModuleList {
  constructor(...modules: Module[]) {
    super(modules);
  }

  override forward(input: unknown): any {
    return runChain(this, input);
  }
}

export class ModuleDict extends Module {
  private readonly items: Map<string, Module>;

  constructor(modules: Record<string, Module> | Iterable<[string, Module]> = {}) {
    super();
    const pairs =
      Symbol.iterator in modules
        ? [...(modules as Iterable<[string, Module]>)]
        : Object.entries(modules);
    this.items = new Map(pairs.map(([k, m]) => [k, checkModule("ModuleDict", m, `entry "${k}"`)]));
  }

  protected override entries(): [string, unknown][] {
    return [...this.items];
  }

  get(key: string): Module {
    const m = this.items.get(key);
    if (!m)
      fail("ModuleDict", `no module named "${key}" (keys: ${[...this.items.keys()].join(", ")})`);
    return m;
  }

  set(key: string, m: Module): this {
    this.items.set(key, checkModule("ModuleDict.set", m, `entry "${key}"`));
    return this;
  }

  has(key: string): boolean {
    return this.items.has(key);
  }

  keys(): string[] {
    return [...this.items.keys()];
  }

  get size(): number {
    return this.items.size;
  }

  forward(): never {
    return fail("ModuleDict", "has no forward(); look modules up by key instead");
  }
}
