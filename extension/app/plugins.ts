// The JupyterLab plugins the bundled lab is made of: a notebook-centred subset of JupyterLab's
// own core extensions (no terminal, debugger or extension manager, which jupyter-server 1.23 from
// Debian does not serve), plus ipywidgets' front end (so `dl.widgets` render) and Dendrite's
// renderers compiled in from source.
import type { JupyterFrontEndPlugin } from "@jupyterlab/application";
import type { IRenderMime } from "@jupyterlab/rendermime-interfaces";
import dendrite from "../src/index.js";

type Module = { default: JupyterFrontEndPlugin<unknown> | JupyterFrontEndPlugin<unknown>[] };

/** Loaded in parallel; each import is its own chunk, as in JupyterLab's own bootstrap. */
function extensionModules(): Promise<Module>[] {
  return [
    // ipywidgets' front end: the widget manager, the controls and the Output widget.
    import("@jupyter-widgets/jupyterlab-manager"),
    import("@jupyterlab/application-extension"),
    import("@jupyterlab/apputils-extension"),
    import("@jupyterlab/cell-toolbar-extension"),
    import("@jupyterlab/celltags-extension"),
    import("@jupyterlab/codemirror-extension"),
    import("@jupyterlab/completer-extension"),
    import("@jupyterlab/console-extension"),
    import("@jupyterlab/docmanager-extension"),
    import("@jupyterlab/documentsearch-extension"),
    import("@jupyterlab/filebrowser-extension"),
    import("@jupyterlab/fileeditor-extension"),
    import("@jupyterlab/help-extension"),
    import("@jupyterlab/launcher-extension"),
    import("@jupyterlab/mainmenu-extension"),
    import("@jupyterlab/markdownviewer-extension"),
    import("@jupyterlab/markedparser-extension"),
    import("@jupyterlab/mathjax-extension"),
    import("@jupyterlab/metadataform-extension"),
    import("@jupyterlab/notebook-extension"),
    import("@jupyterlab/rendermime-extension"),
    import("@jupyterlab/running-extension"),
    import("@jupyterlab/services-extension"),
    import("@jupyterlab/settingeditor-extension"),
    import("@jupyterlab/shortcuts-extension"),
    import("@jupyterlab/statusbar-extension"),
    import("@jupyterlab/theme-dark-extension"),
    import("@jupyterlab/theme-light-extension"),
    import("@jupyterlab/toc-extension"),
    import("@jupyterlab/tooltip-extension"),
    import("@jupyterlab/translation-extension"),
    import("@jupyterlab/ui-components-extension"),
  ] as Promise<Module>[];
}

/** Plugins that need server endpoints jupyter-server 1.23 lacks (language servers). */
const SKIP = [/:language-server$/];

export async function loadPlugins(): Promise<JupyterFrontEndPlugin<unknown>[]> {
  const modules = await Promise.all(extensionModules());
  return modules
    .flatMap((m) => (Array.isArray(m.default) ? m.default : [m.default]))
    .filter((p) => !SKIP.some((re) => re.test(p.id)));
}

export const DENDRITE_PACKAGE = "@dendrite/jupyterlab";

export async function loadMimeExtensions(
  withDendrite: boolean,
): Promise<IRenderMime.IExtensionModule[]> {
  const core = await Promise.all([
    import("@jupyterlab/javascript-extension"),
    import("@jupyterlab/json-extension"),
  ]);
  // JupyterLab treats a module without __esModule as CommonJS exports and would read our
  // wrapper object itself as the extension.
  const ours = withDendrite ? [{ __esModule: true, default: dendrite }] : [];
  return [...core, ...ours] as IRenderMime.IExtensionModule[];
}
