// The library's one link to whatever shows outputs (the Dendrite kernel installs a publisher
// at start-up). Dependency-free, so the library never imports the kernel. Outside a kernel
// publishDisplay returns false and callers fall back to printing text.

/** Options of {@link publishDisplay}. */
export interface PublishOptions {
  /** Names a display so later updates replace it in place. */
  displayId?: string;
  /** Replace the display named by displayId instead of adding a new output. */
  update?: boolean;
}

export type DisplayPublisher = (bundle: Record<string, unknown>, opts?: PublishOptions) => void;

// The publisher lives on globalThis under a registered symbol, not in a module variable: a
// notebook can end up with two copies of this module (the kernel's and one bundled or
// required elsewhere), and both must reach the same kernel.
const KEY = Symbol.for("dendrite.displayPublisher");
type Holder = { [KEY]?: DisplayPublisher | null };

/**
 * Installs the function that sends display bundles to the front end (the Dendrite kernel does this
 * at start-up); null removes it.
 */
export function setDisplayPublisher(fn: DisplayPublisher | null): void {
  (globalThis as Holder)[KEY] = fn;
}

export function hasDisplayPublisher(): boolean {
  return typeof (globalThis as Holder)[KEY] === "function";
}

/** Sends a bundle to the front end; false when no publisher is installed. */
export function publishDisplay(bundle: Record<string, unknown>, opts?: PublishOptions): boolean {
  const publisher = (globalThis as Holder)[KEY];
  if (typeof publisher !== "function") return false;
  publisher(bundle, opts);
  return true;
}
