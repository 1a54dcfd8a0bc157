// Training-step models shared by `npm run bench` (cases.mjs) and `node bench/steps.mjs`:
// the MNIST MLP (784-256-10) and the LeNet-style CNN of the tutorials, batch 64, one
// forward + backward + Adam step each, on fixed random inputs. torch_compare.py builds the
// same models in PyTorch so the step times compare like for like.

export const BATCH = 64;

/** LeNet with BatchNorm2d and dropout, as the CNN tutorial writes it. */
export function lenet(dl) {
  const nn = dl.nn;
  return new nn.Sequential(
    new nn.Conv2d(1, 6, 5),
    new nn.BatchNorm2d(6),
    new nn.ReLU(),
    new nn.MaxPool2d(2),
    new nn.Conv2d(6, 16, 5),
    new nn.BatchNorm2d(16),
    new nn.ReLU(),
    new nn.MaxPool2d(2),
    new nn.Flatten(),
    new nn.Linear(256, 120),
    new nn.ReLU(),
    new nn.Dropout(0.25),
    new nn.Linear(120, 84),
    new nn.ReLU(),
    new nn.Linear(84, 10),
  );
}

export function mlp(dl) {
  const nn = dl.nn;
  return new nn.Sequential(new nn.Linear(784, 256), new nn.ReLU(), new nn.Linear(256, 10));
}

/** A step function over fixed random data: model in train mode, Adam, cross-entropy. */
export function trainStep(dl, build, inputShape) {
  dl.manualSeed(0);
  const model = build(dl);
  model.train();
  const x = dl.randn([BATCH, ...inputShape]);
  const y = dl.randint(0, 10, [BATCH]);
  const lossFn = new dl.nn.CrossEntropyLoss();
  const optimizer = new dl.optim.Adam(model.parameters(), { lr: 1e-3 });
  return () =>
    dl.tidy(() => {
      optimizer.zeroGrad();
      const loss = lossFn.forward(model.forward(x), y);
      loss.backward();
      optimizer.step();
      return loss.itemSync();
    });
}

export const STEP_MODELS = {
  mlp: { build: mlp, inputShape: [784] },
  lenet: { build: lenet, inputShape: [1, 28, 28] },
};
