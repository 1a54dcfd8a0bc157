// Module: the base of every layer and model. Parameters, buffers and child modules are found
// by walking the instance's own fields in declaration order, giving PyTorch's dotted names
// (`layers.0.weight`), so state dicts interchange with PyTorch.
import { formatAttrs, type Attr } from "./attrs.js";
import { Tensor } from "../tensor/tensor.js";
import type { Device } from "../backend/backend.js";
import { Buffer, Parameter } from "./parameter.js";
import { formatModule } from "./repr.js";
import { loadModuleState, type LoadResult } from "./load-state.js";

export type ForwardHook = (module: Module, inputs: unknown[], output: unknown) => void;

export type { LoadResult };

export abstract class Module {
  /** Training mode (dropout active, batch norm uses batch statistics). */
  training = true;

  constructor() {
    routeForwardThroughHooks(new.target.prototype);
  }

  abstract forward(...args: any[]): any;

  /** Named direct members: subclasses holding children in a list or map override this. */
  protected entries(): [string, unknown][] {
    return Object.entries(this);
  }

  namedChildren(): [string, Module][] {
    return this.entries().filter((e): e is [string, Module] => e[1] instanceof Module);
  }

  children(): Module[] {
    return this.namedChildren().map(([, m]) => m);
  }

  namedModules(prefix = ""): [string, Module][] {
    const out: [string, Module][] = [[prefix, this]];
    for (const [name, child] of this.namedChildren())
      out.push(...child.namedModules(prefix ? `${prefix}.${name}` : name));
    return out;
  }

  modules(): Module[] {
    return this.namedModules().map(([, m]) => m);
  }

  private namedTensors<T extends Tensor>(
    kind: new (...a: any[]) => T,
    prefix: string,
    seen: Set<Tensor>,
  ): [string, T][] {
    const out: [string, T][] = [];
    for (const [name, value] of this.entries()) {
      const full = prefix ? `${prefix}.${name}` : name;
      if (value instanceof kind && !seen.has(value)) {
        seen.add(value);
        out.push([full, value]);
      } else if (value instanceof Module) out.push(...value.namedTensors(kind, full, seen));
    }
    return out;
  }

  /** Parameters with dotted names; a parameter shared by two modules is listed once. */
  namedParameters(prefix = ""): [string, Parameter][] {
    return this.namedTensors(Parameter, prefix, new Set());
  }

  parameters(): Parameter[] {
    return this.namedParameters().map(([, p]) => p);
  }

  namedBuffers(prefix = ""): [string, Buffer][] {
    return this.namedTensors(Buffer, prefix, new Set());
  }

  buffers(): Buffer[] {
    return this.namedBuffers().map(([, b]) => b);
  }

  numParameters(onlyTrainable = false): number {
    return this.parameters()
      .filter((p) => !onlyTrainable || p.requiresGrad)
      .reduce((n, p) => n + p.size, 0);
  }

  train(mode = true): this {
    for (const m of this.modules()) m.training = mode;
    return this;
  }

  eval(): this {
    return this.train(false);
  }

  /**
   * Sets requiresGrad on every parameter (PyTorch's requires_grad_): freezing a network that
   * another one trains through (a GAN's discriminator during the generator's step, a
   * pretrained body) skips its weight gradients while gradients still flow through it.
   */
  requiresGrad_(requiresGrad = true): this {
    for (const p of this.parameters()) p.requiresGrad_(requiresGrad);
    return this;
  }

  /** Clears gradients (PyTorch's default set_to_none). */
  zeroGrad(): void {
    for (const p of this.parameters()) {
      p.grad?.dispose();
      p.grad = null;
    }
  }

  /** Moves parameters and buffers in place, so optimizers keep their references. */
  to(device: Device): this {
    for (const t of [...this.parameters(), ...this.buffers()]) {
      t._moveTo(device);
      if (t.grad) t.grad = t.grad.to(device);
    }
    return this;
  }

  /** Parameters and buffers by dotted name, detached (they share storage). */
  stateDict(): Record<string, Tensor> {
    const out: Record<string, Tensor> = {};
    for (const [name, t] of [...this.namedParameters(), ...this.namedBuffers()])
      out[name] = t.detach();
    return out;
  }

  /**
   * Copies values from `dict` into this module's parameters and buffers. Strict mode fails
   * on missing or unexpected keys; a shape mismatch, a disposed or non-tensor entry always
   * fails, and a failed load writes nothing.
   */
  loadStateDict(
    dict: Record<string, Tensor> | Map<string, Tensor>,
    opts: { strict?: boolean } = {},
  ): LoadResult {
    const own = new Map<string, Tensor>([...this.namedParameters(), ...this.namedBuffers()]);
    return loadModuleState(this.constructor.name, own, dict, opts.strict ?? true);
  }

  /** Calls `hook(module, inputs, output)` after every forward of this module. */
  registerForwardHook(hook: ForwardHook): () => void {
    const hooks = forwardHooks.get(this) ?? [];
    forwardHooks.set(this, hooks);
    hooks.push(hook);
    return () => {
      const i = hooks.indexOf(hook);
      if (i >= 0) hooks.splice(i, 1);
    };
  }

  /**
   * The constructor arguments as data, in PyTorch's order (see attrs.ts): extraRepr formats
   * them and the layer diagram shows their values. Layers override this, not extraRepr.
   */
  attrs(): Attr[] {
    return [];
  }

  /** Extra text inside the repr's parentheses, e.g. `in_features=784, out_features=128`. */
  extraRepr(): string {
    return formatAttrs(this.attrs());
  }

  toString(): string {
    return formatModule(this);
  }

  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return this.toString();
  }

  [Symbol.for("Jupyter.display")](): Record<string, unknown> {
    return moduleDisplay.build ? moduleDisplay.build(this) : { "text/plain": this.toString() };
  }
}

/** Slot for the rich display builder (src/display), kept here to avoid an import cycle. */
export const moduleDisplay: { build: ((m: Module) => Record<string, unknown>) | null } = {
  build: null,
};

// Forward hooks run from one call path: each module class's own forward is wrapped once, on
// its prototype, by a function that runs the hooks registered on the instance (none: a
// plain call). Instances are never patched, so a module's fields stay its parameters and
// children. A subclass forward calling super.forward runs the hooks once, at the outermost
// call.
const forwardHooks = new WeakMap<Module, ForwardHook[]>();

/** True when forward hooks are registered on `m` (they see its inputs and output). */
export function hasForwardHooks(m: Module): boolean {
  return (forwardHooks.get(m)?.length ?? 0) > 0;
}
const running = new WeakSet<Module>();
const ROUTED = Symbol("dendrite.forwardRouted");

type Forward = (this: Module, ...args: unknown[]) => unknown;

function withHooks(forward: Forward): Forward {
  return function (this: Module, ...args: unknown[]) {
    const hooks = forwardHooks.get(this);
    if (!hooks || hooks.length === 0 || running.has(this)) return forward.apply(this, args);
    running.add(this);
    let out: unknown;
    try {
      out = forward.apply(this, args);
    } finally {
      running.delete(this);
    }
    for (const h of [...hooks]) h(this, args, out);
    return out;
  };
}

function routeForwardThroughHooks(proto: object): void {
  for (let p = proto; p !== Module.prototype && p !== null; p = Object.getPrototypeOf(p)) {
    if (Object.prototype.hasOwnProperty.call(p, ROUTED)) return;
    Object.defineProperty(p, ROUTED, { value: true });
    const own = Object.getOwnPropertyDescriptor(p, "forward");
    if (own && typeof own.value === "function")
      Object.defineProperty(p, "forward", { ...own, value: withHooks(own.value as Forward) });
  }
}
