// dl.fit: the Keras-style training loop. Each epoch shows a progress bar with the running
// loss; one live plot follows every metric (per step for the training loss, per epoch for
// the rest). Returns the history: one array per metric, one value per epoch.
import { Tensor } from "../tensor/tensor.js";
import type { Module } from "../nn/module.js";
import { fail } from "../tensor/errors.js";
import { tidy } from "../memory/scope.js";
import { noGrad } from "../autograd/mode.js";
import { argmax, sum } from "../ops/reductions.js";
import { eq } from "../ops/comparison.js";
import { livePlot, showControls, stopButtonFor } from "./live-plot.js";
import { ProgressBar } from "./progress.js";
import type { StopButton } from "../widgets/steer.js";
import type { Widget } from "../widgets/model.js";
import { poll } from "../widgets/steer.js";

type Batch = readonly [Tensor, Tensor] | Tensor[];
type Batches = Iterable<Batch> | AsyncIterable<Batch>;
type LossFn =
  ((pred: Tensor, target: Tensor) => Tensor) | { forward(pred: Tensor, target: Tensor): Tensor };
/** A metric: correct-count style functions return a tensor summed over the batch. */
type MetricFn = (pred: Tensor, target: Tensor) => Tensor;

/** Options of {@link fit}. */
export interface FitOptions {
  /** Training batches `[x, y]`, e.g. a DataLoader. */
  train: Batches;
  /** Validation batches, evaluated after each epoch without gradients. */
  val?: Batches;
  /** The loss: a function `(pred, target) => scalar` or a loss module. */
  loss: LossFn;
  /** The optimizer stepped after each batch. */
  optimizer: {
    /** Applies the gradients. */
    step(): void;
    /** Clears the gradients. */
    zeroGrad(): void;
  };
  /** Number of passes over `train`. */
  epochs: number;
  /** "accuracy" or named functions returning the per-batch sum of a per-example score. */
  metrics?: ("accuracy" | Record<string, MetricFn>)[];
  /** Stepped once per epoch; ReduceLROnPlateau-style schedulers receive the validation loss. */
  scheduler?: {
    /** Advances the schedule (with the validation loss, when there is one). */
    step(metric?: number): void;
  };
  /** Show the progress bar and live plot (default true). */
  display?: boolean;
  /** Called after each epoch with its metrics (`loss`, `valLoss`, ...). */
  onEpochEnd?: (epoch: number, logs: Record<string, number>) => void;
  /**
   * A Stop button (default: shown where widgets render). A click ends training after the
   * current step: the model keeps its weights, the history gets the partial epoch's training
   * metrics (no validation for it), and fit returns normally. Pass a StopButton to share one.
   */
  stopButton?: boolean | StopButton;
  /** Widgets shown beside the Stop button, e.g. `dl.widgets.lrSlider(optimizer)`. */
  controls?: Widget[];
}

/** Each metric's value per epoch: `loss`, `valLoss`, `accuracy`, `valAccuracy`, ... */
export type History = Record<string, number[]>;

/** Correct predictions in a batch: argmax over the last dim for scores, > 0.5 for one column. */
export function correctCount(pred: Tensor, target: Tensor): Tensor {
  const classes =
    pred.ndim > 1 && pred.shape[pred.ndim - 1] > 1 ? argmax(pred, -1) : pred.gt(0.5).reshape([-1]);
  const truth =
    target.dtype === "float32" && target.ndim === pred.ndim && target.ndim > 1
      ? argmax(target, -1)
      : target.reshape([-1]);
  return sum(eq(classes.reshape([-1]), truth.cast(classes.dtype)));
}

function metricFns(metrics: FitOptions["metrics"]): [string, MetricFn][] {
  const out: [string, MetricFn][] = [];
  for (const m of metrics ?? []) {
    if (m === "accuracy") out.push(["accuracy", correctCount]);
    else if (typeof m === "object") out.push(...Object.entries(m));
    else fail("fit", `unknown metric ${JSON.stringify(m)}; use "accuracy" or { name: fn }`);
  }
  return out;
}

const lossOf = (fn: LossFn, p: Tensor, t: Tensor): Tensor =>
  typeof fn === "function" ? fn(p, t) : fn.forward(p, t);

function lengthOf(b: Batches): number | undefined {
  const n = (b as { length?: unknown }).length;
  return typeof n === "number" ? n : undefined;
}

interface EpochTotals {
  loss: number;
  examples: number;
  metrics: number[];
}

async function runEpoch(
  model: Module,
  data: Batches,
  o: FitOptions,
  train: boolean,
  onStep?: (loss: number, done: number) => void,
  steer?: Steering,
): Promise<EpochTotals> {
  const metrics = metricFns(o.metrics);
  const totals: EpochTotals = { loss: 0, examples: 0, metrics: metrics.map(() => 0) };
  model.train(train);
  let step = 0;
  for await (const batch of data as AsyncIterable<Batch>) {
    const [x, y] = batch;
    if (!(x instanceof Tensor) || !(y instanceof Tensor))
      fail("fit", "each batch must be [input, target] tensors");
    const run = () => {
      const pred = model.forward(x) as Tensor;
      const loss = lossOf(o.loss, pred, y);
      if (train) {
        o.optimizer.zeroGrad();
        loss.backward();
        o.optimizer.step();
      }
      return [loss.detach(), ...noGrad(() => metrics.map(([, fn]) => fn(pred.detach(), y)))];
    };
    const [loss, ...ms] = tidy(() => (train ? run() : noGrad(run)));
    const n = x.shape[0] ?? 1;
    const l = await loss.item();
    totals.loss += l * n;
    totals.examples += n;
    for (let k = 0; k < ms.length; k++) totals.metrics[k] += await ms[k].item();
    [loss, ...ms].forEach((t) => t.dispose());
    onStep?.(l, ++step);
    if (steer && (await steppedOut(steer))) break;
  }
  return totals;
}

/** What can change a running fit from outside: its Stop button, and widgets (an lr slider). */
interface Steering {
  stop: StopButton | null;
}

let lastTurn = 0;

/**
 * Lets a click on Stop or a moved slider in, at most every 20 ms (CPU steps await nothing
 * that yields the event loop, so no widget message would be read), and says whether to stop.
 */
async function steppedOut(steer: Steering): Promise<boolean> {
  if (Date.now() - lastTurn >= 20) {
    await poll();
    lastTurn = Date.now();
  }
  return steer.stop?.stopped ?? false;
}

/**
 * Trains `model` Keras-style: epochs over `train`, optional validation and metrics, a progress bar
 * and a live loss plot; returns the history.
 *
 * @example
 * ```ts
 * const history = await dl.fit(model, {
 *   train: trainLoader,
 *   val: testLoader,
 *   loss: new dl.nn.CrossEntropyLoss(),
 *   optimizer: new dl.optim.Adam(model.parameters()),
 *   epochs: 5,
 *   metrics: ["accuracy"],
 * });
 * ```
 */
export async function fit(model: Module, o: FitOptions): Promise<History> {
  if (!Number.isInteger(o.epochs) || o.epochs < 1)
    fail("fit", `epochs must be a positive integer, got ${o.epochs}`);
  const show = o.display !== false;
  const names = metricFns(o.metrics).map(([n]) => n);
  const history: History = { loss: [] };
  const stop = show || o.stopButton ? stopButtonFor(o.stopButton) : null;
  if (show) showControls(stop, o.controls);
  const plot = show
    ? livePlot({ title: `training ${model.constructor.name}`, xLabel: "epoch", stopButton: false })
    : null;
  const steps = lengthOf(o.train);
  const wasTraining = model.training;
  for (let epoch = 0; epoch < o.epochs && !stop?.stopped; epoch++) {
    const bar = show
      ? new ProgressBar({ total: steps, desc: `epoch ${epoch + 1}/${o.epochs}` })
      : null;
    const t = await runEpoch(
      model,
      o.train,
      o,
      true,
      (loss, done) => {
        bar?.tick();
        bar?.setPostfix(`loss ${loss.toFixed(4)}`);
        plot?.push(epoch + done / (steps ?? done), { "batch loss": loss });
      },
      stop || o.controls?.length ? { stop } : undefined,
    );
    bar?.close();
    const logs: Record<string, number> = { loss: t.loss / Math.max(1, t.examples) };
    names.forEach((n, k) => (logs[n] = t.metrics[k] / Math.max(1, t.examples)));
    if (o.val && !stop?.stopped) {
      const v = await runEpoch(model, o.val, o, false);
      logs.valLoss = v.loss / Math.max(1, v.examples);
      names.forEach(
        (n, k) =>
          (logs[`val${n[0].toUpperCase()}${n.slice(1)}`] = v.metrics[k] / Math.max(1, v.examples)),
      );
    }
    for (const [k, v] of Object.entries(logs)) (history[k] ??= []).push(v);
    plot?.push(epoch + 1, logs);
    if (!stop?.stopped) o.scheduler?.step(logs.valLoss ?? logs.loss);
    o.onEpochEnd?.(epoch, logs);
    if (!show) continue;
    const summary = Object.entries(logs)
      .map(([k, v]) => `${k} ${v.toFixed(4)}`)
      .join(", ");
    bar?.setPostfix(summary);
    bar?.close();
  }
  model.train(wasTraining);
  plot?.done();
  stop?.finish();
  return history;
}
