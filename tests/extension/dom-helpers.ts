// Shared set-up for renderer tests in jsdom: a fake MIME model and renderer options, and a
// canvas stub (jsdom has no 2-D context; the views must cope with getContext returning null).
import type { IRenderMime } from "@jupyterlab/rendermime-interfaces";
import { Widget } from "@lumino/widgets";

export function rendererOptions(mimeType: string): IRenderMime.IRendererOptions {
  return {
    mimeType,
    sanitizer: { sanitize: (s: string) => s },
    resolver: null,
    linkHandler: null,
    latexTypesetter: null,
  } as unknown as IRenderMime.IRendererOptions;
}

export function mimeModel(mimeType: string, payload: unknown): IRenderMime.IMimeModel {
  return {
    trusted: false,
    data: { [mimeType]: payload } as IRenderMime.IMimeModel["data"],
    metadata: {},
    setData: () => undefined,
  };
}

export function stubCanvas(): void {
  HTMLCanvasElement.prototype.getContext = (() => null) as never;
}

/** Attaches a widget to the document, as an output area would. */
export function attach(w: Widget): void {
  Widget.attach(w, document.body);
}
