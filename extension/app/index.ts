// Entry of the bundled lab, which is also a module-federation host for prebuilt labextensions
// (the kind `dendrite install` puts into a user's JupyterLab). Shared modules such as
// @jupyterlab/coreutils may not be imported here: a host must first load the extensions'
// remote entries and initialise the share scope, or rspack fails with "Shared module is not
// available for eager consumption". So this file reads the page config by hand, loads the
// remotes, and only then imports the application.
import type { FederatedExtension } from "./federation.js";
import { showStartFailure } from "./start-failure.js";

declare let __webpack_public_path__: string;
declare const __webpack_init_sharing__: (scope: string) => Promise<void>;
declare const __webpack_share_scopes__: { default: unknown };

interface Container {
  init(scope: unknown): Promise<void>;
}

function pageConfig(): Record<string, unknown> {
  const el = document.getElementById("jupyter-config-data");
  return el ? (JSON.parse(el.textContent || "{}") as Record<string, unknown>) : {};
}

function loadScript(url: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const script = document.createElement("script");
    script.onload = () => resolve();
    script.onerror = () => reject(new Error(`could not load ${url}`));
    script.async = true;
    script.src = url;
    document.head.appendChild(script);
  });
}

async function loadRemote(url: string, scope: string): Promise<void> {
  await loadScript(url);
  await __webpack_init_sharing__("default");
  const containers = (window as unknown as { _JUPYTERLAB: Record<string, Container> })._JUPYTERLAB;
  await containers[scope].init(__webpack_share_scopes__.default);
}

async function start(): Promise<void> {
  const config = pageConfig();
  // Assigning this free variable is how rspack learns the public path at run time.
  __webpack_public_path__ = `${String(config.fullStaticUrl)}/`;
  const all = (config.federated_extensions ?? []) as FederatedExtension[];
  const base = String(config.fullLabextensionsUrl);
  const results = await Promise.allSettled(
    all.map((ext) => loadRemote(`${base}/${ext.name}/${ext.load}`, ext.name)),
  );
  // An extension that fails to load is reported and left out; the lab still starts.
  const loaded = all.filter((ext, i) => {
    const r = results[i];
    if (r.status === "rejected") console.error(`labextension ${ext.name} failed to load`, r.reason);
    return r.status === "fulfilled";
  });
  await import("./style.js");
  const { main } = await import("./main.js");
  await main(loaded);
}

void start().catch(showStartFailure);
