// Steering training: dl.fit's Stop button ends training after the current step with the
// model and history kept; an lr slider bound to the optimizer changes the rate the next step
// uses; livePlot's Stop button. The front end is played by an in-memory transport.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import * as dl from "../../src/index.js";
import { FakeTransport } from "./fake-transport.js";

const w = dl.widgets;
let t: FakeTransport;

beforeEach(() => {
  t = new FakeTransport();
  w.setCommTransport(t);
});
afterEach(() => w.setCommTransport(null));

function problem() {
  dl.manualSeed(1);
  const x = dl.randn([32, 3]);
  const y = x.sum(1, true);
  const model = new dl.nn.Sequential(
    new dl.nn.Linear(3, 8),
    new dl.nn.Tanh(),
    new dl.nn.Linear(8, 1),
  );
  const opt = new dl.optim.SGD(model.parameters(), { lr: 0.05 });
  const batches = Array.from({ length: 50 }, () => [x, y] as [dl.Tensor, dl.Tensor]);
  const mse = new dl.nn.MSELoss();
  return { x, y, model, opt, batches, mse };
}

/** Counts optimizer steps and records the lr each one used. */
function countSteps(opt: dl.optim.SGD) {
  const rec = { steps: 0, lrs: [] as number[] };
  const step = opt.step.bind(opt);
  opt.step = () => {
    rec.steps++;
    rec.lrs.push(opt.paramGroups[0].lr);
    return step();
  };
  return rec;
}

/** Runs `fn` on the first event-loop turn after `n` optimizer steps: a front end's message. */
function afterSteps(rec: { steps: number }, n: number, fn: () => void): Promise<void> {
  return new Promise<void>((resolve) => {
    const check = (): unknown => (rec.steps >= n ? resolve() : setImmediate(check));
    check();
  }).then(fn);
}

describe("dl.fit with a Stop button", () => {
  it("a click ends training after the current step; model and history are kept", async () => {
    const { x, y, model, opt, batches, mse } = problem();
    const rec = countSteps(opt);
    const stop = new w.StopButton();
    let stepsAtClick = -1;
    stop.onClick(() => (stepsAtClick = rec.steps));
    const before = dl.noGrad(() => mse.forward(model.forward(x), y)).itemSync();
    // The front end's click arrives while training runs (between two event-loop turns).
    const click = () => t.comm(stop.id).deliver({ method: "custom", content: { event: "click" } });
    const started = afterSteps(rec, 60, click);
    const history = await dl.fit(model, {
      train: batches,
      val: batches.slice(0, 2),
      loss: mse,
      optimizer: opt,
      epochs: 1000,
      stopButton: stop,
      display: false,
    });
    await started;
    expect(stepsAtClick).toBeGreaterThanOrEqual(60);
    // Within one step of the click being handled; nowhere near 1000 epochs.
    expect(rec.steps - stepsAtClick).toBeLessThanOrEqual(1);
    expect(rec.steps).toBeLessThan(50_000);
    const epochs = Math.ceil(rec.steps / 50);
    expect(history.loss).toHaveLength(epochs);
    // The interrupted epoch is not validated.
    expect(history.valLoss).toHaveLength(rec.steps % 50 === 0 ? epochs : epochs - 1);
    const after = dl.noGrad(() => mse.forward(model.forward(x), y)).itemSync();
    expect(Number.isFinite(after)).toBe(true);
    expect(after).toBeLessThan(before);
    expect(model.training).toBe(true);
    expect(stop.get("description")).toBe("Stopped");
    expect(stop.get("disabled")).toBe(true);
  });

  it("shows its own Stop button and controls in one row when displaying", async () => {
    const { model, opt, batches, mse } = problem();
    const shown: Record<string, unknown>[] = [];
    dl.setDisplayPublisher((b) => shown.push(b));
    try {
      const lr = w.lrSlider(opt);
      await dl.fit(model, {
        train: batches.slice(0, 2),
        loss: mse,
        optimizer: opt,
        epochs: 1,
        controls: [lr],
      });
      const row = shown[0]["application/vnd.jupyter.widget-view+json"] as { model_id: string };
      const children = (t.comm(row.model_id).opened.state as { children: string[] }).children;
      expect(children).toHaveLength(2);
      const [stopComm, lrComm] = children.map((c) => t.comm(c.replace("IPY_MODEL_", "")));
      expect((stopComm.opened.state as Record<string, unknown>)._model_name).toBe("ButtonModel");
      expect(lrComm.opened.state).toMatchObject({
        _model_name: "FloatLogSliderModel",
        value: 0.05,
      });
      // Not stopped: the button says the run finished.
      expect(stopComm.updates().slice(-1)[0]).toEqual({ description: "Finished", disabled: true });
    } finally {
      dl.setDisplayPublisher(null);
    }
  });

  it("no Stop button without a widget front end, unless asked for", async () => {
    w.setCommTransport(null);
    const { model, opt, batches, mse } = problem();
    const shown: Record<string, unknown>[] = [];
    dl.setDisplayPublisher((b) => shown.push(b));
    try {
      await dl.fit(model, { train: batches.slice(0, 1), loss: mse, optimizer: opt, epochs: 1 });
      expect(shown.some((b) => "application/vnd.jupyter.widget-view+json" in b)).toBe(false);
      expect(shown.some((b) => String(b["text/plain"]).startsWith("[Stop]"))).toBe(false);
    } finally {
      dl.setDisplayPublisher(null);
    }
  });
});

describe("binding widgets to hyperparameters", () => {
  it("an lr slider moved during training changes the rate of the next step", async () => {
    const { model, opt, batches, mse } = problem();
    const rec = countSteps(opt);
    const lr = w.lrSlider(opt, { min: 1e-4, max: 1 });
    expect([lr.get("min"), lr.get("max"), lr.value]).toEqual([-4, 0, 0.05]);
    let movedAt = -1;
    lr.onChange(() => (movedAt = rec.steps));
    const moved = afterSteps(rec, 20, () =>
      t.comm(lr.id).deliver({ method: "update", state: { value: 0.001 } }),
    );
    await dl.fit(model, {
      train: batches,
      loss: mse,
      optimizer: opt,
      epochs: 4,
      display: false,
      stopButton: false,
      controls: [lr],
    });
    await moved;
    expect(movedAt).toBeGreaterThanOrEqual(20);
    expect(rec.lrs.slice(0, movedAt).every((v) => v === 0.05)).toBe(true);
    expect(rec.lrs.slice(movedAt).every((v) => v === 0.001)).toBe(true);
    expect(opt.paramGroups[0].lr).toBe(0.001);
  });

  it("bind writes into every target and unbinds", () => {
    const s = new w.FloatSlider({ value: 0.5, max: 1 });
    const groups = [{ lr: 0 }, { lr: 0 }];
    const unbind = w.bind(s, groups, "lr");
    expect(groups).toEqual([{ lr: 0.5 }, { lr: 0.5 }]);
    s.value = 0.25;
    expect(groups).toEqual([{ lr: 0.25 }, { lr: 0.25 }]);
    unbind();
    s.value = 0.75;
    expect(groups[0].lr).toBe(0.25);
    expect(() => w.bind(s, [], "lr")).toThrow(/widgets.bind/);
  });
});

describe("livePlot's Stop button", () => {
  it("is opt-in and tells the loop to stop", () => {
    expect(dl.viz.livePlot({ display: false }).stopButton).toBeNull();
    const plot = dl.viz.livePlot({ display: false, stopButton: true });
    let steps = 0;
    for (let i = 0; i < 100 && !plot.stopped; i++) {
      plot.push(i, { loss: 1 / (i + 1) });
      steps++;
      if (i === 9)
        t.comm(plot.stopButton!.id).deliver({ method: "custom", content: { event: "click" } });
    }
    expect(steps).toBe(10);
    expect(plot.series.get("loss")!.x).toHaveLength(10);
  });
});
