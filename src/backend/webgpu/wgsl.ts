// WGSL shared by every program: storage types per dtype, the parameter block, and maths
// written out where WGSL's built-ins are too loose for PyTorch semantics (NaN handling is
// done on bit patterns because WGSL lets compilers assume NaN never occurs; pow, tanh and
// erf are written to keep relative error near float32 rounding on every GPU).
import type { DType } from "../../tensor/dtype.js";

/** bool lives on the GPU as u32 (0 or 1): WGSL storage has no 8-bit type. */
export function wgslType(dtype: DType): "f32" | "i32" | "u32" {
  return dtype === "float32" ? "f32" : dtype === "int32" ? "i32" : "u32";
}

/** Words of the parameter block (256 bytes, as the uniform offset alignment allows). */
export const META_WORDS = 64;

/** The parameter block and its accessors: mu(k) as u32, ms(k) as i32, mf(k) as f32. */
export const META_WGSL = /* wgsl */ `
@group(0) @binding(0) var<uniform> params: array<vec4<u32>, ${META_WORDS / 4}>;
fn mu(k: u32) -> u32 { return params[k >> 2u][k & 3u]; }
fn ms(k: u32) -> i32 { return bitcast<i32>(mu(k)); }
fn mf(k: u32) -> f32 { return bitcast<f32>(mu(k)); }
`;

/** The linear id of a thread when the grid spreads over x and y (see engine.dispatch). */
export const LINEAR_ID = /* wgsl */ `(wid.x + wid.y * nw.x)`;

/**
 * The shared start of every program that runs one thread per output element (or, with
 * `per: "workgroup"`, one workgroup per output): the entry point with the builtins the grid
 * needs (it spreads over x and y, see engine.dispatch), the element's linear id as `id`, and
 * the bounds check against the element count in parameter word 0. The body and the closing
 * brace follow. Like tfjs's getStartHeaderString, it keeps eight programs from each spelling
 * the entry point out.
 */
export function threadMain(
  workgroupSize: number,
  id = "i",
  per: "thread" | "workgroup" = "thread",
): string {
  const linear = per === "thread" ? `${LINEAR_ID} * ${workgroupSize}u + lid` : LINEAR_ID;
  return `@compute @workgroup_size(${workgroupSize})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nw: vec3<u32>,
        @builtin(local_invocation_index) lid: u32) {
  let ${id} = ${linear};
  if (${id} >= mu(0u)) { return; }`;
}

export const MATH_WGSL = /* wgsl */ `
// A var keeps these runtime values: WGSL rejects NaN and infinity in constant expressions.
fn nan_() -> f32 { var bits = 0x7fc00000u; return bitcast<f32>(bits); }
fn inf_() -> f32 { var bits = 0x7f800000u; return bitcast<f32>(bits); }
fn isnan_(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) > 0x7f800000u; }
fn isinf_(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) == 0x7f800000u; }
fn bool_(x: bool) -> u32 { return select(0u, 1u, x); }

fn maxf_(a: f32, b: f32) -> f32 {
  if (isnan_(a) || isnan_(b)) { return nan_(); }
  return select(b, a, a >= b);
}
fn minf_(a: f32, b: f32) -> f32 {
  if (isnan_(a) || isnan_(b)) { return nan_(); }
  return select(b, a, a <= b);
}
fn signf_(a: f32) -> f32 {
  if (isnan_(a)) { return a; }
  return select(select(a, -1.0, a < 0.0), 1.0, a > 0.0);
}
fn sqrtf_(a: f32) -> f32 { return select(sqrt(a), nan_(), a < 0.0 || isnan_(a)); }
fn logf_(a: f32) -> f32 {
  if (a < 0.0 || isnan_(a)) { return nan_(); }
  if (a == 0.0) { return -inf_(); }
  if (isinf_(a)) { return a; }
  return log(a);
}
fn expf_(a: f32) -> f32 {
  if (isnan_(a)) { return a; }
  if (a > 88.8) { return inf_(); }
  if (a < -104.0) { return 0.0; }
  return exp(a);
}
fn sigmoidf_(a: f32) -> f32 {
  if (isnan_(a)) { return a; }
  return 1.0 / (1.0 + expf_(-a));
}
// WGSL only promises sin/cos to 2^-11 absolute (SwiftShader is that loose): reduce by pi/2
// in three parts (Cody-Waite, exact for |x| < 65536) and use Cephes' minimax polynomials.
fn sincos_(x: f32) -> vec2<f32> {
  if (isnan_(x) || isinf_(x)) { return vec2<f32>(nan_(), nan_()); }
  if (abs(x) > 65536.0) { return vec2<f32>(sin(x), cos(x)); }
  let j = round(x * 0.63661977236758134);
  let r = ((x - j * 1.5703125) - j * 4.837512969970703125e-4) - j * 7.54978995489188216e-8;
  let z = r * r;
  let s = r + r * z * (-1.6666654611e-1 + z * (8.3321608736e-3 + z * -1.9515295891e-4));
  let c = 1.0 - 0.5 * z + z * z * (4.166664568298827e-2 + z * (-1.388731625493765e-3 + z * 2.443315711809948e-5));
  let q = i32(j) & 3;
  if (q == 0) { return vec2<f32>(s, c); }
  if (q == 1) { return vec2<f32>(c, -s); }
  if (q == 2) { return vec2<f32>(-s, -c); }
  return vec2<f32>(-c, s);
}
fn sinf_(x: f32) -> f32 { return sincos_(x).x; }
fn cosf_(x: f32) -> f32 { return sincos_(x).y; }
// Near zero 1 - 2/(e^2x + 1) cancels; an odd Taylor series is exact to float32 there.
fn tanhf_(a: f32) -> f32 {
  if (isnan_(a)) { return a; }
  let x = abs(a);
  var r: f32;
  if (x < 0.3) {
    let x2 = x * x;
    r = x * (1.0 + x2 * (-0.33333334 + x2 * (0.13333334 + x2 * (-0.053968254 + x2 * 0.021869488))));
  } else if (x > 10.0) {
    r = 1.0;
  } else {
    r = 1.0 - 2.0 / (exp(2.0 * x) + 1.0);
  }
  return select(r, -r, a < 0.0);
}
// The CPU's erf: a Taylor series near zero, Numerical Recipes' erfc fit elsewhere.
fn erff_(a: f32) -> f32 {
  if (isnan_(a)) { return a; }
  let x = abs(a);
  if (x < 0.5) {
    let x2 = a * a;
    return 1.1283791670955126 * a * (1.0 - x2 / 3.0 + x2 * x2 / 10.0 - x2 * x2 * x2 / 42.0
      + x2 * x2 * x2 * x2 / 216.0 - x2 * x2 * x2 * x2 * x2 / 1320.0);
  }
  if (x > 10.0) { return select(1.0, -1.0, a < 0.0); }
  let t = 1.0 / (1.0 + 0.5 * x);
  let p = -1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806
    + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
  let erfc = t * exp(-x * x + p);
  return select(1.0 - erfc, erfc - 1.0, a < 0.0);
}
// Math.pow's semantics: negative bases with integer exponents, exact squares.
fn powf_(a: f32, b: f32) -> f32 {
  // C's pow: 1^y = 1 for every y (NaN too) and (-1)^±inf = 1, as in PyTorch.
  if (b == 0.0 || a == 1.0) { return 1.0; }
  if (a == -1.0 && isinf_(b)) { return 1.0; }
  if (isnan_(a) || isnan_(b)) { return nan_(); }
  if (b == 1.0) { return a; }
  if (b == 2.0) { return a * a; }
  let bInt = !isinf_(b) && floor(b) == b;
  let bOdd = bInt && abs(b) < 16777216.0 && floor(b * 0.5) * 2.0 != b;
  if (a == 0.0) {
    if (b > 0.0) { return select(0.0, a, bOdd); }
    return select(inf_(), select(inf_(), -inf_(), (bitcast<u32>(a) >> 31u) == 1u), bOdd);
  }
  if (a < 0.0) {
    if (isinf_(a)) {
      if (b < 0.0) { return select(0.0, -0.0, bOdd); }
      return select(inf_(), -inf_(), bOdd);
    }
    if (!bInt) { return select(nan_(), select(inf_(), 0.0, (b > 0.0) == (a > -1.0)), isinf_(b) && a != -1.0); }
    let r = exp2(b * log2(-a));
    return select(r, -r, bOdd);
  }
  if (isinf_(a)) { return select(inf_(), 0.0, b < 0.0); }
  if (a == 1.0) { return select(1.0, nan_(), isinf_(b)); }
  return exp2(b * log2(a));
}
// Integer powers by squaring (wrapping like Int32Array stores); negative exponents truncate.
fn powi_(a: i32, b: i32) -> i32 {
  if (b < 0) {
    if (a == 1) { return 1; }
    if (a == -1) { return select(1, -1, (b & 1) == 1); }
    return 0;
  }
  var r = 1;
  var base = a;
  var e = b;
  loop {
    if (e == 0) { break; }
    if ((e & 1) == 1) { r = r * base; }
    base = base * base;
    e = e >> 1;
  }
  return r;
}
// float32 to int32 as a JavaScript Int32Array store does: truncate, wrap modulo 2^32,
// NaN and infinities give 0.
fn f2i_(a: f32) -> i32 {
  if (isnan_(a) || isinf_(a)) { return 0; }
  let t = trunc(a);
  if (abs(t) < 2147483648.0) { return i32(t); }
  let m = t - floor(t / 4294967296.0) * 4294967296.0;
  return bitcast<i32>(u32(m));
}
`;

/** MATH_WGSL's functions by name, each with the comment above it. */
const MATH_FNS: ReadonlyMap<string, string> = new Map(
  MATH_WGSL.split(/\n(?=(?:\/\/[^\n]*\n)*fn )/)
    .map((chunk) => [/fn (\w+)\(/.exec(chunk)?.[1] ?? "", chunk.trim()] as const)
    .filter(([name]) => name !== ""),
);

/**
 * The MATH_WGSL functions `code` calls, with what they call in turn. Shader compile time grows
 * with source size (0.1-0.3 s per program on SwiftShader), so programs carry only these.
 */
export function mathFor(code: string): string {
  const used = new Set<string>();
  let frontier = code;
  for (;;) {
    const found = [...MATH_FNS.keys()].filter((n) => !used.has(n) && frontier.includes(`${n}(`));
    if (found.length === 0) break;
    found.forEach((n) => used.add(n));
    frontier = found.map((n) => MATH_FNS.get(n)).join("\n");
  }
  return [...MATH_FNS.keys()]
    .filter((n) => used.has(n))
    .map((n) => MATH_FNS.get(n))
    .join("\n");
}
