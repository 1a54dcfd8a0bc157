// The safety net: a tensor handle that becomes unreachable without dispose() still releases
// its storage reference, so loops written without tidy() keep memory flat.
import type { Storage } from "./storage.js";
import { countTensor } from "./storage.js";

interface Held {
  storage: Storage;
}

const finalizer = new FinalizationRegistry<Held>((held) => {
  countTensor(held.storage.device, -1);
  held.storage.release();
});

/** Takes a reference to `storage` on behalf of `owner`, released by dispose or by the GC. */
export function hold(owner: object, storage: Storage): Held {
  const held = { storage };
  storage.retain();
  countTensor(storage.device, 1);
  finalizer.register(owner, held, owner);
  return held;
}

/** Releases the reference early (dispose). Safe to call once per hold. */
export function drop(owner: object, held: Held): void {
  finalizer.unregister(owner);
  countTensor(held.storage.device, -1);
  held.storage.release();
}
