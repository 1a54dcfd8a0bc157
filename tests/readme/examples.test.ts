// The README's TypeScript examples run as written: each ```ts block that imports "dendrite"
// is written to a temporary module (importing the library's source instead) and executed.
import { afterAll, expect, it } from "vitest";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import * as dl from "../../src/index.js";
import { join } from "node:path";

const readme = readFileSync(join(__dirname, "../../README.md"), "utf8");
const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)]
  .map((m) => m[1])
  .filter((b) => b.includes('from "dendrite"'));
const dir = mkdtempSync(join(__dirname, "tmp-"));
const cwd = process.cwd();
afterAll(() => {
  process.chdir(cwd);
  rmSync(dir, { recursive: true, force: true });
});

const SWIFTSHADER = "/usr/lib/chromium/vk_swiftshader_icd.json";

it("the README has runnable examples", () => expect(blocks.length).toBeGreaterThanOrEqual(2));

it.each(blocks.map((b, i) => [i, b] as const))(
  "README example %i runs",
  async (i, block) => {
    const usesGpu = block.includes('useDevice("webgpu")');
    // Like the WebGPU suites: without a configured driver, SwiftShader (Chromium's Vulkan on
    // the CPU) provides the adapter.
    if (usesGpu && !process.env.VK_ICD_FILENAMES && existsSync(SWIFTSHADER))
      process.env.VK_ICD_FILENAMES = SWIFTSHADER;
    const src = join(__dirname, "../../src/index.js");
    const file = join(dir, `example-${i}.ts`);
    writeFileSync(
      file,
      `${block.replace('from "dendrite"', `from ${JSON.stringify(src)}`)}\nexport {};\n`,
    );
    const logs: string[] = [];
    const log = console.log;
    console.log = (...a: unknown[]) => logs.push(a.join(" "));
    process.chdir(dir); // files the example saves land in the temporary folder
    try {
      await import(file);
    } finally {
      console.log = log;
      process.chdir(cwd);
      if (usesGpu) await dl.useDevice("cpu");
    }
    const acc = logs.map((l) => /test accuracy: ([\d.]+)%/.exec(l)).find(Boolean);
    // The example prints 90.7% (PyTorch 1.13 with the same recipe and data: 90.1-91.0%).
    if (acc) expect(Number(acc[1]), logs.join("\n")).toBeGreaterThan(88);
  },
  120_000,
);
