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

/**
 * Holds modules in a list, indexed as in PyTorch (`layers.0.weight`); has no forward of its own.
 */
export class ModuleList extends Module {
  private readonly items: Module[];

  constructor(modules: Iterable<Module> = []) {
    super();
    this.items = [...modules].map((m, i) => checkModule("ModuleList", m, `item ${i}`));
  }

  protected override entries(): [string, unknown][] {
    return this.items.map((m, i) => [String(i), m]);
  }

  /** Number of modules. */
  get length(): number {
    return this.items.length;
  }

  /** The module at index `i` (negative counts from the end); fails when out of range. */
  at(i: number): Module {
    const m = this.items.at(i);
    if (!m) fail("ModuleList", `index ${i} is out of range for ${this.items.length} modules`);
    return m;
  }

  /** Appends a module; returns this. */
  append(m: Module): this {
    this.items.push(checkModule("ModuleList.append", m, "the argument"));
    return this;
  }

  /** Iterates over the modules in order. */
  [Symbol.iterator](): Iterator<Module> {
    return this.items[Symbol.iterator]();
  }

  /** Fails: a ModuleList has no forward; iterate over its modules instead. */
  forward(..._args: unknown[]): any {
    return fail("ModuleList", "has no forward(); iterate over its modules instead");
  }
}

/**
 * Chains modules: `forward(x)` feeds x through each in order, as PyTorch's `nn.Sequential`.
 *
 * @example
 * ```ts
 * const model = new dl.nn.Sequential(
 *   new dl.nn.Linear(784, 128),
 *   new dl.nn.ReLU(),
 *   new dl.nn.Linear(128, 10),
 * );
 * model.forward(dl.randn([32, 784])).shape; // [32, 10]
 * ```
 */
export class Sequential extends ModuleList {
  constructor(...modules: Module[]) {
    super(modules);
  }

  /** Feeds `input` through each module in order and returns the last output. */
  override forward(input: unknown): any {
    return runChain(this, input);
  }
}

/** Holds modules by name (PyTorch's `nn.ModuleDict`); state dict keys are `key.param`. */
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

  /** The module named `key`; fails when absent. */
  get(key: string): Module {
    const m = this.items.get(key);
    if (!m)
      fail("ModuleDict", `no module named "${key}" (keys: ${[...this.items.keys()].join(", ")})`);
    return m;
  }

  /** Adds or replaces the module named `key`; returns this. */
  set(key: string, m: Module): this {
    this.items.set(key, checkModule("ModuleDict.set", m, `entry "${key}"`));
    return this;
  }

  /** Whether a module named `key` is held. */
  has(key: string): boolean {
    return this.items.has(key);
  }

  /** The keys in insertion order. */
  keys(): string[] {
    return [...this.items.keys()];
  }

  /** Number of modules. */
  get size(): number {
    return this.items.size;
  }

  /** Fails: a ModuleDict has no forward; look modules up by key instead. */
  forward(): never {
    return fail("ModuleDict", "has no forward(); look modules up by key instead");
  }
}
