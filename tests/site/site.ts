// The built site (npm run site), served as site:serve serves it, and Debian's Chromium on it.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { CHROMIUM, CHROMIUM_ARGS } from "../helpers/chromium.js";

export const root = join(import.meta.dirname, "..", "..");
export const siteDir = join(root, "site");

export const browserAvailable = () => existsSync(CHROMIUM);

let built: Promise<void> | null = null;

/** Builds the site once per test file, without the API reference (the docs build's business).
 *  Async: a minute of blocking would starve vitest's worker RPC. */
export function buildSite(): Promise<void> {
  built ??= runSiteBuild();
  return built;
}

function runSiteBuild(): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn("node", ["extension/lite/build.mjs", "--no-docs"], { cwd: root });
    let log = "";
    child.stdout.on("data", (d) => (log += String(d)));
    child.stderr.on("data", (d) => (log += String(d)));
    child.on("error", reject);
    child.on("exit", (code) =>
      code === 0 ? resolve() : reject(new Error(`the site build failed:\n${log.slice(-4000)}`)),
    );
  });
}

export interface SiteBrowser {
  origin: string;
  page: Page;
  consoleLines: string[];
  close(): Promise<void>;
}

/** WebGPU on SwiftShader (Vulkan on the CPU), as tests/browser/harness.ts starts Chromium. */
const WEBGPU_ARGS = [
  "--enable-unsafe-webgpu",
  "--enable-features=Vulkan",
  "--use-angle=swiftshader",
  "--use-webgpu-adapter=swiftshader",
];
const SWIFTSHADER_ICD = "/usr/lib/chromium/vk_swiftshader_icd.json";
export const webgpuAvailable = () => browserAvailable() && existsSync(SWIFTSHADER_ICD);

/**
 * `isolated: false` serves the site as a plain static host does (GitHub Pages: no COOP/COEP
 * headers); `serviceWorkers: "block"` keeps the browser from installing the site's isolation
 * worker, as where service workers are unavailable.
 */
export async function openSite(
  opts: { webgpu?: boolean; isolated?: boolean; serviceWorkers?: "allow" | "block" } = {},
): Promise<SiteBrowser> {
  // The same server as `npm run site:serve` (a plain .mjs script, hence the untyped import).
  const serveScript = pathToFileURL(join(root, "extension", "lite", "serve.mjs")).href;
  const { serveSite } = (await import(serveScript)) as {
    serveSite(dir: string, port: number, o: { isolated: boolean }): Promise<Server>;
  };
  const server = await serveSite(siteDir, 0, { isolated: opts.isolated ?? true });
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  let context: BrowserContext | null = null;
  const close = async () => {
    await context?.close();
    await new Promise((r) => server.close(r));
  };
  try {
    context = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), "dd-site-")), {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 1280, height: 1000 },
      serviceWorkers: opts.serviceWorkers ?? "allow",
      args: opts.webgpu ? [...CHROMIUM_ARGS, ...WEBGPU_ARGS] : [...CHROMIUM_ARGS, "--disable-gpu"],
      env: opts.webgpu
        ? { ...process.env, VK_ICD_FILENAMES: SWIFTSHADER_ICD, XDG_RUNTIME_DIR: "/tmp" }
        : process.env,
    });
    const page = context.pages()[0] ?? (await context.newPage());
    const consoleLines: string[] = [];
    page.on("console", (m) => consoleLines.push(`${m.type()}: ${m.text()}`));
    page.on("pageerror", (e) => consoleLines.push(`pageerror: ${e.message}`));
    return { origin, page, consoleLines, close };
  } catch (e) {
    await close();
    throw e;
  }
}

/** Opens a tutorial in the site's JupyterLite and waits for its kernel to be idle. */
export async function openNotebook(site: SiteBrowser, notebook: string): Promise<void> {
  const { page } = site;
  await page.goto(`${site.origin}/lab/index.html?path=${encodeURIComponent(notebook)}`);
  await page.waitForSelector("body[data-dendrite-lab]", { state: "attached", timeout: 120_000 });
  const state = await page.evaluate(() => document.body.dataset.dendriteLab);
  if (state !== "ready") throw new Error(`the lab failed:\n${site.consoleLines.join("\n")}`);
  await waitForKernel(page, notebook);
}

/** In the open lab: shuts the running kernels down, closes every tab, opens `notebook`
 *  (a reload would restore the old tabs from the browser's storage). */
export async function switchNotebook(site: SiteBrowser, notebook: string): Promise<void> {
  await site.page.evaluate(async (path) => {
    const app = (window as any).jupyterapp;
    await app.serviceManager.sessions.shutdownAll();
    // Closed without the "save changes?" dialog: the run left the notebooks modified.
    for (const widget of Array.from(app.shell.widgets("main")) as any[]) {
      if (widget.context) widget.context.model.dirty = false;
      widget.close();
    }
    await app.commands.execute("docmanager:open", { path });
  }, notebook);
  await waitForKernel(site.page, notebook);
}

async function waitForKernel(page: Page, notebook: string): Promise<void> {
  await page.waitForFunction(
    (path) => {
      const widget = (window as any).jupyterapp?.shell.currentWidget;
      const kernel = widget?.sessionContext?.session?.kernel;
      return (
        widget?.context?.path === path &&
        kernel?.connectionStatus === "connected" &&
        kernel?.status === "idle"
      );
    },
    notebook,
    { timeout: 180_000, polling: 250 },
  );
}

export interface CellOutputs {
  executionCount: number | null;
  outputs: { output_type: string; name?: string; text?: string; data?: Record<string, unknown> }[];
}

/** Runs every cell through the lab's command and returns what the notebook model holds. */
export async function runAllCells(page: Page, timeoutMs: number): Promise<CellOutputs[]> {
  return page.evaluate(async (timeout) => {
    const app = (window as any).jupyterapp;
    const panel = app.shell.currentWidget;
    await app.commands.execute("notebook:run-all-cells");
    const cells = () =>
      Array.from({ length: panel.content.model.cells.length }, (_, i) =>
        panel.content.model.cells.get(i),
      ).filter((c: any) => c.type === "code");
    const started = Date.now();
    // A queued or running cell says "running" until its reply; after an error JupyterLab
    // drops the rest of the queue, so the loop ends then too.
    while (cells().some((c: any) => c.executionState === "running")) {
      if (Date.now() - started > timeout) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    return cells().map((c: any) => ({
      executionCount: c.executionCount,
      outputs: c.outputs.toJSON(),
    }));
  }, timeoutMs);
}

/** Runs code in the open notebook's kernel (no cell), optionally interrupting after `ms`. */
export async function executeInKernel(
  page: Page,
  code: string,
  interruptAfterMs?: number,
): Promise<{ reply: Record<string, unknown>; outputs: Record<string, unknown>[] }> {
  return page.evaluate(
    async ([source, after]) => {
      const app = (window as any).jupyterapp;
      const kernel = app.shell.currentWidget.sessionContext.session.kernel;
      const outputs: Record<string, unknown>[] = [];
      const future = kernel.requestExecute({ code: source, store_history: false });
      future.onIOPub = (msg: any) => {
        if (msg.header.msg_type !== "status") outputs.push({ type: msg.header.msg_type, ...msg.content });
      };
      if (typeof after === "number") setTimeout(() => void kernel.interrupt(), after);
      const reply = await future.done;
      return { reply: reply.content, outputs };
    },
    [code, interruptAfterMs ?? null] as const,
  );
}

/**
 * Adds a code cell at the end of the open notebook, runs it, and returns its index: once it
 * has run, or with `{ wait: false }` as soon as it is sent (a cell that runs until stopped).
 */
export async function runNewCell(
  page: Page,
  source: string,
  { wait = true }: { wait?: boolean } = {},
): Promise<number> {
  return page.evaluate(
    async ([src, untilDone]) => {
      const app = (window as any).jupyterapp;
      const notebook = app.shell.currentWidget.content;
      const index = notebook.model.cells.length;
      notebook.model.sharedModel.insertCell(index, { cell_type: "code", source: src });
      notebook.activeCellIndex = index;
      const run = app.commands.execute("notebook:run-cell");
      if (untilDone) await run;
      return index;
    },
    [source, wait] as const,
  );
}

export const cellAt = (index: number) =>
  `.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-Cell[data-windowed-list-index="${index}"]`;

/** A file of the open lab's file browser (JupyterLite's storage in the page), as bytes. */
export async function labFileBytes(site: SiteBrowser, path: string): Promise<Uint8Array> {
  const base64 = await site.page.evaluate(async (p) => {
    const app = (window as any).jupyterapp;
    const model = await app.serviceManager.contents.get(p, { content: true });
    return model.format === "base64" ? (model.content as string) : null;
  }, path);
  if (base64 === null) throw new Error(`${path} is not stored as bytes in the lab`);
  return new Uint8Array(Buffer.from(base64, "base64"));
}
