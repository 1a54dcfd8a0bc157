// Frozen shapes and their row-major strides, shared by every tensor of that shape. Each op
// output used to get frozen copies of its shape and strides (and each kernel output a fresh
// strides array); on a one-element op those arrays were a good part of what the garbage
// collector then spent about half of the op's time on (measured on a 20,000-add loop). A
// small direct-mapped table, keyed by the dims' values, hands out one frozen pair per shape
// without allocating on a hit.

import { shapesEqual } from "./shape.js";

/** A shape and its contiguous strides, both frozen (safe to share between tensors). */
export interface Layout {
  readonly shape: readonly number[];
  readonly strides: readonly number[];
}

/** Slots in the table (a power of two); a miss only costs the copies every op used to make. */
const SLOTS = 1024;
/** Shapes of more dims are rare: they get fresh frozen arrays. */
const MAX_RANK = 8;
const table: (Layout | undefined)[] = new Array<Layout | undefined>(SLOTS).fill(undefined);

function freshLayout(shape: readonly number[]): Layout {
  const nd = shape.length;
  const dims = new Array<number>(nd);
  const strides = new Array<number>(nd);
  let s = 1;
  for (let i = nd - 1; i >= 0; i--) {
    dims[i] = shape[i];
    strides[i] = s;
    s *= shape[i];
  }
  return { shape: Object.freeze(dims), strides: Object.freeze(strides) };
}

/** The shared frozen copy of `shape` with its contiguous strides. */
export function layoutOf(shape: readonly number[]): Layout {
  const nd = shape.length;
  if (nd > MAX_RANK) return freshLayout(shape);
  let h = nd;
  for (let i = 0; i < nd; i++) h = Math.imul(h ^ shape[i], 0x9e3779b1);
  const slot = (h ^ (h >>> 15)) & (SLOTS - 1);
  const hit = table[slot];
  if (hit !== undefined && shapesEqual(hit.shape, shape)) return hit;
  return (table[slot] = freshLayout(shape));
}

/**
 * Strides for a tensor handle: the shared contiguous ones when they are equal, `strides`
 * itself when already frozen, else a frozen copy.
 */
export function frozenStrides(layout: Layout, strides: readonly number[]): readonly number[] {
  if (strides === layout.strides || shapesEqual(strides, layout.strides)) return layout.strides;
  return Object.isFrozen(strides) ? strides : Object.freeze([...strides]);
}
