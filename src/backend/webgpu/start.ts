/// <reference types="@webgpu/types" />
// Device start-up: find WebGPU (navigator.gpu in a browser, Dawn in Node), prefer a real GPU
// over a fallback (software) adapter, ask for the adapter's full buffer and workgroup limits
// (a device otherwise gets WebGPU's small defaults), and register the backend.
import type { AdapterInfo } from "../backend.js";
import { registerBackend } from "../registry.js";
import { fail } from "../../tensor/errors.js";
import { isNode } from "../../platform/env.js";
import { WebGpuBackend } from "./backend.js";
import { webgpuKernels } from "./kernels/index.js";

async function findGpu(): Promise<GPU> {
  const nav = (globalThis as { navigator?: { gpu?: GPU } }).navigator;
  if (nav?.gpu) return nav.gpu;
  if (!isNode())
    fail(
      "useDevice",
      "this browser has no WebGPU (navigator.gpu is missing; WebGPU needs a recent browser " +
        'and a secure https:// or localhost page). Use dl.useDevice("cpu") instead',
    );
  const { createDawnGpu } = await import("../../platform/webgpu-node.js");
  try {
    return await createDawnGpu();
  } catch (e) {
    return fail(
      "useDevice",
      `WebGPU is not available in this Node process: ${(e as Error).message}`,
    );
  }
}

const isFallback = (a: GPUAdapter) =>
  Boolean((a.info as { isFallbackAdapter?: boolean }).isFallbackAdapter);

async function pickAdapter(gpu: GPU): Promise<GPUAdapter | null> {
  const fast = await gpu.requestAdapter({ powerPreference: "high-performance" });
  if (fast && !isFallback(fast)) return fast;
  const any = await gpu.requestAdapter();
  if (any && !isFallback(any)) return any;
  return fast ?? any;
}

async function noAdapter(): Promise<never> {
  let hint = "Check that a GPU and its Vulkan, Metal or D3D12 driver are installed.";
  if (isNode()) {
    const { SWIFTSHADER_ICD, fileExists } = await import("../../platform/webgpu-node.js");
    if (await fileExists(SWIFTSHADER_ICD))
      hint +=
        ` Without a GPU, SwiftShader (Vulkan on the CPU, slower than the CPU backend; useful ` +
        `for testing) runs WebGPU when the process starts with ` +
        `VK_ICD_FILENAMES=${SWIFTSHADER_ICD}.`;
  }
  return fail(
    "useDevice",
    `no WebGPU adapter was found. ${hint} Use dl.useDevice("cpu") meanwhile.`,
  );
}

function describeAdapter(adapter: GPUAdapter): AdapterInfo {
  const i = adapter.info;
  return {
    vendor: i.vendor,
    architecture: i.architecture,
    device: i.device,
    description: i.description,
    isFallbackAdapter: isFallback(adapter),
  };
}

let warnedFallback = false;

/**
 * A hardware (non-fallback) adapter, or null where there is none or WebGPU itself is missing:
 * dl.preferredDevice's question, asked without creating a device and never failing.
 */
export async function findHardwareAdapter(): Promise<GPUAdapter | null> {
  try {
    const adapter = await pickAdapter(await findGpu());
    return adapter && !isFallback(adapter) ? adapter : null;
  } catch {
    return null;
  }
}

/**
 * Starts WebGPU on `found` (or the best adapter there is) and registers it as the "webgpu"
 * device (dl.useDevice and dl.preferredDevice call this).
 */
export async function startWebGpu(found?: GPUAdapter): Promise<void> {
  const adapter = found ?? (await pickAdapter(await findGpu())) ?? (await noAdapter());
  const lim = adapter.limits;
  const limits = {
    maxBufferSize: lim.maxBufferSize,
    maxStorageBufferBindingSize: lim.maxStorageBufferBindingSize,
    maxComputeWorkgroupStorageSize: lim.maxComputeWorkgroupStorageSize,
    maxComputeInvocationsPerWorkgroup: lim.maxComputeInvocationsPerWorkgroup,
    maxStorageBuffersPerShaderStage: lim.maxStorageBuffersPerShaderStage,
  };
  let device: GPUDevice;
  try {
    device = await adapter.requestDevice({ requiredLimits: limits });
  } catch (e) {
    return fail("useDevice", `the WebGPU adapter refused a device: ${(e as Error).message}`);
  }
  const info = describeAdapter(adapter);
  if (info.isFallbackAdapter && !warnedFallback) {
    warnedFallback = true;
    console.warn(
      `dendrite: WebGPU runs on a fallback adapter (${info.description || info.architecture}), ` +
        `a software implementation on the CPU: expect it to be slower than the CPU backend.`,
    );
  }
  const backend = new WebGpuBackend(device, info, limits);
  if (isNode()) {
    const { garbageCollector } = await import("../../platform/webgpu-node.js");
    backend.engine.pool.collect = await garbageCollector();
  }
  registerBackend(backend, webgpuKernels);
}
