// The safety net: a tensor handle that becomes unreachable without dispose() still releases
// its storage reference, so loops written without tidy() keep memory flat.
import type { BackendBuffer } from "../backend/backend.js";
import type { RefCount, Storage } from "./storage.js";
import { countTensor } from "./storage.js";

/** The finalizer token: the count only, never the buffer (see RefCount). */
interface Held {
  count: RefCount;
}

const finalizer = new FinalizationRegistry<Held>((held) => {
  countTensor(held.count.device, -1);
  held.count.release();
});

/** Takes a reference to `storage` on behalf of `owner`, released by dispose or by the GC. */
export function hold(owner: object, storage: Storage): Held {
  const held = { count: storage.count };
  held.count.retain();
  countTensor(held.count.device, 1);
  finalizer.register(owner, held, owner);
  return held;
}

/**
 * Releases the reference early (dispose). Safe to call once per hold. `buffer`, the storage's
 * buffer, lets the backend reuse it at once if this was the last reference.
 */
export function drop(owner: object, held: Held, buffer?: BackendBuffer): void {
  finalizer.unregister(owner);
  countTensor(held.count.device, -1);
  held.count.release(buffer);
}
