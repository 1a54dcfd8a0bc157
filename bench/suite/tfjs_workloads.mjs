// TF.js-WASM's side of the workloads in workloads.mjs, where it has one. tfjs-core 4.22 in Node
// cannot train: its gradient registrations ship only as extensionless ES modules that Node
// cannot load (they come with the @tensorflow/tfjs bundle), so the training rows say so.
// Its WASM backend in Node runs SIMD on one thread (no multithreaded build outside a
// cross-origin-isolated page).
import { createRequire } from "node:module";
import { dirname } from "node:path";
import { SIZES } from "./workloads.mjs";

const require = createRequire(import.meta.url);

/** tfjs-core on its WASM backend, ready to run. */
export async function loadTfjsWasm() {
  const tf = require("@tensorflow/tfjs-core");
  const wasm = require("@tensorflow/tfjs-backend-wasm");
  wasm.setWasmPaths(dirname(require.resolve("@tensorflow/tfjs-backend-wasm")) + "/");
  await tf.setBackend("wasm");
  await tf.ready();
  return tf;
}

export const NO_TFJS = "tfjs-core has no gradients in Node";

export const TFJS = {
  add1(tf) {
    const [a, b] = [tf.tensor([1]), tf.tensor([2])];
    return () =>
      tf.tidy(() => {
        for (let i = 0; i < SIZES.LOOP_ADDS; i++) tf.add(a, b);
      });
  },
  gemm1024(tf) {
    const [a, b] = [0, 1].map(() => tf.randomNormal([SIZES.GEMM_N, SIZES.GEMM_N]));
    return async () => {
      // One element read back, as PyTorch's `[0, 0].item()`.
      const c = tf.matMul(a, b);
      const first = tf.slice(c, [0, 0], [1, 1]);
      await first.data();
      tf.dispose([c, first]);
    };
  },
  // The layout TF.js prefers (NHWC); the same arithmetic as the NCHW rows.
  convF(tf) {
    const x = tf.randomNormal([32, 32, 32, 64]);
    const w = tf.randomNormal([3, 3, 64, 64]);
    return async () => {
      // One element read back, as PyTorch's `[0, 0, 0, 0].item()`.
      const y = tf.conv2d(x, w, 1, "same");
      const first = tf.slice(y, [0, 0, 0, 0], [1, 1, 1, 1]);
      await first.data();
      tf.dispose([y, first]);
    };
  },
  ew(tf) {
    const [a, b, c] = [0, 1, 2].map(() => tf.randomNormal([SIZES.EW_N]));
    return async () => {
      // One element read back, as PyTorch's `[0].item()`.
      const y = tf.tidy(() => tf.relu(tf.add(tf.mul(a, b), c)));
      const first = tf.slice(y, 0, 1);
      await first.data();
      tf.dispose([y, first]);
    };
  },
};
