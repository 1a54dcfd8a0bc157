// CharTokenizer and WordTokenizer: vocabularies built from a corpus.
import { fail } from "../tensor/errors.js";
import { show } from "../tensor/validate.js";
import { type SpecialTokens, Tokenizer, corpusTexts } from "./tokenizer.js";

/**
 * One token per Unicode code point. The vocabulary is the corpus's distinct characters in
 * code-point order, after the optional pad and unk tokens; decode(encode(s)) === s.
 */
export class CharTokenizer extends Tokenizer {
  constructor(corpus: string | readonly string[], specials: SpecialTokens = {}) {
    const chars = new Set<string>();
    for (const text of corpusTexts("CharTokenizer", corpus)) for (const c of text) chars.add(c);
    super(
      [...chars].sort((a, b) => a.codePointAt(0)! - b.codePointAt(0)!),
      specials,
    );
  }

  tokenize(text: string): string[] {
    return Array.from(text);
  }

  protected join(tokens: string[]): string {
    return tokens.join("");
  }
}

/** Options of {@link WordTokenizer}. */
export interface WordTokenizerOptions {
  /** Padding token, id 0 (default "<pad>"; null for none). */
  pad?: string | null;
  /** Out-of-vocabulary token (default "<unk>"; null makes unknown words an error). */
  unk?: string | null;
  /** Lower-case text before splitting (default true). */
  lowercase?: boolean;
  /** Keep only words seen at least this often (default 1). */
  minFreq?: number;
  /** Cap on the vocabulary size, special tokens included. */
  maxSize?: number;
}

// A word is letters/digits with inner apostrophes ("don't"); any other non-space character
// is a token of its own, so punctuation survives.
const WORD = /[\p{L}\p{N}]+(?:['’][\p{L}\p{N}]+)*|[^\s\p{L}\p{N}]/gu;

/**
 * Words and punctuation marks. The vocabulary is pad ("<pad>", id 0) and unk ("<unk>", id 1)
 * by default, then words by descending frequency (ties by first appearance). decode joins
 * tokens with single spaces, so it returns the tokenized text, not the original spacing.
 */
export class WordTokenizer extends Tokenizer {
  /** Whether text is lower-cased before splitting. */
  readonly lowercase: boolean;

  constructor(corpus: string | readonly string[], opts: WordTokenizerOptions = {}) {
    const { lowercase = true, minFreq = 1, maxSize, pad = "<pad>", unk = "<unk>" } = opts;
    if (maxSize !== undefined && (!Number.isInteger(maxSize) || maxSize < 1))
      fail("WordTokenizer", `maxSize must be a positive integer, got ${show(maxSize)}`);
    if (typeof minFreq !== "number" || !Number.isInteger(minFreq) || minFreq < 1)
      fail("WordTokenizer", `minFreq must be a positive integer, got ${show(minFreq)}`);
    if (typeof lowercase !== "boolean")
      fail("WordTokenizer", `lowercase must be a boolean, got ${show(lowercase)}`);
    const counts = new Map<string, number>();
    for (const text of corpusTexts("WordTokenizer", corpus))
      for (const w of splitWords(text, lowercase)) counts.set(w, (counts.get(w) ?? 0) + 1);
    // Array.prototype.sort is stable: equal counts keep first-appearance order
    const words = [...counts.entries()]
      .filter(([, c]) => c >= minFreq)
      .sort((a, b) => b[1] - a[1])
      .map(([w]) => w);
    const specials = { pad: pad ?? undefined, unk: unk ?? undefined };
    const nSpecial = [pad, unk].filter((s) => s !== null).length;
    const kept = maxSize === undefined ? words : words.slice(0, Math.max(0, maxSize - nSpecial));
    super(kept, specials);
    this.lowercase = lowercase;
  }

  tokenize(text: string): string[] {
    return splitWords(text, this.lowercase);
  }

  protected join(tokens: string[]): string {
    return tokens.join(" ");
  }
}

/** The WordTokenizer's split: words (inner apostrophes kept) and punctuation marks. */
export function splitWords(text: string, lowercase: boolean): string[] {
  return (lowercase ? text.toLowerCase() : text).match(WORD) ?? [];
}

/** Options of {@link SymbolTokenizer}. */
export interface SymbolTokenizerOptions {
  /** Padding token, id 0 (default "<pad>"; null for none). */
  pad?: string | null;
  /** Out-of-vocabulary token (default "<unk>"; null makes unknown symbols an error). */
  unk?: string | null;
  /** Start-of-sequence token, placed after pad and unk (default "<s>"; null for none). */
  bos?: string | null;
  /** End-of-sequence token (default "</s>"; null for none). */
  eos?: string | null;
  /** "" splits text into characters; " " splits on whitespace (phonemes). Default "". */
  separator?: "" | " ";
}

/**
 * A fixed vocabulary of symbols (letters, phonemes) for sequence-to-sequence models: pad,
 * unk, then bos and eos, then the symbols in the order given. encode splits text into
 * characters or whitespace-separated symbols; add bosId/eosId around it as a model needs.
 */
export class SymbolTokenizer extends Tokenizer {
  /** How text splits into symbols: "" characters, " " whitespace. */
  readonly separator: "" | " ";
  /** Id of the start-of-sequence token, or null. */
  readonly bosId: number | null;
  /** Id of the end-of-sequence token, or null. */
  readonly eosId: number | null;

  constructor(symbols: readonly string[], opts: SymbolTokenizerOptions = {}) {
    const { pad = "<pad>", unk = "<unk>", bos = "<s>", eos = "</s>", separator = "" } = opts;
    if (separator !== "" && separator !== " ")
      fail("SymbolTokenizer", `separator must be "" or " ", got ${show(separator)}`);
    const markers = [bos, eos].filter((t): t is string => t !== null);
    super([...markers, ...symbols], { pad: pad ?? undefined, unk: unk ?? undefined });
    this.separator = separator;
    this.bosId = bos === null ? null : this.tokenToId(bos)!;
    this.eosId = eos === null ? null : this.tokenToId(eos)!;
  }

  tokenize(text: string): string[] {
    return this.separator === "" ? Array.from(text) : text.split(/\s+/).filter((s) => s !== "");
  }

  protected join(tokens: string[]): string {
    return tokens.join(this.separator);
  }
}
