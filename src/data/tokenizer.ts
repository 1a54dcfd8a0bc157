// The shared half of the tokenizers: a vocabulary (id -> token and back), encode/decode, and
// padded batches. Subclasses only say how text splits into tokens and how tokens join back.
import { tensor } from "../tensor/create.js";
import { fail } from "../tensor/errors.js";
import { Tensor } from "../tensor/tensor.js";
import { show } from "../tensor/validate.js";

/** The special tokens a tokenizer reserves ids for. */
export interface SpecialTokens {
  /** Token used to pad batches to one length (its id is 0 when given). */
  pad?: string;
  /** Token that stands for anything outside the vocabulary (else unknown input is an error). */
  unk?: string;
}

/**
 * A fixed vocabulary: text ↔ token ids. Special tokens come first (pad is id 0), then the tokens in
 * the order given.
 */
export abstract class Tokenizer {
  /** Tokens by id. */
  readonly vocab: readonly string[];
  /** Id of the padding token, or null. */
  readonly padId: number | null;
  /** Id of the unknown token, or null. */
  readonly unkId: number | null;
  private readonly ids: Map<string, number>;

  protected constructor(tokens: readonly string[], specials: SpecialTokens) {
    const op = new.target.name;
    if (specials === null || typeof specials !== "object")
      fail(op, `special tokens must be an object like { pad, unk }, got ${show(specials)}`);
    for (const [name, token] of Object.entries(specials))
      if (token !== undefined && (typeof token !== "string" || token === ""))
        fail(op, `special token ${name} must be a non-empty string, got ${show(token)}`);
    if (specials.pad !== undefined && specials.pad === specials.unk)
      fail(op, `pad and unk must be different tokens, both are ${JSON.stringify(specials.pad)}`);
    const vocab = [specials.pad, specials.unk].filter((s): s is string => s !== undefined);
    const specialSet = new Set(vocab);
    for (const t of new Set(tokens)) if (!specialSet.has(t)) vocab.push(t);
    this.vocab = Object.freeze(vocab);
    this.ids = new Map(vocab.map((t, i) => [t, i]));
    this.padId = specials.pad === undefined ? null : this.ids.get(specials.pad)!;
    this.unkId = specials.unk === undefined ? null : this.ids.get(specials.unk)!;
  }

  /** Number of tokens, special ones included. */
  get vocabSize(): number {
    return this.vocab.length;
  }

  /** Splits text into tokens (before any vocabulary look-up). */
  abstract tokenize(text: string): string[];

  /** Joins decoded tokens back into text. */
  protected abstract join(tokens: string[]): string;

  /** The id of one token, or undefined outside the vocabulary. */
  tokenToId(token: string): number | undefined {
    return this.ids.get(token);
  }

  /** The token of one id; fails outside the vocabulary. */
  idToToken(id: number): string {
    if (!Number.isInteger(id) || id < 0 || id >= this.vocab.length)
      fail(
        this.constructor.name + ".decode",
        `id ${id} is outside the vocabulary [0, ${this.vocab.length})`,
      );
    return this.vocab[id];
  }

  /** Token ids of `text` (unknown tokens become unkId, or fail without one). */
  encode(text: string): number[] {
    const op = this.constructor.name + ".encode";
    if (typeof text !== "string") fail(op, `expected a string, got ${show(text)}`);
    return this.tokenize(text).map((t) => {
      const id = this.ids.get(t) ?? this.unkId;
      if (id === null)
        fail(op, `${JSON.stringify(t)} is not in the vocabulary and no unk token was configured`);
      return id;
    });
  }

  /** Text from ids (an array, typed array, or 1-D int32 CPU tensor). */
  decode(ids: ArrayLike<number> | Tensor, opts: { skipSpecial?: boolean } = {}): string {
    const isIds =
      ids instanceof Tensor || Array.isArray(ids) || (ArrayBuffer.isView(ids) && "length" in ids);
    if (!isIds)
      fail(
        this.constructor.name + ".decode",
        `expected an array of ids, a typed array or a 1-D int32 tensor, got ${show(ids)}`,
      );
    const values = ids instanceof Tensor ? this.readIds(ids) : Array.from(ids);
    const special = new Set([this.padId, this.unkId]);
    const kept = opts.skipSpecial ? values.filter((id) => !special.has(id)) : values;
    return this.join(kept.map((id) => this.idToToken(id)));
  }

  private readIds(t: Tensor): number[] {
    if (t.ndim !== 1 || t.dtype !== "int32")
      fail(
        this.constructor.name + ".decode",
        `expected a 1-D int32 tensor, got [${t.shape.join(", ")}] ${t.dtype}`,
      );
    if (!t.backend.readSync)
      fail(
        this.constructor.name + ".decode",
        `the ids are on ${t.device}, which is read asynchronously: ` +
          `decode(Array.from(await ids.data())) instead`,
      );
    return Array.from(t.dataSync());
  }

  /**
   * Encodes several texts into one int32 tensor [texts.length, length], truncating longer
   * texts and padding shorter ones with the pad token (length defaults to the longest).
   */
  encodeBatch(texts: readonly string[], opts: { length?: number } = {}): Tensor {
    const op = this.constructor.name + ".encodeBatch";
    if (!Array.isArray(texts))
      fail(op, `expected an array of strings, got ${show(texts)} (use encode for one text)`);
    const encoded = texts.map((t) => this.encode(t));
    const length = opts.length ?? Math.max(0, ...encoded.map((e) => e.length));
    if (!Number.isInteger(length) || length < 0)
      fail(op, `length must be a non-negative integer, got ${length}`);
    const out = new Int32Array(texts.length * length);
    encoded.forEach((ids, row) => {
      if (ids.length < length && this.padId === null)
        fail(
          op,
          `text ${row} has ${ids.length} tokens < length ${length} and no pad token was configured`,
        );
      for (let k = 0; k < length; k++)
        out[row * length + k] = k < ids.length ? ids[k] : this.padId!;
    });
    return tensor(out, { shape: [texts.length, length] });
  }
}

export const corpusTexts = (op: string, corpus: string | readonly string[]): readonly string[] => {
  const texts = typeof corpus === "string" ? [corpus] : corpus;
  if (!Array.isArray(texts) || texts.some((t) => typeof t !== "string"))
    fail(op, "expected the corpus as a string or an array of strings");
  return texts;
};
