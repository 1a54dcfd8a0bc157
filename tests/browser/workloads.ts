// Workloads run verbatim in Node and in the browser page: the page receives each function's
// source (fn.toString()) and calls it with its own bundled `dl`. So every function here is
// self-contained: it touches nothing but its arguments (no imports, no module-level names).
import type * as DL from "../../src/index.js";

export type Dl = typeof DL;
export type Device = "cpu" | "webgpu";

/** Results as plain nested arrays, so they cross page.evaluate and compare with toEqual. */
export type OpResults = Record<string, unknown>;

/** A handful of ops (matmul, broadcasting, reductions, softmax, views, int/bool) and a gradient. */
export async function runOps(dl: Dl, device: Device): Promise<OpResults> {
  const a = dl.tensor(
    [
      [1, 2, 3],
      [4, 5, 6],
    ],
    { device },
  );
  const b = dl.tensor(
    [
      [1, -1],
      [0, 2],
      [3, 0.5],
    ],
    { device },
  );
  const row = dl.tensor([10, 20, 30], { device });
  const outs = {
    matmul: a.matmul(b),
    broadcastAdd: a.add(row),
    transposedScaled: a.transpose(0, 1).mul(2),
    sum0: a.sum(0),
    mean1: a.mean(1),
    softmax1: dl.softmax(a, 1),
    exp: a.exp(),
    sliced: a.slice("1, 1:"),
    argmax1: a.argmax(1),
    greater: a.gt(2.5),
    whereOut: dl.where(a.gt(2.5), a, row.neg()),
  };
  const x = dl.tensor([0.5, -1, 2], { device, requiresGrad: true });
  x.mul(x).add(x.sin()).sum().backward();
  const results: OpResults = {};
  for (const [name, t] of Object.entries(outs)) results[name] = await t.toArray();
  results.grad = await x.grad!.toArray();
  results.dtypes = [outs.argmax1.dtype, outs.greater.dtype, outs.matmul.dtype];
  return results;
}

export interface TrainResult {
  losses: number[];
  weight: number[];
  /** Where the data and the first weight lived (the default device: "cpu" unless changed). */
  devices: string[];
}

/**
 * A seeded 4-16-1 tanh MLP fitted to a smooth target with Adam. Same seed, same code, same
 * float32 maths: Node and the browser should produce the same losses.
 */
export async function trainTinyMlp(dl: Dl, seed: number, steps: number): Promise<TrainResult> {
  dl.manualSeed(seed);
  const x = dl.randn([32, 4]);
  const y = x.slice(":, 0:1").mul(2).sub(x.slice(":, 1:2")).tanh();
  const model = new dl.nn.Sequential(
    new dl.nn.Linear(4, 16),
    new dl.nn.Tanh(),
    new dl.nn.Linear(16, 1),
  );
  const optimizer = new dl.optim.Adam(model.parameters(), { lr: 0.05 });
  const lossFn = new dl.nn.MSELoss();
  const losses: number[] = [];
  for (let step = 0; step < steps; step++) {
    const loss = lossFn.forward(model.forward(x), y);
    optimizer.zeroGrad();
    loss.backward();
    optimizer.step();
    losses.push(await loss.item());
  }
  const first = model.parameters()[0];
  return { losses, weight: Array.from(await first.data()), devices: [x.device, first.device] };
}

/** Safetensors bytes of three tensors of the three dtypes (as a plain number array). */
export async function safetensorsBytes(dl: Dl): Promise<number[]> {
  const bytes = await dl.io.toSafetensors(
    {
      "layer.weight": dl.tensor([
        [0.25, -1.5],
        [3, 1e-3],
      ]),
      index: dl.tensor([7, -2, 40000], { dtype: "int32" }),
      mask: dl.tensor([true, false, true, true], { dtype: "bool" }),
    },
    { metadata: { format: "pt", origin: "dendrite" } },
  );
  return Array.from(bytes);
}

/** Reads safetensors bytes back: name → [dtype, shape, values]. */
export async function readSafetensors(dl: Dl, bytes: number[]): Promise<Record<string, unknown>> {
  const tensors = dl.io.fromSafetensors(new Uint8Array(bytes));
  const out: Record<string, unknown> = {};
  for (const [name, t] of Object.entries(tensors))
    out[name] = [t.dtype, t.shape, Array.from(await t.data())];
  return out;
}

/** The MIME bundles a tensor and a module build for Jupyter (JSON-able: what the kernel sends). */
export async function displayBundles(dl: Dl): Promise<Record<string, unknown>> {
  const display = Symbol.for("Jupyter.display");
  type Displayable = { [display](): unknown };
  const t = dl.arange(12).reshape([3, 4]).div(4);
  dl.manualSeed(1);
  const model = new dl.nn.Sequential(new dl.nn.Linear(3, 2), new dl.nn.ReLU());
  return JSON.parse(
    JSON.stringify({
      tensor: await (t as unknown as Displayable)[display](),
      module: await (model as unknown as Displayable)[display](),
    }),
  ) as Record<string, unknown>;
}

/** The messages of what cannot work without a file system, before any package URL is set. */
export async function browserOnlyErrors(dl: Dl): Promise<string[]> {
  const messages: string[] = [];
  const attempts = [
    () => dl.save({ w: dl.ones([2]) }, "weights.safetensors"),
    () => dl.load("weights.safetensors"),
    () => dl.data.bostonHousing(),
  ];
  for (const attempt of attempts) {
    try {
      await attempt();
      messages.push("no error");
    } catch (e) {
      messages.push(`${(e as Error).name}: ${(e as Error).message}`);
    }
  }
  return messages;
}

/** Boston housing read through the package source (node_modules on disk, or fetched). */
export async function bostonSummary(dl: Dl, baseUrl: string | null): Promise<unknown> {
  if (baseUrl) dl.data.setPackageBaseUrl(baseUrl);
  const ds = await dl.data.bostonHousing();
  return {
    featureShape: ds.features.shape,
    targetShape: ds.targets.shape,
    firstRow: await ds.features.slice("0").toArray(),
    targetSum: await ds.targets.sum().item(),
    names: ds.featureNames,
  };
}
