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
};

const SLIDER_CELL = `const n = new dl.widgets.IntSlider({ value: 2, min: 0, max: 10, description: "n" });
const square = new dl.widgets.Label(\`n² = \${n.value ** 2}\`);
n.onChange((v) => (square.value = \`n² = \${v * v}\`));
new dl.widgets.VBox([n, square])`;

/** The same product on the CPU and on WebGPU, and the adapter's devices. */
const GPU_CELL = `dl.manualSeed(1);
const a = dl.randn([32, 48]);
const b = dl.randn([48, 16]);
const onCpu = a.matmul(b).dataSync();
await dl.useDevice("webgpu");
const onGpu = await a.to("webgpu").matmul(b.to("webgpu")).data();
const maxDiff = Math.max(...Array.from(onGpu, (v, i) => Math.abs(v - onCpu[i])));
console.log(JSON.stringify({ devices: dl.devices().map((d) => d.device), maxDiff }));`;

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
    }, 600_000);
  }

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
    const got = JSON.parse(printed.text) as { devices: string[]; maxDiff: number };
    expect(got.devices).toContain("webgpu");
    expect(got.maxDiff).toBeLessThan(1e-4);
  }, 300_000);
});

describe.skipIf(!browserAvailable())("the site served without cross-origin isolation", () => {
  let site: SiteBrowser;

  beforeAll(async () => {
    await buildSite();
    site = await openSite({ isolated: false });
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
