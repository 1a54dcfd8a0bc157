// JupyterLab's own bootstrap once the plugins are registered: the step both builds of the lab
// share (the desktop lab served by Jupyter and the JupyterLite site).
import { JupyterLab } from "@jupyterlab/application";
import type { IRenderMime } from "@jupyterlab/rendermime-interfaces";
import { IConnectionStatus, IServiceManager } from "@jupyterlab/services";
import type { PluginRegistry } from "@lumino/coreutils";

/**
 * Starts JupyterLab over registered plugins. Since JupyterLab 4.4 the service manager comes
 * from plugins (the server's, or JupyterLite's in-browser ones). `renderers` says which copy
 * of Dendrite's renderers draws, for the browser tests.
 */
export async function startLab(
  pluginRegistry: PluginRegistry,
  mimeExtensions: IRenderMime.IExtensionModule[],
  renderers: "bundled" | "labextension",
): Promise<void> {
  const serviceManager = await pluginRegistry.resolveOptionalService(IServiceManager);
  const connectionStatus = await pluginRegistry.resolveOptionalService(IConnectionStatus);
  const lab = new JupyterLab({
    pluginRegistry,
    serviceManager: serviceManager ?? undefined,
    connectionStatus: connectionStatus ?? undefined,
    mimeExtensions,
  });
  await lab.start({ bubblingKeydown: true });
  await lab.restored;
  // The browser tests drive the lab through its commands (run all, change theme).
  (window as unknown as { jupyterapp: JupyterLab }).jupyterapp = lab;
  document.body.dataset.dendriteRenderers = renderers;
  document.body.dataset.dendriteLab = "ready";
}
