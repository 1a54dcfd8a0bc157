// Bag-of-words and TF-IDF document vectors, following scikit-learn's CountVectorizer and
// TfidfVectorizer defaults so numbers agree with the usual baseline:
//   idf(t) = ln((1 + n) / (1 + df(t))) + 1   (smoothIdf; without it ln(n / df(t)) + 1),
//   tf = raw counts (sublinearTf: 1 + ln(tf)), rows L2-normalised (norm "l2").
// One convention differs: tokens are the WordTokenizer's words (letters and digits with inner
// apostrophes, lower-cased; punctuation dropped), so one-character words such as "a" count,
// where scikit-learn's default pattern \b\w\w+\b drops them and splits "don't" in two.
// The vocabulary is sorted alphabetically (code-unit order), as scikit-learn's.
import { tensor } from "../tensor/create.js";
import type { Tensor } from "../tensor/tensor.js";
import { fail } from "../tensor/errors.js";
import { show } from "../tensor/validate.js";
import { Tokenizer } from "./tokenizer.js";
import { splitWords } from "./tokenizers.js";

/** Options of {@link CountVectorizer} (scikit-learn's names and defaults). */
export interface CountVectorizerOptions {
  /** Lower-case before splitting (default true; ignored with a custom tokenizer). */
  lowercase?: boolean;
  /** How a document becomes tokens: a Tokenizer (its tokenize) or a function. */
  tokenizer?: Tokenizer | ((text: string) => string[]);
  /** Keep terms in at least this many documents (an integer ≥ 1) or this share of them (< 1). */
  minDf?: number;
  /** Drop terms in more than this share of documents (≤ 1) or this many (an integer > 1). */
  maxDf?: number;
  /** Keep the this-many terms most frequent over the corpus (ties alphabetically). */
  maxFeatures?: number | null;
  /** Counts become 1/0 presence (default false). */
  binary?: boolean;
}

// The split yields words (letters/digits first) or single punctuation marks: only a one-character
// token needs the (slower) Unicode test.
const isWord = (t: string) => t.length > 1 || /[\p{L}\p{N}]/u.test(t);

/**
 * Bag of words, as scikit-learn's `CountVectorizer`: `fit` learns a vocabulary from documents,
 * `transform` counts each term per document into a `[docs, terms]` float32 tensor.
 */
export class CountVectorizer {
  /** Terms by column. Empty until fit. */
  vocabulary: readonly string[] = [];
  protected columns = new Map<string, number>();
  protected readonly opts: Required<Omit<CountVectorizerOptions, "tokenizer" | "maxFeatures">> & {
    maxFeatures: number | null;
  };
  private readonly split: (text: string) => string[];

  constructor(opts: CountVectorizerOptions = {}) {
    const op = new.target.name;
    const { lowercase = true, minDf = 1, maxDf = 1, maxFeatures = null, binary = false } = opts;
    if (!(typeof minDf === "number" && minDf > 0 && (minDf < 1 || Number.isInteger(minDf))))
      fail(
        op,
        `minDf must be an integer >= 1 (documents) or a share in (0, 1), got ${show(minDf)}`,
      );
    if (!(typeof maxDf === "number" && maxDf > 0 && (maxDf <= 1 || Number.isInteger(maxDf))))
      fail(op, `maxDf must be a share in (0, 1] or an integer > 1 (documents), got ${show(maxDf)}`);
    if (maxFeatures !== null && !(Number.isInteger(maxFeatures) && maxFeatures >= 1))
      fail(op, `maxFeatures must be a positive integer or null, got ${show(maxFeatures)}`);
    this.opts = { lowercase, minDf, maxDf, maxFeatures, binary };
    const t = opts.tokenizer;
    if (t !== undefined && !(t instanceof Tokenizer) && typeof t !== "function")
      fail(op, `tokenizer must be a Tokenizer or a function, got ${show(t)}`);
    this.split =
      t instanceof Tokenizer
        ? (text) => t.tokenize(text)
        : (t ?? ((text) => splitWords(text, lowercase).filter(isWord)));
  }

  /** Number of terms (columns) after fit. */
  get vocabSize(): number {
    return this.vocabulary.length;
  }

  /** The column of a term, or undefined outside the vocabulary. */
  termIndex(term: string): number | undefined {
    return this.columns.get(term);
  }

  /** Learns the vocabulary (and, for TF-IDF, the idf) from documents. */
  fit(docs: readonly string[]): this {
    return this.learn(this.countAll(docs));
  }

  /** Document vectors [docs.length, vocabSize], float32; unseen terms are ignored. */
  transform(docs: readonly string[]): Tensor {
    if (this.vocabulary.length === 0)
      fail(this.constructor.name + ".transform", "call fit(docs) before transform");
    return this.vectorize(this.countAll(docs));
  }

  /** fit then transform, splitting the documents once. */
  fitTransform(docs: readonly string[]): Tensor {
    const counted = this.countAll(docs);
    return this.learn(counted).vectorize(counted);
  }

  private learn(counted: Map<string, number>[]): this {
    const n = counted.length;
    const df = new Map<string, number>();
    const total = new Map<string, number>();
    for (const doc of counted)
      for (const [term, c] of doc) {
        df.set(term, (df.get(term) ?? 0) + 1);
        total.set(term, (total.get(term) ?? 0) + c);
      }
    const { minDf, maxDf, maxFeatures } = this.opts;
    const low = minDf < 1 ? Math.ceil(minDf * n) : minDf;
    const high = maxDf <= 1 ? Math.floor(maxDf * n) : maxDf;
    const kept = [...df].filter(([, d]) => d >= low && d <= high).map(([t]) => t);
    let terms = kept.sort();
    if (maxFeatures !== null && terms.length > maxFeatures) {
      const totals = terms.map((t) => total.get(t)!);
      // stable: equal totals stay alphabetical
      const order = terms.map((_, i) => i).sort((a, b) => totals[b] - totals[a]);
      terms = order
        .slice(0, maxFeatures)
        .sort((a, b) => a - b)
        .map((i) => terms[i]);
    }
    if (terms.length === 0)
      fail(this.constructor.name, "no terms remain after minDf/maxDf/maxFeatures; loosen them");
    this.vocabulary = Object.freeze(terms);
    this.columns = new Map(terms.map((t, i) => [t, i]));
    this.fitWeights(counted, df);
    return this;
  }

  private vectorize(counted: Map<string, number>[]): Tensor {
    const v = this.vocabulary.length;
    const out = new Float32Array(counted.length * v);
    const values = new Float64Array(v); // one row buffer, reused
    counted.forEach((doc, row) => {
      values.fill(0);
      for (const [term, c] of doc) {
        const col = this.columns.get(term);
        if (col !== undefined) values[col] = this.opts.binary ? 1 : c;
      }
      out.set(this.weigh(values), row * v);
    });
    return tensor(out, { shape: [counted.length, v] });
  }

  /** Hook for TF-IDF: learn weights from the counted corpus. */
  protected fitWeights(_counted: Map<string, number>[], _df: Map<string, number>): void {}

  /** Hook for TF-IDF: a document's counts (by column) to its vector, in place. */
  protected weigh(counts: Float64Array): Float64Array {
    return counts;
  }

  private countAll(docs: readonly string[]): Map<string, number>[] {
    const op = this.constructor.name;
    if (!Array.isArray(docs) || docs.some((d) => typeof d !== "string"))
      fail(op, `expected an array of strings (documents), got ${show(docs)}`);
    return docs.map((doc) => {
      const counts = new Map<string, number>();
      for (const t of this.split(doc)) counts.set(t, (counts.get(t) ?? 0) + 1);
      return counts;
    });
  }
}

/** Options of {@link TfidfVectorizer} (scikit-learn's names and defaults). */
export interface TfidfVectorizerOptions extends CountVectorizerOptions {
  /** Row normalisation (default "l2"). */
  norm?: "l2" | "l1" | null;
  /** Weight terms by inverse document frequency (default true). */
  useIdf?: boolean; // true
  /** Add one to document frequencies, as if one document held every term (default true). */
  smoothIdf?: boolean;
  /** tf → 1 + ln(tf) (default false). */
  sublinearTf?: boolean;
}

/**
 * TF-IDF features, as scikit-learn's `TfidfVectorizer`: term counts weighted by smoothed inverse
 * document frequency, rows L2-normalised.
 */
export class TfidfVectorizer extends CountVectorizer {
  /** idf by column (float64). Empty until fit. */
  idf: Float64Array = new Float64Array(0);
  private readonly tfidf: Required<
    Pick<TfidfVectorizerOptions, "useIdf" | "smoothIdf" | "sublinearTf">
  > & {
    norm: "l2" | "l1" | null;
  };

  constructor(opts: TfidfVectorizerOptions = {}) {
    super(opts);
    const { norm = "l2", useIdf = true, smoothIdf = true, sublinearTf = false } = opts;
    if (norm !== null && norm !== "l1" && norm !== "l2")
      fail("TfidfVectorizer", `norm must be "l2", "l1" or null, got ${show(norm)}`);
    this.tfidf = { norm, useIdf, smoothIdf, sublinearTf };
  }

  protected override fitWeights(counted: Map<string, number>[], df: Map<string, number>): void {
    const s = this.tfidf.smoothIdf ? 1 : 0;
    const n = counted.length + s;
    this.idf = Float64Array.from(this.vocabulary, (t) => Math.log(n / (df.get(t)! + s)) + 1);
  }

  protected override weigh(w: Float64Array): Float64Array {
    const { useIdf, sublinearTf, norm } = this.tfidf;
    let size = 0;
    for (let i = 0; i < w.length; i++) {
      if (w[i] === 0) continue;
      const tf = sublinearTf ? 1 + Math.log(w[i]) : w[i];
      w[i] = useIdf ? tf * this.idf[i] : tf;
      size += norm === "l2" ? w[i] * w[i] : Math.abs(w[i]);
    }
    if (norm === null || size === 0) return w;
    const scale = 1 / (norm === "l2" ? Math.sqrt(size) : size);
    for (let i = 0; i < w.length; i++) w[i] *= scale;
    return w;
  }
}
