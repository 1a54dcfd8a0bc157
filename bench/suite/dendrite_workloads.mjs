// Dendrite's side of the workloads in workloads.mjs: each builder makes its inputs once and
// returns one call, which waits for its values (a loss read back, or `data()`).
import { lenet5, mlp } from "../issue-models.mjs";
import { SIZES } from "./workloads.mjs";

/** One Adam step of `model` on a fixed batch, its loss read back. */
function adamStep(dl, model, x, y, lossFn, lr = 1e-3) {
  model.train();
  const opt = new dl.optim.Adam(model.parameters(), { lr });
  return () =>
    dl.tidy(() => {
      opt.zeroGrad();
      const loss = lossFn(model.forward(x), y);
      loss.backward();
      opt.step();
      return loss.itemSync();
    });
}

const crossEntropy = (dl) => {
  const ce = new dl.nn.CrossEntropyLoss();
  return (out, y) => ce.forward(out, y);
};

/** The classifier step shared by the MLP and CNN rows: random inputs, labels 0–9. */
function classifierStep(dl, model, inputShape, batch) {
  const x = dl.randn([batch, ...inputShape]);
  const y = dl.randint(0, 10, [batch]);
  return adamStep(dl, model, x, y, crossEntropy(dl));
}

/** Tutorial 03's LeNet: convolutions without bias, BatchNorm, dropout before the first fc. */
const tutorialCnn = (nn) =>
  new nn.Sequential(
    new nn.Conv2d(1, 8, 5, { bias: false }),
    new nn.BatchNorm2d(8),
    new nn.ReLU(),
    new nn.MaxPool2d(2),
    new nn.Conv2d(8, 16, 5, { bias: false }),
    new nn.BatchNorm2d(16),
    new nn.ReLU(),
    new nn.MaxPool2d(2),
    new nn.Flatten(),
    new nn.Dropout(0.25),
    new nn.Linear(256, 120),
    new nn.ReLU(),
    new nn.Linear(120, 10),
  );

/** A character-model step: embedding, LSTM over every step, a linear layer to the vocabulary. */
function lstmStep(dl) {
  const nn = dl.nn;
  const emb = new nn.Embedding(64, 32);
  const lstm = new nn.LSTM(32, 128, { batchFirst: true });
  const fc = new nn.Linear(128, 64);
  const model = new nn.ModuleList([emb, lstm, fc]);
  model.forward = (x) => fc.forward(lstm.forward(emb.forward(x))[0]).reshape([-1, 64]);
  const x = dl.randint(0, 64, [32, 32]);
  const y = dl.randint(0, 64, [32 * 32]);
  return adamStep(dl, model, x, y, crossEntropy(dl));
}

/**
 * Tutorial 04's forecaster: an LSTM (or GRU) 8→32 over 21-day windows, the last state to one
 * number.
 */
function forecasterStep(dl, kind = "LSTM") {
  const nn = dl.nn;
  const rnn = new nn[kind](8, 32, { batchFirst: true });
  const head = new nn.Linear(32, 1);
  const model = new nn.ModuleList([rnn, head]);
  model.forward = (x) => head.forward(rnn.forward(x)[0].select(1, -1));
  const mse = new nn.MSELoss();
  const x = dl.randn([128, 21, 8]);
  const y = dl.randn([128, 1]);
  return adamStep(dl, model, x, y, (out, t) => mse.forward(out, t), 1e-2);
}

function convInputs(dl, grad) {
  const x = dl.randn([32, 64, 32, 32]);
  const w = dl.randn([64, 64, 3, 3]);
  return grad ? [x.requiresGrad_(), w.requiresGrad_()] : [x, w];
}

export const DENDRITE = {
  add1(dl) {
    const [a, b] = [dl.tensor([1]), dl.tensor([2])];
    return () =>
      dl.tidy(() => {
        for (let i = 0; i < SIZES.LOOP_ADDS; i++) a.add(b);
      });
  },
  tiny(dl) {
    const x = dl.randn([4, 8]);
    const w = dl.randn([8, 8]).requiresGrad_();
    return () =>
      dl.tidy(() => {
        for (let i = 0; i < SIZES.LOOP_TINY; i++) {
          w.grad = null;
          x.matmul(w).relu().sum().backward();
        }
      });
  },
  gemm1024(dl) {
    const [a, b] = [dl.randn([SIZES.GEMM_N, SIZES.GEMM_N]), dl.randn([SIZES.GEMM_N, SIZES.GEMM_N])];
    // One element read back, as PyTorch's `[0, 0].item()` (data() would copy all 4 MB); the
    // scope disposes the views too (see ew).
    return () =>
      dl.tidy(async () => {
        await dl.matmul(a, b).narrow(0, 0, 1).narrow(1, 0, 1).item();
      });
  },
  mlp128: (dl) => classifierStep(dl, mlp(dl.nn), [784], 128),
  lenet5: (dl) => classifierStep(dl, lenet5(dl.nn), [1, 28, 28], 64),
  lstm: lstmStep,
  convF(dl) {
    const [x, w] = convInputs(dl, false);
    const F = dl.nn.functional;
    // One element read back, as PyTorch's `[0, 0, 0, 0].item()` (data() would copy 8 MB);
    // the scope disposes the views too (see ew).
    return () =>
      dl.tidy(async () => {
        const y = F.conv2d(x, w, null, { padding: 1 });
        await y.narrow(0, 0, 1).narrow(1, 0, 1).narrow(2, 0, 1).narrow(3, 0, 1).item();
      });
  },
  convFB(dl) {
    const [x, w] = convInputs(dl, true);
    const F = dl.nn.functional;
    return () =>
      dl.tidy(() => {
        x.grad = w.grad = null;
        F.conv2d(x, w, null, { padding: 1 }).sum().backward();
        return w.grad.sum().itemSync();
      });
  },
  ew(dl) {
    const [a, b, c] = [0, 1, 2].map(() => dl.randn([SIZES.EW_N]));
    // One element read back, as PyTorch's `[0].item()` (data() would copy all 16 MB). The
    // scope disposes everything the call made, the view of y[0] included, as the TF.js twin
    // does: a view left to the garbage collector keeps y's 16 MB from the pool, and each call
    // then pays for a fresh array's page faults (~2 ms), a cost PyTorch's refcount never sees.
    return () =>
      dl.tidy(async () => {
        await a.mul(b).add(c).relu().narrow(0, 0, 1).item();
      });
  },
  tut02(dl) {
    const nn = dl.nn;
    const model = new nn.Sequential(new nn.Linear(784, 128), new nn.ReLU(), new nn.Linear(128, 10));
    return classifierStep(dl, model, [784], 64);
  },
  tut03: (dl) => classifierStep(dl, tutorialCnn(dl.nn), [1, 28, 28], 64),
  tut04: (dl) => forecasterStep(dl),
  tut04gru: (dl) => forecasterStep(dl, "GRU"),
};
