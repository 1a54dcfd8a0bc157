// The other value widgets of @jupyter-widgets/controls 2.0 (ipywidgets 8), with camelCase options.
// Each keeps its value in the state key the front end uses (`value`, or `index` for a
// dropdown) and checks its options once, here, with errors that name the widget.
import { fail } from "../tensor/errors.js";
import { controls, show, Widget, type State } from "./model.js";
import { described, finite, ValueWidget, type DescribedOptions } from "./value-widget.js";

export { ValueWidget, type DescribedOptions } from "./value-widget.js";

/** Options of {@link Dropdown}. */
export interface DropdownOptions<T> extends DescribedOptions {
  /** Labels (their own values), or [label, value] pairs. */
  options: readonly (string | readonly [string, T])[];
  /** The initially selected value (default the first). */
  value?: T;
}

/** Pick one of several options (ipywidgets.Dropdown). The front end only knows an index. */
export class Dropdown<T = string> extends ValueWidget<T> {
  /** The option labels. */
  readonly labels: string[];
  /** The option values, by label index. */
  readonly values: T[];

  constructor(o: DropdownOptions<T>) {
    const op = "widgets.Dropdown";
    if (!Array.isArray(o?.options) || o.options.length === 0)
      fail(op, "options must be a non-empty array of labels or [label, value] pairs");
    const pairs = o.options.map((x) => (typeof x === "string" ? [x, x as T] : x));
    const labels = pairs.map(([l]) => String(l));
    const values = pairs.map(([, v]) => v as T);
    const index = o.value === undefined ? 0 : values.indexOf(o.value);
    if (index < 0) fail(op, `value ${show(o.value)} is not among the options`);
    super(controls("Dropdown"), { ...described(o), _options_labels: labels, index });
    this.labels = labels;
    this.values = values;
    // The value key exists only in the kernel; it follows the front end's index.
    this.kernelState("value", values[index]);
  }

  protected override check(v: T): T {
    if (!this.values.includes(v)) fail("widgets.Dropdown", `value ${show(v)} is not an option`);
    return v;
  }

  /** Selects the option with value `v`. */
  override set value(v: T) {
    this.set({ value: this.check(v), index: this.values.indexOf(v) });
  }

  /** The selected option's value. */
  override get value(): T {
    return this.get("value") as T;
  }

  /** The selected option's label. */
  get label(): string {
    return this.labels[this.get("index") as number];
  }

  protected override fromFrontEnd(state: State): State {
    if (typeof state.index !== "number") return state;
    return { ...state, value: this.values[state.index] };
  }

  describe(): string {
    return `Dropdown(${this.description ? `${show(this.description)}, ` : ""}value=${show(this.label)}, options=[${this.labels.map(show).join(", ")}])`;
  }
}

export interface BoolOptions extends DescribedOptions {
  value?: boolean;
}

/** Bootstrap-style colour of a button. */
export type ButtonStyle = "" | "primary" | "success" | "info" | "warning" | "danger";

/** An on/off button (ipywidgets.ToggleButton). */
export class ToggleButton extends ValueWidget<boolean> {
  constructor(o: BoolOptions & { buttonStyle?: ButtonStyle; icon?: string } = {}) {
    super(controls("ToggleButton"), {
      ...described(o),
      value: o.value ?? false,
      button_style: o.buttonStyle ?? "",
      icon: o.icon ?? "",
    });
  }

  describe(): string {
    return `ToggleButton(${show(this.description)}, value=${this.value})`;
  }
}

/** A checkbox (ipywidgets.Checkbox). */
export class Checkbox extends ValueWidget<boolean> {
  constructor(o: BoolOptions & { indent?: boolean } = {}) {
    super(controls("Checkbox"), {
      ...described(o),
      value: o.value ?? false,
      indent: o.indent ?? true,
    });
  }

  describe(): string {
    return `Checkbox(${show(this.description)}, value=${this.value})`;
  }
}

/** A one-line text field (ipywidgets.Text); `onSubmit` runs when Enter is pressed. */
export class Text extends ValueWidget<string> {
  private readonly submitHandlers: ((value: string) => void)[] = [];

  constructor(
    o: DescribedOptions & { value?: string; placeholder?: string; continuousUpdate?: boolean } = {},
  ) {
    super(controls("Text"), {
      ...described(o),
      value: o.value ?? "",
      placeholder: o.placeholder ?? "",
      continuous_update: o.continuousUpdate ?? true,
    });
  }

  /** Calls `fn` with the text when the user presses Enter. */
  onSubmit(fn: (value: string) => void): void {
    this.submitHandlers.push(fn);
  }

  protected override onCustom(content: Record<string, unknown>): void {
    if (content.event === "submit") for (const fn of this.submitHandlers) fn(this.value);
  }

  describe(): string {
    return `Text(${this.description ? `${show(this.description)}, ` : ""}value=${show(this.value)})`;
  }
}

/** A push button (ipywidgets.Button); clicks come as `custom` messages. */
export class Button extends Widget {
  private readonly clickHandlers: ((button: Button) => void)[] = [];
  /** How many times it was clicked (in any front end). */
  clicks = 0;

  constructor(o: DescribedOptions & { buttonStyle?: ButtonStyle; icon?: string } = {}) {
    super(controls("Button"), {
      ...described(o),
      button_style: o.buttonStyle ?? "",
      icon: o.icon ?? "",
    });
  }

  /** The button's label. */
  get description(): string {
    return String(this.get("description"));
  }

  /** Changes the button's label. */
  set description(text: string) {
    this.set({ description: text });
  }

  /** Greys the button out (true) or enables it. */
  set disabled(off: boolean) {
    this.set({ disabled: off });
  }

  /** Whether the button is greyed out. */
  get disabled(): boolean {
    return this.get("disabled") === true;
  }

  /** Calls `fn` on every click. */
  onClick(fn: (button: Button) => void): void {
    this.clickHandlers.push(fn);
  }

  /** What a click in the front end does; callable from code (and tests) too. */
  click(): void {
    this.clicks++;
    for (const fn of this.clickHandlers) fn(this);
  }

  protected override onCustom(content: Record<string, unknown>): void {
    if (content.event === "click") this.click();
  }

  describe(): string {
    return `Button(${show(this.description)})`;
  }
}

/** Options of the progress bar widgets. */
export interface ProgressOptions extends DescribedOptions {
  /** Initial value (default min). */
  value?: number;
  /** Value of an empty bar (default 0). */
  min?: number;
  /** Value of a full bar (default 100; 10 for FloatProgress). */
  max?: number;
  /** The bar's colour. */
  barStyle?: "" | "success" | "info" | "warning" | "danger";
}

abstract class Progress extends ValueWidget<number> {
  constructor(name: "IntProgress" | "FloatProgress", o: ProgressOptions, int: boolean) {
    const op = `widgets.${name}`;
    const min = finite(op, "min", o.min ?? 0);
    const max = finite(op, "max", o.max ?? (int ? 100 : 10));
    if (min > max) fail(op, `min (${min}) is above max (${max})`);
    const raw = Math.min(max, Math.max(min, finite(op, "value", o.value ?? min)));
    super(controls(name, "ProgressView"), {
      ...described(o),
      min,
      max,
      value: int ? Math.round(raw) : raw,
      bar_style: o.barStyle ?? "",
      orientation: "horizontal",
    });
  }

  protected override check(v: number): number {
    finite(String(this.spec.model), "value", v);
    return Math.min(this.get("max") as number, Math.max(this.get("min") as number, v));
  }

  describe(): string {
    return `${this.spec.model.replace(/Model$/, "")}(value=${this.value}, max=${this.get("max")})`;
  }
}

/** A progress bar over integers (ipywidgets.IntProgress). */
export class IntProgress extends Progress {
  constructor(o: ProgressOptions = {}) {
    super("IntProgress", o, true);
  }

  protected override check(v: number): number {
    return Math.round(super.check(v));
  }
}

/** A progress bar over real numbers (ipywidgets.FloatProgress). */
export class FloatProgress extends Progress {
  constructor(o: ProgressOptions = {}) {
    super("FloatProgress", o, false);
  }
}

/** Plain text (ipywidgets.Label). */
export class Label extends ValueWidget<string> {
  constructor(value = "") {
    super(controls("Label"), { ...described({}), value });
  }

  describe(): string {
    return this.value;
  }
}

/** HTML markup (ipywidgets.HTML); its fallback is the markup as text. */
export class HTML extends ValueWidget<string> {
  constructor(value = "") {
    super(controls("HTML"), { ...described({}), value, placeholder: "" });
  }

  describe(): string {
    return this.value.replace(/<[^>]*>/g, "");
  }
}
