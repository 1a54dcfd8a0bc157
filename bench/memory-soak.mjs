// Memory soak: PyTorch-style training loops written without dl.tidy and without ever yielding
// a macrotask turn (so no finalizer can run), reporting live tensors (dl.memory()) and RSS at
// fixed steps. Three loop styles:
//   sync   784-64-10 MLP, Adam, batch 32, a fresh batch every step, loss read with itemSync()
//   async  the same loop in an async function whose awaits resolve at once (await loss.item())
//   tbptt  truncated-BPTT LSTM over a text (CharTokenizer, hidden state detached per chunk)
// and, with --styles macrotask, the async loop yielding a task every step (for comparison:
// there finalizers run, so the count follows the garbage collector's timing).
// Usage: node bench/memory-soak.mjs [--device cpu|webgpu] [--steps 50000] [--styles sync,async,tbptt]
// (build first: npm run build). Figures are per process; each style runs in a fresh one.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const args = Object.fromEntries(
  process.argv
    .slice(2)
    .join(" ")
    .split("--")
    .filter(Boolean)
    .map((a) => a.trim().split(/\s+/)),
);
const device = args.device ?? "cpu";
const steps = Number(args.steps ?? 50000);
const styles = (args.styles ?? "sync,async,tbptt").split(",");
const checkpoints = [1000, 10000, 50000, 100, 500, 2000, 5000].filter((s) => s <= steps);

if (args.child) {
  const dl = await import("../dist/src/index.js");
  const { soak } = await import("./memory-soak-loops.mjs");
  if (device !== "cpu") await dl.useDevice(device);
  // Each sample goes to stderr as it is taken, so a run cut short still reports what it reached.
  const rows = await soak(dl, args.child, steps, new Set(checkpoints), (row) =>
    process.stderr.write(`${args.child} ${JSON.stringify(row)}\n`),
  );
  process.stdout.write(JSON.stringify(rows) + "\n");
} else {
  const self = fileURLToPath(import.meta.url);
  console.log(`memory soak on ${device}, ${steps} steps (live tensors = dl.memory().tensors)`);
  for (const style of styles) {
    const r = spawnSync(
      process.execPath,
      [self, "--child", style, "--device", device, "--steps", String(steps)],
      // stderr passes through: the child's progress lines and any error appear as they come.
      { encoding: "utf8", maxBuffer: 1 << 24, stdio: ["ignore", "pipe", "inherit"] },
    );
    if (r.status !== 0) {
      console.log(`${style}: failed (its error is on stderr)`);
      continue;
    }
    const rows = JSON.parse(r.stdout.trim().split("\n").pop());
    for (const row of rows)
      console.log(
        `${style.padEnd(6)} step ${String(row.step).padStart(6)}  live tensors ${String(row.tensors).padStart(7)}` +
          `  tracked MB ${(row.bytes / 2 ** 20).toFixed(1).padStart(7)}  RSS MB ${(row.rss / 2 ** 20).toFixed(0).padStart(5)}` +
          `  loss ${row.loss === null ? "(not read)" : row.loss.toFixed(3)}`,
      );
  }
}
