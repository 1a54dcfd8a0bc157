// The static site (issue 16): JupyterLite with the Dendrite kernel in a web worker, served
// cross-origin isolated as `npm run site:serve` serves it. Tutorials 01–03 run top to bottom
// in the tab (MNIST from the site's own files) with Dendrite's renderers drawing; widgets
// round-trip; the kernel reports type errors as the Node kernel does, interrupts a busy loop
// and a pending await, and a seeded training gives the same losses as the library under
// Node; on SwiftShader's WebGPU the worker finds navigator.gpu and matches the CPU.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as dl from "../../src/index.js";
import { NOT_ISOLATED_NOTE } from "../../extension/lite/app/kernel.js";
import {
  browserAvailable,
  buildSite,
  executeInKernel,
  openNotebook,
  openSite,
  runAllCells,
  runNewCell,
  switchNotebook,
  cellAt,
  labFileBytes,
  webgpuAvailable,
  type SiteBrowser,
} from "./site.js";

// The seeded training below is compared bitwise with the tab, which runs the WebAssembly
// kernels: Node must run them too (the native kernels' FMA rounds differently).
process.env.DENDRITE_CPU_KERNEL = "wasm";

const TUTORIAL = "01-tensors-and-autograd.ipynb";

type Metrics = Record<string, number>;

/** Tutorials 01–03 in the tab, with what each promises (as tests/notebooks checks under Node). */
const TUTORIALS: Record<string, (m: Metrics) => void> = {
  [TUTORIAL]: (m) => {
    // The hand-written autograd agrees with dl's; the regression fits as under Node.
    expect(m.autograd_max_abs_diff).toBeLessThan(1e-5);
    expect(m.softmax_jacobian_max_abs_diff).toBeLessThan(1e-5);
    expect(m.mse_clean_test_mae).toBeLessThan(4.5);
  },
  "02-mlp-mnist.ipynb": (m) => expect(m.test_accuracy).toBeGreaterThanOrEqual(0.96),
  "03-cnn-mnist.ipynb": (m) => expect(m.test_accuracy).toBeGreaterThanOrEqual(0.98),
  // Saves its pre-trained features with dl.save and loads them back in each later stage: in the
  // tab through the lab's file browser (the file is checked below).
  "11-transfer-learning-and-recommendations.ipynb": (m) => {
    expect(m.frozen_accuracy - m.scratch_accuracy).toBeGreaterThanOrEqual(0.05);
    expect(m.finetune_accuracy - m.scratch_accuracy).toBeGreaterThanOrEqual(0.05);
    expect(m.mf_test_rmse).toBeLessThan(0.5);
  },
};

/** The file tutorial 11 saves next to itself, and the tensors in it (names and shapes). */
const SAVED_FEATURES = "digits-0-4-features.safetensors";
const FEATURE_SHAPES = {
  "0.weight": [8, 1, 5, 5],
  "0.bias": [8],
  "3.weight": [16, 8, 5, 5],
  "3.bias": [16],
};

const SLIDER_CELL = `const n = new dl.widgets.IntSlider({ value: 2, min: 0, max: 10, description: "n" });
const square = new dl.widgets.Label(\`n² = \${n.value ** 2}\`);
n.onChange((v) => (square.value = \`n² = \${v * v}\`));
new dl.widgets.VBox([n, square])`;

/** Training that only Stop ends (100,000 epochs), counting steps and noting the count at the
 *  click (names prefixed: the kernel holds the tutorials' names too). */
const FIT_CELL = `dl.manualSeed(0);
const fitX = dl.randn([64, 3]);
const fitY = fitX.sum(1, true);
const fitModel = new dl.nn.Sequential(new dl.nn.Linear(3, 16), new dl.nn.Tanh(), new dl.nn.Linear(16, 1));
const fitOpt = new dl.optim.SGD(fitModel.parameters(), { lr: 0.05 });
let fitSteps = 0;
let fitStepsAtClick = -1;
const fitSgdStep = fitOpt.step.bind(fitOpt);
fitOpt.step = () => { fitSteps++; return fitSgdStep(); };
const fitStop = new dl.widgets.StopButton();
fitStop.onClick(() => (fitStepsAtClick = fitSteps));
const fitBatches = Array.from({ length: 20 }, () => [fitX, fitY] as [dl.Tensor, dl.Tensor]);
const fitHistory = await dl.fit(fitModel, {
  train: fitBatches, loss: new dl.nn.MSELoss(), optimizer: fitOpt, epochs: 100_000, stopButton: fitStop,
});`;

/** The device the tutorials would pick, the same product on the CPU and on WebGPU, and the
 *  adapter. */
const GPU_CELL = `const preferred = await dl.preferredDevice();
dl.manualSeed(1);
const a = dl.randn([32, 48]);
const b = dl.randn([48, 16]);
const onCpu = a.matmul(b).dataSync();
await dl.useDevice("webgpu");
const onGpu = await a.to("webgpu").matmul(b.to("webgpu")).data();
const maxDiff = Math.max(...Array.from(onGpu, (v, i) => Math.abs(v - onCpu[i])));
const adapter = dl.devices().find((d) => d.device === "webgpu")?.adapter;
console.log(JSON.stringify({ devices: dl.devices().map((d) => d.device), maxDiff, preferred, adapter }));`;

/** A seeded training run, written so the same text runs as a cell and under Node. */
const TRAINING = `
function trainSeeded() {
dl.manualSeed(7);
// Wide enough (128×300 by 300×256) that the products run on the GEMM's worker threads.
const X = dl.randn([128, 300]);
const y = X.matmul(dl.randn([300, 1])).add(0.1);
const model = new dl.nn.Sequential(new dl.nn.Linear(300, 256), new dl.nn.Tanh(), new dl.nn.Linear(256, 1));
const opt = new dl.optim.SGD(model.parameters(), { lr: 0.01 });
const losses = [];
for (let step = 0; step < 20; step++) {
  opt.zeroGrad();
  const loss = dl.nn.functional.mseLoss(model.forward(X), y);
  loss.backward();
  opt.step();
  losses.push(loss.itemSync());
}
return losses;
}
`;

describe.skipIf(!browserAvailable())("the site's JupyterLite", () => {
  let site: SiteBrowser;

  beforeAll(async () => {
    await buildSite();
    site = await openSite();
    await openNotebook(site, TUTORIAL);
  }, 600_000);

  afterAll(async () => {
    await site?.close();
  });

  it("is cross-origin isolated, so interrupts can use shared memory", async () => {
    expect(await site.page.evaluate(() => crossOriginIsolated)).toBe(true);
  });

  it("keeps an address a static host can serve again (a reload reopens the notebook)", async () => {
    const url = new URL(site.page.url());
    expect(url.pathname).toBe("/lab/index.html");
    expect(url.searchParams.get("path")).toBe(TUTORIAL);
  });

  for (const [notebook, promised] of Object.entries(TUTORIALS)) {
    it(`runs ${notebook} in the tab without an error, and Dendrite's renderers draw`, async () => {
      if (notebook !== TUTORIAL) await switchNotebook(site, notebook);
      const cells = await runAllCells(site.page, 540_000);
      const errors = cells.flatMap((c) => c.outputs.filter((o) => o.output_type === "error"));
      expect(errors, site.consoleLines.slice(-20).join("\n")).toEqual([]);
      expect(cells.every((c) => typeof c.executionCount === "number")).toBe(true);
      const stderr = cells.flatMap((c) => c.outputs.filter((o) => o.name === "stderr"));
      expect(stderr).toEqual([]);
      // The tutorial's METRICS line, computed in the browser.
      const text = cells.flatMap((c) => c.outputs.map((o) => String(o.text ?? ""))).join("");
      const line = text.split("\n").find((l) => l.startsWith("METRICS "));
      promised(JSON.parse(String(line).slice("METRICS ".length)) as Metrics);
      // Tensor views and plots drew (a canvas or table; plotly's SVG).
      const drawn = await site.page.evaluate(() => {
        const panel = (window as any).jupyterapp.shell.currentWidget.node as HTMLElement;
        return {
          tensors: panel.querySelectorAll(".dd-tensor canvas, .dd-tensor table").length,
          plots: panel.querySelectorAll(".dd-plot .main-svg").length,
        };
      });
      expect(drawn.tensors).toBeGreaterThan(0);
      expect(drawn.plots).toBeGreaterThan(0);
      if (notebook.startsWith("11-")) {
        const saved = dl.io.inspectSafetensors(await labFileBytes(site, SAVED_FEATURES));
        expect(Object.fromEntries(saved.tensors.map((t) => [t.name, t.shape]))).toEqual(
          FEATURE_SHAPES,
        );
      }
    }, 600_000);
  }

  it("dl.save and dl.load read and write the lab's files, relative to the notebook", async () => {
    // In a block: the names stay clear of the notebooks' that ran in this kernel before.
    const code = `{
  const w = dl.arange(0, 6).reshape([2, 3]);
  await dl.save({ w, b: dl.tensor([1, 0, 1], { dtype: "bool" }) }, "w.safetensors");
  const back = await dl.load("w.safetensors");
  console.log(JSON.stringify({ w: await back.w.toArray(), b: back.b.dtype }));
}`;
    const { reply, outputs } = await executeInKernel(site.page, code);
    expect(reply.status, JSON.stringify(outputs)).toBe("ok");
    const printed = outputs.find((o) => o.type === "stream") as { text: string };
    expect(JSON.parse(printed.text)).toEqual({ w: [[0, 1, 2], [3, 4, 5]], b: "bool" });
    // The bytes are in the lab's storage next to the notebook, in PyTorch's format: the
    // header read here, outside the kernel.
    const info = dl.io.inspectSafetensors(await labFileBytes(site, "w.safetensors"));
    expect(Object.fromEntries(info.tensors.map((t) => [t.name, [t.dtype, t.shape]]))).toEqual({
      b: ["BOOL", [3]],
      w: ["I32", [2, 3]],
    });
    // A missing file, or a folder that does not exist, is the library's error naming the
    // operation and the path, as under Node.
    for (const [call, said] of [
      ['await dl.load("no-such-file.safetensors")', "load: cannot read no-such-file.safetensors"],
      ['await dl.save({ x: dl.ones([1]) }, "no-folder/x.safetensors")', "save: cannot write no-folder/x.safetensors"],
    ]) {
      const failed = await executeInKernel(site.page, call);
      expect(failed.reply.ename).toBe("DendriteError");
      expect(String(failed.reply.evalue)).toContain(said);
    }
  }, 60_000);

  it("renders widgets, and a slider moved in the page reaches the worker and back", async () => {
    const cell = cellAt(await runNewCell(site.page, SLIDER_CELL));
    await site.page.waitForSelector(`${cell} .widget-slider .noUi-base`, { timeout: 60_000 });
    const label = `${cell} .widget-vbox > .widget-label`;
    expect(await site.page.locator(label).first().textContent()).toBe("n² = 4");
    const box = await site.page.locator(`${cell} .widget-slider .noUi-base`).first().boundingBox();
    if (!box) throw new Error("the slider has no box");
    await site.page.mouse.click(box.x + box.width * 0.8, box.y + box.height / 2);
    await site.page.waitForFunction(
      (sel) => document.querySelector(`${sel} .widget-readout`)?.textContent !== "2",
      cell,
      { timeout: 30_000 },
    );
    const moved = Number(await site.page.locator(`${cell} .widget-readout`).first().textContent());
    expect(moved).toBeGreaterThanOrEqual(7);
    // The worker's callback changed the label's value, and the page shows it.
    await site.page.waitForFunction(
      ([sel, v]) => document.querySelector(sel)?.textContent === `n² = ${v * v}`,
      [label, moved] as const,
      { timeout: 30_000 },
    );
  }, 120_000);

  it("Stop ends dl.fit while it trains: widget messages reach a running cell", async () => {
    const cell = cellAt(await runNewCell(site.page, FIT_CELL, { wait: false }));
    const stopButton = site.page.locator(`${cell} button.widget-button`, { hasText: "Stop" });
    await stopButton.waitFor({ timeout: 120_000 });
    // Training is under way (steps counted) before the click.
    await site.page.locator(`${cell} .dd-plot .scatterlayer .trace`).first().waitFor({
      timeout: 120_000,
    });
    await stopButton.click();
    await site.page
      .locator(`${cell} button.widget-button`, { hasText: "Stopped" })
      .waitFor({ timeout: 60_000 });
    const { reply, outputs } = await executeInKernel(
      site.page,
      "console.log(JSON.stringify({ steps: fitSteps, stepsAtClick: fitStepsAtClick, epochs: fitHistory.loss.length }))",
    );
    expect(reply.status, JSON.stringify(outputs)).toBe("ok");
    const report = JSON.parse((outputs.find((o) => o.type === "stream") as { text: string }).text);
    // The click reached the worker while the cell ran, and the loop ended within a step of it.
    expect(report.stepsAtClick).toBeGreaterThan(0);
    expect(report.steps - report.stepsAtClick).toBeLessThanOrEqual(1);
    expect(report.epochs).toBe(Math.ceil(report.steps / 20));
  }, 300_000);

  it("aborts the requests queued behind a failing cell, as the desktop kernel does", async () => {
    const statuses = await site.page.evaluate(async () => {
      const app = (window as any).jupyterapp;
      const kernel = app.shell.currentWidget.sessionContext.session.kernel;
      // stop_on_error as a notebook's cells send it (requestExecute's default is false).
      const failing = kernel.requestExecute({
        code: 'await new Promise((r) => setTimeout(r, 300)); throw new Error("boom");',
        stop_on_error: true,
      });
      const queued = kernel.requestExecute({ code: "1 + 1" });
      const replies = [await failing.done, await queued.done];
      // One sent after the failure runs.
      const after = await kernel.requestExecute({ code: "2 + 2" }).done;
      return [...replies, after].map((r: any) => r.content.status);
    });
    expect(statuses).toEqual(["error", "aborted", "ok"]);
  }, 60_000);

  it("reports a type error as the Node kernel does, with the cell's line and a caret", async () => {
    const { reply, outputs } = await executeInKernel(site.page, 'const wrong: number = "a";');
    expect(reply.status).toBe("error");
    expect(reply.ename).toBe("TSError");
    const error = outputs.find((o) => o.type === "error") as { traceback: string[] };
    expect(error.traceback[0]).toMatch(
      /^cell\[\d+\]:1:7 - error TS2322: Type 'string' is not assignable to type 'number'\.$/,
    );
    expect(error.traceback[2]).toBe("        ^^^^^");
  }, 60_000);

  it("interrupts a loop that never awaits (shared flag) and a pending await", async () => {
    const busy = await executeInKernel(site.page, "let n = 0;\nwhile (true) { n++; }", 1500);
    expect(busy.reply.status).toBe("error");
    expect(busy.reply.ename).toBe("InterruptError");
    const waiting = await executeInKernel(site.page, "await new Promise(() => {});", 1500);
    expect(waiting.reply.ename).toBe("InterruptError");
    // The kernel lives on.
    const after = await executeInKernel(site.page, "6 * 7");
    expect(after.reply.status).toBe("ok");
    const result = after.outputs.find((o) => o.type === "execute_result") as {
      data: Record<string, string>;
    };
    expect(result.data["text/plain"]).toBe("42");
  }, 120_000);

  it("trains to the same losses as the library under Node (same seed, CPU, threaded GEMM)", async () => {
    const { reply, outputs } = await executeInKernel(
      site.page,
      `${TRAINING}\nconsole.log(JSON.stringify(trainSeeded()));`,
    );
    expect(reply.status, JSON.stringify(outputs)).toBe("ok");
    const printed = outputs.find((o) => o.type === "stream") as { text: string };
    const inBrowser = JSON.parse(printed.text) as number[];
    const run = new Function("dl", `${TRAINING}\nreturn trainSeeded();`) as (lib: typeof dl) => number[];
    const inNode = run(dl);
    expect(inBrowser).toHaveLength(20);
    expect(inBrowser).toEqual(inNode);
    // The products above ran on worker threads in the tab, not on the one-thread fallback.
    const info = await executeInKernel(site.page, "console.log(JSON.stringify(dl.backendInfo()))");
    const said = info.outputs.find((o) => o.type === "stream") as { text: string };
    expect(JSON.parse(said.text)).toMatchObject({ kernel: "wasm-simd", threadsAvailable: true });
    expect(inNode[19]).toBeLessThan(inNode[0]);
  }, 120_000);
});

describe.skipIf(!webgpuAvailable())("the site's kernel on WebGPU (SwiftShader in Chromium)", () => {
  let site: SiteBrowser;

  beforeAll(async () => {
    await buildSite();
    site = await openSite({ webgpu: true });
    await openNotebook(site, TUTORIAL);
  }, 600_000);

  afterAll(async () => {
    await site?.close();
  });

  it("finds navigator.gpu in the worker and computes what the CPU computes", async () => {
    const { reply, outputs } = await executeInKernel(site.page, GPU_CELL);
    expect(reply.status, JSON.stringify(outputs)).toBe("ok");
    const printed = outputs.find((o) => o.type === "stream" && o.name === "stdout") as {
      text: string;
    };
    const got = JSON.parse(printed.text) as {
      devices: string[];
      maxDiff: number;
      preferred: string;
      adapter: { isFallbackAdapter?: boolean };
    };
    expect(got.devices).toContain("webgpu");
    expect(got.maxDiff).toBeLessThan(1e-4);
    // SwiftShader is a software adapter: the tutorials' dl.preferredDevice() stays on the CPU.
    expect(got.adapter.isFallbackAdapter, JSON.stringify(got.adapter)).toBe(true);
    expect(got.preferred).toBe("cpu");
  }, 300_000);
});

describe.skipIf(!browserAvailable())("the site on a host that sends no isolation headers", () => {
  let site: SiteBrowser;

  beforeAll(async () => {
    await buildSite();
    site = await openSite({ isolated: false });
  }, 600_000);

  afterAll(async () => {
    await site?.close();
  });

  it("installs its service worker, reloads once, and the lab is isolated with threads", async () => {
    const { page } = site;
    await page.goto(`${site.origin}/lab/index.html?path=${encodeURIComponent(TUTORIAL)}`);
    // The reload replaces the page under the test's feet: ask again until the new one answers.
    let isolated = false;
    for (let i = 0; i < 240 && !isolated; i++) {
      isolated = await page.evaluate(() => crossOriginIsolated).catch(() => false);
      if (!isolated) await new Promise((r) => setTimeout(r, 250));
    }
    expect(isolated).toBe(true);
    // The server sent no isolation headers: the worker added them.
    const direct = await fetch(`${site.origin}/lab/index.html`);
    expect(direct.headers.get("cross-origin-embedder-policy")).toBeNull();
    expect(await page.evaluate(() => navigator.serviceWorker.controller?.scriptURL)).toBe(
      `${site.origin}/isolation-sw.js`,
    );
    // This page is the reload of the one the server sent.
    const navigation = await page.evaluate(
      () => (performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming).type,
    );
    expect(navigation).toBe("reload");
    await openNotebook(site, TUTORIAL);
    const info = await executeInKernel(page, "console.log(JSON.stringify(dl.backendInfo()))");
    const said = info.outputs.find((o) => o.type === "stream") as { text: string };
    expect(JSON.parse(said.text)).toMatchObject({ threadsAvailable: true });
    // A busy loop stops: the interrupt flag lives in shared memory.
    const busy = await executeInKernel(page, "let n = 0;\nwhile (true) { n++; }", 1500);
    expect(busy.reply.ename).toBe("InterruptError");
    // Later visits are served by the worker from the start: isolated as soon as they load.
    await page.goto(`${site.origin}/index.html`);
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
  }, 300_000);
});

describe.skipIf(!browserAvailable())("the site where no service worker can isolate it", () => {
  let site: SiteBrowser;

  beforeAll(async () => {
    await buildSite();
    site = await openSite({ isolated: false, serviceWorkers: "block" });
    await openNotebook(site, TUTORIAL);
  }, 600_000);

  afterAll(async () => {
    await site?.close();
  });

  it("still interrupts a pending await, and says why a busy loop would run on", async () => {
    expect(await site.page.evaluate(() => crossOriginIsolated)).toBe(false);
    const { reply, outputs } = await executeInKernel(site.page, "await new Promise(() => {});", 1000);
    expect(reply.ename).toBe("InterruptError");
    const notes = outputs.filter((o) => o.type === "stream" && o.name === "stderr");
    expect(notes.map((o) => o.text)).toEqual([NOT_ISOLATED_NOTE]);
  }, 120_000);
});
