// dl.widgets against an in-memory transport: what each widget opens its comm with (the state
// @jupyter-widgets/controls 2.0 expects), state sync both ways, observers, clicks, the
// control comm, interact, and the text fallbacks shown where no widget front end is.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import * as dl from "../../src/index.js";
import { FakeTransport } from "./fake-transport.js";

const w = dl.widgets;
const VIEW = "application/vnd.jupyter.widget-view+json";
let t: FakeTransport;

beforeEach(() => {
  t = new FakeTransport();
  w.setCommTransport(t);
});
afterEach(() => w.setCommTransport(null));

const stateOf = (widget: dl.widgets.Widget) =>
  t.comm(widget.id).opened.state as Record<string, unknown>;

describe("widget models", () => {
  it("opens a jupyter.widget comm whose state names the controls model and view", () => {
    const s = new w.IntSlider({ value: 3, min: 1, max: 9, description: "n" });
    const comm = t.comm(s.id);
    expect(comm.target).toBe("jupyter.widget");
    expect(comm.opened.buffer_paths).toEqual([]);
    expect(stateOf(s)).toMatchObject({
      _model_name: "IntSliderModel",
      _view_name: "IntSliderView",
      _model_module: "@jupyter-widgets/controls",
      _model_module_version: "2.0.0",
      value: 3,
      min: 1,
      max: 9,
      step: 1,
      description: "n",
      readout_format: "d",
    });
    const bundle = s[Symbol.for("Jupyter.display") as never] as unknown as () => object;
    expect(bundle.call(s)).toEqual({
      [VIEW]: { version_major: 2, version_minor: 0, model_id: s.id },
      "text/plain": 'IntSlider("n", value=3, min=1, max=9)',
    });
  });

  it.each([
    [() => new w.FloatSlider(), "FloatSliderModel", "FloatSliderView"],
    [() => new w.FloatLogSlider({ min: -4, max: 0 }), "FloatLogSliderModel", "FloatLogSliderView"],
    [() => new w.Dropdown({ options: ["a"] }), "DropdownModel", "DropdownView"],
    [() => new w.ToggleButton(), "ToggleButtonModel", "ToggleButtonView"],
    [() => new w.Checkbox(), "CheckboxModel", "CheckboxView"],
    [() => new w.Button(), "ButtonModel", "ButtonView"],
    [() => new w.Text(), "TextModel", "TextView"],
    [() => new w.IntProgress(), "IntProgressModel", "ProgressView"],
    [() => new w.FloatProgress(), "FloatProgressModel", "ProgressView"],
    [() => new w.Label("x"), "LabelModel", "LabelView"],
    [() => new w.HTML("<b>x</b>"), "HTMLModel", "HTMLView"],
    [() => new w.HBox([]), "HBoxModel", "HBoxView"],
    [() => new w.VBox([]), "VBoxModel", "VBoxView"],
  ])("%#: names its model and view", (make, model, view) => {
    const widget = make();
    expect(stateOf(widget)._model_name).toBe(model);
    expect(stateOf(widget)._view_name).toBe(view);
  });

  it("Output lives in @jupyter-widgets/output and holds nbformat outputs", async () => {
    const out = new w.Output();
    expect(stateOf(out)).toMatchObject({
      _model_module: "@jupyter-widgets/output",
      _model_module_version: "1.0.0",
      outputs: [],
    });
    out.print("hello", 42);
    await out.display(dl.tensor([1, 2]));
    const [first, second] = t
      .comm(out.id)
      .updates()
      .map((u) => u.outputs as never[])
      .slice(-1)[0];
    expect(first).toEqual({ output_type: "stream", name: "stdout", text: "hello 42\n" });
    expect(second).toMatchObject({ output_type: "display_data", metadata: {} });
    expect(Object.keys((second as { data: object }).data)).toContain(
      "application/vnd.dendrite.tensor.v1+json",
    );
    out.clear();
    expect(t.comm(out.id).updates().slice(-1)[0]).toEqual({ outputs: [] });
  });

  it("boxes reference their children as IPY_MODEL_ ids", () => {
    const a = new w.IntSlider();
    const b = new w.Label("b");
    const box = new w.HBox([a, b]);
    expect(stateOf(box).children).toEqual([`IPY_MODEL_${a.id}`, `IPY_MODEL_${b.id}`]);
    expect(box.toString()).toBe("IntSlider(value=0, min=0, max=100)  b");
  });
});

describe("state sync", () => {
  it("sends only changed keys, clamps to the range, and runs observers for both sides", () => {
    const s = new w.IntSlider({ value: 5, max: 10 });
    const seen: [string, unknown, unknown][] = [];
    s.observe((c) => seen.push([c.name, c.old, c.new]));
    s.value = 7;
    s.value = 7; // no change: nothing sent
    s.value = 50;
    expect(t.comm(s.id).updates()).toEqual([{ value: 7 }, { value: 10 }]);
    t.comm(s.id).deliver({ method: "update", state: { value: 2 }, buffer_paths: [] });
    expect(s.value).toBe(2);
    expect(seen).toEqual([
      ["value", 5, 7],
      ["value", 7, 10],
      ["value", 10, 2],
    ]);
    // A front-end update is not echoed back.
    expect(t.comm(s.id).updates()).toHaveLength(2);
  });

  it("answers request_state with the whole state", () => {
    const s = new w.FloatSlider({ value: 0.5, max: 1 });
    t.comm(s.id).deliver({ method: "request_state" });
    const last = t.comm(s.id).sent.slice(-1)[0].data;
    expect(last.method).toBe("update");
    expect(last.state).toEqual(stateOf(s));
  });

  it("Dropdown maps the front end's index to the option's value", () => {
    const d = new w.Dropdown({
      options: [
        ["ReLU", "relu"],
        ["Tanh", "tanh"],
      ],
      value: "tanh",
    });
    expect(stateOf(d)).toMatchObject({ _options_labels: ["ReLU", "Tanh"], index: 1 });
    expect("value" in stateOf(d)).toBe(false);
    const got: string[] = [];
    d.onChange((v) => got.push(v));
    t.comm(d.id).deliver({ method: "update", state: { index: 0 } });
    expect([d.value, d.label, got]).toEqual(["relu", "ReLU", ["relu"]]);
    d.value = "tanh";
    expect(t.comm(d.id).updates().slice(-1)[0]).toEqual({ index: 1 });
    expect(() => (d.value = "gelu")).toThrow(/widgets.Dropdown.*not an option/);
  });

  it("Button clicks and Text submits arrive as custom messages", () => {
    const b = new w.Button({ description: "go" });
    let clicks = 0;
    b.onClick(() => clicks++);
    t.comm(b.id).deliver({ method: "custom", content: { event: "click" } });
    t.comm(b.id).deliver({ method: "custom", content: { event: "click" } });
    expect([clicks, b.clicks]).toEqual([2, 2]);
    const text = new w.Text({ value: "a" });
    const submitted: string[] = [];
    text.onSubmit((v) => submitted.push(v));
    t.comm(text.id).deliver({ method: "update", state: { value: "abc" } });
    t.comm(text.id).deliver({ method: "custom", content: { event: "submit" } });
    expect(submitted).toEqual(["abc"]);
  });

  it("the control comm reports every open widget's state", () => {
    const s = new w.IntSlider({ value: 4 });
    const closed = new w.Label("gone");
    closed.close();
    const handler = t.targets.get("jupyter.widget.control");
    expect(handler).toBeDefined();
    const control = t.open("front-end", {}, { id: "ctl" }) as ReturnType<FakeTransport["comm"]>;
    handler!(control, {}, []);
    control.deliver({ method: "request_states" });
    const reply = control.sent[0].data as {
      method: string;
      states: Record<string, { model_name: string; state: Record<string, unknown> }>;
    };
    expect(reply.method).toBe("update_states");
    expect(reply.states[s.id].model_name).toBe("IntSliderModel");
    expect(reply.states[s.id].state.value).toBe(4);
    expect(reply.states[closed.id]).toBeUndefined();
  });

  it("a comm closed by the front end stops the sync", () => {
    const s = new w.IntSlider();
    t.comm(s.id).closeFromFrontEnd();
    s.value = 3;
    expect(s.value).toBe(3);
    expect(t.comm(s.id).updates()).toEqual([]);
    expect(s.connected).toBe(false);
  });
});

describe("options are checked", () => {
  it.each([
    [() => new w.IntSlider({ min: 5, max: 1 }), /widgets.IntSlider.*min \(5\) is above max \(1\)/],
    [() => new w.IntSlider({ step: 0.5 }), /widgets.IntSlider.*integers/],
    [() => new w.FloatSlider({ max: NaN }), /widgets.FloatSlider.*max must be a finite number/],
    [() => new w.FloatLogSlider({ base: 1 }), /widgets.FloatLogSlider.*base/],
    [() => new w.Dropdown({ options: [] }), /widgets.Dropdown.*non-empty/],
    [() => new w.HBox([1 as never]), /widgets.HBox.*children/],
    [
      () => w.interact(() => 1, { x: { nope: 1 } as never }),
      /widgets.interact.*x: cannot build a control/,
    ],
    [() => w.interact(() => 1, { lr: [0, 1, "log"] }), /widgets.interact.*0 < min < max/],
  ])("%#", (make, message) => {
    expect(make).toThrow(dl.DendriteError);
    expect(make).toThrow(message);
  });
});

describe("without a transport", () => {
  it("widgets work locally and display as text only", () => {
    w.setCommTransport(null);
    const s = new w.FloatSlider({ value: 1.5, max: 3, description: "x" });
    s.value = 2.5;
    expect(s.value).toBe(2.5);
    expect(s.connected).toBe(false);
    expect(s.bundle()).toEqual({ "text/plain": 'FloatSlider("x", value=2.5, min=0, max=3)' });
  });
});

describe("interact", () => {
  it("builds controls from the spec and re-runs fn on every change", async () => {
    const calls: string[] = [];
    const ui = w.interact(
      ({ lr, n, act, on, name }) => {
        calls.push(`${lr.toPrecision(2)} ${n} ${act} ${on} ${name}`);
        return `n squared is ${n * n}`;
      },
      { lr: [1e-4, 1, "log"], n: [0, 10], act: ["relu", "tanh"], on: true, name: "x" },
    );
    await ui.ready;
    const c = ui.controls;
    expect(c.lr).toBeInstanceOf(w.FloatLogSlider);
    expect([c.lr.get("min"), c.lr.get("max")]).toEqual([-4, 0]);
    expect(c.n).toBeInstanceOf(w.IntSlider);
    expect(c.act).toBeInstanceOf(w.Dropdown);
    expect(c.on).toBeInstanceOf(w.Checkbox);
    expect(c.name).toBeInstanceOf(w.Text);
    expect(calls).toEqual(["0.010 5 relu true x"]);
    // A change from the front end runs fn again and shows the new result in the output.
    t.comm(c.n.id).deliver({ method: "update", state: { value: 3 } });
    await ui.ready;
    t.comm(c.act.id).deliver({ method: "update", state: { index: 1 } });
    await ui.ready;
    expect(calls.slice(1)).toEqual(["0.010 3 relu true x", "0.010 3 tanh true x"]);
    const outputs = t.comm(ui.output.id).updates().slice(-1)[0].outputs as {
      data: Record<string, unknown>;
    }[];
    expect(outputs).toHaveLength(1);
    expect(outputs[0].data["text/plain"]).toBe("n squared is 9");
    expect(ui.toString()).toBe(
      'interact(lr=0.01, n=3, act="tanh", on=true, name="x")\nn squared is 9',
    );
  });

  it("runs never overlap: changes during a run give one more run with the latest values", async () => {
    const seen: number[] = [];
    let release!: () => void;
    const ui = w.interact(
      async ({ k }) => {
        seen.push(k);
        if (seen.length === 1) await new Promise<void>((r) => (release = r));
      },
      { k: [0, 10] },
    );
    ui.controls.k.value = 1;
    ui.controls.k.value = 2;
    release();
    await ui.ready;
    expect(seen).toEqual([5, 2]);
    expect(ui.runs).toBe(2);
  });

  it("shows fn's error in its output and keeps going", async () => {
    const ui = w.interact(
      ({ k }) => {
        if (k > 5) throw new RangeError("too big");
        return k;
      },
      { k: [0, 10] },
    );
    await ui.ready;
    ui.controls.k.value = 8;
    await ui.ready;
    expect(ui.output.describe()).toBe("RangeError: too big");
    ui.controls.k.value = 2;
    await ui.ready;
    expect(ui.output.describe()).toBe("2");
  });

  it("its display waits for the first run and carries the result as fallback", async () => {
    const plot = dl.viz.plot([{ x: [0, 1], y: [1, 2] }]);
    const ui = w.interact(async () => plot, { a: 1 });
    const bundle = await (
      ui[Symbol.for("Jupyter.display") as never] as () => Promise<Record<string, unknown>>
    ).call(ui);
    expect(bundle[VIEW]).toEqual({ version_major: 2, version_minor: 0, model_id: ui.id });
    expect(bundle["application/vnd.dendrite.plot.v1+json"]).toBeDefined();
    expect(String(bundle["text/plain"])).toMatch(/^interact\(a=1\)\n/);
  });
});
