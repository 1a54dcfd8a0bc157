// Starts the site's JupyterLite: JupyterLab's application with JupyterLite's services and
// the Dendrite renderers compiled in (no server, no prebuilt labextensions).
import { JupyterLab } from "@jupyterlab/application";
import { IConnectionStatus, IServiceManager } from "@jupyterlab/services";
import { PluginRegistry } from "@lumino/coreutils";
import { loadMimeExtensions } from "../../app/plugins.js";
import { loadLitePlugins } from "./plugins.js";

export async function main(): Promise<void> {
  const pluginRegistry = new PluginRegistry();
  pluginRegistry.registerPlugins(await loadLitePlugins());
  const serviceManager = await pluginRegistry.resolveOptionalService(IServiceManager);
  const connectionStatus = await pluginRegistry.resolveOptionalService(IConnectionStatus);
  const lab = new JupyterLab({
    pluginRegistry,
    serviceManager: serviceManager ?? undefined,
    connectionStatus: connectionStatus ?? undefined,
    mimeExtensions: await loadMimeExtensions(true),
  });
  await lab.start({ bubblingKeydown: true });
  await lab.restored;
  // The browser tests drive the lab through its commands (run all cells).
  (window as unknown as { jupyterapp: JupyterLab }).jupyterapp = lab;
  document.body.dataset.dendriteRenderers = "bundled";
  document.body.dataset.dendriteLab = "ready";
}
