// Version counters (PyTorch's _version): how many in-place ops changed a tensor's values.
// A handle shares its counter with the aliases the graph saved of it, so backward can tell
// that a saved tensor went stale (autograd/node.ts); functional/inplace.ts moves them on.

export interface VersionCounter {
  value: number;
  /** The in-place op that last moved the counter on, for the error message. */
  lastOp: string;
}
