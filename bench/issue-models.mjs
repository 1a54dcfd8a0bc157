// The models of issue 12's table, shared by bench/rows.mjs and bench/threads.mjs (PyTorch's
// twins are in torch_rows.py): the MLP 784-256-128-10 and LeNet-5 without BatchNorm, each
// trained by one forward + backward + Adam step on fixed random data.

export const lenet5 = (nn) =>
  new nn.Sequential(
    new nn.Conv2d(1, 6, 5, { padding: 2 }),
    new nn.ReLU(),
    new nn.MaxPool2d(2),
    new nn.Conv2d(6, 16, 5),
    new nn.ReLU(),
    new nn.MaxPool2d(2),
    new nn.Flatten(),
    new nn.Linear(400, 120),
    new nn.ReLU(),
    new nn.Linear(120, 84),
    new nn.ReLU(),
    new nn.Linear(84, 10),
  );

export const mlp = (nn) =>
  new nn.Sequential(
    new nn.Linear(784, 256),
    new nn.ReLU(),
    new nn.Linear(256, 128),
    new nn.ReLU(),
    new nn.Linear(128, 10),
  );

/** One Adam training step of `build`'s model on a fixed batch of `shape` inputs. */
export function adamStep(dl, build, shape, batch) {
  dl.manualSeed(0);
  const m = build(dl.nn);
  const x = dl.randn([batch, ...shape]);
  const y = dl.randint(0, 10, [batch]);
  const lossFn = new dl.nn.CrossEntropyLoss();
  const opt = new dl.optim.Adam(m.parameters(), { lr: 1e-3 });
  return () =>
    dl.tidy(() => {
      opt.zeroGrad();
      const loss = lossFn.forward(m.forward(x), y);
      loss.backward();
      opt.step();
      return loss.itemSync();
    });
}
