// WGSL for the register-blocked GEMM: a workgroup computes a BM x BN tile of C, each thread a
// TM x TN block of it held in vec4 registers, staging BK-deep slabs of A (transposed, so a
// thread reads its TM rows as vec4) and B in workgroup memory. The inner product over a
// slab is written out in full (WGSL has no unroll hint, and a fully unrolled block keeps
// every accumulator in a register). A thread's columns interleave by vec4 across the
// workgroup so that neighbouring threads read neighbouring vec4s of the B slab.
import { META_WGSL } from "../wgsl.js";

/** A tile shape: bm x bn of C per workgroup, bk of K per slab, tm x tn per thread. */
export interface GemmTile {
  bm: number;
  bn: number;
  bk: number;
  tm: number;
  tn: number;
}

/** How operands are read: vec4 rows where the layout allows, else any strides. */
export interface GemmLayout {
  vecA: boolean;
  vecB: boolean;
  vecOut: boolean;
}

export const tileKey = (t: GemmTile) => `${t.bm}x${t.bn}x${t.bk}/${t.tm}x${t.tn}`;

/** Threads along N and M, and the checks that make a tile shape valid. */
export function tileThreads(t: GemmTile): { wx: number; wy: number } {
  const wx = t.bn / t.tn;
  const wy = t.bm / t.tm;
  const ok =
    t.tm % 4 === 0 &&
    t.tn % 4 === 0 &&
    Number.isInteger(wx) &&
    Number.isInteger(wy) &&
    wx * wy <= 256 &&
    t.bk % 4 === 0 &&
    ((t.bm * t.bk) / 4) % (wx * wy) === 0 &&
    ((t.bn * t.bk) / 4) % (wx * wy) === 0;
  if (!ok) throw new Error(`invalid GEMM tile ${tileKey(t)}`);
  return { wx, wy };
}

// Parameter block (shared with matmul.ts): M, N, K, batch count, batch rank, a offset,
// b offset, a row stride, a k stride, b k stride, b col stride, first batch; batch
// shape/strides from 12, 20, 28.
const A_AT = (r: string, k: string) => `u32(ao + i32(${r}) * ms(7u) + i32(${k}) * ms(8u))`;
const B_AT = (k: string, c: string) => `u32(bo + i32(${k}) * ms(9u) + i32(${c}) * ms(10u))`;

/** Fills As[k][m] (m contiguous) from A's BM x BK slab; `s` counts this thread's share. */
function loadA(t: GemmTile, nt: number, vec: boolean): string {
  if (vec) {
    const per = (t.bm * t.bk) / 4 / nt;
    return `for (var s = 0u; s < ${per}u; s++) {
      let e = t + s * ${nt}u; let m = e / ${t.bk / 4}u; let kq = (e % ${t.bk / 4}u) * 4u;
      let r = row0 + m; let k = k0 + kq;
      var v = vec4<f32>(0.0);
      if (r < M && k + 3u < K) {
        v = a4[${A_AT("r", "k")} / 4u];
      } else if (r < M) {
        for (var q = 0u; q < 4u; q++) { if (k + q < K) { v[q] = a[${A_AT("r", "k + q")}]; } }
      }
      for (var q = 0u; q < 4u; q++) { As[((kq + q) * ${t.bm}u + m) / 4u][m % 4u] = v[q]; }
    }`;
  }
  const per = (t.bm * t.bk) / nt;
  return `for (var s = 0u; s < ${per}u; s++) {
      let e = t + s * ${nt}u; let kk = e / ${t.bm}u; let m = e % ${t.bm}u;
      let r = row0 + m; let k = k0 + kk;
      As[(kk * ${t.bm}u + m) / 4u][m % 4u] = select(0.0, a[${A_AT("r", "k")}], r < M && k < K);
    }`;
}

/** Fills Bs[k][n] (n contiguous) from B's BK x BN slab. */
function loadB(t: GemmTile, nt: number, vec: boolean): string {
  const q4 = t.bn / 4;
  if (vec) {
    const per = (t.bn * t.bk) / 4 / nt;
    return `for (var s = 0u; s < ${per}u; s++) {
      let e = t + s * ${nt}u; let kk = e / ${q4}u; let n = (e % ${q4}u) * 4u;
      let k = k0 + kk; let c = col0 + n;
      var v = vec4<f32>(0.0);
      if (k < K && c + 3u < N) {
        v = b4[${B_AT("k", "c")} / 4u];
      } else if (k < K) {
        for (var q = 0u; q < 4u; q++) { if (c + q < N) { v[q] = b[${B_AT("k", "c + q")}]; } }
      }
      Bs[kk * ${q4}u + n / 4u] = v;
    }`;
  }
  const per = (t.bn * t.bk) / nt;
  return `for (var s = 0u; s < ${per}u; s++) {
      let e = t + s * ${nt}u; let kk = e / ${t.bn}u; let n = e % ${t.bn}u;
      let k = k0 + kk; let c = col0 + n;
      Bs[kk * ${q4}u + n / 4u][n % 4u] = select(0.0, b[${B_AT("k", "c")}], k < K && c < N);
    }`;
}

/** One slab's products, unrolled: TM/4 vec4 reads of As, TN/4 of Bs, TM*TN/4 vec4 FMAs. */
function innerProducts(t: GemmTile, wx: number): string {
  const [vm, vn] = [t.tm / 4, t.tn / 4];
  const lines: string[] = [];
  for (let kk = 0; kk < t.bk; kk++) {
    for (let i = 0; i < vm; i++) lines.push(`a${i} = As[${(kk * t.bm) / 4}u + ar + ${i}u];`);
    for (let v = 0; v < vn; v++) lines.push(`b${v} = Bs[${(kk * t.bn) / 4}u + lx + ${v * wx}u];`);
    for (let i = 0; i < t.tm; i++)
      for (let v = 0; v < vn; v++)
        lines.push(`c${i}_${v} = fma(vec4<f32>(a${i >> 2}[${i & 3}]), b${v}, c${i}_${v});`);
  }
  return lines.join("\n      ");
}

/** Writes the accumulators: row ty*TM+i, columns (v*WX + tx)*4 .. +3. */
function store(t: GemmTile, wx: number, vecOut: boolean): string {
  const lines: string[] = [];
  for (let i = 0; i < t.tm; i++) {
    lines.push(`r = row0 + ar * 4u + ${i}u;`);
    lines.push(`if (r < M) {`);
    for (let v = 0; v < t.tn / 4; v++) {
      lines.push(`  c = col0 + (lx + ${v * wx}u) * 4u;`);
      if (vecOut) lines.push(`  if (c < N) { out[(cbase + r * N + c) / 4u] = c${i}_${v}; }`);
      else
        lines.push(
          `  for (var j = 0u; j < 4u; j++) { if (c + j < N) { out[cbase + r * N + c + j] = c${i}_${v}[j]; } }`,
        );
    }
    lines.push(`}`);
  }
  return lines.join("\n  ");
}

export function gemmSource(t: GemmTile, layout: GemmLayout): string {
  const { wx, wy } = tileThreads(t);
  const nt = wx * wy;
  const [vm, vn] = [t.tm / 4, t.tn / 4];
  const decls: string[] = [];
  for (let i = 0; i < vm; i++) decls.push(`var a${i}: vec4<f32>;`);
  for (let v = 0; v < vn; v++) decls.push(`var b${v}: vec4<f32>;`);
  for (let i = 0; i < t.tm; i++)
    for (let v = 0; v < vn; v++) decls.push(`var c${i}_${v} = vec4<f32>(0.0);`);
  const outType = layout.vecOut ? "vec4<f32>" : "f32";
  const aliases = [
    layout.vecA ? "@group(0) @binding(4) var<storage, read> a4: array<vec4<f32>>;" : "",
    layout.vecB
      ? `@group(0) @binding(${layout.vecA ? 5 : 4}) var<storage, read> b4: array<vec4<f32>>;`
      : "",
  ].join("\n");
  return `${META_WGSL}
@group(0) @binding(1) var<storage, read_write> out: array<${outType}>;
@group(0) @binding(2) var<storage, read> a: array<f32>;
@group(0) @binding(3) var<storage, read> b: array<f32>;
${aliases}
var<workgroup> As: array<vec4<f32>, ${(t.bk * t.bm) / 4}>;
var<workgroup> Bs: array<vec4<f32>, ${(t.bk * t.bn) / 4}>;
@compute @workgroup_size(${wx}, ${wy})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>,
        @builtin(local_invocation_index) t: u32) {
  let M = mu(0u); let N = mu(1u); let K = mu(2u);
  let bi = wid.z + mu(11u);
  var ao = ms(5u); var bo = ms(6u);
  var rem = bi;
  for (var d = i32(mu(4u)) - 1; d >= 0; d--) {
    let sz = mu(12u + u32(d));
    let q = i32(rem % sz);
    rem = rem / sz;
    ao += q * ms(20u + u32(d));
    bo += q * ms(28u + u32(d));
  }
  let row0 = wid.y * ${t.bm}u;
  let col0 = wid.x * ${t.bn}u;
  let lx = lid.x;
  let ar = lid.y * ${vm}u;
  ${decls.join("\n  ")}
  for (var k0 = 0u; k0 < K; k0 += ${t.bk}u) {
    ${loadA(t, nt, layout.vecA)}
    ${loadB(t, nt, layout.vecB)}
    workgroupBarrier();
    ${innerProducts(t, wx)}
    workgroupBarrier();
  }
  let cbase = bi * M * N;
  var r: u32; var c: u32;
  ${store(t, wx, layout.vecOut)}
}`;
}

/** The shapes the GPU bench tries on a card (the tests check each against the CPU). */
export const GEMM_TILE_CANDIDATES: readonly GemmTile[] = [
  { bm: 64, bn: 64, bk: 16, tm: 4, tn: 4 },
  { bm: 64, bn: 64, bk: 32, tm: 4, tn: 4 },
  { bm: 128, bn: 64, bk: 16, tm: 8, tn: 4 },
  { bm: 64, bn: 128, bk: 16, tm: 4, tn: 8 },
  { bm: 128, bn: 128, bk: 8, tm: 8, tn: 8 },
  { bm: 128, bn: 128, bk: 16, tm: 8, tn: 8 },
  { bm: 128, bn: 128, bk: 32, tm: 8, tn: 8 },
  { bm: 128, bn: 256, bk: 8, tm: 8, tn: 16 },
  { bm: 256, bn: 128, bk: 8, tm: 16, tn: 8 },
];
