// The memory soak, short: the three PyTorch-style loops of bench/memory-soak.mjs (no tidy, no
// dispose, no task turn) keep dl.memory()'s live-tensor count flat, and user-held tensors stay
// valid however many steps pass. The 50,000-step version with RSS lives in the bench.
import { describe, expect, it } from "vitest";
import * as dl from "../../src/index.js";
import { soak } from "../../bench/memory-soak-loops.mjs";

// Parameters, gradients and Adam's two moments of the 784-64-10 MLP: 4 + 4 + 8.
const MLP_OWNED = 16;

describe("memory soak (short)", () => {
  for (const style of ["sync", "async", "tbptt"])
    it(`${style}: the live-tensor count is the same at step 60 and step 240`, async () => {
      const baseline = dl.memory().tensors;
      const rows = await soak(dl, style, 240, new Set([60, 120, 240]));
      expect(rows.map((r) => r.step)).toEqual([60, 120, 240]);
      expect(rows.every((r) => Number.isFinite(r.loss))).toBe(true);
      expect(rows[2].tensors).toBe(rows[0].tensors);
      expect(rows[2].bytes).toBe(rows[0].bytes);
      // Before the lifetime redesign every intermediate stayed counted (35 per MLP step).
      if (style !== "tbptt") expect(rows[2].tensors - baseline).toBeLessThanOrEqual(MLP_OWNED + 8);
    });
});

describe("what the user holds is never freed under them", () => {
  it("tensors kept across hundreds of steps keep their values", () => {
    dl.manualSeed(1);
    const model = new dl.nn.Sequential(
      new dl.nn.Linear(8, 16),
      new dl.nn.Tanh(),
      new dl.nn.Linear(16, 1),
    );
    const opt = new dl.optim.Adam(model.parameters(), { lr: 1e-2 });
    const x = dl.randn([32, 8]);
    const y = dl.randn([32, 1]);
    const held: { loss: dl.Tensor; out: dl.Tensor; value: number; outValues: number[] }[] = [];
    for (let step = 0; step < 300; step++) {
      const out = model.forward(x);
      const loss = dl.nn.functional.mseLoss(out, y);
      opt.zeroGrad();
      loss.backward();
      opt.step();
      const value = loss.itemSync();
      if (step % 50 === 0) held.push({ loss, out, value, outValues: [...out.dataSync()] });
    }
    expect(held.length).toBe(6);
    for (const h of held) {
      expect(h.loss.isDisposed).toBe(false);
      expect(h.loss.itemSync()).toBe(h.value);
      expect([...h.out.dataSync()]).toEqual(h.outValues);
    }
    // Training went somewhere: the held losses fall.
    expect(held[5].value).toBeLessThan(held[0].value);
  });
});
