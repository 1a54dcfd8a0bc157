import { afterEach, describe, expect, it } from "vitest";
import * as dl from "../../src/index.js";
import { PLOT_MIME } from "../../src/display/protocol.js";

type Sent = { bundle: Record<string, any>; opts?: dl.PublishOptions };
function capture(): Sent[] {
  const sent: Sent[] = [];
  dl.setDisplayPublisher((bundle, opts) => sent.push({ bundle, opts }));
  return sent;
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

afterEach(() => dl.setDisplayPublisher(null));

describe("live displays", () => {
  it("livePlot creates one display, throttles updates and always sends the final state", async () => {
    const sent = capture();
    const plot = dl.viz.livePlot({ title: "run", throttleMs: 50 });
    for (let i = 0; i < 1000; i++) plot.push(i, { loss: 1 / (i + 1), acc: i / 1000 });
    const during = sent.length;
    expect(during).toBeLessThan(5);
    await sleep(120);
    const last = sent[sent.length - 1];
    expect(last.opts?.update).toBe(true);
    expect(last.opts?.displayId).toBe(sent[0].opts?.displayId);
    const traces = last.bundle[PLOT_MIME].data;
    expect(traces.map((t: any) => t.name)).toEqual(["loss", "acc"]);
    expect(traces[0].y[traces[0].y.length - 1]).toBeCloseTo(1 / 1000, 9);
    expect(traces[1].yaxis).toBe("y2");
    expect(last.bundle[PLOT_MIME].step).toBe(999);
  });

  it("progress wraps sync and async iterables and counts items", async () => {
    const sent = capture();
    const seen: number[] = [];
    for (const x of dl.viz.progress([1, 2, 3], { desc: "sync" })) seen.push(x);
    async function* gen() {
      yield 4;
      yield 5;
    }
    const wrapped = dl.viz.progress(gen(), { total: 2 });
    for await (const x of wrapped) seen.push(x);
    expect(seen).toEqual([1, 2, 3, 4, 5]);
    expect(wrapped.bar.count).toBe(2);
    const texts = sent.map((s) => s.bundle["text/plain"]);
    expect(texts.some((t) => t.startsWith("sync: 100%|"))).toBe(true);
    expect(texts[texts.length - 1]).toMatch(/^100%\|█+\| 2\/2/);
  });

  it("outside a kernel show() prints text", () => {
    const logs: string[] = [];
    const orig = console.log;
    console.log = (s: string) => logs.push(s);
    try {
      dl.viz.show(dl.tensor([1, 2]));
    } finally {
      console.log = orig;
    }
    expect(logs).toEqual(["tensor([1, 2], dtype=int32)"]);
  });

  it("live shows one picture and replaces it in place with later ones, the last always sent", async () => {
    const sent = capture();
    const picture = (v: number) => dl.viz.plot({ y: dl.full([3], v) }, { title: `v=${v}` });
    const view = await dl.viz.live(picture(0), { throttleMs: 50 });
    for (let v = 1; v <= 100; v++) view.update(picture(v));
    expect(sent.length).toBeLessThan(5); // throttled while the loop runs
    await sleep(120);
    const id = sent[0].opts?.displayId;
    expect(id).toBeTruthy();
    expect(sent[0].opts?.update).toBeFalsy();
    expect(sent.slice(1).every((s) => s.opts?.displayId === id && s.opts?.update === true)).toBe(
      true,
    );
    expect(sent[0].bundle["text/plain"]).toContain("v=0");
    expect(sent[sent.length - 1].bundle["text/plain"]).toContain("v=100");
    expect(sent[sent.length - 1].bundle[PLOT_MIME].data[0].y).toEqual([100, 100, 100]);
    expect(String(view)).toContain("v=100");
  });

  it("live outside a kernel prints the first picture's text", async () => {
    const logs: string[] = [];
    const orig = console.log;
    console.log = (...a: unknown[]) => logs.push(a.join(" "));
    try {
      const view = await dl.viz.live("first");
      view.update("second");
      view.done();
    } finally {
      console.log = orig;
    }
    expect(logs).toEqual(["first"]);
  });
});
