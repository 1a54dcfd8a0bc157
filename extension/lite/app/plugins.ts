// The site's JupyterLite: the plugins of the bundled lab (../../app/plugins.ts) with
// JupyterLite's in-browser services in place of the server's (kernels, sessions, contents from
// static files and browser storage, settings), its router and opener (`?path=` opens a file),
// and the Dendrite kernel. Where a JupyterLite plugin provides a service, JupyterLab's plugins
// for that service step aside, as JupyterLite's own build leaves them out.
import { JupyterFrontEnd, type JupyterFrontEndPlugin } from "@jupyterlab/application";
import { loadPlugins } from "../../app/plugins.js";
import { kernelPlugin } from "./kernel-plugin.js";

type Plugin = JupyterFrontEndPlugin<unknown>;
type Module = { default: Plugin | Plugin[] };

/** JupyterLab plugins that need a Jupyter server or that JupyterLite replaces by other means. */
const SKIP = new Set([
  // Its `router:tree` command collides with JupyterLite's opener; see treeResolver below.
  "@jupyterlab/application-extension:tree-resolver",
  // JupyterLite's download works from browser storage; JupyterLab's asks the server.
  "@jupyterlab/docmanager-extension:download",
  "@jupyterlab/filebrowser-extension:download",
  "@jupyterlab/application-extension:dirty",
  "@jupyterlab/application-extension:info",
  "@jupyterlab/apputils-extension:announcements",
  "@jupyterlab/filebrowser-extension:share-file",
  "@jupyterlab/help-extension:about",
  "@jupyterlab/running-extension:running-sessions-status",
  // No language servers in a browser.
  "@jupyterlite/application-extension:lsp-connection-manager",
  // No service worker on this site: nothing needs it (no input() in the kernel).
  "@jupyterlite/application-extension:service-worker-manager",
]);

/**
 * Static files have no /lab/tree/<path> URLs: the site opens files with `?path=` (JupyterLite's
 * opener), so no tree route ever resolves. JupyterLab's main plugin still needs the service.
 */
const treeResolver: JupyterFrontEndPlugin<JupyterFrontEnd.ITreeResolver> = {
  id: "@dendrite/lite:tree-resolver",
  description: "Says that site URLs carry no tree path (files open with ?path=)",
  autoStart: true,
  provides: JupyterFrontEnd.ITreeResolver,
  activate: () => ({ paths: Promise.resolve(null) }),
};

const flat = (m: Module): Plugin[] => (Array.isArray(m.default) ? m.default : [m.default]);

export async function loadLitePlugins(): Promise<Plugin[]> {
  const lite = (
    await Promise.all([
      import("@jupyterlite/application-extension") as Promise<Module>,
      import("@jupyterlite/apputils-extension") as Promise<Module>,
      import("@jupyterlite/services-extension") as unknown as Promise<Module>,
    ])
  ).flatMap(flat);
  const liteTokens = new Set(lite.map((p) => p.provides?.name).filter(Boolean));
  const lab = (await loadPlugins()).filter((p) => !(p.provides && liteTokens.has(p.provides.name)));
  return [...lab, ...lite, treeResolver as Plugin, kernelPlugin as Plugin].filter(
    (p) => !SKIP.has(p.id),
  );
}
