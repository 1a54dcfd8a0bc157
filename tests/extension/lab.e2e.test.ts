// Browser end to end: starts the lab exactly as `npm start` does, opens the display demo in
// Debian's Chromium, checks the saved outputs render, runs all cells, and checks that every
// renderer produced its DOM and that the live plot updated in place. Screenshots go to
// test-artifacts/ for a person to look at.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LIVE_STEPS } from "./demo-notebook.js";
import { CHROMIUM, CHROMIUM_ARGS } from "../helpers/chromium.js";

const root = join(import.meta.dirname, "..", "..");
const artifacts = join(root, "test-artifacts", "lab");
const haveTools = existsSync(CHROMIUM) && existsSync("/usr/bin/python3");

let server: ChildProcess | null = null;
let context: BrowserContext | null = null;
let page: Page;
const consoleLines: string[] = [];
const stateDir = mkdtempSync(join(tmpdir(), "dd-lab-state-"));
const profileDir = mkdtempSync(join(tmpdir(), "dd-chromium-"));

/** Runs scripts/start.mjs and resolves with the URL it prints. */
function startLab(): Promise<string> {
  return new Promise((resolve, reject) => {
    const token = Math.random().toString(16).slice(2);
    const port = String(19000 + Math.floor(Math.random() * 1000));
    const child = spawn(
      "node",
      ["scripts/start.mjs", "--port", port, "--notebook", "display-demo.ipynb"],
      {
        cwd: root,
        // A fresh state folder: no theme or workspace left over from an earlier run.
        env: {
          ...process.env,
          DENDRITE_LAB_TOKEN: token,
          DENDRITE_LAB_STATE: stateDir,
        },
        detached: true, // its own process group, so the server and kernels stop with it
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    server = child;
    let log = "";
    const onData = (chunk: Buffer) => {
      log += String(chunk);
      const m = /\[dendrite\] (http:\/\/127\.0\.0\.1:\d+\/\S+)/.exec(log);
      if (m) resolve(m[1]);
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.on("exit", (code) =>
      reject(new Error(`npm start exited with ${code}:\n${log.slice(-3000)}`)),
    );
  });
}

async function shot(name: string, selector?: string): Promise<void> {
  const path = join(artifacts, `${name}.png`);
  if (!selector) return void (await page.screenshot({ path }));
  const el = page.locator(selector).first();
  await el.scrollIntoViewIfNeeded();
  await el.screenshot({ path });
}

/** The output area of the n-th code cell (0-based among all cells). */
const cellOutput = (n: number) =>
  `.jp-Notebook .jp-Cell[data-windowed-list-index="${n}"] .jp-OutputArea`;

describe.skipIf(!haveTools)("the lab behind npm start", () => {
  beforeAll(async () => {
    mkdirSync(artifacts, { recursive: true });
    const url = await startLab();
    context = await chromium.launchPersistentContext(profileDir, {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 1280, height: 900 },
      args: [...CHROMIUM_ARGS, "--disable-gpu"],
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.on("console", (m) => consoleLines.push(`${m.type()}: ${m.text()}`));
    page.on("pageerror", (e) => consoleLines.push(`pageerror: ${e.message}`));
    page.on("response", (r) => {
      if (r.status() >= 400)
        consoleLines.push(`http ${r.status()}: ${r.url().replace(/token=\w+/, "token=…")}`);
    });
    await page.goto(url);
    // The bootstrap marks the body "ready" or "failed" (with the error on the page and console).
    await page.waitForSelector("body[data-dendrite-lab]", { state: "attached", timeout: 120_000 });
    const state = await page.evaluate(() => document.body.dataset.dendriteLab);
    if (state !== "ready") throw new Error(`the lab failed to start: ${consoleLines.join("\n")}`);
    await page.waitForSelector(".jp-Notebook .jp-Cell", { timeout: 60_000 });
  }, 400_000);

  afterAll(async () => {
    writeFileSync(join(artifacts, "console.txt"), consoleLines.join("\n"));
    await context?.close();
    if (server?.pid) {
      try {
        process.kill(-server.pid, "SIGTERM");
      } catch {
        // already gone
      }
    }
    // Give the server a moment to stop its kernels before their folders go.
    await new Promise((r) => setTimeout(r, 1000));
    for (const dir of [stateDir, profileDir]) rmSync(dir, { recursive: true, force: true });
  });

  it("loads the renderers from the prebuilt labextension, as a user's JupyterLab would", async () => {
    expect(await page.evaluate(() => document.body.dataset.dendriteRenderers)).toBe("labextension");
  });

  it("renders the outputs saved in the notebook", async () => {
    await page.waitForSelector(".dd-graph [data-node-id]", { timeout: 60_000 });
    await page.waitForSelector(".dd-tensor canvas.dd-heatmap");
    await page.waitForSelector(".dd-plot .scatterlayer .trace", { timeout: 60_000 });
    expect(await page.locator(".dd-error").count()).toBe(0);
    await shot("saved-outputs");
  }, 120_000);

  it("runs all cells and every renderer draws", async () => {
    await page.evaluate(() => {
      const app = (
        window as unknown as { jupyterapp: { commands: { execute(id: string): Promise<unknown> } } }
      ).jupyterapp;
      void app.commands.execute("notebook:run-all-cells");
    });
    const live = cellOutput(7);
    // The live cell's output is cleared and redrawn from step 1: catch the new plot early,
    // mark its element, and check that the same element reaches the last step.
    const handle = await page.waitForFunction(
      (sel) => {
        const area = document.querySelector(`${sel} .dd-plot-area`) as
          (HTMLElement & { data?: { x: number[] }[] }) | null;
        const n = area?.data?.[0]?.x?.length ?? 0;
        if (n > 0 && n < 30) {
          area!.dataset.ddMark = "first";
          return n;
        }
        return 0;
      },
      live,
      { timeout: 180_000, polling: 50 },
    );
    const firstCount = (await handle.jsonValue()) as number;
    expect(firstCount).toBeLessThan(LIVE_STEPS);
    await page.waitForFunction(
      ([sel, steps]) => {
        const area = document.querySelector(`${sel} .dd-plot-area`) as
          (HTMLElement & { data?: { x: number[] }[] }) | null;
        return area?.data?.[0]?.x?.length === steps;
      },
      [live, LIVE_STEPS] as const,
      { timeout: 60_000 },
    );
    expect(await page.locator(`${live} .dd-plot-area[data-dd-mark=first]`).count()).toBe(1);
    expect(await page.locator(`${live} .dd-plot`).count()).toBe(1);
    expect(await page.locator(`${live} .scatterlayer .trace`).count()).toBe(2);

    // Diagram nodes with shapes on edges, tensor cells and images, no error boxes anywhere.
    expect(await page.locator(`${cellOutput(2)} .dd-graph [data-node-id]`).count()).toBe(7);
    expect(
      await page
        .locator(`${cellOutput(2)} .dd-edge-label`)
        .first()
        .textContent(),
    ).toMatch(/^\[64, \d+\]$/);
    expect(await page.locator(`${cellOutput(3)} canvas.dd-heatmap`).count()).toBe(1);
    expect(await page.locator(`${cellOutput(4)} canvas.dd-image-canvas`).count()).toBe(6);
    expect(await page.locator(`${cellOutput(5)} td.dd-cell`).count()).toBe(8);
    expect(await page.locator(".dd-error").count()).toBe(0);

    await shot("graph", `${cellOutput(2)} .dd-graph`);
    await shot("tensor-heatmap", `${cellOutput(3)} .dd-tensor`);
    await shot("tensor-images", `${cellOutput(4)} .dd-tensor`);
    await shot("tensor-table", `${cellOutput(5)} .dd-tensor`);
    await shot("live-plot", `${live} .dd-plot`);
  }, 300_000);

  it("draws the library's own dl.viz bundles", async () => {
    const [graph, heatmap, live] = [cellOutput(9), cellOutput(10), cellOutput(11)];
    await page.waitForFunction(
      ([sel, steps]) => {
        const area = document.querySelector(`${sel} .dd-plot-area`) as
          (HTMLElement & { data?: { x: number[] }[] }) | null;
        return area?.data?.[0]?.x?.length === steps;
      },
      [live, LIVE_STEPS] as const,
      { timeout: 120_000 },
    );
    expect(await page.locator(`${graph} .dd-graph [data-node-id]`).count()).toBeGreaterThanOrEqual(
      3,
    );
    expect(await page.locator(`${graph} .dd-edge-label`).count()).toBeGreaterThan(0);
    expect(await page.locator(`${heatmap} canvas.dd-heatmap`).count()).toBe(1);
    expect(await page.locator(`${live} .dd-plot`).count()).toBe(1);
    expect(await page.locator(".dd-error").count()).toBe(0);
    await shot("dlviz-graph", `${graph} .dd-graph`);
    await shot("dlviz-heatmap", `${heatmap} .dd-tensor`);
    await shot("dlviz-live-plot", `${live} .dd-plot`);
  }, 180_000);

  it("follows the dark theme and resizes plots with the panel", async () => {
    const live = `${cellOutput(7)} .dd-plot-area`;
    const fontColor = () =>
      page.evaluate(
        (sel) =>
          (document.querySelector(sel) as unknown as { _fullLayout: { font: { color: string } } })
            ._fullLayout.font.color,
        live,
      );
    const light = await fontColor();
    await page.evaluate(() =>
      (
        window as unknown as {
          jupyterapp: { commands: { execute(id: string, args: unknown): Promise<unknown> } };
        }
      ).jupyterapp.commands.execute("apputils:change-theme", { theme: "JupyterLab Dark" }),
    );
    await expect.poll(fontColor, { timeout: 30_000 }).not.toBe(light);
    await shot("live-plot-dark", `${cellOutput(7)} .dd-plot`);
    const width = () =>
      page
        .locator(`${live} .main-svg`)
        .first()
        .evaluate((e) => e.getBoundingClientRect().width);
    const wide = await width();
    await page.setViewportSize({ width: 900, height: 900 });
    await expect.poll(width, { timeout: 30_000 }).toBeLessThan(wide - 100);
    await page.setViewportSize({ width: 1280, height: 900 });
  }, 90_000);

  it("shows hover details and folds a container", async () => {
    const graph = `${cellOutput(2)} .dd-graph`;
    await page.locator(`${graph} [data-node-id="head"]`).hover();
    await expect
      .poll(() => page.locator(`${graph} .dd-tooltip`).textContent())
      .toContain("in: [64, 128]");
    await page.locator(`${graph} [data-node-id="encoder"]`).click({ position: { x: 10, y: 5 } });
    await expect.poll(() => page.locator(`${graph} [data-node-id="encoder.0"]`).count()).toBe(0);
    await shot("graph-folded", graph);
    // Value on hover in a heatmap: tensor index and value under the pointer.
    const heat = `${cellOutput(3)} .dd-tensor`;
    await page.locator(`${heat} canvas.dd-heatmap`).hover({ position: { x: 5, y: 5 } });
    await expect
      .poll(() => page.locator(`${heat} .dd-tooltip`).textContent())
      .toMatch(/^\[0, 0\] = /);
  }, 60_000);
});
