// Debian's Chromium as the browser tests launch it on this kind of machine: headless, as
// root (no sandbox), and with the background services off, since this machine's closed
// network refuses their connections (many at a time) and they slow every start.
export const CHROMIUM = "/usr/bin/chromium";

export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];
