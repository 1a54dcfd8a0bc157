// `node bench/gpu/run.mjs [--out DIR] [--quick] [--allow-fallback] [--no-torch] [--tune-only]`:
// Dendrite on WebGPU against PyTorch on the same card in the same run — fp32 GEMM (tile
// shapes tuned on the card first; PyTorch with TF32 off and on), elementwise bandwidth
// against the card's copy bandwidth, per-op dispatch overhead, and training steps of
// scaled-up models — printed as a table and written to DIR/gpu-bench.json.
// Uses the built library (npm run build). It refuses a fallback (software) adapter unless
// --allow-fallback (then --quick sizes are used: SwiftShader checks the script, not speed).
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as dl from "../../dist/src/index.js";
import { getBackend } from "../../dist/src/backend/registry.js";
import { setGemmTiles } from "../../dist/src/backend/webgpu/kernels/matmul.js";
import {
  GEMM_TILE_CANDIDATES,
  tileKey,
} from "../../dist/src/backend/webgpu/kernels/gemm-source.js";
import * as w from "./workloads.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const flag = (name) => process.argv.includes(`--${name}`);
const option = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const outDir = option("out", join(here, "../../bench-results"));
const log = (...a) => console.log(...a);

/** Adapter name, driver, features and limits straight from Dawn (what the note reports). */
async function describeAdapter() {
  const { create } = await import("webgpu");
  const gpu = create([]);
  const adapter = await gpu.requestAdapter({ powerPreference: "high-performance" });
  if (!adapter) {
    console.error("FAIL: Dawn found no WebGPU adapter (is the Vulkan driver visible?)");
    process.exit(2);
  }
  const limits = {};
  for (const k in adapter.limits) limits[k] = adapter.limits[k];
  const info = {};
  for (const k of ["vendor", "architecture", "device", "description", "isFallbackAdapter"])
    info[k] = adapter.info[k];
  return { info, features: [...adapter.features].sort(), limits, keep: gpu };
}

const adapter = await describeAdapter();
log("adapter:", JSON.stringify(adapter.info));
log("features:", adapter.features.join(" "));
if (adapter.info.isFallbackAdapter && !flag("allow-fallback")) {
  console.error(
    "FAIL: the adapter is a fallback (software) adapter, not the GPU; refusing to bench",
  );
  process.exit(2);
}
const quick = flag("quick") || adapter.info.isFallbackAdapter;
await dl.useDevice("webgpu");
const started = dl.devices().find((d) => d.device === "webgpu").adapter;
if (started.isFallbackAdapter && !flag("allow-fallback")) {
  console.error(`FAIL: Dendrite started on a fallback adapter (${started.description})`);
  process.exit(2);
}
const backend = getBackend("webgpu");

const sizes = quick ? [128, 256] : [1024, 4096, 8192];
const lengths = quick ? [1 << 16] : [1 << 22, 1 << 24, 1 << 26];
const result = {
  adapter: { ...adapter, keep: undefined },
  dawnFlags: process.env.DENDRITE_DAWN_FLAGS ?? "",
};

// 1. Tile shapes tried at one size; the fastest correct one becomes the large tile.
const tuneN = quick ? 256 : 4096;
result.tune = [];
for (const tile of GEMM_TILE_CANDIDATES) {
  setGemmTiles({ large: tile, small: tile });
  const seconds = await w.gemmSeconds(dl, backend, tuneN, { runs: 3, warmup: 1 });
  const error = await w.gemmMaxError(dl, quick ? 128 : 1024);
  const row = { tile: tileKey(tile), n: tuneN, gflops: (2 * tuneN ** 3) / seconds / 1e9, error };
  result.tune.push(row);
  log("tune", JSON.stringify(row));
}
const ok = result.tune.filter((r) => r.error < 1e-3);
const best = ok.reduce((a, b) => (b.gflops > a.gflops ? b : a), ok[0]);
const bestTile = GEMM_TILE_CANDIDATES.find((t) => tileKey(t) === best.tile);
setGemmTiles({ large: bestTile, small: GEMM_TILE_CANDIDATES[0] });
result.bestTile = best.tile;
log("best tile:", best.tile);

if (!flag("tune-only")) {
  result.gemm = {};
  for (const n of sizes) result.gemm[n] = await w.gemmSeconds(dl, backend, n);
  result.elementwise = {};
  for (const n of lengths)
    result.elementwise[n] = {
      add: await w.addSeconds(dl, backend, n),
      chain: await w.chainSeconds(dl, backend, n),
      copy: await w.copySeconds(dl, backend, n),
    };
  result.overhead = await w.overheadSeconds(dl, backend);
  result.training = {};
  if (!quick)
    for (const spec of w.TRAINING) {
      result.training[spec.name] = await w.trainingSeconds(dl, backend, spec);
      log("train", spec.name, result.training[spec.name]);
    }
  result.counters = backend.stats();
}

/** PyTorch's figures for the same workloads (null where no python3 imports torch). */
function torchFigures() {
  const args = [join(here, "torch_gpu.py"), ...(quick ? ["--quick"] : [])];
  for (const exe of ["python3", "/usr/bin/python3"]) {
    const r = spawnSync(exe, args, { encoding: "utf8", timeout: 900_000 });
    if (r.status === 0) return JSON.parse(r.stdout.trim().split("\n").pop());
    if (r.stderr) log(`${exe}: ${r.stderr.trim().split("\n").pop()}`);
  }
  return null;
}
if (!flag("tune-only") && !flag("no-torch")) result.torch = torchFigures();

const rows = tableRows(result);
console.table(rows);
result.rows = rows;
mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, "gpu-bench.json"), JSON.stringify(result, null, 1));
log(`wrote ${join(outDir, "gpu-bench.json")}`);

function tableRows(r) {
  const t = r.torch;
  const out = [];
  const fmt = (x, d = 1) => (x == null ? "" : x.toFixed(d));
  for (const [n, s] of Object.entries(r.gemm ?? {})) {
    const f = (2 * n ** 3) / 1e9;
    const tg = t?.gemm[n];
    out.push({
      workload: `GEMM ${n} fp32 (GFLOP/s)`,
      dendrite: fmt(f / s),
      torch: fmt(tg && f / tg.fp32),
      "torch TF32": fmt(tg && f / tg.tf32),
      ratio: fmt(tg && tg.fp32 / s, 3),
    });
  }
  for (const [n, e] of Object.entries(r.elementwise ?? {})) {
    const gb = (bytes, s) => (bytes * n) / s / 1e9;
    const te = t?.elementwise[n];
    out.push({
      workload: `add ${n / 2 ** 20}M (GB/s)`,
      dendrite: fmt(gb(12, e.add)),
      torch: fmt(te && gb(12, te.add)),
      "copy (dawn / torch)": `${fmt(gb(8, e.copy))} / ${fmt(te && gb(8, te.copy))}`,
      ratio: fmt(te && te.add / e.add, 3),
    });
    out.push({
      workload: `relu(a*b+c) ${n / 2 ** 20}M (ms)`,
      dendrite: fmt(e.chain * 1e3, 3),
      torch: fmt(te && te.chain * 1e3, 3),
      ratio: fmt(te && te.chain / e.chain, 3),
    });
  }
  if (r.overhead != null)
    out.push({
      workload: "per-op overhead, chain of 1000 (µs/op)",
      dendrite: fmt(r.overhead * 1e6, 2),
      torch: fmt(t && t.overhead * 1e6, 2),
      ratio: fmt(t && t.overhead / r.overhead, 3),
    });
  for (const [name, s] of Object.entries(r.training ?? {})) {
    const ts = t?.training[name];
    out.push({
      workload: `${name} (steps/s)`,
      dendrite: fmt(1 / s),
      torch: fmt(ts && 1 / ts),
      ratio: fmt(ts && ts / s, 3),
    });
  }
  return out;
}
