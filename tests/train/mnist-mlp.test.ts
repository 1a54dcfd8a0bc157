// Acceptance: a seeded 784-128-10 MLP trained with Adam on 2,000 MNIST digits for a few epochs
// reaches at least 90% accuracy on 500 held-out digits. The
// loop is the one a notebook would write: DataLoader batches, CrossEntropyLoss, zeroGrad,
// backward, step and a OneCycleLR schedule, each step inside tidy().
//
// Which digits: the first 2,000 of MNIST's 60,000 training digits, and the first 500 of the
// official 10,000-digit test set (dl.data.mnist reads the original files), never trained on.
// Speed is the benchmark suite's business (bench/), so nothing here is timed.
import { expect, it } from "vitest";
import * as dl from "../../src/index.js";

const TRAIN = 2000;
const HELD_OUT = 500;
const EPOCHS = 5;
const BATCH = 64;
const MAX_LR = 1e-2;

function accuracy(model: dl.nn.Module, images: dl.Tensor, labels: dl.Tensor): number {
  return dl.noGrad(() =>
    dl.tidy(() => {
      const pred = dl.argmax(model.forward(images), 1);
      return dl.sum(dl.eq(pred, labels)).itemSync() / labels.size;
    }),
  );
}

/** Rows [start, start + n) of a dataset as flat [n, 784] images and [n] labels. */
function rows(set: { images: dl.Tensor; labels: dl.Tensor }, start: number, n: number) {
  return {
    x: dl.reshape(dl.narrow(set.images, 0, start, n), [n, 784]),
    y: dl.narrow(set.labels, 0, start, n),
  };
}

it("a seeded 784-128-10 MLP trained with Adam reaches >= 90% on 500 held-out digits", async () => {
  const [trainSet, testSet] = await Promise.all([
    dl.data.mnist({ split: "train" }),
    dl.data.mnist({ split: "test" }),
  ]);
  const train = rows(trainSet, 0, TRAIN);
  const heldOut = rows(testSet, 0, HELD_OUT);

  dl.manualSeed(1234);
  const model = new dl.nn.Sequential(
    new dl.nn.Linear(784, 128),
    new dl.nn.ReLU(),
    new dl.nn.Linear(128, 10),
  );
  const lossFn = new dl.nn.CrossEntropyLoss();
  const optimizer = new dl.optim.Adam(model.parameters());
  const loader = new dl.data.DataLoader(new dl.data.TensorDataset(train.x, train.y), {
    batchSize: BATCH,
    shuffle: true,
  });
  const scheduler = new dl.optim.lrScheduler.OneCycleLR(optimizer, {
    maxLr: MAX_LR,
    epochs: EPOCHS,
    stepsPerEpoch: loader.length,
  });

  const before = accuracy(model, heldOut.x, heldOut.y);
  const losses: number[] = [];
  let tensorsAfterFirstEpoch = 0;
  for (let epoch = 0; epoch < EPOCHS; epoch++) {
    let sum = 0;
    for await (const [xb, yb] of loader) {
      sum += dl.tidy(() => {
        optimizer.zeroGrad();
        const loss = lossFn.forward(model.forward(xb), yb);
        loss.backward();
        optimizer.step();
        scheduler.step();
        return loss.itemSync();
      });
      xb.dispose();
      yb.dispose();
    }
    losses.push(sum / loader.length);
    if (epoch === 0) tensorsAfterFirstEpoch = dl.memory().tensors;
  }
  const after = accuracy(model, heldOut.x, heldOut.y);
  console.log(
    `mnist-mlp: held-out accuracy ${before} -> ${after}, ` +
      `epoch losses ${losses.map((l) => l.toFixed(4)).join(", ")}`,
  );

  expect(before).toBeLessThan(0.3);
  expect(after).toBeGreaterThanOrEqual(0.9);
  for (let e = 1; e < EPOCHS; e++) expect(losses[e]).toBeLessThan(losses[e - 1]);
  // Flat memory: later epochs leave no more live tensors than the first one did.
  expect(dl.memory().tensors).toBeLessThanOrEqual(tensorsAfterFirstEpoch);
}, 60_000);
