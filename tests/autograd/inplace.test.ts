// In-place updates with PyTorch's rules: values against float64 arithmetic on every device,
// the handle kept (Polyak averaging of a target network, the optimizer still linked), leaf and
// dtype/shape refusals, and version counters: backward through a tensor changed in place
// after it was saved fails naming both ops, as PyTorch's does.
import { describe, expect, it } from "vitest";
import * as dl from "../../src/index.js";
import { DEVICES } from "../helpers/devices.js";
import { assertClose } from "../helpers/check-op.js";

describe.each(DEVICES)("in-place ops on $device", ({ device, available }) => {
  it.skipIf(!available)("compute what PyTorch's do and return the same handle", async () => {
    await dl.useDevice(device);
    try {
      const a = [0.5, -1.25, 2];
      const b = [3, 0.25, -1];
      const x = dl.tensor(a);
      const y = dl.tensor(b);
      expect(x.mul_(2)).toBe(x);
      assertClose(
        await x.data(),
        a.map((v) => v * 2),
        1e-6,
        0,
        "mul_",
      );
      x.add_(y, { alpha: -0.5 });
      assertClose(
        await x.data(),
        a.map((v, i) => v * 2 - 0.5 * b[i]),
        1e-6,
        1e-6,
        "add_ alpha",
      );
      x.sub_(1).div_(4);
      assertClose(
        await x.data(),
        a.map((v, i) => (v * 2 - 0.5 * b[i] - 1) / 4),
        1e-6,
        1e-6,
        "sub_ div_",
      );
      const z = dl.tensor(a);
      z.lerp_(y, 0.25);
      assertClose(
        await z.data(),
        a.map((v, i) => v + 0.25 * (b[i] - v)),
        1e-6,
        1e-6,
        "lerp_",
      );
      const m = dl.zeros([2, 3]);
      m.copy_(y); // broadcast over rows
      expect(await m.toArray()).toEqual([b, b]);
      const k = dl.zeros([3], { dtype: "int32" });
      k.copy_(dl.tensor([1.7, -2.2, 3.5])); // converted as torch's copy_ (toward zero)
      expect(await k.toArray()).toEqual([1, -2, 3]);
      k.fill_(7);
      expect(await k.toArray()).toEqual([7, 7, 7]);
      const c = dl.tensor([-2, 0.5, 3]);
      c.clamp_(-1, 1).maskedFill_(dl.tensor([false, true, false]), 7);
      expect(await c.toArray()).toEqual([-1, 7, 1]);
      m.zero_();
      expect(await m.toArray()).toEqual([
        [0, 0, 0],
        [0, 0, 0],
      ]);
      expect(m.device).toBe(device);
    } finally {
      await dl.useDevice("cpu");
    }
  });
});

describe("in-place rules", () => {
  it("Polyak averaging of a target network under noGrad, without a stateDict round trip", () => {
    dl.manualSeed(0);
    const online = new dl.nn.Linear(3, 2);
    const target = new dl.nn.Linear(3, 2);
    const opt = new dl.optim.SGD(target.parameters(), { lr: 0.1 });
    const tau = 0.9;
    const before = target.parameters().map((p) => Array.from(p.dataSync()));
    const q = online.parameters().map((p) => Array.from(p.dataSync()));
    dl.noGrad(() => {
      target
        .parameters()
        .forEach((p, i) => p.mul_(tau).add_(online.parameters()[i], { alpha: 1 - tau }));
    });
    target.parameters().forEach((p, i) =>
      assertClose(
        p.dataSync(),
        before[i].map((v, j) => tau * v + (1 - tau) * q[i][j]),
        1e-6,
        1e-6,
        "polyak",
      ),
    );
    // The parameters are still leaves the optimizer and the module hold.
    const x = dl.rand([4, 3]);
    target.forward(x).sum().backward();
    expect(target.parameters().every((p) => p.isLeaf && p.grad !== null)).toBe(true);
    const w = Array.from(target.weight.dataSync());
    const g = Array.from(target.weight.grad!.dataSync());
    opt.step();
    assertClose(
      target.weight.dataSync(),
      w.map((v, j) => v - 0.1 * g[j]),
      1e-6,
      1e-6,
      "step after polyak",
    );
  });

  it("refuses a leaf that requires grad while recording, as PyTorch", () => {
    const w = dl.tensor([1, 2], { dtype: "float32", requiresGrad: true });
    expect(() => w.mul_(2)).toThrow(/mul_: a leaf tensor that requires grad .* dl\.noGrad/);
    expect(() => w.zero_()).toThrow(dl.DendriteError);
    dl.noGrad(() => w.add_(1));
    expect(Array.from(w.dataSync())).toEqual([2, 3]);
  });

  it("refuses a result of another dtype or a larger shape", () => {
    const k = dl.tensor([1, 2, 3]);
    expect(() => k.mul_(0.5)).toThrow(/mul_: the result is float32 but .* int32/);
    const x = dl.zeros([3]);
    expect(() => x.add_(dl.ones([2, 3]))).toThrow(/add_.*\[2, 3\] does not match .*\[3\]/);
    expect(() => x.copy_(dl.ones([2]))).toThrow(/copy_/);
  });

  it("backward through an input changed in place after it was saved fails, naming both ops", () => {
    const w = dl.tensor([1, 2], { dtype: "float32", requiresGrad: true });
    const x = dl.tensor([3, 4], { dtype: "float32" });
    const y = dl.mul(x, w); // mul saves x for w's gradient
    x.mul_(2);
    expect(() => y.sum().backward()).toThrow(
      /input 0 of mul, saved for its gradient, was modified by an in-place operation \(mul_\)/,
    );
  });

  it("backward through an output changed in place fails too (exp saves its output)", () => {
    const w = dl.tensor([0.5, 1], { dtype: "float32", requiresGrad: true });
    const y = dl.exp(w);
    y.mul_(2); // a non-leaf: allowed and recorded
    expect(() => y.sum().backward()).toThrow(/the output of exp.*\(mul_\)/);
  });

  it("an in-place op on a non-leaf joins the graph: the gradient is PyTorch's", () => {
    const w = dl.tensor([0.5, -1], { dtype: "float32", requiresGrad: true });
    const h = dl.mul(w, 3);
    h.add_(dl.mul(w, w)); // h = 3w + w², d/dw = 3 + 2w
    h.mul_(2); // 6w + 2w², d/dw = 6 + 4w
    h.sum().backward();
    assertClose(w.grad!.dataSync(), [8, 2], 1e-6, 0, "grad");
  });
});
