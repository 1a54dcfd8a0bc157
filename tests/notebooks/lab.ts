// The lab behind `npm start`, serving a folder of executed notebooks, and a headless Chromium
// looking at it: enough to check that saved tutorial outputs render and to take screenshots.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { CHROMIUM, CHROMIUM_ARGS } from "../helpers/chromium.js";

export const browserAvailable = () => existsSync(CHROMIUM) && existsSync("/usr/bin/python3");

export interface Lab {
  /** The lab's base URL with its token, e.g. http://127.0.0.1:19123/lab?token=... */
  urlFor(notebook: string): string;
  page: Page;
  consoleLines: string[];
  close(): Promise<void>;
}

/** Runs scripts/start.mjs on `folder` and resolves with the URL it prints. */
function startServer(repoRoot: string, folder: string): Promise<[ChildProcess, URL]> {
  return new Promise((resolve, reject) => {
    const port = String(20000 + Math.floor(Math.random() * 1000));
    const child = spawn("node", ["scripts/start.mjs", "--port", port, "--root", folder], {
      cwd: repoRoot,
      env: {
        ...process.env,
        DENDRITE_LAB_TOKEN: Math.random().toString(16).slice(2),
        // A fresh state folder: no theme or workspace left over from an earlier run.
        DENDRITE_LAB_STATE: mkdtempSync(join(tmpdir(), "dd-nb-lab-state-")),
      },
      detached: true, // its own process group, so the server and its kernels stop with it
      stdio: ["ignore", "pipe", "pipe"],
    });
    let log = "";
    const onData = (chunk: Buffer) => {
      log += String(chunk);
      const m = /\[dendrite\] (http:\/\/127\.0\.0\.1:\d+\/\S+)/.exec(log);
      if (m) resolve([child, new URL(m[1])]);
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.on("exit", (code) =>
      reject(new Error(`npm start exited with ${code}:\n${log.slice(-3000)}`)),
    );
  });
}

export async function openLab(repoRoot: string, folder: string): Promise<Lab> {
  const [server, url] = await startServer(repoRoot, folder);
  const token = url.searchParams.get("token") ?? "";
  let context: BrowserContext | null = null;
  const close = async () => {
    await context?.close();
    try {
      if (server.pid) process.kill(-server.pid, "SIGTERM");
    } catch {
      // already gone
    }
  };
  try {
    context = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), "dd-nb-chr-")), {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 1280, height: 1000 },
      args: [...CHROMIUM_ARGS, "--disable-gpu"],
    });
    const page = context.pages()[0] ?? (await context.newPage());
    const consoleLines: string[] = [];
    page.on("console", (m) => consoleLines.push(`${m.type()}: ${m.text()}`));
    page.on("pageerror", (e) => consoleLines.push(`pageerror: ${e.message}`));
    return {
      urlFor: (nb) => `${url.origin}/lab/tree/${nb}?reset&token=${token}`,
      page,
      consoleLines,
      close,
    };
  } catch (e) {
    await close();
    throw e;
  }
}

/** Opens a notebook and waits until the lab has started and shows its cells. */
export async function showNotebook(lab: Lab, notebook: string): Promise<void> {
  await lab.page.goto(lab.urlFor(notebook));
  await lab.page.waitForSelector("body[data-dendrite-lab]", {
    state: "attached",
    timeout: 120_000,
  });
  const state = await lab.page.evaluate(() => document.body.dataset.dendriteLab);
  if (state !== "ready")
    throw new Error(`the lab failed to start:\n${lab.consoleLines.join("\n")}`);
  await lab.page.waitForSelector(".jp-Notebook .jp-Cell", { timeout: 60_000 });
}

export const cellSelector = (index: number) =>
  `.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-Cell[data-windowed-list-index="${index}"]`;

/**
 * Scrolls cell `index` into view and waits until each Dendrite output in it has drawn: plots
 * have plotly's SVG, tensors a canvas or table, diagrams their nodes. Returns the kinds seen.
 */
export async function waitForRenderedOutputs(lab: Lab, index: number): Promise<string[]> {
  const cell = cellSelector(index);
  await lab.page.locator(cell).scrollIntoViewIfNeeded();
  const handle = await lab.page.waitForFunction(
    (sel) => {
      const root = document.querySelector(sel);
      if (!root) return null;
      const kinds: string[] = [];
      for (const el of Array.from(root.querySelectorAll(".dd-plot, .dd-tensor, .dd-graph"))) {
        const kind = el.classList.contains("dd-plot")
          ? "plot"
          : el.classList.contains("dd-tensor")
            ? "tensor"
            : "graph";
        const drawn =
          kind === "plot"
            ? el.querySelector(".main-svg")
            : kind === "tensor"
              ? el.querySelector("canvas, table")
              : el.querySelector("[data-node-id]");
        if (!drawn) return null;
        kinds.push(kind);
      }
      return kinds.length ? kinds : null;
    },
    cell,
    { timeout: 60_000, polling: 200 },
  );
  // Let plotly finish its layout transition before anyone takes a picture.
  await lab.page.waitForTimeout(300);
  return (await handle.jsonValue()) as string[];
}
