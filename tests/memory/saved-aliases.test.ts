// The tensors a graph saves for backward are registered with the finalizer only if they
// outlive their step (memory/lifetime.ts, holdSaved): a graph dropped without backward must
// still leave dl.memory() once the garbage collector has its handles, and a graph that is
// backwarded must leave nothing behind.
import { describe, expect, it } from "vitest";
import v8 from "node:v8";
import vm from "node:vm";
import * as dl from "../../src/index.js";

function findGc(): () => void {
  const g = (globalThis as { gc?: () => void }).gc;
  if (typeof g === "function") return g;
  v8.setFlagsFromString("--expose-gc");
  return vm.runInNewContext("gc") as () => void;
}
const gc = findGc();
const turn = () => new Promise((r) => setTimeout(r, 5));
const live = () => dl.memory().tensors;

/** Collects until finalizers have run and the live count stops falling. */
async function collect(): Promise<void> {
  let last = -1;
  for (let i = 0; i < 20 && live() !== last; i++) {
    last = live();
    gc();
    await turn();
  }
}

/** Makes graphs that save their inputs and drops them, without backward. */
function dropGraphs(w: dl.Tensor, n: number): void {
  for (let i = 0; i < n; i++) {
    const x = dl.randn([4]);
    w.mul(x).exp(); // mul saves w and x, exp saves its output
  }
}

describe("saved tensors of graphs", () => {
  it("leave dl.memory() when a dropped graph is collected after a task turn", async () => {
    const w = dl.randn([4]).requiresGrad_();
    await collect();
    const before = live();
    dropGraphs(w, 20);
    expect(live()).toBeGreaterThan(before); // handles and saved aliases are counted
    await turn(); // the aliases are handed to the finalizer here
    await collect();
    expect(live()).toBe(before);
  });

  it("leave dl.memory() in a loop that never yields once boundaries pass", async () => {
    const w = dl.randn([4]).requiresGrad_();
    await collect();
    const before = live();
    for (let step = 0; step < 6; step++) {
      dropGraphs(w, 10);
      dl.tensor([1]).itemSync(); // a step boundary
    }
    // Without a task turn nothing was finalized: what remains counted is the last steps'.
    expect(live() - before).toBeLessThan(10 * 5 * 3);
    await turn();
    await collect();
    expect(live()).toBe(before);
  });

  it("are released by backward within the step", async () => {
    const w = dl.randn([4]).requiresGrad_();
    await collect();
    const before = live();
    for (let i = 0; i < 10; i++)
      dl.tidy(() => {
        w.grad = null;
        w.mul(dl.randn([4]))
          .exp()
          .sum()
          .backward();
      });
    w.grad = null;
    await collect();
    expect(live()).toBe(before);
  });
});
