// The fused LSTM cell kernels on WebGPU (ops/lstm-cell.ts has the equations): one thread per
// batch × hidden element, reading its four gate projections from gi and gh.
import type { Kernel } from "../../registry.js";
import { META_WGSL, mathFor, threadMain } from "../wgsl.js";
import { CELL_WG, cellKernel } from "./cells.js";

// Parameter block: elements n, hidden H, offsets of gi, gh, c, g.
const program = (withGrad: boolean) => {
  const body = /* wgsl */ `
@group(0) @binding(1) var<storage, read_write> out: array<f32>;
@group(0) @binding(2) var<storage, read> gi: array<f32>;
@group(0) @binding(3) var<storage, read> gh: array<f32>;
@group(0) @binding(4) var<storage, read> c: array<f32>;
${withGrad ? "@group(0) @binding(5) var<storage, read> g: array<f32>;" : ""}
${threadMain(CELL_WG)}
  let n = mu(0u);
  let h = mu(1u);
  let k = (i / h) * 4u * h + i % h;
  let a = mu(2u) + k;
  let b = mu(3u) + k;
  let ig = sigmoidf_(gi[a] + gh[b]);
  let fg = sigmoidf_(gi[a + h] + gh[b + h]);
  let gg = tanhf_(gi[a + 2u * h] + gh[b + 2u * h]);
  let og = sigmoidf_(gi[a + 3u * h] + gh[b + 3u * h]);
  let cv = c[mu(4u) + i];
  let cn = fg * cv + ig * gg;
  let tc = tanhf_(cn);
  ${
    withGrad
      ? `let dh = g[mu(5u) + i];
  let dc = g[mu(5u) + n + i] + dh * og * (1.0 - tc * tc);
  out[k] = dc * gg * ig * (1.0 - ig);
  out[k + h] = dc * cv * fg * (1.0 - fg);
  out[k + 2u * h] = dc * ig * (1.0 - gg * gg);
  out[k + 3u * h] = dh * tc * og * (1.0 - og);
  out[4u * n + i] = dc * fg;`
      : `out[i] = og * tc;
  out[n + i] = cn;`
  }
}`;
  return `${META_WGSL}\n${mathFor(body)}\n${body}`;
};

const FORWARD = program(false);
const BACKWARD = program(true);

export const lstmCellKernel: Kernel = cellKernel("lstmCell", FORWARD, 2);

export const lstmCellGradKernel: Kernel = cellKernel("lstmCellGrad", BACKWARD, 5);
