// cumsum, cumprod and argsort on WebGPU over the contiguous [outer, n, inner] line layout
// the ops hand over. A scan runs one thread per line (a serial walk: lines are short next to
// the thread count). argsort runs one thread per element and computes its rank directly, the
// number of elements of its line ordered before it; O(n) work per element, so O(n²) per line,
// which suits the vocabulary- and batch-sized lines sampling and top-k use.
import type { Kernel } from "../../registry.js";
import type { LineAttrs } from "../../../ops/scan.js";
import type { SortAttrs } from "../../../ops/sorting.js";
import type { WebGpuBackend } from "../backend.js";
import type { GpuBuffer } from "../buffer.js";
import { Meta } from "../layout.js";
import { META_WGSL, threadMain, mathFor, wgslType } from "../wgsl.js";
import { outView } from "./map.js";

const WG = 64;
// Parameter block: thread count, n, inner, x offset.

function scanSource(kind: "sum" | "prod", inT: string, outT: string): string {
  const step = kind === "sum" ? "acc = acc + v;" : "acc = acc * v;";
  const body = `@group(0) @binding(1) var<storage, read_write> out: array<${outT}>;
@group(0) @binding(2) var<storage, read> x: array<${inT}>;
${threadMain(WG)}
  let n = mu(1u);
  let inner = mu(2u);
  let base = (i / inner) * n * inner + i % inner;
  var acc = ${outT}(${kind === "sum" ? 0 : 1});
  for (var k = 0u; k < n; k++) {
    let p = base + k * inner;
    let v = ${outT}(x[u32(ms(3u)) + p]);
    ${step}
    out[p] = acc;
  }
}`;
  return `${META_WGSL}\n${mathFor(body)}\n${body}`;
}

export function scanKernel(kind: "sum" | "prod"): Kernel {
  return (backend, [x], a: LineAttrs, spec) => {
    const b = backend as WebGpuBackend;
    const buf: GpuBuffer = b.output(spec.dtype, a.outer * a.n * a.inner);
    const lines = a.outer * a.inner;
    if (lines === 0 || a.n === 0) return outView(buf, spec);
    const inT = wgslType(x.dtype);
    const outT = wgslType(spec.dtype);
    const pipeline = b.pipelines.get(`scan|${kind}|${inT}|${outT}`, () =>
      scanSource(kind, inT, outT),
    );
    const meta = new Meta().u(0, lines).u(1, a.n).u(2, a.inner).i(3, x.offset);
    b.engine.dispatch(pipeline, meta.words, [buf, x.buffer as GpuBuffer], Math.ceil(lines / WG));
    return outView(buf, spec);
  };
}

/** WGSL: whether (vb, jb) sorts before (va, ia); NaN is the largest value, ties by index. */
function beforeFn(t: string, descending: boolean): string {
  const nan = t === "f32";
  const lt = (p: string, q: string) =>
    nan ? `(!isnan_(${p}) && (isnan_(${q}) || ${p} < ${q}))` : `(${p} < ${q})`;
  const first = descending ? lt("va", "vb") : lt("vb", "va");
  const tie = nan ? "(vb == va || (isnan_(va) && isnan_(vb)))" : "(vb == va)";
  return `fn before(va: ${t}, ia: u32, vb: ${t}, ib: u32) -> bool {
  if (${first}) { return true; }
  return ${tie} && ib < ia;
}`;
}

function argsortSource(t: string, descending: boolean): string {
  const body = `@group(0) @binding(1) var<storage, read_write> out: array<i32>;
@group(0) @binding(2) var<storage, read> x: array<${t}>;
${beforeFn(t, descending)}
${threadMain(WG)}
  let n = mu(1u);
  let inner = mu(2u);
  let off = u32(ms(3u));
  let k = (i / inner) % n;
  let base = i - k * inner;
  let v = x[off + i];
  var rank = 0u;
  for (var j = 0u; j < n; j++) {
    if (before(v, k, x[off + base + j * inner], j)) { rank++; }
  }
  out[base + rank * inner] = i32(k);
}`;
  return `${META_WGSL}\n${mathFor(body)}\n${body}`;
}

export const argsortKernel: Kernel = (backend, [x], a: SortAttrs, spec) => {
  const b = backend as WebGpuBackend;
  const count = a.outer * a.n * a.inner;
  const buf: GpuBuffer = b.output("int32", count);
  if (count === 0) return outView(buf, spec);
  const t = wgslType(x.dtype);
  const pipeline = b.pipelines.get(`argsort|${t}|${a.descending}`, () =>
    argsortSource(t, a.descending),
  );
  const meta = new Meta().u(0, count).u(1, a.n).u(2, a.inner).i(3, x.offset);
  b.engine.dispatch(pipeline, meta.words, [buf, x.buffer as GpuBuffer], Math.ceil(count / WG));
  return outView(buf, spec);
};
