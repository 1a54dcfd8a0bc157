// `npm test`: installs what is missing, then runs the house checks (type checking, lint,
// formatting) and every vitest suite, and ends with the line `N passed, M failed`.
import { spawnSync } from "node:child_process";
import { readFileSync, rmSync, mkdirSync, existsSync } from "node:fs";
import { join } from "node:path";
import {
  root,
  ensureNodeModules,
  ensureBuild,
  ensureApt,
  JUPYTER_PACKAGES,
  BROWSER_PACKAGES,
} from "./ensure.mjs";

ensureNodeModules();
ensureApt([...JUPYTER_PACKAGES, ...BROWSER_PACKAGES], "the kernel, notebook and browser tests");
ensureBuild();

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
const report = join(reportDir, "vitest.json");
rmSync(report, { force: true });
const extra = process.argv.slice(2);
console.log(`\n[dendrite] vitest ${extra.join(" ")}`);
spawnSync(
  bin("vitest"),
  ["run", "--reporter=default", "--reporter=json", `--outputFile.json=${report}`, ...extra],
  { cwd: root, stdio: "inherit", env: process.env },
);
if (existsSync(report)) {
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
} else {
  failed++;
  failures.push("vitest produced no report");
}

if (failures.length) console.log(`\n[dendrite] failed steps: ${failures.join(", ")}`);
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
