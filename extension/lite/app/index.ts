// Entry of the site's JupyterLite. The page config in index.html names URLs relative to the
// page, so the site works wherever it is hosted (a GitHub Pages project path, a folder of any
// static server); they are made absolute here before JupyterLab reads them. Shared modules may
// not be imported here (module federation: see ../../app/index.ts), so main loads afterwards.
import { showStartFailure } from "../../app/start-failure.js";
declare let __webpack_public_path__: string;

function resolvePageConfig(): Record<string, unknown> {
  const el = document.getElementById("jupyter-config-data");
  const config = JSON.parse(el?.textContent || "{}") as Record<string, unknown>;
  for (const [key, value] of Object.entries(config)) {
    if (/Url$/.test(key) && typeof value === "string" && value.startsWith("."))
      config[key] = new URL(value, window.location.href).pathname;
  }
  if (el) el.textContent = JSON.stringify(config);
  return config;
}

/**
 * JupyterLab writes server routes into the address bar (`lab/workspaces/…/tree/<file>`); a static
 * site has only lab/index.html, so a reload of such an address would find nothing. Keep the
 * page's own address instead, with the open file as `?path=` (which JupyterLite's opener reads).
 */
function keepStaticAddress(): void {
  const page = window.location.pathname.replace(/[^/]*$/, "");
  for (const method of ["pushState", "replaceState"] as const) {
    const original = history[method].bind(history);
    history[method] = (data: unknown, unused: string, url?: string | URL | null) => {
      if (url === undefined || url === null) return original(data, unused, url);
      const next = new URL(String(url), window.location.href);
      if (!next.pathname.startsWith(page) || next.pathname === `${page}index.html`)
        return original(data, unused, url);
      const tree = /\/tree\/(.+)$/.exec(next.pathname.slice(page.length));
      next.pathname = `${page}index.html`;
      if (tree) next.searchParams.set("path", decodeURIComponent(tree[1]));
      return original(data, unused, next.href);
    };
  }
}

async function start(): Promise<void> {
  keepStaticAddress();
  const config = resolvePageConfig();
  __webpack_public_path__ = `${String(config.fullStaticUrl)}/`;
  await import("../../app/style.js");
  await import("./style.js");
  const { main } = await import("./main.js");
  await main();
}

void start().catch(showStartFailure);
