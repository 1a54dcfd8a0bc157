// Small pieces the kernel's core shares between Node and the browser worker (the site's
// kernel runs the same executor in a web worker, where there is no setImmediate or Buffer).

/** One task turn: lets a pending SIGINT, a message or a rejection nobody handled surface. */
export function nextTask(): Promise<void> {
  const g = globalThis as { setImmediate?: (cb: () => void) => unknown };
  return new Promise<void>((resolve) =>
    g.setImmediate ? g.setImmediate(resolve) : setTimeout(resolve, 0),
  );
}

/** Base64 of UTF-8 text, decoded (atob exists in Node 16+ and every browser). */
export function decodeBase64Utf8(b64: string): string {
  const bin = atob(b64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return new TextDecoder().decode(bytes);
}

/** UTF-8 text as base64. */
export function encodeBase64Utf8(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let bin = "";
  for (let i = 0; i < bytes.length; i += 0x8000)
    bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin);
}
