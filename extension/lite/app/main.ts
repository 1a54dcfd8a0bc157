// Starts the site's JupyterLite: JupyterLab's application with JupyterLite's services and
// the Dendrite renderers compiled in (no server, no prebuilt labextensions).
import { PluginRegistry } from "@lumino/coreutils";
import { loadMimeExtensions } from "../../app/plugins.js";
import { startLab } from "../../app/start-lab.js";
import { loadLitePlugins } from "./plugins.js";

export async function main(): Promise<void> {
  const pluginRegistry = new PluginRegistry();
  pluginRegistry.registerPlugins(await loadLitePlugins());
  await startLab(pluginRegistry, await loadMimeExtensions(true), "bundled");
}
