// `npm run site:serve`: serves site/ on 127.0.0.1 with the headers that make the page
// cross-origin isolated (COOP/COEP), so the kernel's interrupt can use SharedArrayBuffer.
//   node extension/lite/serve.mjs [--port N] [--dir site]
import { createReadStream, existsSync, statSync } from "node:fs";
import { createServer } from "node:http";
import { extname, join, normalize, resolve, sep } from "node:path";
import { fileURLToPath, URL } from "node:url";

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".ipynb": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".woff": "font/woff",
  ".woff2": "font/woff2",
  ".ttf": "font/ttf",
  ".wasm": "application/wasm",
  ".txt": "text/plain; charset=utf-8",
};

/** Cross-origin isolation: required for SharedArrayBuffer (interrupts of busy loops). */
export const ISOLATION_HEADERS = {
  "Cross-Origin-Opener-Policy": "same-origin",
  "Cross-Origin-Embedder-Policy": "require-corp",
  "Cross-Origin-Resource-Policy": "same-origin",
};

/** `isolated: false` leaves the headers out (the tests check the page's message then). */
export function serveSite(dir, port = 0, { isolated = true } = {}) {
  const isolation = isolated ? ISOLATION_HEADERS : {};
  const base = resolve(dir);
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname);
    let file = normalize(join(base, path));
    if (file !== base && !file.startsWith(base + sep)) {
      res.writeHead(403).end();
      return;
    }
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, "index.html");
    if (!existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404, { "content-type": "text/plain", ...isolation });
      res.end(`not found: ${path}`);
      return;
    }
    res.writeHead(200, {
      "content-type": TYPES[extname(file)] ?? "application/octet-stream",
      "cache-control": "no-cache",
      ...isolation,
    });
    createReadStream(file).pipe(res);
  });
  return new Promise((ok) => server.listen(port, "127.0.0.1", () => ok(server)));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const arg = (name, fallback) => {
    const i = process.argv.indexOf(`--${name}`);
    return i >= 0 ? process.argv[i + 1] : fallback;
  };
  const dir = arg("dir", join(fileURLToPath(new URL("../..", import.meta.url)), "site"));
  if (!existsSync(join(dir, "index.html"))) {
    console.error(`[dendrite] no site in ${dir}: run npm run site first`);
    process.exit(1);
  }
  const server = await serveSite(dir, Number(arg("port", "8000")));
  console.log(`[dendrite] site at http://127.0.0.1:${server.address().port}/ (Ctrl-C stops)`);
}
