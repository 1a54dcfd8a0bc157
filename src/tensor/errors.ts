// One error type for misuse, so callers can tell library errors from their own bugs.
// The message always starts with the op name, then what was given and what was expected.

/**
 * The error every bad input raises, naming the operation, the shapes/dtypes/devices involved and
 * what was expected.
 */
export class DendriteError extends Error {
  constructor(
    /** The operation that failed (e.g. `"matmul"`). */
    readonly op: string,
    detail: string,
  ) {
    super(`${op}: ${detail}`);
    this.name = "DendriteError";
  }
}

export function fail(op: string, detail: string): never {
  throw new DendriteError(op, detail);
}

export function fmtShape(shape: readonly number[]): string {
  return `[${shape.join(", ")}]`;
}
