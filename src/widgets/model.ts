// The kernel side of one Jupyter widget (widget messaging protocol 2.1, the one ipywidgets 8
// and @jupyter-widgets/jupyterlab-manager 5 speak): a model whose state is mirrored in the
// front end through a comm on the `jupyter.widget` target. Changes flow both ways as
// `update` messages carrying only the changed keys; observers run for changes from either
// side. Without a comm transport the widget is a plain local object shown as text.
import { JUPYTER_DISPLAY, type MimeBundle } from "../display/protocol.js";
import { commTransport, type Comm, type CommData } from "./transport.js";

/** The MIME type of a widget view in a display bundle. */
export const WIDGET_VIEW_MIME = "application/vnd.jupyter.widget-view+json";
export const WIDGET_TARGET = "jupyter.widget";
export const PROTOCOL_VERSION = "2.1.0";

/** Where a model and its view live in the front end. */
export interface ModelSpec {
  /** The front end's model class name. */
  model: string;
  /** The front end's view class name (null: no view). */
  view: string | null;
  /** The npm module defining them. */
  module: string;
  /** That module's version. */
  version: string;
}

export const controls = (name: string, view: string | null = `${name}View`): ModelSpec => ({
  model: `${name}Model`,
  view,
  module: "@jupyter-widgets/controls",
  version: "2.0.0",
});

export type State = Record<string, unknown>;

/** What {@link Widget.observe} handlers receive, as ipywidgets' change dict. */
export interface Change<T = unknown> {
  /** The state key that changed. */
  name: string;
  /** The value before. */
  old: T;
  /** The value after. */
  new: T;
  /** The widget that changed. */
  owner: Widget;
}

type Observer = { names: Set<string> | null; fn: (change: Change) => void };

/** Every widget with an open comm, by id: the control comm reports their states. */
export const liveWidgets = new Map<string, Widget>();

function newId(): string {
  return globalThis.crypto.randomUUID().replace(/-/g, "");
}

/** State as sent on the wire: widgets become "IPY_MODEL_<id>" references. */
function serialize(value: unknown): unknown {
  if (value instanceof Widget) return `IPY_MODEL_${value.id}`;
  if (Array.isArray(value)) return value.map(serialize);
  return value;
}

/**
 * The base of the widgets: a model synced with the front end over a comm (the Jupyter widget
 * protocol, ipywidgets' models), shown as the last expression of a cell. Outside a kernel with
 * comms it is a plain object.
 */
export abstract class Widget {
  /** The model id (the comm id). */
  readonly id = newId();
  protected readonly state: State;
  private comm: Comm | null = null;
  private readonly observers: Observer[] = [];
  /** State keys the front end does not know (a dropdown's value): never sent. */
  private readonly kernelOnly = new Set<string>();

  constructor(
    /** Which front-end model and view draw it. */
    readonly spec: ModelSpec,
    initial: State,
  ) {
    this.state = {
      _model_name: spec.model,
      _model_module: spec.module,
      _model_module_version: spec.version,
      _view_name: spec.view,
      _view_module: spec.module,
      _view_module_version: spec.version,
      _view_count: null,
      ...initial,
    };
    const transport = commTransport();
    if (!transport) return;
    this.comm = transport.open(WIDGET_TARGET, this.wireState(), { id: this.id });
    liveWidgets.set(this.id, this);
    this.comm.onMessage((data) => this.receive(data));
    this.comm.onClose(() => this.detach());
  }

  /** True while a front end can show this widget (a kernel with comms). */
  get connected(): boolean {
    return this.comm !== null;
  }

  /** One state value, as the kernel sees it. */
  get(name: string): unknown {
    return this.state[name];
  }

  /**
   * The whole state in wire form (what the front end needs to build the model).
   *
   * @internal
   */
  wireState(): { state: State; buffer_paths: string[][] } {
    const state: State = {};
    for (const [k, v] of Object.entries(this.state))
      if (!this.kernelOnly.has(k)) state[k] = serialize(v);
    return { state, buffer_paths: [] };
  }

  /**
   * Runs `fn` on every change of the named state keys (all keys when omitted), whether the
   * kernel or the front end made it. Returns a function that stops observing.
   */
  observe(fn: (change: Change) => void, names?: string | string[]): () => void {
    const list = names === undefined ? null : new Set(typeof names === "string" ? [names] : names);
    const entry: Observer = { names: list, fn };
    this.observers.push(entry);
    return () => {
      const i = this.observers.indexOf(entry);
      if (i >= 0) this.observers.splice(i, 1);
    };
  }

  /** Changes state from the kernel: the front end is told, observers run. */
  protected set(patch: State): void {
    const changed = this.apply(patch);
    if (changed.length === 0) return;
    const state: State = {};
    for (const c of changed) if (!this.kernelOnly.has(c.name)) state[c.name] = serialize(c.new);
    if (Object.keys(state).length > 0)
      this.comm?.send({ method: "update", state, buffer_paths: [] });
    this.notify(changed);
  }

  /** Declares a state key that lives only in the kernel, with its first value. */
  protected kernelState(name: string, value: unknown): void {
    this.kernelOnly.add(name);
    this.state[name] = value;
  }

  /** Closes the comm: the front end drops its views. */
  close(): void {
    this.comm?.close();
    this.detach();
  }

  /** A front-end update may need fixing (an index becomes a value); subclasses map it here. */
  protected fromFrontEnd(state: State): State {
    return state;
  }

  /** `custom` messages (a button's click). */
  protected onCustom(_content: CommData): void {}

  private receive(data: CommData): void {
    const method = data.method;
    if (method === "update" || method === "echo_update") {
      const state = (data.state ?? {}) as State;
      const changed = this.apply(this.fromFrontEnd(state));
      this.notify(changed);
    } else if (method === "request_state") {
      this.comm?.send({ method: "update", ...this.wireState() });
    } else if (method === "custom") {
      this.onCustom((data.content ?? {}) as CommData);
    }
  }

  private apply(patch: State): Change[] {
    const changed: Change[] = [];
    for (const [name, value] of Object.entries(patch)) {
      const old = this.state[name];
      if (Object.is(old, value)) continue;
      this.state[name] = value;
      changed.push({ name, old, new: value, owner: this });
    }
    return changed;
  }

  private notify(changes: Change[]): void {
    for (const change of changes)
      for (const o of [...this.observers]) if (!o.names || o.names.has(change.name)) o.fn(change);
  }

  private detach(): void {
    this.comm = null;
    liveWidgets.delete(this.id);
  }

  /** What the widget shows where no widget front end is (nbconvert, a headless run). */
  abstract describe(): string;

  /** The widget's class and id. */
  toString(): string {
    return this.describe();
  }

  /** The widget-view bundle (with a text fallback). */
  [JUPYTER_DISPLAY](): MimeBundle | Promise<MimeBundle> {
    return this.bundle();
  }

  /** What front ends without widget support show: the text, and richer types if any. */
  fallback(): MimeBundle {
    return { "text/plain": this.describe() };
  }

  /** The widget view (when connected) with the fallback. */
  bundle(): MimeBundle {
    const fallback = this.fallback();
    if (!this.comm) return fallback;
    const view = { version_major: 2, version_minor: 0, model_id: this.id };
    return { [WIDGET_VIEW_MIME]: view, ...fallback };
  }
}

/** Quotes a string the way the text fallbacks show values. */
export const show = (v: unknown): string => (typeof v === "string" ? JSON.stringify(v) : String(v));
