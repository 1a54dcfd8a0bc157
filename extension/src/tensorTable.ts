// Table view: the sample as numbers, with tensor indices (not sample indices) in the headers so
// a strided sample is not mistaken for the leading block. Capped to stay a readable DOM.
import type { TensorPayload } from "../../src/display/protocol.js";
import { h } from "./dom.js";
import { formatShape, formatValue } from "./format.js";
import { toGrid } from "./tensorData.js";

export const MAX_TABLE_ROWS = 100;
export const MAX_TABLE_COLS = 32;

export function tableView(p: TensorPayload, values: Float64Array): HTMLElement {
  const grid = toGrid(p, values);
  // A vector reads better as a column of (index, value) rows than as one very wide row.
  const vector = p.sample.shape.length <= 1;
  const rows = vector ? grid.cols : grid.rows;
  const cols = vector ? 1 : grid.cols;
  const at = (r: number, c: number) => (vector ? grid.values[r] : grid.values[r * grid.cols + c]);
  const idx = (r: number, c: number) => (vector ? grid.index(0, r) : grid.index(r, c));
  const shownRows = Math.min(rows, MAX_TABLE_ROWS);
  const shownCols = Math.min(cols, MAX_TABLE_COLS);
  const head = h("tr", {}, h("th", {}, ""));
  for (let c = 0; c < shownCols; c++) {
    const i = idx(0, c);
    head.appendChild(h("th", {}, vector ? "value" : String(i[i.length - 1] ?? 0)));
  }
  const body = h("tbody");
  for (let r = 0; r < shownRows; r++) {
    const i = idx(r, 0);
    const label = vector ? String(i[0] ?? 0) : formatShape(i.slice(0, -1));
    const tr = h("tr", {}, h("th", {}, label));
    for (let c = 0; c < shownCols; c++) {
      const v = at(r, c);
      const cls = Number.isFinite(v) ? "dd-cell" : "dd-cell dd-nonfinite";
      tr.appendChild(
        h("td", { class: cls, title: `${formatShape(idx(r, c))} = ${String(v)}` }, formatValue(v)),
      );
    }
    body.appendChild(tr);
  }
  const more: string[] = [];
  if (rows > shownRows) more.push(`${rows - shownRows} more rows`);
  if (cols > shownCols) more.push(`${cols - shownCols} more columns`);
  return h(
    "div",
    { class: "dd-table-wrap" },
    h("table", { class: "dd-table" }, h("thead", {}, head), body),
    more.length ? h("div", { class: "dd-note" }, `… ${more.join(", ")} not shown`) : null,
  );
}
