// Keeps notebooks/display-demo.ipynb in step with the fixtures it is generated from.
// Regenerate with: UPDATE_DEMO=1 npx vitest run tests/extension/demo-notebook.test.ts
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  validateGraphPayload,
  validatePlotPayload,
  validateTensorPayload,
} from "../../src/display/protocol.js";
import { DEMO_PATH, buildDemoNotebook, demoNotebookText } from "./demo-notebook.js";

const file = join(import.meta.dirname, "..", "..", DEMO_PATH);

describe("display demo notebook", () => {
  it("is up to date with its generator", () => {
    if (process.env.UPDATE_DEMO) writeFileSync(file, demoNotebookText());
    expect(existsSync(file)).toBe(true);
    expect(readFileSync(file, "utf8")).toBe(demoNotebookText());
  });

  it("records only valid payloads", () => {
    const nb = buildDemoNotebook() as {
      cells: { outputs?: { data: Record<string, unknown> }[] }[];
    };
    const outputs = nb.cells.flatMap((c) => c.outputs ?? []);
    expect(outputs.length).toBe(5); // the library cells start empty
    for (const o of outputs) {
      for (const [mime, payload] of Object.entries(o.data)) {
        if (mime.includes("graph")) expect(validateGraphPayload(payload)).toEqual([]);
        if (mime.includes("tensor")) expect(validateTensorPayload(payload)).toEqual([]);
        if (mime.includes("dendrite.plot")) expect(validatePlotPayload(payload)).toEqual([]);
      }
    }
  });
});
