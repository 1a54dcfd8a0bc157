// What the executor needs of tslab, without loading it: the Node kernel fills this from tslab's
// installed files (tslab.ts), the site's browser kernel from a bundle of the same files.
import type * as Ts from "@tslab/typescript-for-tslab";
import type { Converter, ConvertResult, Diagnostic } from "tslab/dist/converter.js";
import type { CodeMetadata } from "tslab/dist/metadata.js";

export type { Converter, ConvertResult, Diagnostic, CodeMetadata };

/** Marks the pair of source maps that the TypeScript wrapper appends to compiled cells. */
export const MAPS_MARK = "\n//# dendriteSourceMaps=";

export interface TslabParts {
  ts: typeof Ts;
  createConverter(options?: { isJS?: boolean; isBrowser?: boolean }): Converter;
  getCodeMetadata(src: string): CodeMetadata;
  printQuickInfo(info: Ts.QuickInfo): string;
  /** tslab's own `display` API publishes through this variable. */
  jupyter: { lastWriteDisplayData: unknown };
  /** What `require("tslab")` gives a cell. */
  publicApi: unknown;
}
