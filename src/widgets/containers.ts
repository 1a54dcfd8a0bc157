// Widgets that hold others: Output (a small output area the kernel fills) and the HBox/VBox
// layouts. Their text fallbacks gather their contents, and keep the richest output (a plot)
// so a notebook run without a widget front end still shows what the widgets show.
import { JUPYTER_DISPLAY, type MimeBundle } from "../display/protocol.js";
import { fail } from "../tensor/errors.js";
import { controls, Widget } from "./model.js";

/** One entry of an Output widget, in nbformat's output shape. */
export type OutputEntry =
  | {
      /** Printed text. */
      output_type: "stream";
      /** The stream written to. */
      name: "stdout" | "stderr";
      /** The text. */
      text: string;
    }
  | {
      /** A rich display. */
      output_type: "display_data";
      /** The display bundle by MIME type. */
      data: Record<string, unknown>;
      /** Display metadata. */
      metadata: object;
    };

function plainText(value: unknown): string {
  if (typeof value === "string") return value;
  if (value === null || typeof value !== "object") return String(value);
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}

/** A value's MIME bundle: its own display method, or its text. */
export async function bundleOf(value: unknown): Promise<Record<string, unknown>> {
  const method = (value as { [JUPYTER_DISPLAY]?: unknown } | null)?.[JUPYTER_DISPLAY];
  if (typeof method !== "function") return { "text/plain": plainText(value) };
  const bundle = (await method.call(value)) as Record<string, unknown>;
  return typeof bundle["text/plain"] === "string"
    ? bundle
    : { ...bundle, "text/plain": plainText(value) };
}

/** Rich types of a bundle, without the text and without widget views. */
function richTypes(bundle: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(bundle))
    if (k !== "text/plain" && !k.startsWith("application/vnd.jupyter.widget")) out[k] = v;
  return out;
}

/** An output area the kernel writes into (ipywidgets.Output), updated in place. */
export class Output extends Widget {
  constructor() {
    const spec = { model: "OutputModel", view: "OutputView", module: "@jupyter-widgets/output" };
    super({ ...spec, version: "1.0.0" }, { outputs: [], msg_id: "" });
  }

  /** The entries shown, in order. */
  get outputs(): readonly OutputEntry[] {
    return this.get("outputs") as OutputEntry[];
  }

  /** Removes every entry. */
  clear(): void {
    this.set({ outputs: [] });
  }

  /** Adds one entry. */
  append(entry: OutputEntry): void {
    this.set({ outputs: [...this.outputs, entry] });
  }

  /** Appends text, as `console.log` would print it. */
  print(...parts: unknown[]): void {
    this.append({
      output_type: "stream",
      name: "stdout",
      text: `${parts.map(plainText).join(" ")}\n`,
    });
  }

  /** Appends a value's display (a plot, a tensor, a string). */
  async display(value: unknown): Promise<void> {
    this.append({ output_type: "display_data", data: await bundleOf(value), metadata: {} });
  }

  /** Replaces everything with one value's display. */
  async show(value: unknown): Promise<void> {
    const data = await bundleOf(value);
    this.set({ outputs: [{ output_type: "display_data", data, metadata: {} }] });
  }

  describe(): string {
    return this.outputs
      .map((o) =>
        o.output_type === "stream" ? o.text.replace(/\n$/, "") : String(o.data["text/plain"] ?? ""),
      )
      .join("\n");
  }

  override fallback(): MimeBundle {
    const rich = this.outputs.flatMap((o) =>
      o.output_type === "display_data" ? [richTypes(o.data)] : [],
    );
    // The latest display wins: it is what the widget shows.
    return { ...Object.assign({}, ...rich), "text/plain": this.describe() };
  }
}

abstract class Box extends Widget {
  constructor(
    private readonly kind: "HBox" | "VBox",
    children: readonly Widget[],
  ) {
    if (!Array.isArray(children) || !children.every((c) => c instanceof Widget))
      fail(`widgets.${kind}`, "children must be an array of widgets");
    super(controls(kind), { children: [...children], box_style: "" });
  }

  /** The widgets in the box, in order. */
  get children(): readonly Widget[] {
    return this.get("children") as Widget[];
  }

  /** Replaces the widgets in the box. */
  set children(list: readonly Widget[]) {
    this.set({ children: [...list] });
  }

  describe(): string {
    const parts = this.children.map((c) => c.describe()).filter((t) => t !== "");
    return parts.join(this.kind === "HBox" ? "  " : "\n");
  }

  override fallback(): MimeBundle {
    const rich = this.children.map((c) => richTypes(c.fallback() as Record<string, unknown>));
    // The first child with a rich output wins.
    return { ...Object.assign({}, ...rich.reverse()), "text/plain": this.describe() };
  }
}

/** Children side by side (ipywidgets.HBox). */
export class HBox extends Box {
  constructor(children: readonly Widget[]) {
    super("HBox", children);
  }
}

/** Children one above the other (ipywidgets.VBox). */
export class VBox extends Box {
  constructor(children: readonly Widget[]) {
    super("VBox", children);
  }
}
