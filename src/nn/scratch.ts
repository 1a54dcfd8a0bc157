// Built-in layers keep nothing they compute, so what one forward call makes and does not return
// is released when it returns: CPU arrays go back to the pool and GPU buffers to theirs at
// once, without waiting for a task turn or the garbage collector (what the graph saved for
// backward keeps its storage until backward frees it). Only the library's own leaf layers
// qualify: a user-defined module, a user subclass, a layer with a hook or with child modules
// may hold on to anything, so their tensors are left alone.
import { tidy } from "../memory/scope.js";
import { Tensor } from "../tensor/tensor.js";
import { Module, hasForwardHooks } from "./module.js";

/** Built-in classes whose forward runs in a scratch scope. */
const builtIn = new WeakSet<object>();

type Forward = (this: Module, ...args: unknown[]) => unknown;

/** Wraps the forward of every built-in Module class among `exports` (nn's namespace). */
export function releaseIntermediatesOf(exports: Record<string, unknown>): void {
  for (const value of Object.values(exports)) {
    if (typeof value !== "function" || !(value.prototype instanceof Module)) continue;
    builtIn.add(value);
    const proto = value.prototype as { forward?: Forward };
    if (!Object.prototype.hasOwnProperty.call(proto, "forward") || !proto.forward) continue;
    const original = proto.forward;
    proto.forward = function scratchForward(this: Module, ...args: unknown[]): unknown {
      if (!isPlainBuiltInLeaf(this)) return original.apply(this, args);
      return tidy(() => original.apply(this, args));
    };
  }
}

/**
 * True when `m` is exactly a built-in class, with no forward hook (a hook sees its inputs and
 * output) and no child modules: nothing but the library's own code sees its tensors.
 */
export function isPlainBuiltInLeaf(m: unknown): m is Module {
  return (
    m instanceof Module &&
    builtIn.has(m.constructor) &&
    !hasForwardHooks(m) &&
    m.namedChildren().length === 0
  );
}

/**
 * Runs `modules` in a chain (Sequential). An activation passed from one plain built-in leaf to
 * the next is read by nothing else, so it is released as soon as the next one has used it.
 */
export function runChain(modules: Iterable<Module>, input: unknown): unknown {
  let x = input;
  let prev: Module | null = null;
  for (const m of modules) {
    const y = m.forward(x);
    const handedOn = x instanceof Tensor && x !== input && x !== y;
    if (handedOn && isPlainBuiltInLeaf(prev) && isPlainBuiltInLeaf(m)) (x as Tensor).dispose();
    prev = m;
    x = y;
  }
  return x;
}
