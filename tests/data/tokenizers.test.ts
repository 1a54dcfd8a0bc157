import { describe, expect, it } from "vitest";
import * as dl from "../../src/index.js";

describe("CharTokenizer", () => {
  it("vocabulary in code-point order; exact round trip, astral characters included", () => {
    const tok = new dl.data.CharTokenizer("hello, world 🌍");
    expect(tok.vocab).toEqual([" ", ",", "d", "e", "h", "l", "o", "r", "w", "🌍"]);
    const ids = tok.encode("world, hello 🌍");
    expect(ids).toEqual([8, 6, 7, 5, 2, 1, 0, 4, 3, 5, 5, 6, 0, 9]);
    expect(tok.decode(ids)).toBe("world, hello 🌍");
    expect(tok.decode(dl.tensor(ids, { dtype: "int32" }))).toBe("world, hello 🌍");
  });

  it("unknown characters: error without unk, unk id with it; pad for batches", () => {
    expect(() => new dl.data.CharTokenizer("abc").encode("abz")).toThrow(
      /"z" is not in the vocabulary/,
    );
    const tok = new dl.data.CharTokenizer(["abc", "cd"], { pad: "<pad>", unk: "<unk>" });
    expect(tok.vocab).toEqual(["<pad>", "<unk>", "a", "b", "c", "d"]);
    expect(tok.encode("az")).toEqual([2, 1]);
    const batch = tok.encodeBatch(["ab", "dcba", "c"], { length: 3 });
    expect(batch.dtype).toBe("int32");
    expect(batch.toArraySync()).toEqual([
      [2, 3, 0],
      [5, 4, 3],
      [4, 0, 0],
    ]);
    expect(tok.decode([2, 3, 0, 0], { skipSpecial: true })).toBe("ab");
  });
});

describe("WordTokenizer", () => {
  const corpus = ["The cat sat on the mat.", "The dog didn't sit; the dog ran!"];

  it("vocabulary: pad, unk, then words by frequency (ties by first appearance)", () => {
    const tok = new dl.data.WordTokenizer(corpus);
    expect(tok.vocab.slice(0, 4)).toEqual(["<pad>", "<unk>", "the", "dog"]);
    expect(tok.vocab.slice(4)).toEqual([
      "cat",
      "sat",
      "on",
      "mat",
      ".",
      "didn't",
      "sit",
      ";",
      "ran",
      "!",
    ]);
    expect(tok.padId).toBe(0);
    expect(tok.unkId).toBe(1);
  });

  it("round trip of tokenized text; unknown words map to <unk>", () => {
    const tok = new dl.data.WordTokenizer(corpus);
    const text = "The dog sat on the mat!";
    expect(tok.tokenize(text)).toEqual(["the", "dog", "sat", "on", "the", "mat", "!"]);
    expect(tok.decode(tok.encode(text))).toBe("the dog sat on the mat !");
    expect(tok.encode("the zebra")).toEqual([2, 1]);
  });

  it("minFreq, maxSize and case", () => {
    expect(new dl.data.WordTokenizer(corpus, { minFreq: 2 }).vocab).toEqual([
      "<pad>",
      "<unk>",
      "the",
      "dog",
    ]);
    expect(new dl.data.WordTokenizer(corpus, { maxSize: 3 }).vocab).toEqual([
      "<pad>",
      "<unk>",
      "the",
    ]);
    const bare = new dl.data.WordTokenizer(corpus, { pad: null, unk: null });
    expect(bare.vocab[0]).toBe("the");
    expect(() => bare.encode("zebra")).toThrow(/"zebra" is not in the vocabulary/);
    const cased = new dl.data.WordTokenizer(corpus, { lowercase: false });
    expect(cased.tokenToId("The")).toBeDefined();
    expect(cased.tokenToId("the")).toBeDefined();
  });

  it("encodeBatch pads to the longest and truncates to a given length", () => {
    const tok = new dl.data.WordTokenizer(corpus);
    const b = tok.encodeBatch(["the cat", "the dog ran"]);
    expect(b.shape).toEqual([2, 3]);
    expect(b.toArraySync()).toEqual([
      [2, 4, 0],
      [2, 3, 12],
    ]);
    expect(tok.encodeBatch(["the dog ran"], { length: 2 }).toArraySync()).toEqual([[2, 3]]);
  });
});
