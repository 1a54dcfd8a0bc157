// `npm test`: installs what is missing, then runs the house checks (type checking, lint,
// formatting) and every vitest suite, and ends with the line `N passed, M failed`.
import { spawnSync } from "node:child_process";
import { readFileSync, rmSync, mkdirSync, existsSync } from "node:fs";
import { join } from "node:path";
import {
  root,
  ensureNodeModules,
  ensureBuild,
  ensureNative,
  ensureApt,
  JUPYTER_PACKAGES,
  BROWSER_PACKAGES,
} from "./ensure.mjs";

ensureNodeModules();
ensureApt([...JUPYTER_PACKAGES, ...BROWSER_PACKAGES], "the kernel, notebook and browser tests");
ensureBuild();
await ensureNative();

let passed = 0;
let failed = 0;
const failures = [];

function step(name, cmd, args) {
  console.log(`\n[dendrite] ${name}: ${cmd} ${args.join(" ")}`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: "inherit", env: process.env });
  if (r.status === 0) passed++;
  else {
    failed++;
    failures.push(name);
  }
}

const bin = (name) => join(root, "node_modules", ".bin", name);
step("typecheck (library, kernel, tests)", bin("tsc"), ["--noEmit", "-p", "tsconfig.json"]);
if (existsSync(join(root, "extension", "tsconfig.json")))
  step("typecheck (extension)", bin("tsc"), ["--noEmit", "-p", "extension/tsconfig.json"]);
if (existsSync(join(root, "extension", "lite", "tsconfig.json")))
  step("typecheck (site)", bin("tsc"), ["--noEmit", "-p", "extension/lite/tsconfig.json"]);
step("lint (eslint)", bin("eslint"), ["."]);
step("format (prettier --check)", bin("prettier"), ["--check", "."]);
// Every public export documented, no broken links: TypeDoc's validation (typedoc.json treats
// its warnings as errors), without writing the site.
step("API reference (typedoc validation)", bin("typedoc"), ["--emit", "none"]);

const reportDir = join(root, "test-artifacts");
mkdirSync(reportDir, { recursive: true });

/** Runs vitest with a JSON report and adds its counts to the totals. */
function vitest(name, args, env = process.env) {
  const report = join(reportDir, `${name}.json`);
  rmSync(report, { force: true });
  console.log(`\n[dendrite] ${name}: vitest ${args.join(" ")}`);
  spawnSync(
    bin("vitest"),
    ["run", "--reporter=default", "--reporter=json", `--outputFile.json=${report}`, ...args],
    { cwd: root, stdio: "inherit", env },
  );
  if (!existsSync(report)) {
    failed++;
    failures.push(`${name} produced no report`);
    return;
  }
  const r = JSON.parse(readFileSync(report, "utf8"));
  passed += r.numPassedTests;
  failed += r.numFailedTests;
  // A suite that failed to load has no tests to count: count it as one failure.
  for (const s of r.testResults) {
    if (s.status === "failed" && s.assertionResults.length === 0) {
      failed++;
      failures.push(s.name);
    }
  }
}

const extra = process.argv.slice(2);
vitest("vitest", extra);
// The CPU kernels' own tests once more on the portable WebAssembly path, where the main run
// used the native kernels (a machine without them runs the portable path in both).
const PORTABLE_TESTS = [
  "tests/backend",
  "tests/ops/linalg.test.ts",
  "tests/ops/windows.test.ts",
  "tests/ops/batch-norm.test.ts",
  "tests/ops/conv2d.test.ts",
  "tests/ops/lstm-sequence.test.ts",
  "tests/ops/gru-sequence.test.ts",
  "tests/ops/indexing.test.ts",
  "tests/ops/elementwise.test.ts",
  "tests/ops/reductions.test.ts",
  "tests/nn/layers-conv.test.ts",
  "tests/nn/layers-pool.test.ts",
  "tests/nn/layers-seq.test.ts",
];
if (extra.length === 0)
  vitest("vitest-portable", PORTABLE_TESTS, { ...process.env, DENDRITE_CPU_KERNEL: "wasm" });

if (failures.length) console.log(`\n[dendrite] failed steps: ${failures.join(", ")}`);
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
