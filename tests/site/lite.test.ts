// The static site (issue 16): JupyterLite with the Dendrite kernel in a web worker, served
// cross-origin isolated as `npm run site:serve` serves it. Tutorial 01 runs top to bottom in
// the tab with Dendrite's renderers drawing; the kernel reports type errors as the Node kernel
// does, interrupts a busy loop and a pending await, and a seeded training gives the same
// losses as the library under Node.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as dl from "../../src/index.js";
import {
  browserAvailable,
  buildSite,
  executeInKernel,
  openNotebook,
  openSite,
  runAllCells,
  type SiteBrowser,
} from "./site.js";

const TUTORIAL = "01-tensors-and-autograd.ipynb";

/** A seeded training run, written so the same text runs as a cell and under Node. */
const TRAINING = `
function trainSeeded() {
dl.manualSeed(7);
const X = dl.randn([64, 5]);
const y = X.matmul(dl.tensor([[1], [-2], [0.5], [3], [-1]])).add(0.1);
const model = new dl.nn.Sequential(new dl.nn.Linear(5, 8), new dl.nn.Tanh(), new dl.nn.Linear(8, 1));
const opt = new dl.optim.SGD(model.parameters(), { lr: 0.05 });
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

  it(`runs ${TUTORIAL} in the tab without an error, and Dendrite's renderers draw`, async () => {
    const cells = await runAllCells(site.page, 480_000);
    const errors = cells.flatMap((c) => c.outputs.filter((o) => o.output_type === "error"));
    expect(errors, site.consoleLines.slice(-20).join("\n")).toEqual([]);
    expect(cells.every((c) => typeof c.executionCount === "number")).toBe(true);
    const stderr = cells.flatMap((c) => c.outputs.filter((o) => o.name === "stderr"));
    expect(stderr).toEqual([]);
    // The tutorial's METRICS line: the hand-written autograd agrees with dl's in the browser.
    const text = cells.flatMap((c) => c.outputs.map((o) => String(o.text ?? ""))).join("");
    const line = text.split("\n").find((l) => l.startsWith("METRICS "));
    const metrics = JSON.parse(String(line).slice("METRICS ".length));
    expect(metrics.autograd_max_abs_diff).toBeLessThan(1e-5);
    expect(metrics.mse_clean_test_mae).toBeLessThan(4.5);
    // Tensor views and plots drew (a canvas or table; plotly's SVG).
    const drawn = await site.page.evaluate(() => ({
      tensors: document.querySelectorAll(".dd-tensor canvas, .dd-tensor table").length,
      plots: document.querySelectorAll(".dd-plot .main-svg").length,
    }));
    expect(drawn.tensors).toBeGreaterThan(0);
    expect(drawn.plots).toBeGreaterThan(0);
  }, 600_000);

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

  it("trains to the same losses as the library under Node (same seed, CPU)", async () => {
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
    expect(inNode[19]).toBeLessThan(inNode[0]);
  }, 120_000);
});
