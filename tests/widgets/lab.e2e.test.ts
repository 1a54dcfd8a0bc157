// dl.widgets in the bundled lab (`npm start`), driven by mouse in Debian's Chromium: the
// standard ipywidgets front end (@jupyter-widgets/jupyterlab-manager 5 + controls) renders the
// kernel's widgets; a slider moved in the page changes the value in the kernel, whose
// callback updates a label; while dl.fit trains, the same slider still works, and a click on
// Stop ends training within one step with the model intact. Screenshots go to
// test-artifacts/widgets/.
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { root } from "../kernel/helpers.js";
import {
  browserAvailable,
  openLab,
  showNotebook,
  cellSelector,
  type Lab,
} from "../notebooks/lab.js";

const artifacts = join(root, "test-artifacts", "widgets");

const SLIDER_CELL = `const n = new dl.widgets.IntSlider({ value: 2, min: 0, max: 10, description: "n" });
const square = new dl.widgets.Label(\`n² = \${n.value ** 2}\`);
n.onChange((v) => (square.value = \`n² = \${v * v}\`));
new dl.widgets.VBox([n, square])`;

// interact: a dropdown and a slider; the plot is drawn again by the kernel on every change.
const INTERACT_CELL = `const acts: Record<string, (t: dl.Tensor) => dl.Tensor> = {
  sigmoid: (t) => t.sigmoid(), tanh: (t) => t.tanh(), ReLU: (t) => t.relu(),
};
dl.widgets.interact(
  ({ activation, range }) => {
    const x = dl.linspace(-range, range, 201);
    const [slope] = dl.grad((t) => acts[activation](t).sum(), [x]);
    return dl.viz.plot(
      [{ name: activation, x, y: acts[activation](x) }, { name: \`\${activation}′\`, x, y: slope }],
      { title: \`\${activation} and its derivative\`, xLabel: "x" },
    );
  },
  { activation: Object.keys(acts), range: [1, 10] },
)`;

// Training that only Stop ends (100,000 epochs); it counts optimizer steps and notes the count
// when the click is handled, so the test can tell how many steps ran after it.
const FIT_CELL = `dl.manualSeed(0);
const x = dl.randn([64, 3]);
const y = x.sum(1, true);
const model = new dl.nn.Sequential(new dl.nn.Linear(3, 16), new dl.nn.Tanh(), new dl.nn.Linear(16, 1));
const opt = new dl.optim.SGD(model.parameters(), { lr: 0.05 });
const mse = new dl.nn.MSELoss();
const lossBefore = dl.noGrad(() => mse.forward(model.forward(x), y)).itemSync();
let steps = 0;
let stepsAtClick = -1;
const sgdStep = opt.step.bind(opt);
opt.step = () => { steps++; return sgdStep(); };
const stop = new dl.widgets.StopButton();
stop.onClick(() => (stepsAtClick = steps));
const batches = Array.from({ length: 20 }, () => [x, y] as [dl.Tensor, dl.Tensor]);
const history = await dl.fit(model, {
  train: batches, loss: mse, optimizer: opt, epochs: 100_000,
  stopButton: stop, controls: [dl.widgets.lrSlider(opt)],
});`;

function notebook(cells: string[]): string {
  return JSON.stringify({
    cells: cells.map((source) => ({
      cell_type: "code",
      metadata: {},
      execution_count: null,
      outputs: [],
      source,
    })),
    metadata: {
      kernelspec: {
        name: "dendrite",
        display_name: "Dendrite (TypeScript)",
        language: "typescript",
      },
    },
    nbformat: 4,
    nbformat_minor: 5,
  });
}

let lab: Lab;

/** Runs code in the notebook's kernel (not in a cell) and returns its text result. */
async function kernelValue(code: string): Promise<string> {
  const got = await lab.page.evaluate(async (src) => {
    type Msg = {
      header: { msg_type: string };
      content: { data?: Record<string, string>; ename?: string; evalue?: string };
    };
    const app = (window as unknown as { jupyterapp: { shell: { currentWidget: any } } }).jupyterapp;
    const kernel = app.shell.currentWidget.sessionContext.session.kernel;
    let text: string | null = null;
    let error = "";
    const future = kernel.requestExecute({ code: src, store_history: false });
    future.onIOPub = (m: Msg) => {
      if (m.header.msg_type === "execute_result") text = m.content.data?.["text/plain"] ?? "";
      if (m.header.msg_type === "error") error = `${m.content.ename}: ${m.content.evalue}`;
    };
    await future.done;
    return { text, error };
  }, code);
  if (got.text === null) throw new Error(`no result from ${code}: ${got.error}`);
  return got.text;
}

const unquote = (text: string) => text.replace(/^'|'$/g, "");

/** Clicks the slider's track at `fraction` of its width (drag-tap: the handle jumps there). */
async function clickSlider(cell: string, fraction: number): Promise<void> {
  const track = lab.page.locator(`${cell} .widget-slider .noUi-base`).first();
  const box = await track.boundingBox();
  if (!box) throw new Error("the slider has no box");
  await lab.page.mouse.click(box.x + box.width * fraction, box.y + box.height / 2);
}

const readout = (cell: string) => lab.page.locator(`${cell} .widget-readout`).first();

describe.skipIf(!browserAvailable())("dl.widgets in the bundled lab", () => {
  beforeAll(async () => {
    mkdirSync(artifacts, { recursive: true });
    const folder = mkdtempSync(join(tmpdir(), "dd-widgets-nb-"));
    writeFileSync(join(folder, "widgets.ipynb"), notebook([SLIDER_CELL, INTERACT_CELL, FIT_CELL]));
    lab = await openLab(root, folder);
    await showNotebook(lab, "widgets.ipynb");
    // Cells run only once the kernel has started (TypeScript builds a program first).
    const status = () =>
      lab.page.evaluate(() => {
        const panel = (window as unknown as { jupyterapp: { shell: { currentWidget: any } } })
          .jupyterapp.shell.currentWidget;
        return String(panel?.sessionContext?.session?.kernel?.status);
      });
    for (let waited = 0; (await status()) !== "idle"; waited += 500) {
      if (waited > 180_000) {
        await lab.page.screenshot({ path: join(artifacts, "kernel-not-idle.png") });
        throw new Error(`the kernel is still ${await status()} after 3 minutes`);
      }
      await lab.page.waitForTimeout(500);
    }
  }, 400_000);

  afterAll(async () => {
    if (lab) writeFileSync(join(artifacts, "console.txt"), lab.consoleLines.join("\n"));
    await lab?.close();
  });

  it("renders the kernel's widgets and a moved slider reaches the kernel and back", async () => {
    await lab.page.evaluate(() => {
      const app = (
        window as unknown as { jupyterapp: { commands: { execute(id: string): Promise<unknown> } } }
      ).jupyterapp;
      void app.commands.execute("notebook:run-all-cells");
    });
    const cell = cellSelector(0);
    await lab.page.waitForSelector(`${cell} .widget-slider .noUi-handle`, { timeout: 180_000 });
    expect(await readout(cell).textContent()).toBe("2");
    expect(
      await lab.page.locator(`${cell} .widget-vbox > .widget-label`).first().textContent(),
    ).toBe("n² = 4");
    // Dendrite's text fallback is not what the lab shows: the widget view wins.
    expect(await lab.page.locator(`${cell} .jp-OutputArea-output pre`).count()).toBe(0);
    await clickSlider(cell, 0.8);
    await lab.page.waitForFunction(
      (sel) => document.querySelector(`${sel} .widget-readout`)?.textContent !== "2",
      cell,
      { timeout: 30_000 },
    );
    const moved = Number(await readout(cell).textContent());
    expect(moved).toBeGreaterThanOrEqual(7);
    expect(moved).toBeLessThanOrEqual(9);
    // The kernel's callback (square.value = …) updated the label in the page.
    await lab.page.waitForFunction(
      ([sel, v]) =>
        document.querySelector(`${sel} .widget-vbox > .widget-label`)?.textContent ===
        `n² = ${v * v}`,
      [cell, moved] as const,
      { timeout: 60_000 },
    );
    await lab.page.locator(cell).screenshot({ path: join(artifacts, "slider.png") });
  }, 300_000);

  it("interact redraws its plot when the dropdown changes", async () => {
    const cell = cellSelector(1);
    const title = lab.page.locator(`${cell} .dd-plot .gtitle`).first();
    await title.waitFor({ timeout: 120_000 });
    expect(await title.textContent()).toBe("sigmoid and its derivative");
    await lab.page.locator(`${cell} .widget-dropdown select`).selectOption("tanh");
    await lab.page.waitForFunction(
      (sel) =>
        document.querySelector(`${sel} .dd-plot .gtitle`)?.textContent ===
        "tanh and its derivative",
      cell,
      { timeout: 60_000 },
    );
    await lab.page.waitForTimeout(300); // plotly's layout transition, before the picture
    await lab.page
      .locator(`${cell} .jp-OutputArea`)
      .first()
      .screenshot({ path: join(artifacts, "interact.png") });
  }, 180_000);

  it("the slider still works while dl.fit trains, and Stop ends it within one step", async () => {
    const fitCell = cellSelector(2);
    const stopButton = lab.page.locator(`${fitCell} button.widget-button`, { hasText: "Stop" });
    await stopButton.waitFor({ timeout: 120_000 });
    await lab.page
      .locator(`${fitCell} .dd-plot .scatterlayer .trace`)
      .first()
      .waitFor({ timeout: 120_000 });
    // Training runs (the kernel is busy with this cell); a slider event still gets through.
    const cell = cellSelector(0);
    await lab.page.locator(cell).scrollIntoViewIfNeeded();
    await clickSlider(cell, 0.1);
    await lab.page.waitForFunction(
      (sel) =>
        document.querySelector(`${sel} .widget-vbox > .widget-label`)?.textContent === "n² = 1",
      cell,
      { timeout: 60_000 },
    );
    await lab.page.locator(`${fitCell} .dd-plot`).scrollIntoViewIfNeeded();
    // The Stop button, the lr slider and the live plot (not the growing list of epoch bars).
    const row = await lab.page.locator(`${fitCell} .widget-hbox`).first().boundingBox();
    const plot = await lab.page.locator(`${fitCell} .dd-plot`).first().boundingBox();
    if (row && plot) {
      const x = Math.min(row.x, plot.x) - 8;
      const clip = {
        x,
        y: row.y - 8,
        width: plot.x + plot.width - x,
        height: plot.y + plot.height - row.y,
      };
      await lab.page.screenshot({ path: join(artifacts, "training.png"), clip });
    }
    await stopButton.click();
    // The cell ends by itself: its prompt gets an execution count.
    await lab.page.waitForFunction(
      (sel) =>
        /\[\d+\]/.test(document.querySelector(`${sel} .jp-InputArea-prompt`)?.textContent ?? ""),
      fitCell,
      { timeout: 60_000 },
    );
    await lab.page
      .locator(`${fitCell} button.widget-button`, { hasText: "Stopped" })
      .waitFor({ timeout: 30_000 });
    expect(
      await lab.page
        .locator(
          `${fitCell} .jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]`,
        )
        .count(),
    ).toBe(0);
    const report = JSON.parse(
      // The result is shown as a quoted string: '{"n":1,…}'.
      unquote(
        await kernelValue(
          // (no shorthand properties: the kernel's cell rewriting misses them)
          "JSON.stringify({ n: n.value, steps: steps, stepsAtClick: stepsAtClick, " +
            "epochs: history.loss.length, lossBefore: lossBefore, " +
            "lossAfter: dl.noGrad(() => mse.forward(model.forward(x), y)).itemSync(), " +
            "params: model.parameters().length })",
        ),
      ),
    ) as Record<string, number>;
    expect(report.n).toBe(1);
    expect(report.stepsAtClick).toBeGreaterThan(0);
    expect(report.steps - report.stepsAtClick).toBeLessThanOrEqual(1);
    expect(report.epochs).toBe(Math.ceil(report.steps / 20));
    expect(Number.isFinite(report.lossAfter)).toBe(true);
    expect(report.lossAfter).toBeLessThan(report.lossBefore);
    expect(report.params).toBe(4);
  }, 300_000);
});
