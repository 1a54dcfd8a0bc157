// The slider widgets (IntSlider, FloatSlider, FloatLogSlider) of @jupyter-widgets/controls
// 2.0: range options checked once, values clamped into the range as the front end does.
import { fail } from "../tensor/errors.js";
import { controls, show, type State } from "./model.js";
import { described, finite, ValueWidget, type DescribedOptions } from "./value-widget.js";

/** Options of the sliders (ipywidgets' names and defaults). */
export interface SliderOptions extends DescribedOptions {
  /** Initial value (default 0, clamped into [min, max]). */
  value?: number;
  /** Smallest value (default 0). */
  min?: number;
  /** Largest value (default 100, or 10 for float sliders). */
  max?: number;
  /** Step between values (default 1, or 0.1 for float sliders). */
  step?: number;
  /** Send values while dragging (default true) or only on release. */
  continuousUpdate?: boolean;
  /** Layout (default "horizontal"). */
  orientation?: "horizontal" | "vertical";
  /** Show the value beside the slider (default true). */
  readout?: boolean;
  /** How the value is shown (a d3-format string, e.g. ".2f"). */
  readoutFormat?: string;
}

type SliderKind = "IntSlider" | "FloatSlider" | "FloatLogSlider";

function sliderState(kind: SliderKind, o: SliderOptions, defaults: Required<SliderRange>): State {
  const op = `widgets.${kind}`;
  const min = finite(op, "min", o.min ?? defaults.min);
  const max = finite(op, "max", o.max ?? defaults.max);
  const step = finite(op, "step", o.step ?? defaults.step);
  if (min > max) fail(op, `min (${min}) is above max (${max})`);
  if (step <= 0) fail(op, `step must be positive, got ${step}`);
  if (kind === "IntSlider" && ![min, max, step].every(Number.isInteger))
    fail(op, `min, max and step must be integers, got ${min}, ${max}, ${step}`);
  return {
    ...described(o),
    min,
    max,
    step,
    continuous_update: o.continuousUpdate ?? true,
    orientation: o.orientation ?? "horizontal",
    readout: o.readout ?? true,
    readout_format: o.readoutFormat ?? defaults.format,
    behavior: "drag-tap",
  };
}

interface SliderRange {
  min: number;
  max: number;
  step: number;
  format: string;
}

abstract class NumberSlider extends ValueWidget<number> {
  protected abstract readonly kind: SliderKind;

  /** Smallest value. */
  get min(): number {
    return this.get("min") as number;
  }

  /** Largest value. */
  get max(): number {
    return this.get("max") as number;
  }

  protected override check(v: number): number {
    finite(`widgets.${this.kind}`, "value", v);
    return Math.min(this.max, Math.max(this.min, v));
  }

  describe(): string {
    const d = this.description ? `${show(this.description)}, ` : "";
    return `${this.kind}(${d}value=${this.value}, min=${this.min}, max=${this.max})`;
  }
}

/** A slider over integers (ipywidgets.IntSlider). */
export class IntSlider extends NumberSlider {
  protected readonly kind = "IntSlider";

  constructor(o: SliderOptions = {}) {
    const s = sliderState("IntSlider", o, { min: 0, max: 100, step: 1, format: "d" });
    const value = Math.round(Math.min(s.max as number, Math.max(s.min as number, o.value ?? 0)));
    super(controls("IntSlider"), { ...s, value });
  }

  protected override check(v: number): number {
    return Math.round(super.check(v));
  }
}

/** A slider over real numbers (ipywidgets.FloatSlider). */
export class FloatSlider extends NumberSlider {
  protected readonly kind = "FloatSlider";

  constructor(o: SliderOptions = {}) {
    const s = sliderState("FloatSlider", o, { min: 0, max: 10, step: 0.1, format: ".2f" });
    const value = Math.min(s.max as number, Math.max(s.min as number, o.value ?? 0));
    super(controls("FloatSlider"), { ...s, value });
  }
}

/** Options of {@link FloatLogSlider}: min and max are exponents of `base`. */
export interface LogSliderOptions extends SliderOptions {
  /** The base of the exponents (default 10). */
  base?: number;
}

/**
 * A slider whose position is an exponent (ipywidgets.FloatLogSlider): `min`, `max` and
 * `step` are exponents of `base`, `value` is the number itself (min -4, max 0 → 1e-4..1).
 */
export class FloatLogSlider extends NumberSlider {
  protected readonly kind = "FloatLogSlider";

  constructor(o: LogSliderOptions = {}) {
    const s = sliderState("FloatLogSlider", o, { min: 0, max: 4, step: 0.1, format: ".3g" });
    const base = finite("widgets.FloatLogSlider", "base", o.base ?? 10);
    if (base <= 0 || base === 1) fail("widgets.FloatLogSlider", `base must be > 0 and ≠ 1`);
    const [lo, hi] = [base ** (s.min as number), base ** (s.max as number)];
    const value = Math.min(hi, Math.max(lo, o.value ?? lo));
    super(controls("FloatLogSlider"), { ...s, base, value });
  }

  protected override check(v: number): number {
    finite("widgets.FloatLogSlider", "value", v);
    const base = this.get("base") as number;
    return Math.min(base ** this.max, Math.max(base ** this.min, v));
  }
}
