// Applies the JupyterLab theme to a plotly layout. The library leaves colours unset (see the
// protocol), so these act as defaults: anything the figure sets explicitly still wins.
import type { ThemeColors } from "./theme.js";

type Json = Record<string, unknown>;
const isObj = (x: unknown): x is Json => typeof x === "object" && x !== null && !Array.isArray(x);

export function themedLayout(layout: Json, t: ThemeColors): Json {
  const axis: Json = {
    gridcolor: t.grid,
    zerolinecolor: t.grid,
    linecolor: t.muted,
    color: t.foreground,
  };
  const out: Json = {
    autosize: true,
    height: 360,
    margin: { l: 56, r: 24, t: 40, b: 48 },
    paper_bgcolor: "rgba(0,0,0,0)",
    plot_bgcolor: "rgba(0,0,0,0)",
    ...layout,
    font: { color: t.foreground, family: t.font, ...(isObj(layout.font) ? layout.font : {}) },
    legend: { bgcolor: "rgba(0,0,0,0)", ...(isObj(layout.legend) ? layout.legend : {}) },
  };
  // Every axis, including xaxis2, yaxis3... of subplots; colorbars live on traces, not here.
  for (const key of [
    "xaxis",
    "yaxis",
    ...Object.keys(layout).filter((k) => /^[xy]axis\d+$/.test(k)),
  ]) {
    const own = layout[key];
    out[key] = { ...axis, ...(isObj(own) ? own : {}) };
  }
  return out;
}
