// Imported first by the renderer tests: jsdom lacks a few browser classes that Lumino touches
// at import time (@lumino/dragdrop subclasses DragEvent) or that the renderers observe with.
const g = globalThis as Record<string, unknown>;
if (typeof g.DragEvent === "undefined") g.DragEvent = class DragEvent extends MouseEvent {};
if (typeof g.ResizeObserver === "undefined") {
  g.ResizeObserver = class ResizeObserver {
    observe(): void {}
    unobserve(): void {}
    disconnect(): void {}
  };
}
if (typeof g.requestAnimationFrame === "undefined") {
  g.requestAnimationFrame = (cb: (t: number) => void) => setTimeout(() => cb(Date.now()), 0);
}
export {};
