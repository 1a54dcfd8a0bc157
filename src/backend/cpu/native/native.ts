// The optional native CPU kernels (addon.c: the AVX2+FMA build of ../kernels, on a pthread
// pool), loaded in Node when scripts/build-native.mjs built them at install time. Reached
// through process.getBuiltinModule, never an import, so browser bundles never follow it: in a
// page nativeKernels() is null and the WebAssembly kernels serve. DENDRITE_CPU_KERNEL=wasm
// forces the portable path (tests compare both; a bitwise comparison with a browser needs it,
// as FMA rounds differently from SIMD128's multiply-then-add).

/** The addon's exports (addon.c). Float64Array params are documented there. */
export interface NativeKernels {
  /** "native-avx2". */
  kernel: string;
  /** C (+)= A·B or A·Bᵀ; returns the chunks run by worker threads. */
  gemm(A: Float32Array, B: Float32Array, C: Float32Array, params: Float64Array): number;
  im2col(x: Float32Array, cols: Float32Array, params: Float64Array): number;
  col2im(cols: Float32Array, image: Float32Array, params: Float64Array): number;
  /** out = a op b over an [outer, inner] output (elementwise.ts lays the params out). */
  binary(a: Float32Array, b: Float32Array, out: Float32Array, params: Float64Array): number;
  /**
   * out = cond ? a : b over an [outer, inner] output, cond a bool tensor's bytes. Absent from
   * an addon built before it.
   */
  where?(
    cond: Uint8Array,
    a: Float32Array,
    b: Float32Array,
    out: Float32Array,
    params: Float64Array,
  ): number;
  /**
   * A strided view into a contiguous array, 4-byte elements as bits (copy.ts lays out the
   * params). Absent from an addon built before it.
   */
  stridedCopy?(
    src: Float32Array | Int32Array,
    out: Float32Array | Int32Array,
    params: Float64Array,
  ): number;
  /**
   * A deferred elementwise chain over 1 to 6 leaves into out (chain-calls.c lays out the
   * params; chains.ts builds them).
   */
  chain(...arrays: [...Float32Array[], Float64Array]): number;
  /**
   * max, min, argmax or argmin of x [outer, R, inner] over R (extreme-calls.c lays out the
   * params); out a Float32Array, or an Int32Array for the positions.
   */
  extreme(x: Float32Array, out: Float32Array | Int32Array, params: Float64Array): number;
  /** out = a op b ? 1 : 0 over an [outer, inner] output of bytes (a bool tensor), as binary. */
  compare?(a: Float32Array, b: Float32Array, out: Uint8Array, params: Float64Array): number;
  /** out = op(a) over n contiguous elements. */
  unary(a: Float32Array, out: Float32Array, params: Float64Array): number;
  /** out = x [outer, R, inner] summed over R (and over groups of outer) in float64. */
  sum(x: Float32Array, out: Float32Array, params: Float64Array): number;
  /** Max pooling's first maximum of each window (ops/windows.ts windowArgmax). */
  windowArgmax(x: Float32Array, idx: Int32Array, params: Float64Array): number;
  /** Batch norm's statistics [μ; σ²] of x [N, C, S] (ops/batch-norm.ts). */
  channelMoments(x: Float32Array, out: Float32Array, params: Float64Array): number;
  /** Batch norm's normalisation with given statistics, γ and β. */
  batchNormTrain(
    x: Float32Array,
    stats: Float32Array,
    w: Float32Array,
    b: Float32Array,
    y: Float32Array,
    params: Float64Array,
  ): number;
  /** Batch norm's gradients [∂x, ∂γ, ∂β] for the output gradient g. */
  batchNormTrainGrad(
    x: Float32Array,
    stats: Float32Array,
    w: Float32Array,
    g: Float32Array,
    out: Float32Array,
    params: Float64Array,
  ): number;
  /**
   * Adam's update over a list of parameters (ops/optim-steps.ts; native/optim-calls.c has the
   * argument layout): arrays holds five operands of each parameter.
   */
  adamSteps(arrays: Float32Array[], out: Float32Array, params: Float64Array): number;
  /** SGD's update over a list of parameters, as adamSteps (m: the momentum buffer). */
  sgdSteps(arrays: Float32Array[], out: Float32Array, params: Float64Array): number;
  /** RMSprop's update over a list of parameters, as adamSteps. */
  rmspropSteps(arrays: Float32Array[], out: Float32Array, params: Float64Array): number;
  /** Adagrad's update over a list of parameters, as adamSteps. */
  adagradSteps(arrays: Float32Array[], out: Float32Array, params: Float64Array): number;
  /**
   * The LSTM cell over rows (lstm.c): params [rows, H, then each array's element offset].
   * Absent from an addon built before them.
   */
  lstmRows?(
    gi: Float32Array,
    gh: Float32Array,
    c: Float32Array,
    hOut: Float32Array,
    cOut: Float32Array,
    params: Float64Array,
  ): void;
  lstmRowsGrad?(
    gi: Float32Array,
    gh: Float32Array,
    c: Float32Array,
    dh: Float32Array,
    dc: Float32Array,
    dGates: Float32Array,
    dcPrev: Float32Array,
    params: Float64Array,
  ): void;
  /**
   * The GRU cell over rows (gru.c): params [rows, H, then each array's element offset].
   * Absent from an addon built before them.
   */
  gruRows?(
    gi: Float32Array,
    gh: Float32Array,
    h: Float32Array,
    hOut: Float32Array,
    params: Float64Array,
  ): void;
  gruRowsGrad?(
    gi: Float32Array,
    gh: Float32Array,
    h: Float32Array,
    dh: Float32Array,
    dGi: Float32Array,
    dGh: Float32Array,
    dhPrev: Float32Array,
    params: Float64Array,
  ): void;
  /**
   * gather (scatter 0) or scatterAdd (scatter 1) over float32 values along the rows of
   * ../indexing.ts (indexing.c): params [count, inner, si, st, so, size, stride, scatter].
   * False when an index is out of range. Absent from an addon built before it.
   */
  gatherRows?(
    target: Float32Array,
    index: Int32Array,
    other: Float32Array,
    i0: Int32Array,
    t0: Int32Array,
    o0: Int32Array,
    params: Float64Array,
  ): boolean;
  /**
   * conv2d's forward pass (conv.c): x, weight, bias (any array when there is none), y, and
   * params [offsets (bias −1 for none), N, C, H, W, x's strides, O, groups, kh, kw, stride,
   * dilation, padding, OH, OW, threads]. Absent from an addon built before it.
   */
  conv2d?(
    x: Float32Array,
    w: Float32Array,
    bias: Float32Array,
    y: Float32Array,
    params: Float64Array,
  ): number;
  /**
   * conv2d's backward pass (conv.c): x, weight, the output gradient, ∂x and ∂w (any array
   * when not wanted), and params [offsets (∂x, ∂w −1 when not wanted), the geometry as
   * conv2d's, threads].
   */
  conv2dGrad?(
    x: Float32Array,
    w: Float32Array,
    gy: Float32Array,
    dx: Float32Array,
    dw: Float32Array,
    params: Float64Array,
  ): number;
  /** Worker threads started so far. */
  workers(): number;
}

type GetBuiltin = (id: string) => unknown;
type Fs = { existsSync(p: string): boolean; readFileSync(p: string, enc: "utf8"): string };
type Path = { join(...p: string[]): string; dirname(p: string): string };
type Url = { fileURLToPath(u: string): string };
type ModuleApi = { createRequire(from: string): (id: string) => unknown };

const ADDON = ["build", "native", "dendrite-cpu.node"];
const KERNELS = [
  ...["gemm", "im2col", "col2im", "windowArgmax", "adamSteps", "sgdSteps", "workers"],
  ...["rmspropSteps", "adagradSteps", "chain", "extreme"],
  ...["channelMoments", "batchNormTrain", "batchNormTrainGrad", "binary", "unary", "sum"],
] as const;

function builtin<T>(name: string): T | null {
  const proc = (globalThis as { process?: { getBuiltinModule?: GetBuiltin } }).process;
  return (proc?.getBuiltinModule?.(`node:${name}`) as T | undefined) ?? null;
}

/** The package's root (holding build/native), searched upward from this module. */
function packageRoot(fs: Fs, path: Path, url: Url): string | null {
  let dir = path.dirname(url.fileURLToPath(import.meta.url));
  for (let i = 0; i < 8; i++, dir = path.dirname(dir)) {
    const pkg = path.join(dir, "package.json");
    if (fs.existsSync(pkg) && /"name":\s*"dendrite"/.test(fs.readFileSync(pkg, "utf8"))) return dir;
  }
  return null;
}

/** Loads the addon, or returns why it is not used. */
function load(): NativeKernels | string {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process
    ?.env;
  const forced = env?.DENDRITE_CPU_KERNEL;
  if (forced === "wasm") return "DENDRITE_CPU_KERNEL=wasm forces the portable WebAssembly kernels";
  const fs = builtin<Fs>("fs");
  const path = builtin<Path>("path");
  const url = builtin<Url>("url");
  const mod = builtin<ModuleApi>("module");
  if (!fs || !path || !url || !mod) return "native kernels exist only in Node";
  const root = packageRoot(fs, path, url);
  if (!root) return "the package folder was not found";
  const file = path.join(root, ...ADDON);
  if (!fs.existsSync(file)) {
    const skipped = path.join(root, "build", "native", "skipped.txt");
    return fs.existsSync(skipped)
      ? `not built: ${fs.readFileSync(skipped, "utf8").trim()}`
      : "not built (node scripts/build-native.mjs builds them; npm install and npm test run it)";
  }
  let addon: NativeKernels;
  try {
    addon = mod.createRequire(import.meta.url)(file) as NativeKernels;
  } catch (e) {
    return `the native build did not load (${(e as Error).message})`;
  }
  // A build from older sources lacks later kernels: the portable path, rather than a crash.
  const missing = KERNELS.filter((k) => typeof addon[k] !== "function");
  return missing.length === 0
    ? addon
    : `the native build is out of date (no ${missing.join(", ")}; npm run build:native rebuilds it)`;
}

let loaded: NativeKernels | null | undefined;
/** Why the native kernels are not in use ("" when they are, or before the first look). */
export let nativeUnavailable = "";

/** The native kernels, or null where they are unavailable (nativeUnavailable says why). */
export function nativeKernels(): NativeKernels | null {
  if (loaded !== undefined) return loaded;
  const r = load();
  loaded = typeof r === "string" ? null : r;
  nativeUnavailable = typeof r === "string" ? r : "";
  return loaded;
}

/** For tests: forget the loaded state, so the environment variable is read again. */
export function reloadNativeKernels(): NativeKernels | null {
  loaded = undefined;
  return nativeKernels();
}
