// Module: the base of every layer and model. Parameters, buffers and child modules are found
// by walking the instance's own fields in declaration order, giving PyTorch's dotted names
// (`layers.0.weight`), so state dicts interchange with PyTorch.
import { formatAttrs, type Attr } from "./attrs.js";
import { Tensor } from "../tensor/tensor.js";
import type { Device } from "../backend/backend.js";
import { Buffer, Parameter } from "./parameter.js";
import { formatModule } from "./repr.js";
import { loadModuleState, type LoadResult } from "./load-state.js";

/**
 * Called as `hook(module, inputs, output)` after a module's forward (see {@link
 * Module.registerForwardHook}).
 */
export type ForwardHook = (module: Module, inputs: unknown[], output: unknown) => void;

export type { LoadResult };

/**
 * The base of every layer and model, as PyTorch's `nn.Module`: parameters, buffers and child
 * modules are the instance's own fields, found in declaration order and named with PyTorch's
 * dotted names (`layers.0.weight`), so state dicts interchange with PyTorch. Subclasses define
 * `forward`; call it directly (`model.forward(x)`).
 *
 * @example
 * ```ts
 * class MLP extends dl.nn.Module {
 *   fc1 = new dl.nn.Linear(784, 128);
 *   fc2 = new dl.nn.Linear(128, 10);
 *   forward(x: dl.Tensor) {
 *     return this.fc2.forward(dl.relu(this.fc1.forward(x)));
 *   }
 * }
 * const model = new MLP();
 * model.numParameters(); // 101770
 * ```
 */
export abstract class Module {
  /** Training mode (dropout active, batch norm uses batch statistics). */
  training = true;

  constructor() {
    routeForwardThroughHooks(new.target.prototype);
  }

  /** The computation: the module's output for its inputs (for layers, `[N, ...]` batches). */
  abstract forward(...args: any[]): any;

  /** Named direct members: subclasses holding children in a list or map override this. */
  protected entries(): [string, unknown][] {
    return Object.entries(this);
  }

  /** Direct child modules with their field names (PyTorch's `named_children`). */
  namedChildren(): [string, Module][] {
    return this.entries().filter((e): e is [string, Module] => e[1] instanceof Module);
  }

  /** Direct child modules (PyTorch's `children`). */
  children(): Module[] {
    return this.namedChildren().map(([, m]) => m);
  }

  /**
   * This module and all its descendants with dotted names, depth first; this one is `prefix`
   * (PyTorch's `named_modules`).
   */
  namedModules(prefix = ""): [string, Module][] {
    const out: [string, Module][] = [[prefix, this]];
    for (const [name, child] of this.namedChildren())
      out.push(...child.namedModules(prefix ? `${prefix}.${name}` : name));
    return out;
  }

  /** This module and all its descendants, depth first (PyTorch's `modules`). */
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

  /**
   * All parameters of this module and its descendants, each once (PyTorch's `parameters()`), e.g.
   * for an optimizer.
   */
  parameters(): Parameter[] {
    return this.namedParameters().map(([, p]) => p);
  }

  /** Buffers (non-trained state such as BatchNorm's running statistics) with dotted names. */
  namedBuffers(prefix = ""): [string, Buffer][] {
    return this.namedTensors(Buffer, prefix, new Set());
  }

  /** All buffers of this module and its descendants (PyTorch's `buffers()`). */
  buffers(): Buffer[] {
    return this.namedBuffers().map(([, b]) => b);
  }

  /** Number of parameter elements (only those with requiresGrad when `onlyTrainable`). */
  numParameters(onlyTrainable = false): number {
    return this.parameters()
      .filter((p) => !onlyTrainable || p.requiresGrad)
      .reduce((n, p) => n + p.size, 0);
  }

  /**
   * Sets training mode on this module and its descendants (dropout active, batch norm uses batch
   * statistics); returns this.
   */
  train(mode = true): this {
    for (const m of this.modules()) m.training = mode;
    return this;
  }

  /**
   * Evaluation mode: `train(false)` (dropout off, batch norm uses running statistics); returns
   * this.
   */
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

  /** PyTorch-style repr: the module tree with each layer's constructor arguments. */
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
