// `node bench/kernels.mjs [--dist DIR] [--threads 1,2] [--no-torch]`: the CPU kernel paths side
// by side in one run: the native kernels (AVX2+FMA addon, where built), the portable
// WebAssembly kernels (DENDRITE_CPU_KERNEL=wasm) and PyTorch (bench/torch_rows.py's
// definitions, when /usr/bin/python3 has torch; its BLAS is printed), each at 1 and 2
// threads: GEMM 256/512/1024 through matmul, conv2d 3×3 64→64 on 32×32 batch 32 forward and
// forward+backward, and the MLP b128 and LeNet-5 b64 Adam steps of issue 12. Wall time,
// median of repeats, so other load on a shared machine lowers every figure: print `uptime`
// with them and say "measured under load".
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { performance } from "node:perf_hooks";
import { adamStep, lenet5, mlp } from "./issue-models.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const dist = resolve(arg("--dist", join(here, "../dist")));
const counts = arg("--threads", "1,2").split(",").map(Number);
const CONV_FLOPS = 2 * 32 * 64 * 32 * 32 * 64 * 9;

/** Median wall milliseconds of `fn` over at least 5 calls and `minMs`. */
function wallMs(fn, minMs = 700) {
  for (let i = 0; i < 2; i++) fn();
  const samples = [];
  const start = performance.now();
  while (samples.length < 5 || (performance.now() - start < minMs && samples.length < 300)) {
    const t0 = performance.now();
    fn();
    samples.push(performance.now() - t0);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)];
}

/** This process's rows (run as a child with the kernel path chosen by its environment). */
async function measure() {
  const dl = await import(join(dist, "src/index.js"));
  const F = dl.nn.functional;
  const out = { kernel: dl.backendInfo().kernel };
  for (const t of counts) {
    dl.setNumThreads(t);
    const row = (name, value) => (out[`${name}|${t}`] = value);
    for (const n of [256, 512, 1024]) {
      const [a, b] = [dl.randn([n, n]), dl.randn([n, n])];
      row(`GEMM ${n} GFLOP/s`, (2 * n ** 3) / wallMs(() => dl.matmul(a, b).dispose()) / 1e6);
    }
    const x = dl.randn([32, 64, 32, 32]).requiresGrad_();
    const w = dl.randn([64, 64, 3, 3]).requiresGrad_();
    const fwd = () =>
      dl.tidy(() => F.conv2d(x.detach(), w.detach(), null, { padding: 1 }).sum().itemSync());
    const fwdBwd = () =>
      dl.tidy(() => {
        x.grad = w.grad = null;
        F.conv2d(x, w, null, { padding: 1 }).sum().backward();
        return w.grad.sum().itemSync();
      });
    row("conv fwd GFLOP/s", CONV_FLOPS / wallMs(fwd) / 1e6);
    row("conv fwd+bwd GFLOP/s", (3 * CONV_FLOPS) / wallMs(fwdBwd) / 1e6);
    row("MLP b128 steps/s", 1000 / wallMs(adamStep(dl, mlp, [784], 128), 1500));
    row("LeNet-5 b64 steps/s", 1000 / wallMs(adamStep(dl, lenet5, [1, 28, 28], 64), 1500));
  }
  return out;
}

// PyTorch on the same rows: torch_rows.py's definitions timed in wall time like ours.
const TORCH = `
import json, sys, time
sys.path.insert(0, ${JSON.stringify(here)})
import torch, torch_rows as t
def wall_ms(fn, min_s=0.7, warmup=2):
    for _ in range(warmup): fn()
    s, start = [], time.perf_counter()
    while len(s) < 5 or (time.perf_counter() - start < min_s and len(s) < 300):
        t0 = time.perf_counter(); fn(); s.append((time.perf_counter() - t0) * 1000)
    s.sort(); return s[len(s) // 2]
t.cpu_ms = wall_ms
import re
out = {"blas": ", ".join(re.findall(r"BLAS_INFO=[^,]*", torch.__config__.show()))}
for th in [int(v) for v in sys.argv[1].split(",")]:
    torch.set_num_threads(th)
    for n in (256, 512, 1024):
        a, b = torch.randn(n, n), torch.randn(n, n)
        out[f"GEMM {n} GFLOP/s|{th}"] = 2 * n**3 / wall_ms(lambda: torch.mm(a, b)) / 1e6
    out[f"conv fwd GFLOP/s|{th}"] = t.conv_forward()[0]
    out[f"conv fwd+bwd GFLOP/s|{th}"] = t.conv_forward_backward()[0]
    out[f"MLP b128 steps/s|{th}"] = t.ROWS["mlp128"]()[0]
    out[f"LeNet-5 b64 steps/s|{th}"] = t.ROWS["lenet5"]()[0]
maps = open("/proc/self/maps").read()
out["openblas"] = "openblas" in maps
print(json.dumps(out))
`;

function child(env) {
  const args = [fileURLToPath(import.meta.url), "--child", "--dist", dist];
  args.push("--threads", counts.join(","));
  const text = execFileSync(process.execPath, args, { encoding: "utf8", env });
  return JSON.parse(text.trim().split("\n").pop());
}

function torchRows() {
  if (process.argv.includes("--no-torch") || !existsSync("/usr/bin/python3")) return null;
  try {
    const text = execFileSync("/usr/bin/python3", ["-c", TORCH, counts.join(",")], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    });
    return JSON.parse(text);
  } catch {
    return null; // no torch here
  }
}

if (process.argv.includes("--child")) {
  console.log(JSON.stringify(await measure()));
} else {
  const uptime = () => execFileSync("uptime", { encoding: "utf8" }).trim();
  console.log(`before: ${uptime()}`);
  const native = child({ ...process.env, DENDRITE_CPU_KERNEL: "" });
  const wasm = child({ ...process.env, DENDRITE_CPU_KERNEL: "wasm" });
  const torch = torchRows();
  const columns = [
    [native.kernel, native],
    ["wasm-simd", wasm],
  ];
  if (native.kernel === "wasm-simd") columns.shift(); // no native build here
  if (torch) columns.push([`torch${torch.openblas ? "+OpenBLAS" : " (reference BLAS!)"}`, torch]);
  const table = {};
  for (const key of Object.keys(wasm).filter((k) => k.includes("|"))) {
    const [name, t] = key.split("|");
    const row = (table[name] ??= {});
    for (const [label, values] of columns) row[`${label} ${t}t`] = +values[key].toFixed(1);
  }
  console.table(table);
  if (torch) console.log(`torch: ${torch.blas}`);
  console.log(`after: ${uptime()} (wall time; measured under load on a shared machine)`);
}
