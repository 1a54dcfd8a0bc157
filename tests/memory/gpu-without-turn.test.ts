// A GPU loop that never yields a task keeps every undisposed buffer until its next task turn
// (see src/memory/lifetime.ts): the user is told so once, with what to do, and a loop that
// yields or uses tidy is not.
import { afterEach, describe, expect, it, vi } from "vitest";
import * as dl from "../../src/index.js";
import { gpuAvailable } from "../helpers/devices.js";

const warnings = () => vi.mocked(console.warn).mock.calls.map((c) => String(c[0]));
const aboutTaskTurns = (w: string) => w.includes("without a task turn");
const turn = () => new Promise((resolve) => setTimeout(resolve, 0));

describe.skipIf(!gpuAvailable)("WebGPU tensors made without a task turn", () => {
  afterEach(() => vi.restoreAllMocks());

  it("tidy-wrapped and yielding loops are not warned", async () => {
    vi.spyOn(console, "warn").mockImplementation(() => {});
    for (let i = 0; i < 25_000; i++)
      dl.tidy(() => {
        dl.zeros([1], { device: "webgpu" }).add(1);
      });
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 10_000; i++) dl.zeros([1], { device: "webgpu" });
      await turn();
    }
    expect(warnings().filter(aboutTaskTurns)).toEqual([]);
  });

  it("a loop that never yields is warned once, with the remedy", async () => {
    vi.spyOn(console, "warn").mockImplementation(() => {});
    const held = [];
    for (let i = 0; i < 45_000; i++) held.push(dl.zeros([1], { device: "webgpu" }));
    const told = warnings().filter(aboutTaskTurns);
    expect(told).toHaveLength(1);
    expect(told[0]).toMatch(/await loss\.item\(\)/);
    expect(told[0]).toMatch(/dl\.tidy/);
    for (const t of held) t.dispose();
  });
});
