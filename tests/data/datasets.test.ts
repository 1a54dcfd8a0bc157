// Each built-in dataset loads with its documented shapes, dtypes and label ranges, checked
// against facts known independently of the packages (calendars, published statistics,
// Zachary's degrees).
import { describe, expect, it } from "vitest";
import * as dl from "../../src/index.js";

describe("mnist", () => {
  // Label counts of the original MNIST files, as published with the dataset.
  const TRAIN_COUNTS = [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949];
  const TEST_COUNTS = [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009];
  const counts = (t: dl.Tensor) => {
    const c = new Array(10).fill(0);
    for (const l of t.dataSync()) c[l]++;
    return c;
  };

  it("train and test are the original 60,000 and 10,000 digits", async () => {
    const train = await dl.data.mnist();
    const test = await dl.data.mnist({ split: "test" });
    expect(train.images.shape).toEqual([60000, 1, 28, 28]);
    expect(test.images.shape).toEqual([10000, 1, 28, 28]);
    expect(train.images.dtype).toBe("float32");
    expect(train.labels.dtype).toBe("int32");
    expect(counts(train.labels)).toEqual(TRAIN_COUNTS);
    expect(counts(test.labels)).toEqual(TEST_COUNTS);
    // the first digits of each file: a 5 and a 7
    expect(train.labels.dataSync()[0]).toBe(5);
    expect(test.labels.dataSync()[0]).toBe(7);
    const px = train.images.dataSync();
    let sum = 0;
    let sq = 0;
    for (const v of px) {
      sum += v;
      sq += v * v;
    }
    const mean = sum / px.length;
    // torchvision's published normalisation constants for MNIST: mean 0.1307, std 0.3081
    expect(mean).toBeCloseTo(0.1307, 3);
    expect(Math.sqrt(sq / px.length - mean * mean)).toBeCloseTo(0.3081, 3);
  });

  it("limit takes a prefix; get(i) returns [image [1, 28, 28], label]; bad input is refused", async () => {
    const test = await dl.data.mnist({ split: "test", limit: 100 });
    expect(test.length).toBe(100);
    const [img, label] = test.get(5);
    expect(img.shape).toEqual([1, 28, 28]);
    expect(label.shape).toEqual([]);
    expect(label.itemSync()).toBe(test.labels.dataSync()[5]);
    await expect(dl.data.mnist({ split: "val" as "train" })).rejects.toThrow(/split must be/);
    await expect(dl.data.mnist({ limit: -1 })).rejects.toThrow(/limit must be/);
  });

  it("parses IDX headers and rejects truncated files", async () => {
    const { parseIdx } = await import("../../src/data/datasets/mnist.js");
    const file = new Uint8Array([0, 0, 8, 2, 0, 0, 0, 2, 0, 0, 0, 3, 1, 2, 3, 4, 5, 6]);
    expect(parseIdx(file, "f")).toEqual({ dims: [2, 3], data: new Uint8Array([1, 2, 3, 4, 5, 6]) });
    expect(() => parseIdx(file.subarray(0, 17), "f")).toThrow(/header promises 6/);
    expect(() => parseIdx(new Uint8Array([0, 0, 13, 1, 0, 0, 0, 0]), "f")).toThrow(
      /not an IDX file/,
    );
  });
});

describe("text corpora", () => {
  it("Moby Dick: 139 sections in order, the whole text", async () => {
    const moby = await dl.data.mobyDick();
    expect(moby.chapters).toHaveLength(139);
    expect(moby.chapters.map((c) => c.chapter).slice(0, 4)).toEqual([
      "Contents",
      "Etymology",
      "Extracts",
      "1",
    ]);
    expect(moby.chapters[3].title).toBe("Loomings.");
    expect(moby.chapters[3].text.startsWith("Call me Ishmael.")).toBe(true);
    expect(moby.chapters[138].chapter).toBe("Epilogue");
    expect(moby.text).toContain("Call me Ishmael.");
    expect(moby.text.length).toBeGreaterThan(1_000_000);
  });

  it("State of the Union: oldest first, from Washington's 1790 address", async () => {
    const speeches = await dl.data.stateOfTheUnion();
    expect(speeches.length).toBeGreaterThan(200);
    expect(speeches[0]).toMatchObject({ year: 1790, name: "George Washington" });
    for (let i = 1; i < speeches.length; i++)
      expect(speeches[i].year).toBeGreaterThanOrEqual(speeches[i - 1].year);
    expect(speeches.every((s) => typeof s.text === "string" && s.text.length > 1000)).toBe(true);
  });
});

describe("spamAssassin", () => {
  it("6,046 emails, 1,896 spam, labels 0/1, groups as published", async () => {
    const spam = await dl.data.spamAssassin();
    expect(spam.length).toBe(6046);
    expect(spam.classes).toEqual(["ham", "spam"]);
    expect(spam.labels.filter((l) => l === 1)).toHaveLength(500 + 1396);
    const byGroup = Object.fromEntries(
      [...new Set(spam.groups)].map((g) => [g, spam.groups.filter((x) => x === g).length]),
    );
    expect(byGroup).toEqual({
      "easy-ham-1": 2500,
      "easy-ham-2": 1400,
      "hard-ham-1": 250,
      "spam-1": 500,
      "spam-2": 1396,
    });
    const [text, label] = spam.get(0);
    expect(typeof text).toBe("string");
    expect(text).toMatch(/^From /);
    expect(label).toBe(0);
  });

  it("headers: false keeps the body only; groups filter", async () => {
    const bodies = await dl.data.spamAssassin({ headers: false, groups: ["spam-1"] });
    expect(bodies.length).toBe(500);
    expect(bodies.labels.every((l) => l === 1)).toBe(true);
    expect(bodies.texts.some((t) => /^Return-Path:/m.test(t.slice(0, 200)))).toBe(false);
    await expect(dl.data.spamAssassin({ groups: ["nope"] })).rejects.toThrow(
      /unknown group "nope"/,
    );
  });
});

describe("series and tables", () => {
  it("US births: one row per day of 2000–2014, weekdays agree with the calendar", async () => {
    const b = await dl.data.usBirths();
    const days = (Date.UTC(2015, 0, 1) - Date.UTC(2000, 0, 1)) / 86_400_000;
    expect(b.births.shape).toEqual([days]);
    expect(b.births.dtype).toBe("float32");
    const [y, m, d, w] = [b.year, b.month, b.dayOfMonth, b.dayOfWeek].map((t) => t.dataSync());
    for (let i = 0; i < days; i++) {
      const date = new Date(Date.UTC(2000, 0, 1) + i * 86_400_000);
      expect([y[i], m[i], d[i]]).toEqual([
        date.getUTCFullYear(),
        date.getUTCMonth() + 1,
        date.getUTCDate(),
      ]);
      expect(w[i]).toBe(((date.getUTCDay() + 6) % 7) + 1); // Monday = 1 … Sunday = 7
    }
    const births = b.births.dataSync();
    expect(Math.min(...births)).toBeGreaterThan(5000);
    expect(Math.max(...births)).toBeLessThan(17000);
  });

  it("Boston housing: [506, 13] features, [506, 1] targets, the famous first row", async () => {
    const h = await dl.data.bostonHousing();
    expect(h.features.shape).toEqual([506, 13]);
    expect(h.targets.shape).toEqual([506, 1]);
    expect(h.featureNames).toEqual([
      "crim",
      "zn",
      "indus",
      "chas",
      "nox",
      "rm",
      "age",
      "dis",
      "rad",
      "tax",
      "ptratio",
      "b",
      "lstat",
    ]);
    const first = Array.from(h.features.dataSync().slice(0, 13));
    const published = [0.00632, 18, 2.31, 0, 0.538, 6.575, 65.2, 4.09, 1, 296, 15.3, 396.9, 4.98];
    expect(first).toEqual(published.map(Math.fround));
    const medv = Array.from(h.targets.dataSync());
    expect(medv[0]).toBe(24);
    // published summary statistics of medv: mean 22.5328, min 5, max 50
    expect(medv.reduce((a, b) => a + b, 0) / 506).toBeCloseTo(22.5328, 3);
    expect([Math.min(...medv), Math.max(...medv)]).toEqual([5, 50]);
  });

  it("sensor network: [18914, 2] readings, 0/1 anomaly targets, four motes", async () => {
    const s = await dl.data.sensorNetwork();
    expect(s.features.shape).toEqual([18914, 2]);
    expect(s.targets.dtype).toBe("int32");
    const t = Array.from(s.targets.dataSync());
    expect(t.every((v) => v === 0 || v === 1)).toBe(true);
    expect(t.filter((v) => v === 1)).toHaveLength(149);
    expect(new Set(s.moteId.dataSync())).toEqual(new Set([1, 2, 3, 4]));
    expect(s.featureNames).toEqual(["humidity", "temperature"]);
  });
});

describe("karate club", () => {
  it("34 members, 78 friendships both ways, Zachary's degrees and the 17/17 split", () => {
    const g = dl.data.karateClub();
    expect(g.numNodes).toBe(34);
    expect(g.edgeIndex.shape).toEqual([2, 156]);
    const [src, dst] = g.edgeIndex.toArraySync() as number[][];
    const degree = new Array(34).fill(0);
    src.forEach((s) => degree[s]++);
    // Zachary 1977: the instructor (node 1) has 16 ties, the administrator (node 34) 17
    expect([degree[0], degree[33], degree[32]]).toEqual([16, 17, 12]);
    const edges = new Set(src.map((s, k) => `${s}-${dst[k]}`));
    for (let k = 0; k < src.length; k++) expect(edges.has(`${dst[k]}-${src[k]}`)).toBe(true);
    const adj = g.adjacency.toArraySync() as number[][];
    expect(adj.flat().reduce((a, b) => a + b, 0)).toBe(156);
    adj.forEach((row, i) => row.forEach((v, j) => expect(v).toBe(adj[j][i])));
    const labels = Array.from(g.labels.dataSync());
    expect(labels.filter((l) => l === 0)).toHaveLength(17);
    expect([labels[0], labels[33]]).toEqual([0, 1]);
    expect(g.features.shape).toEqual([34, 34]);
  });
});
