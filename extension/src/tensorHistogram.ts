// Histogram view: SVG bars (at most a few hundred, so SVG is fine), count on hover.
import type { TensorPayload } from "../../src/display/protocol.js";
import { Tooltip, h, localPoint, s } from "./dom.js";
import { formatValue } from "./format.js";
import { histogramOf } from "./tensorData.js";

const W = 480;
const H = 160;

export function histogramView(
  p: TensorPayload,
  values: Float64Array,
  tooltip: Tooltip,
  host: HTMLElement,
): HTMLElement {
  const hist = histogramOf(p, values);
  if (hist.counts.length === 0)
    return h("div", { class: "dd-empty" }, "No finite values to histogram.");
  const peak = Math.max(...hist.counts, 1);
  const bw = W / hist.counts.length;
  const width = (hist.max - hist.min) / hist.counts.length;
  const svg = s("svg", { class: "dd-histogram", viewBox: `0 0 ${W} ${H}`, width: W, height: H });
  hist.counts.forEach((count, i) => {
    const bh = (count / peak) * (H - 4);
    const bar = s("rect", {
      x: i * bw + 0.5,
      y: H - bh,
      width: Math.max(bw - 1, 0.5),
      height: bh,
      class: "dd-bar",
    });
    const lo = hist.min + i * width;
    const text = `[${formatValue(lo)}, ${formatValue(lo + width)}): ${count}`;
    bar.addEventListener("mousemove", (ev) => {
      const at = localPoint(ev, host);
      tooltip.show([text], at.x, at.y);
    });
    bar.addEventListener("mouseleave", () => tooltip.hide());
    svg.appendChild(bar);
  });
  const caption = hist.exact ? "all elements" : `${values.length} sampled elements`;
  return h(
    "div",
    { class: "dd-histogram-wrap" },
    svg,
    h(
      "div",
      { class: "dd-axis" },
      h("span", {}, formatValue(hist.min)),
      h("span", {}, caption),
      h("span", {}, formatValue(hist.max)),
    ),
  );
}
