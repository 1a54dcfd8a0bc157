/// <reference types="@webgpu/types" />
// The Node side of WebGPU: Dawn through the `webgpu` npm package. Loaded lazily (a dynamic
// import with a computed specifier) so the library still loads in a browser, where
// navigator.gpu is used instead, and on machines where Dawn or Vulkan is missing.
import { nodeBuiltin } from "./env.js";

interface DawnModule {
  create(options: string[]): GPU;
}

// dawn.node crashes or hangs when a GPU object it handed out is garbage-collected while the
// process runs: every one ever created stays referenced here for the life of the process.
const keptAlive: GPU[] = [];

let dawn: DawnModule | null = null;

async function loadDawn(): Promise<DawnModule> {
  if (dawn) return dawn;
  const specifier = "webgpu";
  try {
    dawn = (await import(/* @vite-ignore */ /* webpackIgnore: true */ specifier)) as DawnModule;
  } catch (e) {
    throw new Error(
      `could not load Dawn (the npm package "webgpu"): ${(e as Error).message}. ` +
        `Install it with npm install webgpu`,
    );
  }
  return dawn;
}

/**
 * Dawn's own start-up flags from DENDRITE_DAWN_FLAGS, separated by ';' (a flag's value may
 * hold commas), e.g. `enable-dawn-features=disable_robustness` to measure what Dawn's bounds
 * clamping costs on a GPU. Unset means Dawn's defaults.
 */
function dawnFlags(): string[] {
  const raw = process.env.DENDRITE_DAWN_FLAGS ?? "";
  return raw
    .split(";")
    .map((f) => f.trim())
    .filter(Boolean);
}

/**
 * A fresh Dawn GPU object. Each call creates a new Dawn instance, which enumerates Vulkan
 * drivers again (so a changed VK_ICD_FILENAMES takes effect).
 */
export async function createDawnGpu(): Promise<GPU> {
  const mod = await loadDawn();
  // XDG_RUNTIME_DIR unset makes Vulkan loaders warn on stderr at every start.
  if (!process.env.XDG_RUNTIME_DIR) process.env.XDG_RUNTIME_DIR = "/tmp";
  const gpu = mod.create(dawnFlags());
  keptAlive.push(gpu);
  return gpu;
}

/** Where Debian's Chromium ships SwiftShader (Vulkan on the CPU), for the hint in errors. */
export const SWIFTSHADER_ICD = "/usr/lib/chromium/vk_swiftshader_icd.json";

/** Whether a file exists (for hints only; never throws). */
export async function fileExists(path: string): Promise<boolean> {
  try {
    const fs = await nodeBuiltin<typeof import("node:fs")>("fs");
    return fs.existsSync(path);
  } catch {
    return false;
  }
}

/**
 * A function that runs a full garbage collection, or null where none can be had. V8 knows
 * nothing of GPU memory, so tensors dropped without dispose() could wait long for the
 * collection that releases their GPU buffers; the WebGPU pool calls this after creating many.
 */
export async function garbageCollector(): Promise<(() => void) | null> {
  try {
    const [v8, vm] = await Promise.all([
      nodeBuiltin<typeof import("node:v8")>("v8"),
      nodeBuiltin<typeof import("node:vm")>("vm"),
    ]);
    v8.setFlagsFromString("--expose-gc");
    return vm.runInNewContext("gc") as () => void;
  } catch {
    return null;
  }
}
