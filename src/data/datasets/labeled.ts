// The dataset classes the built-in loaders return: tensors with names for their parts.
import type { Tensor } from "../../tensor/tensor.js";
import { fail } from "../../tensor/errors.js";
import { Dataset, TensorDataset, checkIndex } from "../dataset.js";
import type { Description } from "../describe.js";

const datapoints = (d: Dataset): Description[number] => ["Number of datapoints", d.length];

/** Images [N, C, H, W] float32 in 0..1 with int32 class labels [N]; get(i) = [image, label]. */
export class ImageClassificationDataset extends TensorDataset {
  constructor(
    /** Images `[N, C, H, W]` float32. */
    readonly images: Tensor,
    /** Class of each image `[N]` int32. */
    readonly labels: Tensor,
    /** Class names, indexed by label. */
    readonly classes: readonly string[],
  ) {
    super(images, labels);
  }

  override describe(): Description {
    return [
      datapoints(this),
      ["images", this.images],
      ["labels", this.labels],
      ["classes", this.classes],
    ];
  }
}

/** Feature rows [N, F] with targets (class ids or values); get(i) = [features, target]. */
export class TabularDataset extends TensorDataset {
  constructor(
    /** Features `[N, F]` float32. */
    readonly features: Tensor,
    /** Targets `[N]` (class int32, or float32 for regression). */
    readonly targets: Tensor,
    /** Name of each feature column. */
    readonly featureNames: readonly string[],
  ) {
    super(features, targets);
  }

  override describe(): Description {
    return [
      datapoints(this),
      ["features", this.features],
      ["targets", this.targets],
      ["featureNames", this.featureNames],
    ];
  }
}

/** Texts with class ids; get(i) = [text, label] (batches: string[] and an int32 tensor). */
export class TextClassificationDataset extends Dataset<[string, number]> {
  constructor(
    /** The documents. */
    readonly texts: readonly string[],
    /** Class of each document. */
    readonly labels: readonly number[],
    /** Class names, indexed by label. */
    readonly classes: readonly string[],
  ) {
    super();
    if (texts.length !== labels.length)
      fail("TextClassificationDataset", `${texts.length} texts but ${labels.length} labels`);
  }

  /** Number of documents. */
  get length(): number {
    return this.texts.length;
  }

  override describe(): Description {
    const counts = this.classes.map(() => 0);
    for (const l of this.labels) counts[l] = (counts[l] ?? 0) + 1;
    const perClass = this.classes.map((c, i) => `${c} ${counts[i].toLocaleString("en-US")}`);
    return [datapoints(this), ["classes", perClass.join(", ")]];
  }

  /** Document `index` with its label. */
  get(index: number): [string, number] {
    const i = checkIndex("TextClassificationDataset.get", index, this.length);
    return [this.texts[i], this.labels[i]];
  }
}
