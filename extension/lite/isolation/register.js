/* global window, document, navigator, location, sessionStorage, URL */
// Included by the site's pages before anything else. Where the host served the page without
// the cross-origin isolation headers, installs service-worker.js (next to this file, so its
// scope is the whole site) and reloads once, which the worker then serves with the headers.
// Once per tab: if isolation still does not come (a browser that refuses it), the page runs
// on without it rather than reloading for ever.
(() => {
  const RELOADED = "dendrite-isolation-reloaded";
  if (window.crossOriginIsolated) {
    sessionStorage.removeItem(RELOADED);
    return;
  }
  // Service workers need a secure context (https:// or localhost).
  if (!window.isSecureContext || !("serviceWorker" in navigator)) return;
  if (sessionStorage.getItem(RELOADED)) return;
  const workerUrl = new URL("isolation-sw.js", document.currentScript.src);
  navigator.serviceWorker
    .register(workerUrl.href)
    .then(() => navigator.serviceWorker.ready)
    .then(() => {
      sessionStorage.setItem(RELOADED, "1");
      location.reload();
    })
    .catch((err) => console.warn(`[dendrite] no cross-origin isolation: ${err}`));
})();
