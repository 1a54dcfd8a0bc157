// The one place where the rooms are connected at load time. src/index.ts imports this module
// first and nothing else imports it: every side effect the library needs before its first
// tensor happens here, in this order, and nowhere else. Each slot filled below throws a
// DendriteError naming itself when a module is used without this wiring (a deep import).
import { registerBackend } from "./backend/registry.js";
import { cpuBackend, cpuKernels } from "./backend/cpu/index.js";
import { installTensorHooks } from "./tensor/hooks.js";
import { toDevice } from "./tensor/transfer.js";
import { formatTensor } from "./tensor/format.js";
import { copy } from "./ops/copy.js";
import { installMethods } from "./ops/methods.js";
import { backward } from "./autograd/engine.js";
import { moduleDisplay } from "./nn/module.js";
import { tensorDisplay } from "./display/tensor-display.js";
import { moduleBundle } from "./display/module-bundle.js";

// The CPU is always there; other devices start on dl.useDevice (backend/devices.ts).
registerBackend(cpuBackend, cpuKernels());

installTensorHooks({
  contiguous: copy,
  toDevice,
  backward,
  format: formatTensor,
  display: (t) => tensorDisplay(t) as Record<string, unknown>,
});

installMethods();

moduleDisplay.build = (m) => moduleBundle(m);
