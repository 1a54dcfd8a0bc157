// Memory: tidy frees all but its result, dispose releases storage when the last view goes,
// dl.memory() counts handles and bytes, and unreferenced tensors are reclaimed by the GC
// safety net, so a loop written without tidy stays flat.
import { describe, expect, it } from "vitest";
import v8 from "node:v8";
import vm from "node:vm";
import * as dl from "../../src/index.js";

/** The V8 collector: from --expose-gc if given, else enabled at run time (null if neither). */
function findGc(): (() => void) | null {
  const g = (globalThis as { gc?: () => void }).gc;
  if (typeof g === "function") return g;
  try {
    v8.setFlagsFromString("--expose-gc");
    return vm.runInNewContext("gc") as () => void;
  } catch {
    return null;
  }
}
const gc = findGc();

/** Collects until finalizers have run and the live count stops falling. */
async function collect(): Promise<void> {
  let last = -1;
  for (let i = 0; i < 20 && dl.memory().tensors !== last; i++) {
    last = dl.memory().tensors;
    gc!();
    await new Promise((r) => setTimeout(r, 5));
  }
}

const live = () => dl.memory().tensors;

/**
 * A task turn. Handles nobody disposed age out of dl.memory() at step boundaries (backward,
 * optimizer.step, item) unless a task turn passed since they were made (memory/lifetime.ts),
 * so tests that count across a backward() let the earlier ones settle first.
 */
const settle = () => new Promise((r) => setTimeout(r, 0));

describe("tidy", () => {
  it("frees every tensor made inside except the result", () => {
    const x = dl.ones([4, 4]);
    const before = live();
    let inner: dl.Tensor[] = [];
    const out = dl.tidy(() => {
      const a = dl.mul(x, 2);
      const b = dl.exp(a);
      const c = b.T.reshape([16]);
      inner = [a, b, c];
      return dl.sum(c);
    });
    expect(live()).toBe(before + 1);
    expect(inner.every((t) => t.isDisposed)).toBe(true);
    expect(out.isDisposed).toBe(false);
    expect(out.itemSync()).toBeCloseTo(16 * Math.exp(2), 3);
    expect(x.isDisposed).toBe(false);
  });
  it("keeps every tensor of a returned array or object", () => {
    const before = live();
    const { a, list } = dl.tidy(() => {
      dl.zeros([3]);
      return { a: dl.ones([2]), list: [dl.zeros([1]), dl.full([1], 3)] };
    });
    expect(live()).toBe(before + 3);
    expect(list[1].itemSync()).toBe(3);
    expect(a.isDisposed).toBe(false);
  });
  it("nested scopes hand results to the outer scope, which frees them if not returned", () => {
    const before = live();
    let innerResult: dl.Tensor | null = null;
    dl.tidy(() => {
      innerResult = dl.tidy(() => dl.mul(dl.ones([2]), 3));
      expect(innerResult.isDisposed).toBe(false);
      return null;
    });
    expect(innerResult!.isDisposed).toBe(true);
    expect(live()).toBe(before);
  });
  it("keep() protects a tensor from the scope", () => {
    const before = live();
    let kept: dl.Tensor | null = null;
    dl.tidy(() => {
      kept = dl.keep(dl.ones([2]));
      dl.zeros([5]);
    });
    expect(kept!.isDisposed).toBe(false);
    expect(live()).toBe(before + 1);
  });
  it("frees everything when the function throws", () => {
    const before = live();
    expect(() =>
      dl.tidy(() => {
        dl.ones([3]);
        dl.matmul(dl.ones([2, 3]), dl.ones([2, 3]));
      }),
    ).toThrow(/matmul/);
    expect(live()).toBe(before);
  });
  it("a training step inside tidy keeps the parameter's gradient and nothing else", async () => {
    const w = dl.randn([3, 2], { requiresGrad: true });
    const x = dl.randn([5, 3]);
    await settle();
    const before = live();
    dl.tidy(() => {
      dl.tanh(dl.matmul(x, w)).square().mean().backward();
    });
    expect(w.grad).not.toBeNull();
    expect(w.grad!.isDisposed).toBe(false);
    expect(live()).toBe(before + 1);
  });
});

describe("dispose and dl.memory()", () => {
  it("counts handles and bytes per device", () => {
    const m0 = dl.memory();
    const f = dl.zeros([10]);
    const b = dl.zeros([6], { dtype: "bool" });
    const m1 = dl.memory();
    expect(m1.tensors - m0.tensors).toBe(2);
    expect(m1.bytes - m0.bytes).toBe(10 * 4 + 6);
    expect(m1.byDevice.cpu.bytes - (m0.byDevice.cpu?.bytes ?? 0)).toBe(46);
    f.dispose();
    b.dispose();
    expect(dl.memory().bytes).toBe(m0.bytes);
    expect(dl.memory().tensors).toBe(m0.tensors);
  });
  it("frees storage when the last view of it is disposed", () => {
    const m0 = dl.memory();
    const x = dl.zeros([8]);
    const v = x.reshape([2, 4]);
    expect(dl.memory().tensors - m0.tensors).toBe(2);
    x.dispose();
    expect(dl.memory().bytes - m0.bytes).toBe(32);
    expect(v.toArraySync()).toEqual([
      [0, 0, 0, 0],
      [0, 0, 0, 0],
    ]);
    v.dispose();
    expect(dl.memory().bytes).toBe(m0.bytes);
    expect(dl.memory().tensors).toBe(m0.tensors);
  });
  it("double dispose is harmless", () => {
    const m0 = dl.memory();
    const x = dl.zeros([3]);
    x.dispose();
    x.dispose();
    expect(dl.memory()).toEqual(m0);
    expect(x.isDisposed).toBe(true);
  });
  it("backward frees the tensors the graph saved (retainGraph keeps them)", async () => {
    for (const retainGraph of [false, true]) {
      const w = dl.randn([4, 4], { requiresGrad: true });
      await settle();
      const before = dl.memory();
      const m = dl.matmul(w, w);
      const h = dl.tanh(m);
      const sq = dl.mul(h, h);
      const loss = sq.sum();
      for (const t of [m, h, sq]) t.dispose();
      // The graph still holds what its vjps need.
      const held = dl.memory().bytes - before.bytes;
      expect(held).toBeGreaterThan(4);
      dl.tidy(() => loss.backward(undefined, { retainGraph }));
      loss.dispose();
      // Left: w.grad (16 floats), plus the saved tensors only if the graph was retained.
      const left = dl.memory().bytes - before.bytes;
      if (retainGraph) expect(left).toBe(held - 4 + 64);
      else {
        expect(left).toBe(64);
        expect(dl.memory().tensors).toBe(before.tensors + 1);
      }
    }
  });
});

describe("the finalizer safety net", () => {
  it.skipIf(gc === null)("reclaims tensors that become unreachable", async () => {
    await collect();
    const before = dl.memory();
    (() => {
      for (let i = 0; i < 50; i++) dl.exp(dl.ones([64]));
    })();
    expect(dl.memory().tensors).toBeGreaterThan(before.tensors + 50);
    await collect();
    expect(dl.memory().tensors).toBe(before.tensors);
    expect(dl.memory().bytes).toBe(before.bytes);
  });
  it.skipIf(gc === null)("keeps a training loop without tidy at flat memory", async () => {
    const w = dl.randn([8, 4], { requiresGrad: true });
    const x = dl.randn([16, 8]);
    const y = dl.randn([16, 4]);
    const step = () => {
      const loss = dl.sub(dl.matmul(x, w), y).square().mean();
      loss.backward();
      dl.noGrad(() => w._assign(dl.sub(w, dl.mul(w.grad!, 0.05))));
      w.grad = null;
      return loss.itemSync();
    };
    const first = step();
    for (let i = 0; i < 100; i++) step();
    await collect();
    const base = dl.memory();
    let last = 0;
    for (let i = 0; i < 300; i++) last = step();
    await collect();
    expect(last).toBeLessThan(first);
    expect(dl.memory().tensors).toBeLessThanOrEqual(base.tensors);
    expect(dl.memory().bytes).toBeLessThanOrEqual(base.bytes);
  });
});
