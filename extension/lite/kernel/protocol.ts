// Messages between the page (the JupyterLite kernel object) and the kernel's web worker.

/** A Jupyter message as JupyterLite passes it around (channel included, buffers inline). */
export interface JupyterMessage {
  header: { msg_id: string; msg_type: string; session: string; [key: string]: unknown };
  parent_header: Record<string, unknown>;
  metadata: Record<string, unknown>;
  content: Record<string, any>;
  buffers?: unknown[];
  channel: string;
}

export type ToWorker =
  | {
      type: "init";
      /** Int32 flags shared with the page, or null where the page is not cross-origin isolated. */
      flags: SharedArrayBuffer | null;
      /** The site's root URL: declarations and datasets are fetched from there. */
      siteUrl: string;
      version: string;
    }
  | { type: "message"; msg: JupyterMessage }
  | { type: "interrupt" }
  /** The page's answer to a "file" request: the bytes read, or why it failed. */
  | { type: "file-answer"; id: number; bytes?: ArrayBuffer; error?: string };

export type FromWorker =
  | { type: "ready" }
  | { type: "failed"; error: string }
  | { type: "message"; msg: JupyterMessage }
  /** The request with this id is answered (its idle status sent). */
  | { type: "done"; msgId: string }
  /** dl.save / dl.load: read or write a file of the lab's file browser. */
  | { type: "file"; id: number; op: "read" | "write"; path: string; bytes?: Uint8Array };

export const KERNEL_NAME = "dendrite";
