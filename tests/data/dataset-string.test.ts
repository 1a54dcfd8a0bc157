// String(dataset) says what a dataset holds (issue 14: it printed [object Object]).
import { describe, expect, it } from "vitest";
import * as dl from "../../src/index.js";

describe("String(dataset)", () => {
  it("names the class, the size and each part's dtype and shape", async () => {
    const ds = new dl.data.TensorDataset(
      dl.zeros([3, 2]),
      dl.tensor([1, 2, 3], { dtype: "int32" }),
    );
    expect(String(ds)).toBe("TensorDataset(3 samples: tensor 0 float32[3, 2], tensor 1 int32[3])");
    const sensors = await dl.data.sensorNetwork();
    expect(String(sensors)).toBe(
      "SensorNetworkDataset(18914 samples: features float32[18914, 2] (humidity, temperature), targets int32[18914])",
    );
    const digits = await dl.data.mnist({ split: "test" });
    expect(String(digits)).toBe(
      "ImageClassificationDataset(10000 samples: images float32[10000, 1, 28, 28], labels int32[10000]; 10 classes: 0, 1, 2, 3, 4, 5, 6, 7, 8, 9)",
    );
    const texts = new dl.data.TextClassificationDataset(["hi", "buy now"], [0, 1], ["ham", "spam"]);
    expect(String(texts)).toBe("TextClassificationDataset(2 texts; 2 classes: ham, spam)");
    expect(String(new dl.data.Subset(ds, [0, 2]))).toBe("Subset(2 samples)");
  });
});
