// The dataset classes the built-in loaders return: tensors with names for their parts.
import type { Tensor } from "../../tensor/tensor.js";
import { fail } from "../../tensor/errors.js";
import { Dataset, TensorDataset, checkIndex, tensorSummary } from "../dataset.js";

/** Images [N, C, H, W] float32 in 0..1 with int32 class labels [N]; get(i) = [image, label]. */
export class ImageClassificationDataset extends TensorDataset {
  constructor(
    readonly images: Tensor,
    readonly labels: Tensor,
    readonly classes: readonly string[],
  ) {
    super(images, labels);
  }

  override toString(): string {
    const parts = [tensorSummary("images", this.images), tensorSummary("labels", this.labels)];
    return `${this.constructor.name}(${this.length} samples: ${parts.join(", ")}; ${classList(this.classes)})`;
  }
}

/** "classes: a, b, c" — long lists shortened, so a printout stays one line. */
function classList(classes: readonly string[]): string {
  const shown = classes.length > 12 ? [...classes.slice(0, 10), "…"] : classes;
  return `${classes.length} classes: ${shown.join(", ")}`;
}

/** Feature rows [N, F] with targets (class ids or values); get(i) = [features, target]. */
export class TabularDataset extends TensorDataset {
  constructor(
    readonly features: Tensor,
    readonly targets: Tensor,
    readonly featureNames: readonly string[],
  ) {
    super(features, targets);
  }

  override toString(): string {
    const features = `${tensorSummary("features", this.features)} (${this.featureNames.join(", ")})`;
    return `${this.constructor.name}(${this.length} samples: ${features}, ${tensorSummary("targets", this.targets)})`;
  }
}

/** Texts with class ids; get(i) = [text, label] (batches: string[] and an int32 tensor). */
export class TextClassificationDataset extends Dataset<[string, number]> {
  constructor(
    readonly texts: readonly string[],
    readonly labels: readonly number[],
    readonly classes: readonly string[],
  ) {
    super();
    if (texts.length !== labels.length)
      fail("TextClassificationDataset", `${texts.length} texts but ${labels.length} labels`);
  }

  get length(): number {
    return this.texts.length;
  }

  get(index: number): [string, number] {
    const i = checkIndex("TextClassificationDataset.get", index, this.length);
    return [this.texts[i], this.labels[i]];
  }
  override toString(): string {
    return `${this.constructor.name}(${this.length} texts; ${classList(this.classes)})`;
  }
}
