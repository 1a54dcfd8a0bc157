// `node bench/gpu/closure.mjs PKG...`: the node_modules folders that PKG and everything it
// needs at run time (dependencies and installed optional ones) resolve to, one per line, so
// pack.sh can carry just those to a machine with no registry.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "../..");
const seen = new Set();

/** Node's lookup: node_modules/NAME in `from`, then in each folder above it. */
function resolvePackage(name, from) {
  for (let dir = from; dir.startsWith(root); dir = dirname(dir)) {
    const candidate = join(dir, "node_modules", name);
    if (existsSync(join(candidate, "package.json"))) return candidate;
    if (dir === root) break;
  }
  return null;
}

function visit(name, from) {
  const dir = resolvePackage(name, from);
  if (!dir || seen.has(dir)) return;
  seen.add(dir);
  const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
  for (const dep of Object.keys({ ...pkg.dependencies, ...pkg.optionalDependencies }))
    visit(dep, dir);
}

for (const name of process.argv.slice(2)) visit(name, root);
console.log([...seen].map((d) => relative(root, d)).join("\n"));
