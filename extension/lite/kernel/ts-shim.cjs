/* global module */
// What tslab's `require("@tslab/typescript-for-tslab")` gets in the browser bundle: the
// TypeScript proxy the worker installs before it loads tslab (see tslab-browser.ts).
const ts = globalThis.__dendriteTypeScript__;
if (!ts) throw new Error("dendrite: TypeScript must be installed before tslab loads");
module.exports = ts;
