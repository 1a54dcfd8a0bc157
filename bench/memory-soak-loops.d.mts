// Types for memory-soak-loops.mjs (imported by tests/memory/soak.test.ts).
import type * as Dendrite from "../src/index.js";

export interface SoakRow {
  step: number;
  tensors: number;
  bytes: number;
  rss: number;
  loss: number;
}

type Dl = typeof Dendrite;

export function syncLoop(dl: Dl, steps: number, at: Set<number>): SoakRow[];
export function asyncLoop(
  dl: Dl,
  steps: number,
  at: Set<number>,
  yieldTask?: boolean,
): Promise<SoakRow[]>;
export function tbpttLoop(dl: Dl, steps: number, at: Set<number>): Promise<SoakRow[]>;
export function soak(
  dl: Dl,
  style: string,
  steps: number,
  at: Set<number>,
  onRow?: (row: SoakRow) => void,
): Promise<SoakRow[]>;
