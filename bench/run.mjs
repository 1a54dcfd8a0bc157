// `npm run bench [-- WORKLOAD,... --threads 1,2 --dist DIR --json FILE]`: Dendrite against
// PyTorch (when /usr/bin/python3 has torch with a real BLAS) and TF.js-WASM, in one run, on the
// workloads of bench/suite/workloads.mjs, at each thread count. Every workload of every
// implementation runs in a process of its own (a script that never yields never runs its
// finalizers, and later workloads would pay for earlier garbage); the three run back to back
// per workload so a change in the machine's load hits them alike. Wall time, median of calls.
// Ratios are "higher is better" for Dendrite: 1.0× means PyTorch's pace at its best thread count.
import { execFileSync } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { ensureBuild } from "../scripts/ensure.mjs";
import { WORKLOADS } from "./suite/workloads.mjs";
import { TFJS, NO_TFJS } from "./suite/tfjs_workloads.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const PYTHON = "/usr/bin/python3";
const args = process.argv.slice(2);
const option = (name) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const only = args[0] && !args[0].startsWith("--") ? args[0].split(",") : Object.keys(WORKLOADS);
const threadCounts = (option("--threads") ?? "1,2").split(",").map(Number);
const dist = resolve(option("--dist") ?? join(here, "../dist"));

/** Runs one child and parses its JSON line; a failure is reported, not thrown. */
function runChild(command, childArgs, env = {}) {
  try {
    const out = execFileSync(command, childArgs, {
      encoding: "utf8",
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    return JSON.parse(out.trim().split("\n").at(-1));
  } catch (e) {
    const why = String(e.stderr || e.message || e)
      .trim()
      .split("\n")
      .slice(-1)[0];
    return { error: why };
  }
}

function torchBlas() {
  if (!existsSync(PYTHON)) return { usable: false, why: `${PYTHON} not found` };
  const r = runChild(PYTHON, [join(here, "suite/torch_workloads.py"), "--blas"]);
  if (r.error) return { usable: false, why: `PyTorch not importable: ${r.error}` };
  if (!r.fast)
    return {
      usable: false,
      why:
        `PyTorch ${r.torch} runs the reference BLAS (${r.libraries.join(", ") || "none found"}), several ` +
        "times slower than a pip install: no comparison. Install libopenblas0-pthread " +
        "(apt-get install python3-torch libopenblas0-pthread python3-threadpoolctl).",
    };
  return { usable: true, what: `PyTorch ${r.torch} with ${r.libraries.join(", ")}` };
}

/** Each thread count's figure for one implementation, in the workload's unit. */
function measure(impl, name) {
  const w = WORKLOADS[name];
  const figures = {};
  let info;
  for (const t of impl === "tfjs-wasm" ? [1] : threadCounts) {
    const threadEnv = { OMP_NUM_THREADS: String(t), OPENBLAS_NUM_THREADS: String(t) };
    const r =
      impl === "torch"
        ? runChild(PYTHON, [join(here, "suite/torch_workloads.py"), name, String(t)], threadEnv)
        : runChild(process.execPath, [join(here, "suite/child.mjs"), impl, name, String(t), dist]);
    if (r.error) {
      console.log(`  ${impl} ${name} ${t}t failed: ${r.error}`);
      continue;
    }
    figures[t] = w.value(r.ms);
    info = r.info; // the last (largest) thread count's: what ran at its widest
  }
  return { figures, info };
}

const best = (figures, higher) => {
  const values = Object.values(figures);
  if (values.length === 0) return NaN;
  return higher ? Math.max(...values) : Math.min(...values);
};
const ratioOf = (ours, theirs, higher) => (higher ? ours / theirs : theirs / ours);
const fmt = (v) =>
  Number.isNaN(v) || v === undefined ? "—" : v >= 100 ? v.toFixed(0) : v.toPrecision(3);

if (!option("--dist")) ensureBuild(); // the built library is what runs
const torch = torchBlas();
console.log(`npm run bench — ${new Date().toISOString()}`);
console.log(
  `machine: ${cpus().length} cores (${cpus()[0]?.model}), load ${loadavg()
    .map((l) => l.toFixed(2))
    .join(" ")}`,
);
console.log(
  `peers: ${torch.usable ? torch.what : `no PyTorch: ${torch.why}`}; TF.js-WASM (1 thread in Node)`,
);

const rows = [];
let dendriteInfo;
for (const name of only) {
  const w = WORKLOADS[name];
  if (!w) throw new Error(`unknown workload ${name}; known: ${Object.keys(WORKLOADS).join(", ")}`);
  const ours = measure("dendrite", name);
  // The GEMM row shows the threads that ran (workers start with the first large product).
  if (!dendriteInfo || name === "gemm1024") dendriteInfo = ours.info;
  const theirs = torch.usable ? measure("torch", name) : { figures: {} };
  const tfjs = TFJS[name] ? measure("tfjs-wasm", name) : { figures: {} };
  const higher = w.higherIsBetter;
  const ratio = ratioOf(best(ours.figures, higher), best(theirs.figures, higher), higher);
  const perThread = threadCounts.map((t) => ratioOf(ours.figures[t], theirs.figures[t], higher));
  const judged = w.perThread ? Math.min(...perThread) : ratio;
  const row = {
    workload: w.title,
    unit: w.unit,
    ...Object.fromEntries(threadCounts.map((t) => [`dendrite ${t}t`, fmt(ours.figures[t])])),
    ...Object.fromEntries(threadCounts.map((t) => [`torch ${t}t`, fmt(theirs.figures[t])])),
    "tfjs-wasm": TFJS[name] ? fmt(tfjs.figures[1]) : "n/a",
    "vs torch": Number.isNaN(ratio) ? "—" : `${ratio.toFixed(2)}×`,
    target: `≥ ${w.target}×${w.perThread ? " per thread count" : ""}`,
    met: Number.isNaN(judged) ? "—" : judged >= w.target ? "yes" : "no",
  };
  rows.push({
    name,
    ...row,
    figures: { dendrite: ours.figures, torch: theirs.figures, tfjs: tfjs.figures },
  });
  console.log(JSON.stringify(row));
}

console.table(rows.map(({ name: _name, figures: _figures, ...row }) => row));
console.log(`Dendrite: ${JSON.stringify(dendriteInfo)}`);
console.log(
  `"vs torch": Dendrite's best thread count against PyTorch's (higher is better; GEMM is judged at each thread count). ` +
    `tfjs-wasm: "n/a" where ${NO_TFJS}. Load after: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(" ")}.`,
);
const jsonOut = option("--json");
if (jsonOut) writeFileSync(jsonOut, JSON.stringify({ torch, dendriteInfo, rows }, null, 2));
