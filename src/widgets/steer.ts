// Steering a running loop: a Stop button that a loop polls, bindings that copy a widget's
// value into a hyperparameter (an optimizer's learning rate), and `poll()`, which hands the
// event loop one turn so that widget events waiting in the kernel's socket are handled.
import { fail } from "../tensor/errors.js";
import { Button } from "./controls.js";
import { type ValueWidget } from "./controls.js";
import { FloatLogSlider, type LogSliderOptions } from "./sliders.js";
import { commTransport } from "./transport.js";
import { macrotaskTurn } from "../platform/env.js";

/**
 * A "Stop" button for a loop: `stopped` turns true on a click (in the page, or `stop()` from
 * code) and the loop ends at its next check. It disables itself once pressed.
 */
export class StopButton extends Button {
  private requested = false;

  constructor(description = "Stop") {
    super({
      description,
      buttonStyle: "danger",
      icon: "stop",
      tooltip: "ends after the current step",
    });
    this.onClick(() => this.stop());
  }

  /** Whether the button was clicked. */
  get stopped(): boolean {
    return this.requested;
  }

  /** Stops as if clicked. */
  stop(): void {
    if (this.requested) return;
    this.requested = true;
    this.set({ description: "Stopping…", disabled: true });
  }

  /** Marks the run as over (the label says so); `stopped` stays as it was. */
  finish(): void {
    this.set({ description: this.requested ? "Stopped" : "Finished", disabled: true });
  }

  /** Read where widgets are not shown (a saved notebook in a viewer): says what it was for. */
  override describe(): string {
    return this.requested
      ? "[Stop] (pressed)"
      : "[Stop] (a button that ends the run after the current step)";
  }
}

/**
 * Copies `widget.value` into `target[key]` now and on every change; `target` may be one object
 * or a list of them (an optimizer's `paramGroups`). Returns a function that unbinds.
 */
export function bind<T>(
  widget: ValueWidget<T>,
  target: object | readonly object[],
  key: string,
): () => void {
  const targets = (Array.isArray(target) ? target : [target]) as Record<string, unknown>[];
  if (targets.length === 0 || !targets.every((t) => t && typeof t === "object"))
    fail("widgets.bind", "target must be an object or a non-empty list of objects");
  const write = (v: T) => targets.forEach((t) => (t[key] = v));
  write(widget.value);
  return widget.onChange(write);
}

/**
 * A log-scale learning-rate slider bound to every param group of `optimizer`: moving it
 * changes the rate the next `optimizer.step()` uses.
 */
export function lrSlider(
  optimizer: { paramGroups: { lr: number }[] },
  o: { min?: number; max?: number } & Omit<LogSliderOptions, "min" | "max" | "value"> = {},
): FloatLogSlider {
  const groups = optimizer?.paramGroups;
  if (!Array.isArray(groups) || groups.length === 0)
    fail("widgets.lrSlider", "expected an optimizer with paramGroups");
  const lr = groups[0].lr;
  const min = o.min ?? lr / 100;
  const max = o.max ?? Math.min(lr * 100, 10);
  if (!(min > 0 && max > min && lr > 0))
    fail("widgets.lrSlider", `need 0 < min < max and lr > 0, got min ${min}, max ${max}, lr ${lr}`);
  const [lo, hi] = [Math.log10(min), Math.log10(max)];
  const slider = new FloatLogSlider({
    description: "lr",
    ...o,
    min: lo,
    max: hi,
    step: o.step ?? (hi - lo) / 100,
    value: lr,
  });
  bind(slider, groups, "lr");
  return slider;
}

/**
 * Gives the event loop one turn (a macrotask) so widget events that arrived meanwhile run.
 * A loop whose awaits resolve at once (CPU tensors) otherwise never lets them in. Cheap: a
 * no-op outside a kernel with comms.
 */
export function poll(): Promise<void> {
  if (!commTransport()) return Promise.resolve();
  return macrotaskTurn();
}
