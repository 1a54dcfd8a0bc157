// The library's load-time wiring lives in src/wiring.ts, run by the entry point only. A module
// imported deeply, without the entry point, must say what was not initialised rather than
// fail with a bare TypeError. (This file imports no entry point on purpose: vitest gives each
// test file its own module graph.)
import { describe, expect, it } from "vitest";
import { DendriteError } from "../../src/tensor/errors.js";
import { tensorHook } from "../../src/tensor/hooks.js";
import { registerBackend } from "../../src/backend/registry.js";
import { cpuBackend, cpuKernels } from "../../src/backend/cpu/index.js";
import { tensor } from "../../src/tensor/create.js";
import { permute } from "../../src/ops/views.js";
import { useDevice } from "../../src/backend/devices.js";
import type { Device } from "../../src/backend/backend.js";

describe("without the entry point's wiring", () => {
  it("an unfilled hook throws a DendriteError naming it", () => {
    expect(() => tensorHook("contiguous")).toThrow(DendriteError);
    expect(() => tensorHook("backward")).toThrow(/the Tensor hook "backward" is not initialised/);
  });

  it("t.contiguous() and t.backward() say what is missing instead of a TypeError", () => {
    registerBackend(cpuBackend, cpuKernels());
    const t = tensor([
      [1, 2],
      [3, 4],
    ]);
    expect(() => permute(t, [1, 0]).contiguous()).toThrow(/"contiguous" is not initialised/);
    expect(() => t.backward()).toThrow(DendriteError);
  });

  it("useDevice rejects an unknown device by name", async () => {
    await expect(useDevice("cuda" as Device)).rejects.toThrow(
      'unknown device "cuda"; expected "cpu" or "webgpu"',
    );
  });
});
