// Workers never keep a Node process alive: a script that starts them and runs a threaded
// product ends by itself when its work is done (the library, bundled for Node by esbuild, runs
// in a child process; a ref'd worker would hold it until the timeout kills it).
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { build } from "esbuild";
import { expect, it } from "vitest";

const SCRIPT = `
import * as dl from "./dendrite.mjs";
dl.setNumThreads(2);
const a = dl.randn([300, 300]);
a.matmul(a); // starts the worker
for (let i = 0; i < 400 && dl.backendInfo().threadsRunning < 2; i++)
  await new Promise((r) => setTimeout(r, 5));
const c = a.matmul(a);
console.log(JSON.stringify({ info: dl.backendInfo(), sum: Number.isFinite(c.sum().itemSync()) }));
`;

it("a script that used worker threads exits on its own", async () => {
  const dir = mkdtempSync(join(tmpdir(), "dd-threads-exit-"));
  try {
    await build({
      entryPoints: [join(import.meta.dirname, "../../src/index.ts")],
      bundle: true,
      format: "esm",
      platform: "node",
      target: "node20",
      outfile: join(dir, "dendrite.mjs"),
      logLevel: "silent",
    });
    writeFileSync(join(dir, "main.mjs"), SCRIPT);
    const out = execFileSync(process.execPath, [join(dir, "main.mjs")], {
      encoding: "utf8",
      timeout: 60_000,
      // The WebAssembly workers (the native pool's exit is tested in cpu-native.test.ts).
      env: { ...process.env, DENDRITE_CPU_KERNEL: "wasm" },
    });
    expect(JSON.parse(out)).toEqual({
      info: {
        device: "cpu",
        kernel: "wasm-simd",
        threads: 2,
        threadsRunning: 2,
        threadsAvailable: true,
        nativeUnavailable: "DENDRITE_CPU_KERNEL=wasm forces the portable WebAssembly kernels",
      },
      sum: true,
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 120_000);
