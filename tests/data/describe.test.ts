// String(dataset), console.log (util.inspect) and the notebook's text/plain of the built-in
// datasets: a title and one line per part (tensors by shape and dtype), never "[object Object]"
// or every email of the corpus. Counts are the corpora's published ones.
import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import * as dl from "../../src/index.js";

const display = (x: object) =>
  (x as { [k: symbol]: () => Record<string, string> })[Symbol.for("Jupyter.display")]();

describe("dataset descriptions", () => {
  it("TensorDataset and Subset", () => {
    const t = new dl.data.TensorDataset(dl.zeros([3, 2]), dl.zeros([3], { dtype: "int32" }));
    const text = [
      "TensorDataset",
      "    Number of datapoints: 3",
      "    tensors[0]: [3, 2] float32",
      "    tensors[1]: [3] int32",
    ].join("\n");
    expect(String(t)).toBe(text);
    expect(`${t}`).toBe(text);
    expect(inspect(t)).toBe(text);
    expect(display(t)).toEqual({ "text/plain": text });
    expect(String(new dl.data.Subset(t, [0, 2]))).toBe(
      ["Subset", "    Number of datapoints: 2", "    of: " + text.replace(/\n/g, "\n    ")].join(
        "\n",
      ),
    );
  });

  it("the SpamAssassin corpus with its class counts (2,500 + 1,400 + 250 ham, 500 + 1,396 spam)", async () => {
    const spam = await dl.data.spamAssassin();
    expect(String(spam)).toBe(
      "SpamDataset\n    Number of datapoints: 6,046\n    classes: ham 4,150, spam 1,896",
    );
  });

  it("MNIST, the karate club (a plain object keeps its keys) and CMUdict", async () => {
    expect(String(await dl.data.mnist({ split: "test" }))).toBe(
      [
        "ImageClassificationDataset",
        "    Number of datapoints: 10,000",
        "    images: [10000, 1, 28, 28] float32",
        "    labels: [10000] int32",
        "    classes: 10 (0, 1, 2, 3, 4, …)",
      ].join("\n"),
    );
    const club = dl.data.karateClub();
    expect(String(club)).toMatch(
      /^KarateClub\n {4}Number of nodes: 34\n {4}edgeIndex: \[2, 156\] int32/,
    );
    expect(Object.keys(club)).toEqual([
      "numNodes",
      "edgeIndex",
      "adjacency",
      "features",
      "labels",
      "classes",
    ]);
    expect(String(await dl.data.cmudict())).toBe(
      "CmuDictDataset\n    Number of datapoints: 125,005\n    example: a → AH0",
    );
  });

  it("no built-in dataset prints as [object Object]", async () => {
    const all: object[] = [
      await dl.data.bostonHousing(),
      await dl.data.usBirths(),
      await dl.data.mobyDick(),
      await dl.data.sensorNetwork(),
    ];
    for (const d of all) expect(String(d)).not.toContain("[object");
    expect(String(all[1])).toContain("births: [5479] float32");
  });
});
