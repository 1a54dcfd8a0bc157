// Architecture rule 9: the library runs in a browser. The library is bundled for the browser
// (esbuild, platform "browser"), served from 127.0.0.1 and driven in headless Chromium; the
// same workload functions run in Node here and in the page, and must agree. WebGPU runs in a
// second browser on the page's own navigator.gpu (SwiftShader, Vulkan on the CPU).
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join, relative } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as dl from "../../src/index.js";
import {
  CHROMIUM,
  bundleLibrary,
  inPage,
  openLibraryPage,
  root,
  serveLibrary,
  type BrowserPage,
  type StaticServer,
} from "./harness.js";
import {
  bostonSummary,
  browserOnlyErrors,
  displayBundles,
  readSafetensors,
  runOps,
  safetensorsBytes,
  trainTinyMlp,
  type OpResults,
} from "./workloads.js";

// The page runs the WebAssembly kernels and its results are compared bitwise with Node's: Node
// must run them too (the native kernels' FMA rounds differently).
process.env.DENDRITE_CPU_KERNEL = "wasm";

/** Node-only names that may appear only under src/platform/ (comments are ignored). */
const NODE_ONLY = [
  /from\s+["']node:/,
  /import\(\s*["'](node:|(fs|path|os|child_process|worker_threads|webgpu)["'/])/,
  /\brequire\(/,
  /\bprocess\.(env|argv|versions|platform|exit|on|cwd|hrtime|memoryUsage|nextTick|std\w+)/,
  /\bBuffer\.(from|alloc\w*|concat|isBuffer|byteLength)\b/,
  /\b(__dirname|__filename|setImmediate)\b|import\.meta\.(dirname|filename)/,
  /\bworker_threads\b/,
];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? sourceFiles(join(dir, e.name))
      : e.name.endsWith(".ts")
        ? [join(dir, e.name)]
        : [],
  );
}

const withoutComments = (code: string) =>
  code.replace(/\/\*[\s\S]*?\*\//g, "").replace(/(^|[^:"'`])\/\/.*$/gm, "$1");

describe("architecture rule 9 in the sources", () => {
  it("keeps Node-only APIs inside src/platform/", () => {
    const offences: string[] = [];
    for (const file of sourceFiles(join(root, "src"))) {
      const rel = relative(root, file);
      if (rel.startsWith(join("src", "platform"))) continue;
      withoutComments(readFileSync(file, "utf8"))
        .split("\n")
        .forEach((line, i) => {
          if (NODE_ONLY.some((re) => re.test(line)))
            offences.push(`${rel}:${i + 1}: ${line.trim()}`);
        });
    }
    expect(offences).toEqual([]);
  });
});

/** Reference values for runOps, computed here in float64 by hand-written loops. */
function opsReference(): Record<string, unknown> {
  const a = [
    [1, 2, 3],
    [4, 5, 6],
  ];
  const b = [
    [1, -1],
    [0, 2],
    [3, 0.5],
  ];
  const row = [10, 20, 30];
  const matmul = a.map((r) => [0, 1].map((j) => r.reduce((s, v, k) => s + v * b[k][j], 0)));
  const softmax = a.map((r) => {
    const m = Math.max(...r);
    const e = r.map((v) => Math.exp(v - m));
    const z = e.reduce((s, v) => s + v, 0);
    return e.map((v) => v / z);
  });
  return {
    matmul,
    broadcastAdd: a.map((r) => r.map((v, j) => v + row[j])),
    transposedScaled: [0, 1, 2].map((j) => a.map((r) => 2 * r[j])),
    sum0: [0, 1, 2].map((j) => a[0][j] + a[1][j]),
    mean1: a.map((r) => (r[0] + r[1] + r[2]) / 3),
    softmax1: softmax,
    exp: a.map((r) => r.map(Math.exp)),
    sliced: [5, 6],
    argmax1: [2, 2],
    greater: a.map((r) => r.map((v) => v > 2.5)),
    whereOut: a.map((r) => r.map((v, j) => (v > 2.5 ? v : -row[j]))),
    grad: [0.5, -1, 2].map((x) => 2 * x + Math.cos(x)),
    dtypes: ["int32", "bool", "float32"],
  };
}

/** Asserts numbers agree to a relative tolerance, structure and non-numbers exactly. */
function expectClose(actual: unknown, expected: unknown, rtol: number, path = "$"): void {
  if (typeof expected === "number") {
    expect(typeof actual, path).toBe("number");
    const tol = rtol * Math.max(1, Math.abs(expected));
    expect(
      Math.abs((actual as number) - expected),
      `${path}: ${actual} vs ${expected}`,
    ).toBeLessThanOrEqual(tol);
  } else if (Array.isArray(expected)) {
    expect(Array.isArray(actual) && actual.length, path).toBe(expected.length);
    expected.forEach((e, i) => expectClose((actual as unknown[])[i], e, rtol, `${path}[${i}]`));
  } else if (expected && typeof expected === "object") {
    expect(Object.keys(actual as object).sort(), path).toEqual(Object.keys(expected).sort());
    for (const [k, e] of Object.entries(expected))
      expectClose((actual as Record<string, unknown>)[k], e, rtol, `${path}.${k}`);
  } else expect(actual, path).toBe(expected);
}

const haveChromium = existsSync(CHROMIUM);
let server: StaticServer | null = null;
let bundleBytes = 0;
let bundleMs = 0;

describe.skipIf(!haveChromium)("the library in a browser page (CPU)", () => {
  let browser: BrowserPage;

  beforeAll(async () => {
    const t0 = performance.now();
    const bundle = await bundleLibrary();
    bundleMs = performance.now() - t0;
    bundleBytes = bundle.length;
    server = await serveLibrary(bundle);
    browser = await openLibraryPage(server.origin, false);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  it("bundles with no Node built-in left to resolve", () => {
    // esbuild with platform "browser" refuses literal node: imports; reaching here proves none.
    expect(bundleBytes).toBeGreaterThan(100_000);
    console.log(
      `[browser] bundle ${(bundleBytes / 1024).toFixed(0)} KiB in ${bundleMs.toFixed(0)} ms`,
    );
  });

  it("runs ops and autograd as Node does, and as hand-computed values say", async () => {
    const node = await runOps(dl, "cpu");
    expectClose(node, opsReference(), 1e-6);
    const page = await inPage<OpResults>(browser.page, runOps, "cpu");
    expect(page).toEqual(node);
  });

  it("trains a seeded MLP to the same losses as Node", async () => {
    const node = await trainTinyMlp(dl, 7, 20);
    const t0 = performance.now();
    const page = await inPage(browser.page, trainTinyMlp, 7, 20);
    console.log(`[browser] 20 Adam steps in the page: ${(performance.now() - t0).toFixed(0)} ms`);
    expect(page.losses.at(-1)!).toBeLessThan(page.losses[0] / 5);
    expect(page).toEqual(node);
  });

  it("round-trips safetensors in the page, byte for byte as Node writes them", async () => {
    const pageBytes = await inPage(browser.page, safetensorsBytes);
    expect(pageBytes).toEqual(await safetensorsBytes(dl));
    const bytes = new Uint8Array(pageBytes);
    const headerLength = new DataView(bytes.buffer).getUint32(0, true);
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerLength)));
    expect(header.__metadata__).toEqual({ format: "pt", origin: "dendrite" });
    expect(header.index).toEqual({ dtype: "I32", shape: [3], data_offsets: [16, 28] });
    expect(await inPage(browser.page, readSafetensors, pageBytes)).toEqual({
      "layer.weight": ["float32", [2, 2], [0.25, -1.5, 3, Math.fround(1e-3)]],
      index: ["int32", [3], [7, -2, 40000]],
      mask: ["bool", [4], [1, 0, 1, 1]],
    });
  });

  it("builds the same display bundles as Node", async () => {
    const page = await inPage(browser.page, displayBundles);
    expect(page).toEqual(await displayBundles(dl));
    expect(Object.keys(page.tensor as object)).toContain("application/vnd.dendrite.tensor.v1+json");
    expect(Object.keys(page.module as object)).toContain("image/svg+xml");
  });

  it("says what to use instead of the file system", async () => {
    const [save, load, dataset] = await inPage(browser.page, browserOnlyErrors);
    expect(save).toMatch(/^DendriteError: save: .*dl\.io\.toSafetensors/);
    expect(load).toMatch(/^DendriteError: load: .*dl\.io\.fromSafetensors/);
    expect(dataset).toMatch(/^DendriteError: .*setPackageBaseUrl/);
  });

  it("reads a built-in dataset from a served node_modules", async () => {
    const node = await bostonSummary(dl, null);
    const page = await inPage(browser.page, bostonSummary, `${server!.origin}/node_modules`);
    expect(page).toEqual(node);
    expect((node as { featureShape: number[] }).featureShape).toEqual([506, 13]);
  });

  it("logged no errors in the page", () => {
    expect(browser.problems).toEqual([]);
  });
});

describe.skipIf(!haveChromium)("the library on the page's own WebGPU", () => {
  let browser: BrowserPage | null = null;
  let adapter: string | null = null;

  beforeAll(async () => {
    server ??= await serveLibrary(await bundleLibrary());
    browser = await openLibraryPage(server.origin, true);
    // Why there is no adapter, if there is none: logged, and only the WebGPU test is skipped.
    const probe = await browser.page.evaluate(async () => {
      type Gpu = { requestAdapter(): Promise<{ info: { architecture: string } } | null> };
      const gpu = (navigator as { gpu?: Gpu }).gpu;
      if (!gpu)
        return { adapter: null, why: `navigator.gpu is missing (secure: ${isSecureContext})` };
      const a = await gpu.requestAdapter();
      return a
        ? { adapter: a.info.architecture, why: "" }
        : { adapter: null, why: "navigator.gpu.requestAdapter() returned null" };
    });
    adapter = probe.adapter;
    if (!adapter)
      console.warn(`[browser] no WebGPU adapter in headless Chromium (${probe.why}): skipped`);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it("runs ops and autograd on dl.useDevice('webgpu') as on the CPU", async (ctx) => {
    if (!adapter) return ctx.skip();
    const page = browser!.page;
    expect(await page.evaluate(`window.dl.useDevice("webgpu")`)).toBe("webgpu");
    const info = await page.evaluate(`window.dl.devices().find((d) => d.device === "webgpu")`);
    expect(info).toMatchObject({
      initialised: true,
      isDefault: true,
      adapter: { architecture: adapter },
    });
    const t0 = performance.now();
    const gpu = await inPage<OpResults>(page, runOps, "webgpu");
    console.log(
      `[browser] WebGPU (${adapter}) ops in the page: ${(performance.now() - t0).toFixed(0)} ms`,
    );
    expectClose(gpu, await inPage<OpResults>(page, runOps, "cpu"), 1e-5);
  });

  it("trains the seeded MLP on WebGPU (the default device now) close to the CPU run", async (ctx) => {
    if (!adapter) return ctx.skip();
    const t0 = performance.now();
    const gpu = await inPage(browser!.page, trainTinyMlp, 7, 20);
    console.log(`[browser] 20 Adam steps on WebGPU: ${(performance.now() - t0).toFixed(0)} ms`);
    expect(gpu.devices).toEqual(["webgpu", "webgpu"]);
    const cpu = await trainTinyMlp(dl, 7, 20);
    expectClose({ ...gpu, devices: null }, { ...cpu, devices: null }, 1e-4);
  });

  it("logged no errors in the WebGPU page", (ctx) => {
    if (!adapter) return ctx.skip();
    console.log(`[browser] WebGPU page warnings: ${JSON.stringify(browser!.warnings)}`);
    expect(browser!.problems).toEqual([]);
  });
});
