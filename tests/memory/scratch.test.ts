// Built-in layers release what a forward makes and does not return, and a Sequential of them
// releases each activation once the next layer has read it; whatever user code can reach
// (a custom module's fields, a hook's arguments, a subclass's tensors, the input) stays valid.
import { describe, expect, it } from "vitest";
import * as dl from "../../src/index.js";

const nn = dl.nn;
const live = () => dl.memory().tensors;

describe("built-in layers release their intermediates", () => {
  it("Linear leaves only its output (matmul's product is released)", () => {
    const lin = new nn.Linear(4, 3);
    const x = dl.randn([2, 4]);
    const before = live();
    const y = dl.noGrad(() => lin.forward(x));
    expect(live() - before).toBe(1);
    expect(y.shape).toEqual([2, 3]);
  });

  it("a Sequential of built-in layers leaves only its output", () => {
    const model = new nn.Sequential(new nn.Linear(4, 8), new nn.ReLU(), new nn.Linear(8, 2));
    const x = dl.randn([5, 4]);
    const before = live();
    const y = dl.noGrad(() => model.forward(x));
    expect(live() - before).toBe(1);
    expect(x.isDisposed).toBe(false);
    // Same values as running the layers one by one.
    const [a, , c] = model.children();
    const want = dl.noGrad(() => c.forward(dl.relu(a.forward(x))));
    expect(Array.from(y.dataSync())).toEqual(Array.from(want.dataSync()));
  });

  it("training through released activations gives the same gradients", () => {
    dl.manualSeed(5);
    const model = new nn.Sequential(new nn.Linear(3, 4), new nn.Tanh(), new nn.Linear(4, 1));
    const x = dl.randn([6, 3]);
    model.forward(x).square().mean().backward();
    const viaChain = model.parameters().map((p) => Array.from(p.grad!.dataSync()));
    model.zeroGrad();
    const [a, b, c] = model.children();
    c.forward(b.forward(a.forward(x)))
      .square()
      .mean()
      .backward();
    expect(model.parameters().map((p) => Array.from(p.grad!.dataSync()))).toEqual(viaChain);
  });
});

describe("what user code can reach is never released", () => {
  class Keeper extends nn.Module {
    input: dl.Tensor | null = null;
    output: dl.Tensor | null = null;
    inner: dl.Tensor | null = null;
    forward(x: dl.Tensor): dl.Tensor {
      this.input = x;
      this.inner = x.mul(2);
      this.output = this.inner.add(1);
      return this.output;
    }
  }

  it("a custom module inside a Sequential keeps its input, intermediates and output", () => {
    const keeper = new Keeper();
    const model = new nn.Sequential(
      new nn.Linear(2, 3),
      keeper,
      new nn.ReLU(),
      new nn.Linear(3, 1),
    );
    model.forward(dl.randn([4, 2]));
    for (const t of [keeper.input!, keeper.inner!, keeper.output!]) {
      expect(t.isDisposed).toBe(false);
      expect(t.dataSync().length).toBe(12);
    }
  });

  it("a forward hook's input and output stay valid", () => {
    const seen: dl.Tensor[] = [];
    const relu = new nn.ReLU();
    relu.registerForwardHook((_m, inputs, output) =>
      seen.push(inputs[0] as dl.Tensor, output as dl.Tensor),
    );
    const model = new nn.Sequential(new nn.Linear(2, 3), relu, new nn.Linear(3, 1));
    model.forward(dl.randn([4, 2]));
    expect(seen.length).toBe(2);
    for (const t of seen) expect(t.isDisposed).toBe(false);
  });

  it("a user subclass of a built-in layer keeps what it stores", () => {
    class Probe extends nn.Linear {
      pre: dl.Tensor | null = null;
      override forward(x: dl.Tensor): dl.Tensor {
        this.pre = x.matmul(this.weight.T);
        return super.forward(x);
      }
    }
    const probe = new Probe(2, 2);
    const model = new nn.Sequential(probe, new nn.ReLU());
    model.forward(dl.randn([3, 2]));
    expect(probe.pre!.isDisposed).toBe(false);
    expect(probe.pre!.shape).toEqual([3, 2]);
  });

  it("the Sequential's input and a layer returning its input unchanged are kept", () => {
    const x = dl.randn([2, 2]);
    const model = new nn.Sequential(new nn.Identity(), new nn.Identity(), new nn.Linear(2, 2));
    model.forward(x);
    expect(x.isDisposed).toBe(false);
  });
});
