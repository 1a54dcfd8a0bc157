/* global self, fetch, Headers, Response, URL */
// Cross-origin isolation where the host cannot set headers (GitHub Pages): this service worker
// re-serves the site's own responses with the headers `npm run site:serve` sends, so the page
// gets SharedArrayBuffer (the GEMM's worker threads, interrupts of loops that never await).
// register.js installs it and reloads the page once; other origins' responses pass untouched.

const ISOLATION_HEADERS = {
  "Cross-Origin-Opener-Policy": "same-origin",
  "Cross-Origin-Embedder-Policy": "require-corp",
  "Cross-Origin-Resource-Policy": "same-origin",
};

// Take over at once: the page waiting to reload should not wait for its own tab to close.
self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (new URL(request.url).origin !== self.location.origin) return;
  // Only the browser's cache may answer these; fetching them again here would fail.
  if (request.cache === "only-if-cached" && request.mode !== "same-origin") return;
  event.respondWith(withIsolation(request));
});

async function withIsolation(request) {
  const response = await fetch(request);
  // Opaque responses (and redirects a navigation follows itself) have no headers to add to.
  if (response.status === 0 || response.type === "opaqueredirect") return response;
  const headers = new Headers(response.headers);
  for (const [name, value] of Object.entries(ISOLATION_HEADERS)) headers.set(name, value);
  return new Response(response.body, {
    status: response.status,
    statusText: response.statusText,
    headers,
  });
}
