// The page's side of dl.save / dl.load in the browser kernel: files of the lab's own file
// browser (JupyterLite keeps them in the browser's storage), so a notebook that saves weights
// next to itself does so in the tab as it does under Node, and the file shows in the browser.
import { PathExt } from "@jupyterlab/coreutils";
import type { Contents } from "@jupyterlab/services";

export interface PageFiles {
  read(path: string): Promise<Uint8Array>;
  write(path: string, bytes: Uint8Array): Promise<void>;
}

/** `path` as the lab's contents name it: relative ones from `dir` (the notebook's folder). */
export function resolveInLab(dir: string, path: string): string {
  const joined = path.startsWith("/") ? path : PathExt.join("/", dir, path);
  return PathExt.normalize(joined).replace(/^\/+/, "");
}

function toBase64(bytes: Uint8Array): string {
  let binary = "";
  // Chunks keep String.fromCharCode's argument list well under the engine's limit.
  for (let i = 0; i < bytes.length; i += 0x8000)
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

function fromBase64(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** Files of `contents`, relative paths resolved from `dir`. */
export function labFiles(contents: Contents.IManager, dir: string): PageFiles {
  return {
    async read(path) {
      const model = await contents.get(resolveInLab(dir, path), { content: true, type: "file" });
      if (model.type === "directory") throw new Error("it is a folder");
      if (model.format === "base64") return fromBase64(String(model.content));
      const text = model.format === "json" ? JSON.stringify(model.content) : String(model.content);
      return new TextEncoder().encode(text);
    },
    async write(path, bytes) {
      const at = resolveInLab(dir, path);
      await contents.save(at, { type: "file", format: "base64", content: toBase64(bytes) });
    },
  };
}
