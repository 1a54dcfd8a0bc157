// `node bench/gpu/run.mjs [--sizes 1024,2048,4096,8192]`: Dendrite on WebGPU — GEMM, a
// convolution and MLP training steps — printing GFLOP/s and, where PyTorch is importable
// (python3 -c "import torch"), its figure on the same machine (CUDA when present) and the ratio.
// Uses the built library (dist/): run `npm run build` first. Without a GPU, run it with
// VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json (SwiftShader; small sizes only).
import { performance } from "node:perf_hooks";
import { spawnSync } from "node:child_process";
import * as dl from "../../dist/src/index.js";
import { getBackend } from "../../dist/src/backend/registry.js";

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};

await dl.useDevice("webgpu");
const info = dl.devices().find((d) => d.device === "webgpu").adapter;
const slow = info.isFallbackAdapter;
const sizes = arg("sizes", slow ? "128,256,512" : "1024,2048,4096,8192")
  .split(",")
  .map(Number);
const backend = getBackend("webgpu");
console.log(`adapter: ${info.description || info.device} (${info.vendor}, ${info.architecture})`);
if (slow) console.log("fallback (software) adapter: sizes reduced; figures say nothing of a GPU");

/** Median seconds of `fn` followed by a full GPU sync, after one warm-up run. */
async function time(fn, runs = 3) {
  await fn();
  await backend.sync();
  const samples = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    await backend.sync();
    samples.push((performance.now() - t0) / 1000);
  }
  return samples.sort((a, b) => a - b)[Math.floor(runs / 2)];
}

/** PyTorch's seconds for the same work, or null where torch is not importable. */
function torchSeconds(code) {
  const py = `
import time, torch
dev = "cuda" if torch.cuda.is_available() else "cpu"
def sync():
    if dev == "cuda": torch.cuda.synchronize()
${code}
f(); sync()
ts = []
for _ in range(3):
    t0 = time.perf_counter(); f(); sync(); ts.append(time.perf_counter() - t0)
print(dev, sorted(ts)[1])`;
  // Debian's python3-torch lives under /usr/bin/python3, not a pyenv python3 first on PATH.
  const r = ["python3", "/usr/bin/python3"]
    .map((exe) => spawnSync(exe, ["-c", py], { encoding: "utf8", timeout: 600_000 }))
    .find((x) => x.status === 0);
  if (!r) return null;
  const [dev, s] = r.stdout.trim().split(/\s+/).slice(-2);
  return { dev, seconds: Number(s) };
}

const rows = [];
function report(name, flop, seconds, torch) {
  const gflops = flop / seconds / 1e9;
  const row = { name, "GFLOP/s": gflops.toFixed(2), ms: (seconds * 1000).toFixed(1) };
  if (torch) {
    row[`torch (${torch.dev}) GFLOP/s`] = (flop / torch.seconds / 1e9).toFixed(2);
    row["dendrite/torch"] = (torch.seconds / seconds).toFixed(3);
  }
  rows.push(row);
  console.log(JSON.stringify(row));
}

for (const n of sizes) {
  const a = dl.randn([n, n]);
  const b = dl.randn([n, n]);
  const s = await time(() => dl.matmul(a, b));
  const torch = torchSeconds(
    `a = torch.randn(${n}, ${n}, device=dev); b = torch.randn(${n}, ${n}, device=dev)\ndef f(): return a @ b`,
  );
  report(`gemm ${n}`, 2 * n ** 3, s, torch);
  a.dispose();
  b.dispose();
}

{
  const [N, C, K, H] = slow ? [2, 16, 32, 16] : [32, 64, 128, 56];
  const x = dl.randn([N, C, H, H]);
  const w = dl.randn([K, C, 3, 3]);
  const s = await time(() => dl.nn.functional.conv2d(x, w, null, { padding: 1 }));
  const torch = torchSeconds(
    `x = torch.randn(${N}, ${C}, ${H}, ${H}, device=dev); w = torch.randn(${K}, ${C}, 3, 3, device=dev)\ndef f(): return torch.nn.functional.conv2d(x, w, padding=1)`,
  );
  report(`conv2d ${N}x${C}x${H}x${H} -> ${K}, 3x3`, 2 * N * K * H * H * C * 9, s, torch);
}

{
  const B = slow ? 32 : 1024;
  const model = new dl.nn.Sequential(
    new dl.nn.Linear(784, 1024),
    new dl.nn.ReLU(),
    new dl.nn.Linear(1024, 1024),
    new dl.nn.ReLU(),
    new dl.nn.Linear(1024, 10),
  ).to("webgpu");
  const opt = new dl.optim.SGD(model.parameters(), { lr: 0.01 });
  const x = dl.randn([B, 784]);
  const y = dl.randint(0, 10, [B]);
  const step = () => {
    const loss = dl.nn.functional.crossEntropy(model.forward(x), y);
    opt.zeroGrad();
    loss.backward();
    opt.step();
  };
  const s = await time(step);
  const flop = 6 * B * (784 * 1024 + 1024 * 1024 + 1024 * 10); // forward + two backward GEMMs
  const torch = torchSeconds(`
m = torch.nn.Sequential(torch.nn.Linear(784, 1024), torch.nn.ReLU(), torch.nn.Linear(1024, 1024), torch.nn.ReLU(), torch.nn.Linear(1024, 10)).to(dev)
opt = torch.optim.SGD(m.parameters(), lr=0.01)
x = torch.randn(${B}, 784, device=dev); y = torch.randint(0, 10, (${B},), device=dev)
def f():
    loss = torch.nn.functional.cross_entropy(m(x), y); opt.zero_grad(); loss.backward(); opt.step()`);
  report(`MLP 784-1024-1024-10 step, batch ${B}`, flop, s, torch);
}

console.table(rows);
console.log("webgpu counters:", backend.stats());
