// The fused GRU cell kernels on WebGPU (ops/gru-cell.ts has the equations): one thread per
// batch × hidden element, reading its three gate projections from gi and gh.
import type { Kernel } from "../../registry.js";
import { META_WGSL, mathFor, threadMain } from "../wgsl.js";
import { CELL_WG, cellKernel } from "./cells.js";

// Parameter block: elements n, hidden H, offsets of gi, gh, h, g.
const program = (withGrad: boolean) => {
  const body = /* wgsl */ `
@group(0) @binding(1) var<storage, read_write> out: array<f32>;
@group(0) @binding(2) var<storage, read> gi: array<f32>;
@group(0) @binding(3) var<storage, read> gh: array<f32>;
@group(0) @binding(4) var<storage, read> hs: array<f32>;
${withGrad ? "@group(0) @binding(5) var<storage, read> g: array<f32>;" : ""}
${threadMain(CELL_WG)}
  let n = mu(0u);
  let h = mu(1u);
  let k = (i / h) * 3u * h + i % h;
  let a = mu(2u) + k;
  let b = mu(3u) + k;
  let r = sigmoidf_(gi[a] + gh[b]);
  let z = sigmoidf_(gi[a + h] + gh[b + h]);
  let ghn = gh[b + 2u * h];
  let nn = tanhf_(gi[a + 2u * h] + r * ghn);
  let hv = hs[mu(4u) + i];
  ${
    withGrad
      ? `let ge = g[mu(5u) + i];
  let dn = ge * (1.0 - z) * (1.0 - nn * nn);
  let dr = dn * ghn * r * (1.0 - r);
  let dz = ge * (hv - nn) * z * (1.0 - z);
  out[k] = dr;
  out[k + h] = dz;
  out[k + 2u * h] = dn;
  out[3u * n + k] = dr;
  out[3u * n + k + h] = dz;
  out[3u * n + k + 2u * h] = dn * r;
  out[6u * n + i] = ge * z;`
      : `out[i] = nn + z * (hv - nn);`
  }
}`;
  return `${META_WGSL}\n${mathFor(body)}\n${body}`;
};

const FORWARD = program(false);
const BACKWARD = program(true);

export const gruCellKernel: Kernel = cellKernel("gruCell", FORWARD, 1);

export const gruCellGradKernel: Kernel = cellKernel("gruCellGrad", BACKWARD, 7);
