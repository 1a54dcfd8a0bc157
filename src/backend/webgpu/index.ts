// Registers the WebGPU device starter, so `await dl.useDevice("webgpu")` can start it. Nothing
// GPU-specific loads until then: the library stays importable where WebGPU is missing.
import { registerDeviceStarter } from "../devices.js";

registerDeviceStarter("webgpu", async () => {
  const { startWebGpu } = await import("./start.js");
  await startWebGpu();
});
