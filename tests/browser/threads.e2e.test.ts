// The threaded GEMM in a browser: in a cross-origin-isolated page (COOP + COEP headers) the
// library starts Web Workers from a Blob URL on a shared WebAssembly memory; in a plain page it
// says threads are unavailable and runs on the page's thread. Either way the product is the
// same bits as Node's (the kernels and the split are the same WebAssembly).
import { existsSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as dl from "../../src/index.js";
import {
  bundleLibrary,
  CHROMIUM,
  inPage,
  ISOLATION_HEADERS,
  openLibraryPage,
  serveLibrary,
  type BrowserPage,
  type StaticServer,
} from "./harness.js";
import type { Dl } from "./workloads.js";

// The page runs the WebAssembly kernels and its results are compared bitwise with Node's: Node
// must run them too (the native kernels' FMA rounds differently).
process.env.DENDRITE_CPU_KERNEL = "wasm";

/** Runs in the page: a seeded 160×300×200 product on `threads` threads, and backendInfo. */
async function threadedProduct(dl: Dl, threads: number) {
  dl.setNumThreads(threads);
  const product = () => {
    dl.manualSeed(3);
    const a = dl.randn([160, 300]);
    const b = dl.randn([300, 200]);
    return Array.from(a.matmul(b).dataSync());
  };
  product(); // the first large product starts the workers
  for (let i = 0; i < 400 && dl.backendInfo().threadsRunning < threads; i++)
    await new Promise((r) => setTimeout(r, 10));
  const isolated = (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated;
  return { isolated, info: dl.backendInfo(), values: product() };
}

const nodeValues = () => {
  dl.manualSeed(3);
  return Array.from(
    dl
      .randn([160, 300])
      .matmul(dl.randn([300, 200]))
      .dataSync(),
  );
};

describe.skipIf(!existsSync(CHROMIUM)).each([
  ["a cross-origin-isolated page", ISOLATION_HEADERS],
  ["a plain page", {}],
])("the threaded GEMM in %s", (_name, headers) => {
  let server: StaticServer | undefined;
  let browser: BrowserPage | undefined;
  beforeAll(async () => {
    server = await serveLibrary(await bundleLibrary(), headers);
    browser = await openLibraryPage(server.origin, false);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it("reports its threads and matches Node's product bitwise", async () => {
    const isolated = Object.keys(headers).length > 0;
    const page = await inPage(browser!.page, threadedProduct, 2);
    expect(page.isolated).toBe(isolated);
    expect(page.info).toMatchObject({ kernel: "wasm-simd", threads: 2 });
    if (isolated) expect(page.info).toMatchObject({ threadsRunning: 2, threadsAvailable: true });
    else
      expect(page.info).toMatchObject({
        threadsRunning: 1,
        threadsAvailable: false,
        reason: expect.stringMatching(/cross-origin isolation/),
      });
    expect(page.values).toEqual(nodeValues());
    expect(browser!.problems).toEqual([]);
  });
});
