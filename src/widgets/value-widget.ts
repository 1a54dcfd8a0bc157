// What every control of @jupyter-widgets/controls 2.0 shares: the described options (label,
// disabled, tooltip), the value widget base, and the finite-number check whose errors name
// the widget.
import { fail } from "../tensor/errors.js";
import { Widget, type State } from "./model.js";

/** Options every labelled control accepts. */
export interface DescribedOptions {
  /** The label beside the control. */
  description?: string;
  /** Grey the control out (default false). */
  disabled?: boolean;
  /** Text shown on hover. */
  tooltip?: string;
}

export function described(o: DescribedOptions): State {
  return {
    description: o.description ?? "",
    disabled: o.disabled ?? false,
    tooltip: o.tooltip ?? null,
  };
}

/** A widget with a `value`; `onChange` is `observe` on that key, with the value itself. */
export abstract class ValueWidget<T> extends Widget {
  /** The control's value, synced with the front end. */
  get value(): T {
    return this.get("value") as T;
  }

  /** Sets the value (the front end follows). */
  set value(v: T) {
    this.set({ value: this.check(v) });
  }

  /** Validates (and for sliders clamps) a value set from the kernel. */
  protected check(v: T): T {
    return v;
  }

  /** Calls `fn(value, old)` on every change; returns a function that stops it. */
  onChange(fn: (value: T, old: T) => void): () => void {
    return this.observe((c) => fn(c.new as T, c.old as T), "value");
  }

  /** The label beside the control. */
  get description(): string {
    return String(this.get("description") ?? "");
  }
}

export function finite(op: string, name: string, v: unknown): number {
  if (typeof v !== "number" || !Number.isFinite(v))
    fail(op, `${name} must be a finite number, got ${String(v)}`);
  return v;
}
