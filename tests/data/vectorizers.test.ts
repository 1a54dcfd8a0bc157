// CountVectorizer and TfidfVectorizer against values recorded from scikit-learn 1.2.1
// (tests/data/recorders/tfidf.py): default TF-IDF, one-character words kept (our tokenizer's
// convention, sklearn with token_pattern \b\w+\b), maxDf / no smoothing / sublinear tf / l1,
// maxFeatures, raw and binary counts with a proportional minDf; then misuse.
import { describe, expect, it } from "vitest";
import * as dl from "../../src/index.js";
import { expectClose, nums } from "../helpers/recorded.js";

const R: Record<string, string> = {
  default_vocab: `and barked bird cat cats chase dog dogs log mat on sat the wire`,
  default_x: `0 0 0 0.4343234 0 0 0 0 0 0.4343234 0.277223 0.277223 0.6848512 0 0 0.2838761 0 0 0 0 0.5677523 0 0.2838761 0 0.1811945 0.1811945 0.6714336 0 0.2085144 0 0 0 0.6255432 0.4170288 0 0.6255432 0 0 0 0 0 0 0 0 0.5960389 0 0 0 0 0 0 0 0.3804439 0.3804439 0 0.5960389 0 0 0.4119106 0.4119106 0 0 0 0 0 0.4119106 0.2629172 0 0.6495101 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0`,
  default_idf: `1.91629073 1.91629073 1.91629073 1.91629073 1.91629073 1.91629073 1.91629073 1.91629073 1.91629073 1.91629073 1.22314355 1.22314355 1.51082562 1.91629073`,
  single_vocab: `a and barked bird cat cats chase dog dogs log mat on sat the wire`,
  single_x: `0.3808652 0 0 0.3808652 0.3808652 0 0 0 0 0 0.3808652 0.2431013 0 0.6005569 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0`,
  single_idf: `1.91629073 1.91629073 1.91629073 1.91629073 1.91629073 1.91629073 1.91629073 1.91629073 1.91629073 1.91629073 1.91629073 1.22314355 1.22314355 1.51082562 1.91629073`,
  options_vocab: `a and barked bird cat cats chase dog dogs log mat the wire`,
  options_x: `0 0 0 0 0.3123693 0 0 0 0 0 0.3123693 0.3752613 0 0 0 0.1929692 0 0 0 0 0.3267252 0 0.1929692 0 0.2873365 0 0 0.1451301 0 0 0 0.3045717 0.2457265 0 0.3045717 0 0 0 0 0.4584565 0 0 0.2707718 0 0 0 0 0 0 0 0 0.2707718`,
  options_idf: `2.38629436 2.38629436 2.38629436 2.38629436 2.38629436 2.38629436 2.38629436 2.38629436 2.38629436 2.38629436 2.38629436 1.69314718 2.38629436`,
  capped_vocab: `cats dogs on sat the`,
  capped_x: `0 0 0.351302 0.351302 0.8678558 0 0 0.2521248 0.2521248 0.934273 0.7071068 0.7071068 0 0 0 0 0 0.7071068 0.7071068 0`,
  capped_idf: `1.91629073 1.91629073 1.22314355 1.22314355 1.51082562`,
  counts_vocab: `a and barked bird cat cats chase dog dogs log mat on sat the wire`,
  counts_x: `1 0 0 1 1 0 0 0 0 0 1 1 0 2 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0`,
  binary_vocab: `on sat the`,
  binary_x: `1 1 1 1 1 1 0 0 0 1 1 0`,
};
const docs = [
  "The cat sat on the mat.",
  "The dog sat on the log; the dog barked!",
  "Cats and dogs: cats chase dogs, dogs chase cats.",
  "A bird sat on a wire",
];
const fresh = ["the cat chased a bird on the mat", "zebra"];
const words = (s: string) => s.split(" ");

function expectRecorded(name: string, v: dl.data.CountVectorizer, x: dl.Tensor): void {
  expect([...v.vocabulary]).toEqual(words(R[`${name}_vocab`]));
  expect(x.shape).toEqual([x.shape[0], v.vocabSize]);
  expectClose(x.dataSync(), nums(R[`${name}_x`]), 1e-6);
  if (v instanceof dl.data.TfidfVectorizer) expectClose(v.idf, nums(R[`${name}_idf`]), 1e-7);
}

describe("TfidfVectorizer and CountVectorizer (scikit-learn's values)", () => {
  it("defaults: smooth idf, raw tf, l2 rows; unseen words ignored", () => {
    const v = new dl.data.TfidfVectorizer({ tokenizer: (t) => words2(t) });
    v.fit(docs);
    expectRecorded("default", v, v.transform([...docs, ...fresh]));
  });

  it("keeps one-character words (the documented difference from sklearn's pattern)", () => {
    const v = new dl.data.TfidfVectorizer().fit(docs);
    expectRecorded("single", v, v.transform(fresh));
    expect(v.termIndex("a")).toBe(0);
  });

  it("maxDf, smoothIdf false, sublinearTf, l1", () => {
    const v = new dl.data.TfidfVectorizer({
      maxDf: 0.7,
      smoothIdf: false,
      sublinearTf: true,
      norm: "l1",
    });
    expectRecorded("options", v, v.fitTransform(docs));
  });

  it("maxFeatures keeps the terms most frequent over the corpus", () => {
    const v = new dl.data.TfidfVectorizer({ maxFeatures: 5 });
    expectRecorded("capped", v, v.fitTransform(docs));
  });

  it("counts, and binary counts with a proportional minDf", () => {
    const c = new dl.data.CountVectorizer().fit(docs);
    expectRecorded("counts", c, c.transform(fresh));
    const b = new dl.data.CountVectorizer({ binary: true, minDf: 0.5 });
    expectRecorded("binary", b, b.fitTransform(docs));
  });

  it("accepts a Tokenizer for splitting", () => {
    const tok = new dl.data.CharTokenizer(docs);
    const v = new dl.data.CountVectorizer({ tokenizer: tok }).fit(["abba", "b"]);
    expect([...v.vocabulary]).toEqual(["a", "b"]);
    expect(v.transform(["abba"]).toArraySync()).toEqual([[2, 2]]);
  });

  it("rejects misuse clearly", () => {
    expect(() => new dl.data.TfidfVectorizer().transform(docs)).toThrow(/TfidfVectorizer.*fit/);
    expect(() => new dl.data.CountVectorizer({ minDf: 1.5 })).toThrow(/minDf/);
    expect(() => new dl.data.CountVectorizer({ maxFeatures: 0 })).toThrow(/maxFeatures/);
    expect(() => new dl.data.TfidfVectorizer({ minDf: 5 }).fit(docs)).toThrow(/no terms remain/);
    expect(() => new dl.data.TfidfVectorizer().fit("text" as unknown as string[])).toThrow(
      /array of strings/,
    );
    expect(() => new dl.data.TfidfVectorizer({ norm: "l3" as "l2" })).toThrow(/norm/);
  });
});

/** sklearn's default token pattern: runs of two or more word characters, lower-cased. */
const words2 = (text: string): string[] => text.toLowerCase().match(/\b\w\w+\b/g) ?? [];
