// Forward hooks run from Module's one call path (each class's forward wrapped once on its
// prototype), not by patching the instance.
import { describe, expect, it } from "vitest";
import * as dl from "../../src/index.js";

class Doubler extends dl.nn.Linear {
  override forward(x: dl.Tensor): dl.Tensor {
    return super.forward(x).mul(2);
  }
}

describe("forward hooks", () => {
  it("see the inputs and the output of every forward, until removed", () => {
    const m = new dl.nn.Linear(3, 2);
    const seen: [unknown[], unknown][] = [];
    const remove = m.registerForwardHook((mod, inputs, out) => {
      expect(mod).toBe(m);
      seen.push([inputs, out]);
    });
    const x = dl.ones([4, 3]);
    const y = m.forward(x);
    expect(seen).toHaveLength(1);
    expect(seen[0][0]).toEqual([x]);
    expect(seen[0][1]).toBe(y);
    remove();
    m.forward(x);
    expect(seen).toHaveLength(1);
  });

  it("leave the instance unpatched and its parameters as they were", () => {
    const m = new dl.nn.Linear(3, 2);
    const names = m.namedParameters().map(([n]) => n);
    m.registerForwardHook(() => {});
    expect(Object.prototype.hasOwnProperty.call(m, "forward")).toBe(false);
    expect(m.namedParameters().map(([n]) => n)).toEqual(names);
    expect(Object.keys(m)).not.toContain("_hooks");
  });

  it("run once for a forward that calls super.forward, with the outer output", async () => {
    const m = new Doubler(2, 2, { bias: false });
    const outs: unknown[] = [];
    m.registerForwardHook((_m, _in, out) => outs.push(out));
    const y = m.forward(dl.ones([1, 2]));
    expect(outs).toEqual([y]);
    // Another instance of the base class is unaffected by this instance's hook.
    const plain = new dl.nn.Linear(2, 2);
    plain.forward(dl.ones([1, 2]));
    expect(outs).toHaveLength(1);
  });

  it("fire for children called from a parent's forward (as the layer diagram needs)", () => {
    const child = new dl.nn.Linear(2, 2);
    const model = new dl.nn.Sequential(child, new dl.nn.ReLU());
    let calls = 0;
    child.registerForwardHook(() => calls++);
    model.forward(dl.ones([3, 2]));
    expect(calls).toBe(1);
  });
});
