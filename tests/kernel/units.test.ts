// The kernel's pure parts, without starting a kernel: is_complete, history queries, source
// map decoding and loop instrumentation.
import { describe, expect, it } from "vitest";
import { History } from "../../kernel/history.js";
import { isComplete } from "../../kernel/is-complete.js";
import {
  InterruptError,
  createFlags,
  installTick,
  instrumentLoops,
  stopCell,
  TICK,
} from "../../kernel/interrupt.js";
import { SourceMap } from "../../kernel/sourcemap.js";
import { loadTslab } from "../../kernel/tslab.js";
import { hasTopLevelForAwait } from "../../kernel/for-await.js";
import { expandShorthandProperties } from "../../kernel/shorthand.js";

const { ts } = loadTslab();

describe("is_complete", () => {
  const status = (code: string) => isComplete(ts, code).status;
  it("tells complete, incomplete and invalid code apart", () => {
    expect(status("const a = 1;")).toBe("complete");
    expect(status("function f() {")).toBe("incomplete");
    expect(status("`template")).toBe("incomplete");
    expect(status("/* comment")).toBe("incomplete");
    expect(status("let x = );")).toBe("invalid");
    expect(status("}")).toBe("invalid");
    expect(status("function f() {\n\n")).toBe("invalid");
  });
  it("suggests the next line's indent", () => {
    expect(isComplete(ts, "if (a) {")).toEqual({ status: "incomplete", indent: "  " });
  });
});

describe("history", () => {
  const h = new History();
  ["a = 1", "b = 2", "a = 1", "c = 3"].forEach((code, i) => h.add(i + 1, code));
  h.setOutput(4, "3");
  it("answers tail, range and search", () => {
    expect(h.query({ hist_access_type: "tail", n: 2 }).map((e) => e[1])).toEqual([3, 4]);
    expect(h.query({ hist_access_type: "range", session: 0, start: 2, stop: 3 })).toEqual([
      [1, 2, "b = 2"],
    ]);
    expect(h.query({ hist_access_type: "search", pattern: "a*" }).length).toBe(2);
    expect(h.query({ hist_access_type: "search", pattern: "a*", unique: true }).length).toBe(1);
    expect(h.query({ hist_access_type: "tail", n: 1, output: true })).toEqual([
      [1, 4, ["c = 3", "3"]],
    ]);
  });
});

describe("source maps", () => {
  it("decodes VLQ mappings and finds the segment of a column", () => {
    // Line 0: col 0 → (0,0), col 4 → (1,2); line 1: col 2 → (3,0).
    const map = new SourceMap("AAAA,IACE;EAEF");
    expect(map.lookup(0, 5)).toEqual({ line: 1, column: 2 });
    expect(map.lookup(0, 1)).toEqual({ line: 0, column: 0 });
    expect(map.lookup(1, 9)).toEqual({ line: 3, column: 0 });
    expect(map.lookup(2, 0)).toBeNull();
  });
});

describe("loop instrumentation", () => {
  it("ticks in every loop body without adding lines", () => {
    const code =
      "for (;;) x++;\nwhile (a) { b(); }\ndo y(); while (z);\nfor (const k of o) for (const j in k) f();";
    const out = instrumentLoops(ts, code);
    expect(out.split("\n").length).toBe(code.split("\n").length);
    expect(out.split(`${TICK}();`).length - 1).toBe(5);
    expect(() => new Function(out)).not.toThrow();
  });

  it("names the cell, whose loops stop once it was interrupted, even after the flags reset", async () => {
    const cell = 1_000_007;
    const out = instrumentLoops(ts, "while (true) { await next(); }", cell);
    expect(out).toContain(`${TICK}(${cell});`);
    const saved = (globalThis as Record<string, unknown>)[TICK];
    installTick(createFlags()); // both flags 0: as after the interrupted cell ended
    try {
      const tick = (globalThis as Record<string, unknown>)[TICK] as (cell?: number) => void;
      // The interrupted cell's code resumes after its awaits; the kernel marks it stopped.
      const resumed = new Function(TICK, "next", `return (async () => { ${out} })();`);
      let turns = 0;
      const next = async () => {
        if (++turns === 3) stopCell(cell);
      };
      await expect(resumed(tick, next)).rejects.toBeInstanceOf(InterruptError);
      expect(turns).toBe(3);
      expect(() => tick(cell + 1)).not.toThrow(); // other cells' loops go on
      expect(() => tick()).not.toThrow();
    } finally {
      (globalThis as Record<string, unknown>)[TICK] = saved;
    }
  });
});

describe("shorthand properties naming earlier cells' declarations", () => {
  it("are spelled out; other shorthands, defaults and destructuring stay as written", () => {
    const earlier = (n: string) => n === "steps" || n === "lr";
    const expand = (code: string) => expandShorthandProperties(ts, code, earlier);
    expect(expand("f({ steps, lr, other })")).toBe("f({ steps: steps, lr: lr, other })");
    expect(expand("({ steps = 1 } = o)")).toBe("({ steps = 1 } = o)");
    expect(expand("const { steps: s } = o; g({ a: { lr } })")).toBe(
      "const { steps: s } = o; g({ a: { lr: lr } })",
    );
    expect(expand("no braces here")).toBe("no braces here");
  });
});

describe("top-level for await", () => {
  it("is found outside functions and classes only", () => {
    expect(hasTopLevelForAwait(ts, "for await (const b of loader) step(b);")).toBe(true);
    expect(hasTopLevelForAwait(ts, "if (go) { for await (const b of l) {} }")).toBe(true);
    expect(hasTopLevelForAwait(ts, "async function f() { for await (const b of l) {} }")).toBe(
      false,
    );
    expect(hasTopLevelForAwait(ts, "const f = async () => { for await (const b of l) {} };")).toBe(
      false,
    );
    expect(hasTopLevelForAwait(ts, "for (const b of l) {} // await")).toBe(false);
  });
});
