// JupyterLab's theme is visible to a MIME renderer only through the page: the body carries
// data-jp-theme-light and the theme's CSS variables. Renderers that paint with explicit colours
// (plotly, canvas heatmaps) read them here and repaint when the theme switches.

export interface ThemeColors {
  light: boolean;
  background: string;
  foreground: string;
  muted: string;
  grid: string;
  font: string;
}

function cssVar(name: string, fallback: string): string {
  const v = getComputedStyle(document.body).getPropertyValue(name).trim();
  return v || fallback;
}

export function themeColors(): ThemeColors {
  const light = document.body.dataset.jpThemeLight !== "false";
  return {
    light,
    background: cssVar("--jp-layout-color0", light ? "#ffffff" : "#111111"),
    foreground: cssVar("--jp-ui-font-color1", light ? "#212121" : "#e0e0e0"),
    muted: cssVar("--jp-ui-font-color2", light ? "#616161" : "#aaaaaa"),
    grid: cssVar("--jp-border-color2", light ? "#e0e0e0" : "#424242"),
    font: cssVar("--jp-ui-font-family", "system-ui, sans-serif"),
  };
}

/** Calls `onChange` when the theme switches; returns a function that stops watching. */
export function watchTheme(onChange: () => void): () => void {
  const observer = new MutationObserver(onChange);
  observer.observe(document.body, { attributes: true, attributeFilter: ["data-jp-theme-light"] });
  return () => observer.disconnect();
}
