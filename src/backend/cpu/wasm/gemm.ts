// The WebAssembly SIMD GEMM (gemm.c): instantiated synchronously on first use from the
// embedded module. Operands live in the module's linear memory, which grows on demand;
// callers pack A and B straight into it. Where WebAssembly SIMD is unavailable (old
// engines), wasmGemm() returns null and the backend keeps its TypeScript loop.
import { WASM_BASE64 } from "./generated/gemm-wasm.js";

interface GemmExports {
  memory: WebAssembly.Memory;
  __heap_base: WebAssembly.Global;
  sgemm(a: number, b: number, c: number, m: number, k: number, n: number): void;
  sgemm_nt(a: number, bt: number, c: number, m: number, k: number, n: number): void;
}

export interface GemmWorkspace {
  A: Float32Array;
  B: Float32Array;
  C: Float32Array;
  /** C = A·B for the packed operands (C is zeroed first). */
  run(): void;
  /** C = A·Bᵀ where B holds Bᵀ, [N, K] row-major (C is zeroed first). */
  runTransposedB(): void;
}

let module: GemmExports | null | undefined;

function decode(base64: string): Uint8Array {
  const bin = atob(base64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return bytes;
}

function load(): GemmExports | null {
  if (module !== undefined) return module;
  try {
    const instance = new WebAssembly.Instance(new WebAssembly.Module(decode(WASM_BASE64)), {});
    module = instance.exports as unknown as GemmExports;
  } catch {
    module = null; // no WebAssembly SIMD here
  }
  return module;
}

/** Views over the module's memory for an M×K by K×N product, or null without WebAssembly. */
export function wasmGemm(M: number, K: number, N: number): GemmWorkspace | null {
  const m = load();
  if (!m) return null;
  const base = m.__heap_base.value as number;
  const bytes = base + 4 * (M * K + K * N + M * N);
  const have = m.memory.buffer.byteLength;
  if (bytes > have) m.memory.grow(Math.ceil((bytes - have) / 65536));
  const buf = m.memory.buffer;
  const aOff = base;
  const bOff = aOff + 4 * M * K;
  const cOff = bOff + 4 * K * N;
  const C = new Float32Array(buf, cOff, M * N);
  return {
    A: new Float32Array(buf, aOff, M * K),
    B: new Float32Array(buf, bOff, K * N),
    C,
    run: () => {
      C.fill(0);
      m.sgemm(aOff, bOff, cOff, M, K, N);
    },
    runTransposedB: () => {
      C.fill(0);
      m.sgemm_nt(aOff, bOff, cOff, M, K, N);
    },
  };
}
