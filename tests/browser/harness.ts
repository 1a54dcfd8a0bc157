// The browser side of the library tests: bundle src/index.ts for the browser with esbuild (as
// a user's bundler would), serve it and node_modules from 127.0.0.1 (a secure context, so
// navigator.gpu may appear), and open it in Debian's Chromium through playwright-core.
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { extname, join, normalize, sep } from "node:path";
import { build } from "esbuild";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { CHROMIUM, CHROMIUM_ARGS } from "../helpers/chromium.js";

export const root = join(import.meta.dirname, "..", "..");
export { CHROMIUM };
export const SWIFTSHADER_ICD = "/usr/lib/chromium/vk_swiftshader_icd.json";

/** The library as one browser ES module. Fails on anything a browser bundle cannot resolve. */
export async function bundleLibrary(): Promise<string> {
  const result = await build({
    entryPoints: [join(root, "src", "index.ts")],
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    write: false,
    logLevel: "silent",
  });
  return result.outputFiles[0].text;
}

const PAGE = `<!doctype html><meta charset="utf-8"><title>dendrite</title><link rel="icon" href="data:,">
<script type="module">
try {
  window.dl = await import("/dendrite.js");
  document.body.dataset.dendrite = "ready";
} catch (e) {
  document.body.dataset.dendrite = "failed";
  document.body.textContent = String(e && e.stack || e);
}
</script><body></body>`;

const TYPES: Record<string, string> = {
  ".js": "text/javascript",
  ".json": "application/json",
  ".html": "text/html",
};

export interface StaticServer {
  origin: string;
  close(): Promise<void>;
}

/** The headers that make a page cross-origin isolated (SharedArrayBuffer, shared memory). */
export const ISOLATION_HEADERS = {
  "cross-origin-opener-policy": "same-origin",
  "cross-origin-embedder-policy": "require-corp",
};

/** Serves the page, the bundle, and node_modules (read-only, nothing outside it). */
export async function serveLibrary(
  bundle: string,
  headers: Record<string, string> = {},
): Promise<StaticServer> {
  const modules = join(root, "node_modules");
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname);
    const send = (status: number, type: string, body: string | Buffer) => {
      res.writeHead(status, { ...headers, "content-type": type, "cache-control": "no-store" });
      res.end(body);
    };
    if (path === "/") return send(200, TYPES[".html"], PAGE);
    if (path === "/dendrite.js") return send(200, TYPES[".js"], bundle);
    if (path.startsWith("/node_modules/")) {
      const file = normalize(join(modules, path.slice("/node_modules/".length)));
      if (file.startsWith(modules + sep) && existsSync(file) && statSync(file).isFile())
        return send(200, TYPES[extname(file)] ?? "application/octet-stream", readFileSync(file));
    }
    send(404, "text/plain", `not found: ${path}`);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** WebGPU on SwiftShader (Vulkan on the CPU): the only adapter a GPU-less machine can have. */
const WEBGPU_ARGS = [
  "--enable-unsafe-webgpu",
  "--enable-features=Vulkan",
  "--use-angle=swiftshader",
  "--use-webgpu-adapter=swiftshader",
];

export interface BrowserPage {
  page: Page;
  /** Console errors, uncaught exceptions and failed requests seen so far. */
  problems: string[];
  /** Console warnings (e.g. the library's note that WebGPU runs on a software adapter). */
  warnings: string[];
  close(): Promise<void>;
}

/** A fresh headless Chromium profile with the library page loaded and `window.dl` ready. */
export async function openLibraryPage(origin: string, webgpu: boolean): Promise<BrowserPage> {
  const profile = mkdtempSync(join(tmpdir(), "dd-browser-lib-"));
  const context: BrowserContext = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: webgpu ? [...CHROMIUM_ARGS, ...WEBGPU_ARGS] : [...CHROMIUM_ARGS, "--disable-gpu"],
    env: webgpu
      ? { ...process.env, VK_ICD_FILENAMES: SWIFTSHADER_ICD, XDG_RUNTIME_DIR: "/tmp" }
      : process.env,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const problems: string[] = [];
  const warnings: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") problems.push(`console: ${m.text()}`);
    if (m.type() === "warning") warnings.push(m.text());
  });
  page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
  page.on("response", (r) => {
    if (r.status() >= 400) problems.push(`http ${r.status()}: ${r.url()}`);
  });
  await page.goto(`${origin}/`);
  await page.waitForSelector("body[data-dendrite]", { state: "attached", timeout: 20_000 });
  const state = await page.evaluate(() => document.body.dataset.dendrite);
  if (state !== "ready")
    throw new Error(
      `the bundle failed to load: ${await page.evaluate(() => document.body.textContent)}`,
    );
  return {
    page,
    problems,
    warnings,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * Calls one of the self-contained functions of workloads.ts in the page with the page's own
 * `dl` and JSON-able arguments (its source travels, not a reference to it).
 */
export function inPage<R>(
  page: Page,
  fn: (dl: never, ...args: never[]) => Promise<R>,
  ...args: unknown[]
): Promise<R> {
  const argList = args.map((a) => JSON.stringify(a)).join(", ");
  return page.evaluate(`(${fn.toString()})(window.dl${argList ? ", " + argList : ""})`);
}
