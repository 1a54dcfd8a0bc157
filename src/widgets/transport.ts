// The library's one link to Jupyter comms. A kernel (Dendrite's installs one at start-up)
// supplies a CommTransport; the widgets speak the widget protocol over it and never import
// the kernel. Without a transport (a plain Node script, tests) widgets still hold their
// state and run their callbacks locally, and display as text.

/** A comm message's JSON data. */
export type CommData = Record<string, unknown>;
/** Binary parts of a message, in order (the widget protocol's `buffer_paths` point at them). */
export type CommBuffers = readonly (ArrayBuffer | ArrayBufferView)[];

/** One open comm, kernel side. */
export interface Comm {
  /** The comm id. */
  readonly id: string;
  /** The comm's target name. */
  readonly target: string;
  /** Sends a message to the front end. */
  send(data: CommData, buffers?: CommBuffers): void;
  /** Closes the comm. */
  close(data?: CommData): void;
  /** Messages from the front end, in arrival order. */
  onMessage(handler: (data: CommData, buffers: Uint8Array[]) => void): void;
  /** Called once when the comm closes. */
  onClose(handler: (data: CommData) => void): void;
}

/** Called when the front end opens a comm to a registered target. */
export type CommOpenHandler = (comm: Comm, data: CommData, buffers: Uint8Array[]) => void;

/** The kernel's comm channel to the front end (installed by the Dendrite kernel). */
export interface CommTransport {
  /** Opens a comm to a front-end target; `id` lets the caller choose the comm id. */
  open(target: string, data: CommData, opts?: { id?: string; buffers?: CommBuffers }): Comm;
  /** Calls `handler` when the front end opens a comm to `target`. */
  registerTarget(target: string, handler: CommOpenHandler): void;
}

// On globalThis under a registered symbol (as the display publisher): a notebook may load two
// copies of the library, and both must reach the same kernel.
const KEY = Symbol.for("dendrite.commTransport");
const HOOKS = Symbol.for("dendrite.commTransportHooks");
type Holder = {
  [KEY]?: CommTransport | null;
  [HOOKS]?: ((t: CommTransport) => void)[];
};
const holder = globalThis as Holder;

/** Installs (or removes, with null) the transport; targets registered so far are attached. */
export function setCommTransport(transport: CommTransport | null): void {
  holder[KEY] = transport;
  if (transport) for (const hook of holder[HOOKS] ?? []) hook(transport);
}

/** The installed comm transport, or null outside a kernel with comms. */
export function commTransport(): CommTransport | null {
  return holder[KEY] ?? null;
}

/** Runs `hook` with the current transport and with every one installed later. */
export function onCommTransport(hook: (t: CommTransport) => void): void {
  (holder[HOOKS] ??= []).push(hook);
  const current = commTransport();
  if (current) hook(current);
}
