// Benchmark cases: each builds its inputs once and returns a `run` that does the work and
// waits for the values (reading one element forces lazy or async backends to finish).
import { BATCH, STEP_MODELS, trainStep } from "./train-steps.mjs";

function gemm(n) {
  return {
    name: `gemm ${n}x${n}`,
    flops: 2 * n * n * n,
    dendrite(dl) {
      dl.manualSeed(0);
      const a = dl.randn([n, n]);
      const b = dl.randn([n, n]);
      return {
        run: async () => {
          const c = dl.matmul(a, b);
          await c.data();
          c.dispose();
        },
      };
    },
    tfjs(tf) {
      const a = tf.randomNormal([n, n]);
      const b = tf.randomNormal([n, n]);
      return {
        run: async () => {
          const c = tf.matMul(a, b);
          await c.data();
          c.dispose();
        },
        dispose: () => tf.dispose([a, b]),
      };
    },
  };
}

const FUSED_N = 4 * 1024 * 1024;

const fused = {
  name: "relu(a*b+c) 4M",
  dendrite(dl) {
    const [a, b, c] = [0, 1, 2].map(() => dl.randn([FUSED_N]));
    return {
      run: async () => {
        const y = dl.tidy(() => a.mul(b).add(c).relu());
        await y.data();
        y.dispose();
      },
    };
  },
  tfjs(tf) {
    const [a, b, c] = [0, 1, 2].map(() => tf.randomNormal([FUSED_N]));
    return {
      run: async () => {
        const y = tf.tidy(() => tf.relu(tf.add(tf.mul(a, b), c)));
        await y.data();
        y.dispose();
      },
      dispose: () => tf.dispose([a, b, c]),
    };
  },
};

/**
 * Training steps (forward, backward, Adam) of the tutorial models. tfjs-core 4.22 in Node
 * cannot train them: its gradient registrations ship only as extensionless ES modules that
 * Node cannot load (they come with the @tensorflow/tfjs bundle, not installed), so these
 * print n/a for tfjs; `node bench/steps.mjs` compares them with PyTorch instead.
 */
const stepCase = (name, title) => ({
  name: `${title} train step (batch ${BATCH})`,
  noTfjs: "tfjs-core alone has no gradients in Node (see bench/steps.mjs for PyTorch)",
  dendrite(dl) {
    const m = STEP_MODELS[name];
    const step = trainStep(dl, m.build, m.inputShape);
    return { run: async () => step() };
  },
});

export const cases = [
  gemm(256),
  gemm(512),
  gemm(1024),
  fused,
  stepCase("mlp", "MLP 784-256-10"),
  stepCase("lenet", "LeNet+BN+dropout"),
];
