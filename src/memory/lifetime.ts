// Who answers for a tensor handle's reference to its storage, and when it is counted.
//
// JavaScript cannot observe, inside one synchronous job, that an object became unreachable:
// finalizers run only between tasks, and a WeakRef pins its target until the job ends. So a
// PyTorch-style loop that never yields a task (itemSync(), or awaits that resolve at once)
// would see every handle it ever made as alive. The design:
//
// - Explicit owners release deterministically: dispose(), tidy() scopes, the autograd graph
//   (backward frees what it saved), optimizers (the state and parameters a step replaces).
// - Handles nobody disposes are "young" at first: counted, and registered with a finalizer
//   so an interactive session (which yields between cells) gets them back when collected.
// - On a garbage-collected backend (the CPU: a storage's typed array is referenced by its
//   handles only, never by this bookkeeping), a young handle that lives through two step
//   boundaries (backward(), optimizer.step(), item()) without being disposed or kept is handed
//   to the garbage collector: its finalizer cell is dropped and it stops being counted. Its
//   memory is still the GC's to free when user code lets go of it, and nothing is ever freed
//   under a handle the user holds. This keeps both RSS and dl.memory() flat in loops that
//   never reach a task turn.
// - Handles that must be counted for as long as they live (parameters, buffers, gradients,
//   optimizer state, keep()) are "owned": they never age out.
// - GPU buffers need an explicit free, so GPU handles never age out: they are released by
//   their owner, by dispose(), or by the finalizer at the next task turn (a GPU loop reaches
//   one whenever it reads a value: reading a GPU tensor is always asynchronous). A GPU loop
//   that never reads and never yields cannot be kept flat without freeing handles the user
//   may hold, so past GPU_WARN_AT such handles without a task turn it is told so, once.
// - A handle made inside a tidy() scope is registered with the finalizer only if it leaves
//   the scope alive (returned to no enclosing scope, or kept): the scope holds it strongly
//   and disposes it deterministically otherwise, so the registration would be pure cost.
//   Registering is what made a one-element op slow: the weak cells were ~40% of its time, in
//   the garbage collector (measured on a 20,000-op loop).
import type { BackendBuffer } from "../backend/backend.js";
import type { RefCount, Storage } from "./storage.js";

const YOUNG = 0;
const OWNED = 1;
const COLLECTED = 2;
const RELEASED = 3;

/** One handle's reference: the finalizer token (the count only, never the buffer). */
export interface Held {
  count: RefCount;
  state: number;
  /** The step boundary count when the handle was made (young handles age from it). */
  born: number;
  readonly gcFrees: boolean;
  /** Whether the finalizer knows this handle (deferred inside tidy scopes, see above). */
  registered: boolean;
}

const finalizer = new FinalizationRegistry<Held>((held) => {
  if (held.state === RELEASED || held.state === COLLECTED) return;
  held.state = RELEASED;
  held.count.uncount();
  held.count.release();
});

/** Young handles of a garbage-collected backend that may still age out, oldest first. */
let nursery: Held[] = [];
let boundaries = 0;
/** Boundaries a young CPU handle lives through before it is left to the GC. */
const AGE_LIMIT = 3;
/** Past this many young handles a boundary is taken anyway (loops that never step). */
const NURSERY_LIMIT = 1 << 16;
let turnScheduled = false;
/** Live unowned handles of explicitly freed (GPU) buffers made since the last task turn. */
let gpuSinceTurn = 0;
const GPU_WARN_AT = 20_000;
let gpuWarned = false;

/** At a task turn finalizers can run: the young handles so far simply stay registered. */
function onTaskTurn(): void {
  registerSaved(0);
  turnScheduled = false;
  gpuSinceTurn = 0;
  for (const h of nursery) if (h.state === YOUNG) h.state = OWNED;
  nursery = [];
}

function scheduleTaskTurn(): void {
  if (turnScheduled) return;
  turnScheduled = true;
  const timer = setTimeout(onTaskTurn, 0) as { unref?: () => void };
  timer.unref?.();
}

/**
 * Takes a reference to `storage` on behalf of `owner`, released by dispose or by the GC. A
 * handle a tidy() scope holds (`scoped`) is registered with the finalizer only when it
 * leaves the scope alive ({@link register}).
 */
export function hold(owner: object, storage: Storage, owned = false, scoped = false): Held {
  const held: Held = {
    count: storage.count,
    state: owned ? OWNED : YOUNG,
    born: boundaries,
    gcFrees: storage.backend.gcFreesBuffers === true,
    registered: false,
  };
  held.count.retain();
  held.count.count();
  if (!scoped) register(owner, held);
  if (!owned && held.gcFrees) {
    nursery.push(held);
    scheduleTaskTurn();
    if (nursery.length > NURSERY_LIMIT) stepBoundary();
  } else if (!owned) countGpuHandle();
  return held;
}

/**
 * Saved-tensor aliases of garbage-collected storages (the CPU's) not yet known to the
 * finalizer, as parallel arrays (no record per alias). The graph owns them and backward
 * releases them, almost always within the step that made them, so registering each one
 * with the finalizer (a weak cell for the collector to trace, then unregistering it) was
 * pure cost: about a tenth of the tiny step (x·w, relu, sum, backward). They are registered
 * only if they outlive that: at a task turn (finalizers may run from then on, as for every
 * handle), once SAVED_AGE step boundaries have passed (a graph dropped without backward), or
 * when the list holds SAVED_BYTES of storage (a loop that neither steps nor yields). On such
 * a storage the finalizer only keeps dl.memory()'s count: the garbage collector frees the
 * array itself. The list holds the aliases strongly, so the saved storages of a graph dropped
 * without backward stay reachable until then (at most SAVED_BYTES of them).
 */
const savedOwners: object[] = [];
const savedHelds: Held[] = [];
let savedBytes = 0;
const SAVED_AGE = 2;
const SAVED_BYTES = 64 * 1024 * 1024;

/** hold() for a saved-tensor alias: registration deferred on a garbage-collected backend. */
export function holdSaved(owner: object, storage: Storage): Held {
  if (storage.backend.gcFreesBuffers !== true) return hold(owner, storage);
  const held = hold(owner, storage, false, true);
  savedOwners.push(owner);
  savedHelds.push(held);
  savedBytes += held.count.bytes;
  if (savedBytes > SAVED_BYTES) registerSaved(0);
  return held;
}

/** Registers the deferred aliases still alive at least `minAge` boundaries old; drops the rest. */
function registerSaved(minAge: number): void {
  let kept = 0;
  savedBytes = 0;
  for (let i = 0; i < savedHelds.length; i++) {
    const held = savedHelds[i];
    if (held.state === RELEASED || held.state === COLLECTED) continue;
    if (boundaries - held.born >= minAge) {
      register(savedOwners[i], held);
      continue;
    }
    savedOwners[kept] = savedOwners[i];
    savedHelds[kept++] = held;
    savedBytes += held.count.bytes;
  }
  savedOwners.length = kept;
  savedHelds.length = kept;
}

/** Hands a live handle to the finalizer (once): a scoped handle leaving its tidy() alive. */
export function register(owner: object, held: Held | null): void {
  if (!held || held.registered || held.state === RELEASED || held.state === COLLECTED) return;
  held.registered = true;
  finalizer.register(owner, held, held);
}

function countGpuHandle(): void {
  scheduleTaskTurn();
  if (++gpuSinceTurn < GPU_WARN_AT || gpuWarned) return;
  gpuWarned = true;
  console.warn(
    `dendrite: ${GPU_WARN_AT} GPU tensors were made without a task turn. A GPU buffer nobody ` +
      "disposed is freed only at a task turn, after the handle is garbage-collected; a loop that " +
      "never awaits keeps them all. Read a value now and then (await loss.item()), or wrap the " +
      "step in dl.tidy(() => ...).",
  );
}

/** Marks a handle as one to count for its whole life (parameters, state, keep()). */
export function own(held: Held | null): void {
  if (!held || held.state !== YOUNG) return;
  if (!held.gcFrees) uncountGpuHandle();
  held.state = OWNED;
}

/** Approximate across a task turn (the count restarts there): a warning's threshold only. */
function uncountGpuHandle(): void {
  if (gpuSinceTurn > 0) gpuSinceTurn--;
}

export function isOwned(held: Held | null): boolean {
  return held !== null && held.state === OWNED;
}

/**
 * Releases the reference early (dispose). Safe to call once per hold. `buffer`, the storage's
 * buffer, lets the backend reuse it at once if this was the last reference.
 */
export function drop(held: Held, buffer?: BackendBuffer): void {
  if (held.state === RELEASED) return;
  if (held.state === YOUNG && !held.gcFrees) uncountGpuHandle();
  if (held.state !== COLLECTED) {
    if (held.registered) finalizer.unregister(held);
    held.count.uncount();
  }
  held.state = RELEASED;
  held.count.release(buffer);
}

/**
 * A deterministic point of a training loop (backward, optimizer step, reading a value).
 * Young CPU handles that have lived through three of them go to the garbage collector.
 */
export function stepBoundary(): void {
  boundaries++;
  let keepFrom = nursery.length;
  for (let i = 0; i < nursery.length; i++) {
    const h = nursery[i];
    if (boundaries - h.born < AGE_LIMIT && nursery.length <= NURSERY_LIMIT) {
      keepFrom = i;
      break;
    }
    if (h.state !== YOUNG) continue;
    h.state = COLLECTED;
    if (h.registered) finalizer.unregister(h);
    h.count.uncount();
  }
  nursery = nursery.slice(keepFrom);
  registerSaved(SAVED_AGE);
}
