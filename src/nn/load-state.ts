// Module.loadStateDict's two phases: check every entry (type, disposed, shape, dtype kind,
// device move and cast), then write. Nothing is written unless every check passed, so a failed
// load leaves the model exactly as it was.
import { Tensor } from "../tensor/tensor.js";
import { fail, fmtShape } from "../tensor/errors.js";
import { isFloat } from "../tensor/dtype.js";
import { noGrad } from "../autograd/mode.js";
import { cast } from "../ops/copy.js";

/** What {@link Module.loadStateDict} reports (PyTorch's `_IncompatibleKeys`). */
export interface LoadResult {
  /** Keys the module has but the dict lacks (non-strict loads only). */
  missingKeys: string[];
  /** Keys the dict has but the module lacks (non-strict loads only). */
  unexpectedKeys: string[];
}

const OP = "loadStateDict";

/** The dict's entries; a plain object may have a null prototype (names like "__proto__"). */
function entriesOf(owner: string, dict: unknown): Map<string, unknown> {
  if (dict instanceof Map) return new Map(dict as Map<string, unknown>);
  if (dict === null || typeof dict !== "object" || Array.isArray(dict) || dict instanceof Tensor)
    fail(
      OP,
      `${owner}: expected a Record<string, Tensor> or Map<string, Tensor>, got ${describe(dict)}`,
    );
  return new Map(Object.entries(dict));
}

function describe(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  if (v instanceof Tensor) return `a Tensor of shape ${fmtShape(v.shape)}`;
  return typeof v;
}

/** What an entry must be to replace `target`: every reason it cannot, or the new value. */
function problemWith(key: string, src: unknown, target: Tensor): string | null {
  if (!(src instanceof Tensor)) return `"${key}" is ${describe(src)}, not a Tensor`;
  if (src.isDisposed) return `"${key}" was disposed`;
  if (src.shape.join() !== target.shape.join())
    return `size mismatch for ${key}: checkpoint has ${fmtShape(src.shape)}, model has ${fmtShape(target.shape)}`;
  if (isFloat(src.dtype) !== isFloat(target.dtype))
    return `dtype mismatch for ${key}: checkpoint has ${src.dtype}, model has ${target.dtype}`;
  return null;
}

/**
 * Loads `dict` into `own` (the module's parameters and buffers by dotted name). Throws a
 * DendriteError listing every problem before anything is written.
 */
export function loadModuleState(
  owner: string,
  own: ReadonlyMap<string, Tensor>,
  dict: unknown,
  strict: boolean,
): LoadResult {
  const given = entriesOf(owner, dict);
  const missingKeys = [...own.keys()].filter((k) => !given.has(k));
  const unexpectedKeys = [...given.keys()].filter((k) => !own.has(k));
  const problems: string[] = [];
  if (strict && missingKeys.length) problems.push(`missing keys: ${missingKeys.join(", ")}`);
  if (strict && unexpectedKeys.length)
    problems.push(`unexpected keys: ${unexpectedKeys.join(", ")}`);
  for (const [k, t] of own) {
    if (!given.has(k)) continue;
    const problem = problemWith(k, given.get(k), t);
    if (problem) problems.push(problem);
  }
  if (problems.length) fail(OP, `error loading state dict for ${owner}: ${problems.join("; ")}`);
  // Every value is moved and cast before the first write: a failure there writes nothing.
  const staged: [Tensor, Tensor][] = [];
  noGrad(() => {
    for (const [k, t] of own) {
      const src = given.get(k) as Tensor | undefined;
      if (!src) continue;
      // Sharing storage with the caller's tensor is safe: ops never write into a buffer
      // they did not just allocate, and _assign swaps storages rather than writing.
      const moved = src.device === t.device ? src : src.to(t.device);
      staged.push([t, moved.dtype === t.dtype ? moved : cast(moved, t.dtype)]);
    }
  });
  for (const [t, v] of staged) t._assign(v);
  return { missingKeys, unexpectedKeys };
}
