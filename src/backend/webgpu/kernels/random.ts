// The counter-based uniform generator on the GPU: element i = counterUniform(key, i) of
// tensor/random.ts, computed in parallel with the same integer hash (u32 multiplies wrap in
// WGSL as Math.imul does), so a GPU-drawn tensor equals the CPU's bit for bit.
import type { WebGpuBackend } from "../backend.js";
import type { GpuBuffer } from "../buffer.js";
import { Meta } from "../layout.js";
import { META_WGSL, threadMain } from "../wgsl.js";

const WG = 256;

const SOURCE = `${META_WGSL}
@group(0) @binding(1) var<storage, read_write> out: array<f32>;
fn mix32(x0: u32) -> u32 {
  var x = x0;
  x ^= x >> 16u;
  x *= 0x7feb352du;
  x ^= x >> 15u;
  x *= 0x846ca68bu;
  return x ^ (x >> 16u);
}
${threadMain(WG)}
  out[i] = f32(mix32(mix32(i + mu(1u)) ^ mu(2u)) >> 8u) * (1.0 / 16777216.0);
}`;

export function fillUniform(be: WebGpuBackend, buf: GpuBuffer, key: readonly [number, number]) {
  if (buf.length === 0) return;
  buf.needsZero = false; // every element is written
  const pipeline = be.pipelines.get("random|uniform", () => SOURCE);
  const meta = new Meta().u(0, buf.length).u(1, key[0]).u(2, key[1]);
  be.engine.dispatch(pipeline, meta.words, [buf], Math.ceil(buf.length / WG));
}
