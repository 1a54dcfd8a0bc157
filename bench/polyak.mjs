// Polyak averaging of a target network (DQN/DDPG's soft update), three ways: in place
// (p.mul_(tau).add_(q, { alpha: 1 - tau }) under noGrad), the stateDict round trip the
// tutorials used before in-place ops existed, and PyTorch's in-place update on the same shapes
// (/usr/bin/python3, one thread) when torch is there. Milliseconds per soft update, medians.
// Uses the built library: `npx tsc -p tsconfig.build.json` first.
import { performance } from "node:perf_hooks";
import { execFileSync } from "node:child_process";
import * as dl from "../dist/src/index.js";

// DQN's CartPole network (the tutorials' size) or, with --big, DDPG-critic-sized layers.
const SIZES = process.argv.includes("--big")
  ? [
      [400, 300],
      [300, 300],
      [300, 1],
    ]
  : [
      [4, 128],
      [128, 128],
      [128, 2],
    ];
const TAU = 0.995;

function makeNet() {
  return new dl.nn.Sequential(...SIZES.map(([i, o]) => new dl.nn.Linear(i, o)));
}

function median(fn, runs = 200) {
  for (let i = 0; i < 20; i++) fn();
  const t = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    t.push(performance.now() - t0);
  }
  t.sort((a, b) => a - b);
  return t[t.length >> 1];
}

const online = makeNet();
const target = makeNet();
const pairs = target.parameters().map((p, i) => [p, online.parameters()[i]]);

const softUpdateInPlace = () =>
  dl.noGrad(() => {
    for (const [p, q] of pairs) p.mul_(TAU).add_(q, { alpha: 1 - TAU });
  });
const softUpdateRoundTrip = () =>
  dl.tidy(() => {
    const t = target.stateDict();
    const o = online.stateDict();
    const next = {};
    for (const k of Object.keys(t)) next[k] = dl.add(dl.mul(t[k], TAU), dl.mul(o[k], 1 - TAU));
    target.loadStateDict(next);
  });
// Alternated, each twice, the better median kept: the machine is shared and noisy.
const inPlace = Math.min(median(softUpdateInPlace), median(softUpdateInPlace));
const roundTrip = Math.min(median(softUpdateRoundTrip), median(softUpdateRoundTrip));

const py = `
import time, torch
torch.set_num_threads(1)
def net():
    return torch.nn.Sequential(*[torch.nn.Linear(i, o) for i, o in ${JSON.stringify(SIZES)}])
a, b = net(), net()
pairs = list(zip(a.parameters(), b.parameters()))
def step():
    with torch.no_grad():
        for p, q in pairs:
            p.mul_(${TAU}).add_(q, alpha=${1 - TAU})
for _ in range(20): step()
ts = []
for _ in range(200):
    t0 = time.perf_counter(); step(); ts.append((time.perf_counter() - t0) * 1000)
ts.sort(); print(ts[len(ts) // 2])
`;
let torchMs = null;
try {
  torchMs = Number(execFileSync("/usr/bin/python3", ["-c", py], { encoding: "utf8" }).trim());
} catch {
  torchMs = null;
}

const fmt = (ms) => `${ms.toFixed(3)} ms`;
console.log(
  `soft update of a ${SIZES.map((s) => s.join("x")).join(", ")} MLP (${target.numParameters()} parameters)`,
);
console.log(`  dendrite in place (mul_/add_):  ${fmt(inPlace)}`);
console.log(
  `  dendrite stateDict round trip: ${fmt(roundTrip)}  (${(roundTrip / inPlace).toFixed(1)}x the in-place time)`,
);
if (torchMs !== null)
  console.log(
    `  PyTorch 1.13 in place:         ${fmt(torchMs)}  (dendrite/torch ${(inPlace / torchMs).toFixed(1)}x)`,
  );
