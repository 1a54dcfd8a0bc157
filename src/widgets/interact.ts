// interact(fn, spec): controls built from a compact spec (as ipywidgets.interact), and an
// Output that shows what `fn` returns, re-run whenever a control changes. Runs never
// overlap: a change that comes while `fn` runs schedules one more run with the latest values.
import { fail } from "../tensor/errors.js";
import { JUPYTER_DISPLAY, type MimeBundle } from "../display/protocol.js";
import { Checkbox, Dropdown, Text, ValueWidget } from "./controls.js";
import { FloatLogSlider, FloatSlider, IntSlider } from "./sliders.js";
import { Output, VBox } from "./containers.js";

/**
 * One control of an interact spec:
 * - a number: a slider around it (an integer one if it is an integer);
 * - `[min, max]` or `[min, max, step]`: a slider (integer when all are integers);
 * - `[min, max, "log"]`: a log-scale slider from min to max (both > 0);
 * - a boolean: a checkbox; a string: a text field; an array of strings: a dropdown;
 * - a widget with a value: used as is.
 */
export type ControlSpec =
  | number
  | boolean
  | string
  | readonly [number, number]
  | readonly [number, number, number]
  | readonly [number, number, "log"]
  | readonly string[]
  | ValueWidget<unknown>;

type Values<S> = {
  [K in keyof S]: S[K] extends ValueWidget<infer T>
    ? T
    : S[K] extends boolean
      ? boolean
      : S[K] extends string | readonly string[]
        ? string
        : number;
};

function slider(name: string, min: number, max: number, step?: number): ValueWidget<number> {
  const ints = [min, max, step ?? 1].every(Number.isInteger);
  const o = {
    description: name,
    min,
    max,
    value: ints ? Math.round((min + max) / 2) : (min + max) / 2,
  };
  if (ints) return new IntSlider({ ...o, step: step ?? 1 });
  return new FloatSlider({ ...o, step: step ?? (max - min) / 100 });
}

function logSlider(name: string, min: number, max: number): ValueWidget<number> {
  if (!(min > 0 && max > min))
    fail("widgets.interact", `${name}: a log range needs 0 < min < max, got [${min}, ${max}]`);
  const [lo, hi] = [Math.log10(min), Math.log10(max)];
  const value = 10 ** ((lo + hi) / 2);
  return new FloatLogSlider({ description: name, min: lo, max: hi, step: (hi - lo) / 100, value });
}

/** The widget for one entry of the spec. */
export function controlFor(name: string, spec: ControlSpec): ValueWidget<unknown> {
  if (spec instanceof ValueWidget) return spec;
  if (typeof spec === "boolean") return new Checkbox({ description: name, value: spec });
  if (typeof spec === "string") return new Text({ description: name, value: spec });
  if (typeof spec === "number" && Number.isFinite(spec)) {
    const span = spec === 0 ? 1 : Math.abs(spec);
    return slider(name, spec - 2 * span, spec + 2 * span) as ValueWidget<unknown>;
  }
  if (Array.isArray(spec)) {
    const [a, b, c] = spec as unknown[];
    const nums = typeof a === "number" && typeof b === "number";
    if (nums && spec.length === 3 && c === "log")
      return logSlider(name, a, b) as ValueWidget<unknown>;
    if (nums && (spec.length === 2 || (spec.length === 3 && typeof c === "number")))
      return slider(name, a, b, c as number | undefined) as ValueWidget<unknown>;
    if (spec.length > 0 && spec.every((x) => typeof x === "string"))
      return new Dropdown({ description: name, options: spec as string[] }) as ValueWidget<unknown>;
  }
  fail(
    "widgets.interact",
    `${name}: cannot build a control from ${JSON.stringify(spec)}; use a number, [min, max], ` +
      `[min, max, step], [min, max, "log"], a boolean, a string, a list of strings or a widget`,
  );
}

/** The controls and output of one interact call; displayed as a VBox. */
export class Interactive<S extends Record<string, ControlSpec>> extends VBox {
  /** Settles when the latest run has been shown. */
  ready: Promise<void> = Promise.resolve();
  /** How many times `fn` has run. */
  runs = 0;
  private running = false;
  private again = false;

  constructor(
    /** One control per argument. */
    readonly controls: { [K in keyof S]: ValueWidget<Values<S>[K]> },
    /** Where the function's result is shown. */
    readonly output: Output,
    private readonly fn: (values: Values<S>) => unknown,
  ) {
    super([...Object.values(controls as Record<string, ValueWidget<unknown>>), output]);
    for (const c of Object.values(controls as Record<string, ValueWidget<unknown>>))
      c.onChange(() => this.update());
    this.update();
  }

  /** The controls' current values, by name. */
  values(): Values<S> {
    const out: Record<string, unknown> = {};
    for (const [k, c] of Object.entries(this.controls as Record<string, ValueWidget<unknown>>))
      out[k] = c.value;
    return out as Values<S>;
  }

  /** Runs `fn` again (once more after the current run, if one is going on). */
  update(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.ready;
    }
    this.ready = this.loop();
    return this.ready;
  }

  private async loop(): Promise<void> {
    this.running = true;
    try {
      do {
        this.again = false;
        this.runs++;
        try {
          const result = await this.fn(this.values());
          if (result === undefined) this.output.clear();
          else await this.output.show(result);
        } catch (err) {
          // The function's error belongs in its output, where the user is looking.
          this.output.clear();
          this.output.print(
            `${(err as Error)?.name ?? "Error"}: ${(err as Error)?.message ?? err}`,
          );
        }
      } while (this.again);
    } finally {
      this.running = false;
    }
  }

  /** Waits for the first run, so the fallback carries its result. */
  override async [JUPYTER_DISPLAY](): Promise<MimeBundle> {
    await this.ready;
    return this.bundle();
  }

  override describe(): string {
    const values = Object.entries(this.values() as Record<string, unknown>)
      .map(([k, v]) => `${k}=${typeof v === "string" ? JSON.stringify(v) : String(v)}`)
      .join(", ");
    const shown = this.output.describe();
    return `interact(${values})${shown ? `\n${shown}` : ""}`;
  }
}

/**
 * Builds a control per entry of `spec`, shows `fn(values)` under them, and re-runs `fn` when
 * a control changes. The result is a widget: end a cell with it (or `display` it).
 *
 *   dl.widgets.interact(({ lr, act }) => train(lr, act), { lr: [1e-4, 1, "log"], act: ["relu", "tanh"] })
 */
export function interact<S extends Record<string, ControlSpec>>(
  fn: (values: Values<S>) => unknown,
  spec: S,
): Interactive<S> {
  if (typeof fn !== "function") fail("widgets.interact", "the first argument must be a function");
  if (!spec || typeof spec !== "object" || Object.keys(spec).length === 0)
    fail(
      "widgets.interact",
      'the spec must name at least one control, e.g. { lr: [1e-4, 1, "log"] }',
    );
  const controls: Record<string, ValueWidget<unknown>> = {};
  for (const [name, s] of Object.entries(spec)) controls[name] = controlFor(name, s);
  return new Interactive<S>(controls as never, new Output(), fn);
}
