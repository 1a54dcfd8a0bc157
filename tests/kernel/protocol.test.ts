// jupyter_kernel_test and further protocol checks (tests/kernel/test_protocol.py), one
// vitest test per Python test case.
import { beforeAll, describe, it } from "vitest";
import {
  checkOutcome,
  createSandbox,
  jupyterAvailable,
  listPythonTests,
  runPythonTests,
  type PyOutcome,
} from "./helpers.js";

const MODULE = "test_protocol";
const available = jupyterAvailable();
const names = available ? listPythonTests(MODULE) : [];

describe.skipIf(!available)("kernel protocol (jupyter_kernel_test)", () => {
  let results: Record<string, PyOutcome> = {};
  beforeAll(async () => {
    results = await runPythonTests(MODULE, createSandbox());
  }, 240_000);

  for (const name of names) {
    it(name, (ctx) => {
      if (results[name]?.status === "skip") ctx.skip();
      checkOutcome(results, name);
    });
  }
});
