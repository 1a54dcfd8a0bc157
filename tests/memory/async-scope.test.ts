// dl.tidy / dl.noGrad / dl.enableGrad given an async function: the scope lasts until the promise
// settles, so values can be read with await inside; overlapping scoped async functions fail with
// a DendriteError instead of freeing someone else's tensors or leaving the grad mode stuck.
import { describe, expect, it } from "vitest";
import * as dl from "../../src/index.js";

const live = () => dl.memory().tensors;
/** A task turn: what a GPU read, a timer or I/O gives other code the chance to run in. */
const turn = () => new Promise<void>((r) => setTimeout(r, 0));

/** A promise settled from outside, to order two async functions' steps exactly. */
function gate(): { wait: Promise<void>; open: () => void } {
  let open!: () => void;
  const wait = new Promise<void>((r) => (open = r));
  return { wait, open };
}

async function rejection(p: Promise<unknown>): Promise<dl.DendriteError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(dl.DendriteError);
  return e as dl.DendriteError;
}

describe("tidy with an async function", () => {
  it("keeps the scope across awaits, frees the rest when it resolves, returns the result", async () => {
    const before = live();
    const a = dl.tensor([1, 2, 3]);
    const made: dl.Tensor[] = [];
    const result = await dl.tidy(async () => {
      const doubled = a.mul(2);
      made.push(doubled);
      const first = await doubled.data(); // read in the scope
      await turn();
      const shifted = doubled.add(first[0]);
      made.push(shifted);
      const sum = shifted.sum();
      return { sum, values: Array.from(await shifted.data()) };
    });
    expect(result.values).toEqual([4, 6, 8]);
    expect(await result.sum.item()).toBe(18);
    expect(made.every((t) => t.isDisposed)).toBe(true);
    expect(result.sum.isDisposed).toBe(false);
    expect(live()).toBe(before + 2); // a and the returned sum
    a.dispose();
    result.sum.dispose();
    expect(live()).toBe(before);
  });

  it("accepts a plain function that returns a promise (a read)", async () => {
    const before = live();
    const values = await dl.tidy(() => dl.tensor([1, 2]).mul(3).data());
    expect(Array.from(values)).toEqual([3, 6]);
    expect(live()).toBe(before);
  });

  it("frees everything made inside and rethrows when the promise rejects", async () => {
    const before = live();
    let inside: dl.Tensor | null = null;
    const failure = dl.tidy(async () => {
      inside = dl.ones([4]);
      await turn();
      throw new Error("boom");
    });
    await expect(failure).rejects.toThrow("boom");
    expect(inside!.isDisposed).toBe(true);
    expect(live()).toBe(before);
  });

  it("nests: synchronous and awaited async scopes inside hand their results outwards", async () => {
    const before = live();
    const kept = await dl.tidy(async () => {
      const fromSync = dl.tidy(() => dl.ones([2]).mul(2)); // returned to the async scope
      const fromAsync = await dl.tidy(async () => {
        await turn();
        return dl.ones([2]).mul(3);
      });
      await turn();
      expect(fromSync.isDisposed).toBe(false);
      expect(fromAsync.isDisposed).toBe(false);
      return fromSync.add(fromAsync);
    });
    expect(Array.from(await kept.data())).toEqual([5, 5]);
    expect(live()).toBe(before + 1);
    kept.dispose();
  });

  it("keep() saves a tensor from an async scope", async () => {
    let saved: dl.Tensor | null = null;
    await dl.tidy(async () => {
      await turn();
      saved = dl.keep(dl.ones([3]));
    });
    expect(saved!.isDisposed).toBe(false);
    saved!.dispose();
  });
});

describe("noGrad and enableGrad with an async function", () => {
  it("records nothing across awaits and restores the mode when the promise settles", async () => {
    const w = dl.ones([2], { requiresGrad: true });
    const y = await dl.noGrad(async () => {
      await turn();
      expect(dl.isGradEnabled()).toBe(false);
      const inner = await dl.enableGrad(async () => {
        await turn();
        return w.mul(2);
      });
      expect(inner.requiresGrad).toBe(true);
      expect(dl.isGradEnabled()).toBe(false);
      return w.mul(3);
    });
    expect(y.requiresGrad).toBe(false);
    expect(y.gradFn).toBeNull();
    expect(dl.isGradEnabled()).toBe(true);
  });

  it("restores the mode when the promise rejects", async () => {
    await expect(
      dl.noGrad(async () => {
        await turn();
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    expect(dl.isGradEnabled()).toBe(true);
  });

  it("composes with an async tidy, as a decoder uses them", async () => {
    const before = live();
    const w = dl.keep(
      dl.tensor(
        [
          [0, 1, 0],
          [0, 0, 1],
          [1, 0, 0],
        ],
        { dtype: "float32", requiresGrad: true },
      ),
    ); // next = id + 1 mod 3
    const ids = await dl.noGrad(() =>
      dl.tidy(async () => {
        const written: number[] = [];
        let token = dl.tensor([0], { dtype: "int32" });
        for (let t = 0; t < 4; t++) {
          token = dl.nn.functional.oneHot(token, 3).float().matmul(w).argmax(-1);
          written.push(await token.item());
        }
        expect(token.requiresGrad).toBe(false);
        return written;
      }),
    );
    expect(ids).toEqual([1, 2, 0, 1]);
    expect(live()).toBe(before + 1); // w (kept: counted for its whole life)
    expect(dl.isGradEnabled()).toBe(true);
    w.dispose();
  });
});

describe("overlapping scoped async functions", () => {
  it("noGrad: the one that ends first while the other runs fails; the mode is not left off", async () => {
    const a = gate();
    const b = gate();
    const first = dl.noGrad(async () => {
      await a.wait;
    });
    const second = dl.noGrad(async () => {
      await b.wait;
    });
    a.open(); // the first ends while the second (started after it) still runs
    const e = await rejection(first);
    expect(e.op).toBe("noGrad");
    expect(e.message).toMatch(/overlapped/);
    expect(e.message).toMatch(/Promise\.all/);
    expect(dl.isGradEnabled()).toBe(false); // the second is still open
    b.open();
    await second; // ends in order: fine
    expect(dl.isGradEnabled()).toBe(true);
  });

  it("tidy: the one that ends out of order fails and disposes nothing it made", async () => {
    const before = live();
    const a = gate();
    const b = gate();
    let madeByFirst: dl.Tensor | null = null;
    const first = dl.tidy(async () => {
      madeByFirst = dl.ones([2]);
      await a.wait;
    });
    const second = dl.tidy(async () => {
      await b.wait;
      return dl.ones([3]);
    });
    a.open();
    const e = await rejection(first);
    expect(e.op).toBe("tidy");
    expect(e.message).toMatch(/not disposed/);
    expect(madeByFirst!.isDisposed).toBe(false); // left to the garbage collector, not freed
    b.open();
    const fromSecond = await second;
    expect(fromSecond.isDisposed).toBe(false);
    fromSecond.dispose();
    madeByFirst!.dispose();
    expect(live()).toBe(before);
  });

  it("tidy: a result holding a tensor that a later-started scope freed fails", async () => {
    const a = gate();
    const b = gate();
    const c = gate();
    let own: dl.Tensor | null = null;
    const first = dl.tidy(async () => {
      own = dl.ones([1]); // made while the first is the innermost scope
      await a.wait;
      const made = dl.ones([2]); // made while the second scope is the innermost one
      await c.wait;
      return made;
    });
    const second = dl.tidy(async () => {
      await b.wait;
    });
    a.open();
    await turn(); // the first made its result inside the second's scope...
    b.open();
    await second; // ...which ends in order and frees it
    c.open();
    const e = await rejection(first);
    expect(e.message).toMatch(
      /the value to return holds a tensor that an async dl\.tidy\(\) disposed/,
    );
    expect(own!.isDisposed).toBe(false); // an overlap disposes nothing: left to the GC
    own!.dispose();
  });

  it("a tensor a callback made during an await is freed with the scope, and its use says why", async () => {
    let fromCallback: dl.Tensor | null = null;
    await dl.tidy(async () => {
      setTimeout(() => (fromCallback = dl.ones([2])), 0);
      await turn();
      await turn();
    });
    expect(fromCallback!.isDisposed).toBe(true);
    expect(() => fromCallback!.add(1)).toThrow(
      /dl\.tidy\(async \.\.\.\) disposed it when it ended/,
    );
  });

  it("backward during an async noGrad's await names the pending scope", async () => {
    const w = dl.ones([2], { requiresGrad: true });
    let failure: unknown = null;
    await dl.noGrad(async () => {
      setTimeout(() => {
        try {
          w.mul(2).sum().backward();
        } catch (e) {
          failure = e;
        }
      }, 0);
      await turn();
      await turn();
    });
    expect(failure).toBeInstanceOf(dl.DendriteError);
    expect((failure as Error).message).toMatch(/dl\.noGrad\(async \.\.\.\) is still waiting/);
    w.mul(2).sum().backward(); // after it settles, recording is back
    expect(Array.from(await w.grad!.data())).toEqual([2, 2]);
  });
});

describe("abandonScopes (a kernel interrupting a cell)", () => {
  it("ends scopes waiting on a promise that never settles: recording on, later scopes clean", async () => {
    const stuck = gate();
    let made: dl.Tensor | null = null;
    const abandoned = dl.noGrad(() =>
      dl.tidy(async () => {
        made = dl.ones([3]);
        await stuck.wait; // never opened before abandonScopes
        return 1;
      }),
    );
    await turn();
    expect(dl.isGradEnabled()).toBe(false);
    expect(dl.abandonScopes()).toBe(2); // the tidy and the noGrad
    expect(dl.isGradEnabled()).toBe(true);
    expect(made!.isDisposed).toBe(false); // the stopped code may still hold it: left to the GC
    // Later work sees no open scope: a tidy frees its own tensors, backward records again.
    const w = dl.ones([2], { requiresGrad: true });
    let t: dl.Tensor | null = null;
    const kept = dl.tidy(() => {
      t = w.mul(3);
      t.sum().backward();
      return t.detach().add(0);
    });
    expect(t!.isDisposed).toBe(true);
    expect(Array.from(await w.grad!.data())).toEqual([3, 3]);
    expect(Array.from(await dl.tidy(async () => kept.mul(2).data()))).toEqual([6, 6]);
    // When the stopped function settles after all, its scopes end quietly with its value.
    stuck.open();
    expect(await abandoned).toBe(1);
    expect(dl.isGradEnabled()).toBe(true);
    expect(dl.abandonScopes()).toBe(0);
    expect(made!.isDisposed).toBe(false); // still the garbage collector's
    kept.dispose();
  });

  it("an abandoned scope whose function later throws rethrows that error, not an overlap", async () => {
    const stuck = gate();
    const abandoned = dl.tidy(async () => {
      dl.ones([2]);
      await stuck.wait;
      throw new Error("stopped by the interrupt");
    });
    await turn();
    expect(dl.abandonScopes()).toBe(1);
    stuck.open();
    await expect(abandoned).rejects.toThrow("stopped by the interrupt");
  });
});
