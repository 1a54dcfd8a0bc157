// The MIME renderer extension: one renderer per Dendrite vendor type. Ranks sit below 50 so the
// bundles' own static fallbacks (text/html 50, image/svg+xml 80) never win where this extension
// is installed, while front ends without it still show the fallbacks.
import type { IRenderMime } from "@jupyterlab/rendermime-interfaces";
import { GRAPH_MIME, PLOT_MIME, TENSOR_MIME } from "../../src/display/protocol.js";
import { GraphRenderer } from "./graphRenderer.js";
import { PlotRenderer } from "./plotRenderer.js";
import { TensorRenderer } from "./tensorRenderer.js";

export const RANK = 20;

function extension(
  name: string,
  mimeType: string,
  create: (o: IRenderMime.IRendererOptions) => IRenderMime.IRenderer,
): IRenderMime.IExtension {
  return {
    id: `@dendrite/jupyterlab:${name}`,
    description: `Renders ${mimeType}`,
    rank: RANK,
    dataType: "json",
    // safe: the renderers build DOM from text nodes only and run no code from the payload, so
    // JupyterLab may use them for untrusted outputs (a notebook opened from disk).
    rendererFactory: {
      safe: true,
      mimeTypes: [mimeType],
      defaultRank: RANK,
      createRenderer: create,
    },
  };
}

const extensions: IRenderMime.IExtension[] = [
  extension("graph", GRAPH_MIME, (o) => new GraphRenderer(o)),
  extension("tensor", TENSOR_MIME, (o) => new TensorRenderer(o)),
  extension("plot", PLOT_MIME, (o) => new PlotRenderer(o)),
];

export default extensions;
