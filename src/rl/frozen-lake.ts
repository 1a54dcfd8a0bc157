// FrozenLake as Gymnasium defines it (FrozenLake-v1): the 4x4 map by default, slippery by
// default (the intended move or either perpendicular one, 1/3 each), reward 1 on reaching the
// goal and 0 otherwise, episodes cut at 100 steps. The dynamics are GridWorld's; this class
// only fixes Gymnasium's defaults and name, so code written against Gym's FrozenLake reads the same.
import { FROZEN_LAKE_4X4, GridWorld } from "./grid-world.js";

/** FrozenLake-v1's 8x8 map (`map_name="8x8"`). */
export const FROZEN_LAKE_8X8 = [
  "SFFFFFFF",
  "FFFFFFFF",
  "FFFHFFFF",
  "FFFFFHFF",
  "FFFHFFFF",
  "FHHFFFHF",
  "FHFFHFHF",
  "FFFHFFFG",
] as const;

/** Options of {@link FrozenLake}. */
export interface FrozenLakeOptions {
  /** "4x4" (default) or "8x8", Gymnasium's `map_name`; or rows of S F H G characters. */
  map?: "4x4" | "8x8" | readonly string[];
  /** Gymnasium's `is_slippery` (default true). */
  slippery?: boolean;
  /** Gymnasium registers 100 for 4x4 and 200 for 8x8. */
  maxEpisodeSteps?: number;
}

/**
 * Gymnasium's FrozenLake: cross a frozen lake from S to the goal G without falling into a hole H,
 * on ice that may slip (4x4 or 8x8 maps).
 */
export class FrozenLake extends GridWorld {
  override readonly name: string = "FrozenLake";

  constructor(opts: FrozenLakeOptions = {}) {
    const map =
      opts.map === "8x8"
        ? FROZEN_LAKE_8X8
        : opts.map === "4x4" || !opts.map
          ? FROZEN_LAKE_4X4
          : opts.map;
    super({
      map,
      slippery: opts.slippery ?? true,
      maxEpisodeSteps: opts.maxEpisodeSteps ?? (map === FROZEN_LAKE_8X8 ? 200 : 100),
      rewards: { goal: 1, pit: 0, step: 0 },
    });
  }
}
