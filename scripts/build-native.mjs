// Builds the CPU backend's optional native kernels (src/backend/cpu/native/addon.c with the
// shared kernels of src/backend/cpu/kernels) into build/native/dendrite-cpu.node, a Node-API
// addon compiled with -O3 -mavx2 -mfma. Run by `npm install` (the package's prepare script)
// and by `npm test` / `npm start` (scripts/ensure.mjs) when a C source is newer than the
// build. It never fails: where the machine cannot build it (no C compiler, no Node headers,
// a CPU without AVX2+FMA, not x86-64 Linux) it writes why to build/native/skipped.txt, and the
// library runs its portable WebAssembly kernels (dl.backendInfo() reports the reason).
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

// Not imported from ensure.mjs, which imports this file (a cycle would leave it undefined).
const root = join(dirname(fileURLToPath(import.meta.url)), "..");

const cpu = join(root, "src/backend/cpu");
const SOURCES = [
  "native/addon.c",
  "native/pool.c",
  "native/lstm.c",
  "native/gru.c",
  "native/indexing.c",
  "native/conv.c",
  "native/napi-args.c",
  "native/elementwise-calls.c",
  "native/copy.c",
  "native/optim-calls.c",
  "native/chain-calls.c",
  "native/extreme-calls.c",
  "kernels/gemm.c",
  "kernels/windows.c",
  "kernels/elementwise.c",
  "kernels/reduce.c",
  "kernels/optim.c",
  "kernels/norm.c",
  "kernels/conv.c",
  "kernels/chain.c",
  "kernels/extremes.c",
];
const HEADERS = [
  "native/pool.h",
  "native/cells.h",
  "native/vmath.h",
  "native/indexing.h",
  "native/conv.h",
  "native/napi-args.h",
  "native/elementwise-calls.h",
  "native/copy.h",
  "native/optim-calls.h",
  "native/chain-calls.h",
  "native/extreme-calls.h",
  "kernels/gemm.h",
  "kernels/grid.h",
  "kernels/vec.h",
  "kernels/windows.h",
  "kernels/elementwise.h",
  "kernels/reduce.h",
  "kernels/optim.h",
  "kernels/norm.h",
  "kernels/conv.h",
  "kernels/chain.h",
  "kernels/extremes.h",
];
export const outDir = join(root, "build", "native");
export const addonPath = join(outDir, "dendrite-cpu.node");
const skippedPath = join(outDir, "skipped.txt");
// -fno-math-errno: sqrt as the vsqrtpd instruction, so optim.c's loop vectorizes (errno is
// never read); -ffp-contract=off: no fusion the portable kernels do not also do.
const FLAGS = [
  "-O3",
  "-mavx2",
  "-mfma",
  "-ffp-contract=off",
  "-fno-math-errno",
  "-std=gnu11",
  "-fPIC",
  "-shared",
];
const FLAGS_TAIL = ["-pthread", "-fvisibility=hidden", "-Wall", "-Wno-unknown-pragmas"];

function findCompiler() {
  for (const cc of [process.env.CC, "cc", "gcc", "clang"].filter(Boolean)) {
    try {
      execFileSync(cc, ["--version"], { stdio: "ignore" });
      return cc;
    } catch {
      // try the next name
    }
  }
  return null;
}

function nodeHeaders() {
  const dirs = [join(dirname(process.execPath), "..", "include", "node"), "/usr/include/node"];
  return dirs.find((d) => existsSync(join(d, "node_api.h"))) ?? null;
}

function cpuHasAvx2Fma() {
  try {
    const flags = readFileSync("/proc/cpuinfo", "utf8").match(/^flags\s*:(.*)$/m)?.[1] ?? "";
    const set = new Set(flags.trim().split(/\s+/));
    return set.has("avx2") && set.has("fma");
  } catch {
    return false;
  }
}

/** Why the addon cannot be built here, or "" when it can; and the compiler and headers. */
function prerequisites() {
  if (process.platform !== "linux" || process.arch !== "x64")
    return { why: `no native kernels for ${process.platform}-${process.arch} (x86-64 Linux only)` };
  if (!cpuHasAvx2Fma()) return { why: "this CPU lacks AVX2 or FMA" };
  const cc = findCompiler();
  if (!cc) return { why: "no C compiler (cc, gcc or clang) was found at install time" };
  const include = nodeHeaders();
  if (!include) return { why: "Node's headers (node_api.h) were not found at install time" };
  return { why: "", cc, include };
}

const mtime = (p) => (existsSync(p) ? statSync(p).mtimeMs : 0);

/** Whether the addon (or the record of why it was skipped) is newer than every source. */
export function nativeUpToDate() {
  const newest = Math.max(...[...SOURCES, ...HEADERS].map((s) => mtime(join(cpu, s))));
  return Math.max(mtime(addonPath), mtime(skippedPath)) >= newest;
}

/** Builds the addon, or records why not; returns the reason ("" when built). */
export function buildNative({ quiet = false } = {}) {
  mkdirSync(outDir, { recursive: true });
  const { why, cc, include } = prerequisites();
  let reason = why;
  if (!reason) {
    const args = [...FLAGS, `-I${include}`, ...SOURCES.map((s) => join(cpu, s))];
    try {
      execFileSync(cc, [...args, ...FLAGS_TAIL, "-o", addonPath], {
        stdio: quiet ? "pipe" : "inherit",
      });
    } catch (e) {
      reason = `the native build failed (${cc}: ${String(e.stderr ?? e.message).slice(0, 300)})`;
    }
  }
  if (reason) {
    rmSync(addonPath, { force: true });
    writeFileSync(skippedPath, `${reason}\n`);
  } else rmSync(skippedPath, { force: true });
  return reason;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  let reason;
  try {
    reason = buildNative();
  } catch (e) {
    reason = `the native build could not run (${e.message})`; // never fail an install
  }
  console.log(
    reason
      ? `[dendrite] native CPU kernels skipped: ${reason}; the WebAssembly kernels serve`
      : `[dendrite] built ${addonPath.slice(root.length + 1)} (AVX2+FMA)`,
  );
}
