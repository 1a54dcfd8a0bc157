// Parsed datasets are kept in memory for the life of the process: the second call is free.
// Only raw host arrays are cached; every call builds fresh tensors, so disposing what one
// call returned never breaks the next.

const loaded = new Map<string, Promise<unknown>>();

export function cached<T>(key: string, load: () => Promise<T>): Promise<T> {
  let entry = loaded.get(key) as Promise<T> | undefined;
  if (!entry) {
    entry = load();
    loaded.set(key, entry);
    // a failed load (a missing package, say) is retried next time rather than remembered
    entry.catch(() => loaded.delete(key));
  }
  return entry;
}

/** A fixed pseudo-random order of 0..n-1 that never depends on the global seed. */
export function fixedShuffle(n: number, salt: number): number[] {
  const key = (i: number) => {
    let z = (i + salt * 0x9e3779b9) >>> 0;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
  const keys = Array.from({ length: n }, (_, i) => key(i));
  return Array.from({ length: n }, (_, i) => i).sort((a, b) => keys[a] - keys[b] || a - b);
}
