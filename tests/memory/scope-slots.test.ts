// tidy() scopes hold their handles in arrays, each handle remembering its slot so keep()
// needs no search (memory/scope.ts). These cases move handles between scopes and keep them
// from inner and outer scopes, where a stale or shared slot would dispose the wrong tensor.
import { describe, expect, it } from "vitest";
import * as dl from "../../src/index.js";

describe("tidy scopes and keep()", () => {
  it("keeps a handle of an outer scope from inside an inner one", async () => {
    let outerKept: dl.Tensor | null = null;
    let innerGone: dl.Tensor | null = null;
    dl.tidy(() => {
      const fillers = [dl.ones([2]), dl.ones([2])]; // slots 0 and 1 of the outer scope
      const target = dl.full([2], 3); // slot 2 of the outer scope
      dl.tidy(() => {
        innerGone = dl.full([2], 4); // slot 0 of the inner scope
        dl.ones([2]);
        dl.ones([2]);
        outerKept = dl.keep(target); // its slot (2) is also a slot of the inner scope
      });
      expect(fillers.every((t) => !t.isDisposed)).toBe(true);
    });
    expect(outerKept!.isDisposed).toBe(false);
    expect(innerGone!.isDisposed).toBe(true);
    expect(await outerKept!.toArray()).toEqual([3, 3]);
    outerKept!.dispose();
  });

  it("keeps a handle returned from an inner scope, found at its new slot", async () => {
    let kept: dl.Tensor | null = null;
    let other: dl.Tensor | null = null;
    dl.tidy(() => {
      for (let i = 0; i < 5; i++) dl.ones([1]);
      const r = dl.tidy(() => {
        dl.zeros([1]);
        return dl.full([1], 9); // moves to the outer scope, behind its five handles
      });
      other = dl.full([1], 1);
      kept = dl.keep(r);
    });
    expect(kept!.isDisposed).toBe(false);
    expect(other!.isDisposed).toBe(true);
    expect(await kept!.item()).toBe(9);
    kept!.dispose();
  });

  it("disposes a kept-then-returned handle nowhere, and everything else once", () => {
    const before = dl.memory().tensors;
    const out = dl.tidy(() => {
      const a = dl.keep(dl.ones([3]));
      const b = dl.ones([3]);
      b.dispose(); // disposed early: the scope's end must not trip over it
      return { a, c: dl.zeros([3]) };
    });
    expect(out.a.isDisposed).toBe(false);
    expect(out.c.isDisposed).toBe(false);
    expect(dl.memory().tensors).toBe(before + 2);
    out.a.dispose();
    out.c.dispose();
    expect(dl.memory().tensors).toBe(before);
  });

  it("frees a failed scope's handles but not what it kept", () => {
    let kept: dl.Tensor | null = null;
    let made: dl.Tensor | null = null;
    expect(() =>
      dl.tidy(() => {
        made = dl.ones([2]);
        kept = dl.keep(dl.ones([2]));
        throw new Error("boom");
      }),
    ).toThrow("boom");
    expect(made!.isDisposed).toBe(true);
    expect(kept!.isDisposed).toBe(false);
    kept!.dispose();
  });
});
