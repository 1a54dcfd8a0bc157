// A small grid world in the manner of Gymnasium's FrozenLake, drawn from a map of characters:
//   S start (exactly one)   G goal (terminal)   H hole or pit (terminal)   F or . free   # wall
// Actions follow FrozenLake: 0 left, 1 down, 2 right, 3 up. Moving into a wall or off the grid
// leaves the agent in place. With `slippery` the agent moves in the intended direction or one
// of the two perpendicular ones with probability 1/3 each (FrozenLake's is_slippery); without
// it moves are deterministic (the default here, unlike FrozenLake). Rewards: `goal` on
// entering G, `pit` on entering H, `step` otherwise (1, 0, 0 by default: FrozenLake's).
// Observations are the state index row * ncol + col; truncated at 100 steps.
import { fail } from "../tensor/errors.js";
import { Env, type EnvOptions } from "./env.js";
import { Frame, svgDocument, type RenderOptions } from "./frame.js";
import { type Rng } from "./rng.js";
import { Discrete } from "./spaces.js";

/** Options of {@link GridWorld}. */
export interface GridWorldOptions extends EnvOptions {
  /** Rows of the map, all the same length; FrozenLake's 4x4 map by default. */
  map?: readonly string[];
  /**
   * Actions slip: the intended move with probability 1/3, each perpendicular move 1/3 (Gymnasium's
   * `is_slippery`).
   */
  slippery?: boolean;
  /** Rewards of reaching the goal (default 1), a pit (default 0) and any other step (default 0). */
  rewards?: {
    /** Reward of reaching the goal. */
    goal?: number;
    /** Reward of falling into a pit. */
    pit?: number;
    /** Reward of any other step. */
    step?: number;
  };
}

/** One outcome of an action in a state, with its probability (Gymnasium's `P[s][a]` entries). */
export interface Transition {
  /** Probability of this outcome. */
  probability: number;
  /** The state reached. */
  nextState: number;
  /** The reward received. */
  reward: number;
  /** Whether the state reached is terminal. */
  terminated: boolean;
}

/** FrozenLake's 4x4 map: S start, F frozen, H hole, G goal. */
export const FROZEN_LAKE_4X4 = ["SFFF", "FHFH", "FFFH", "HFFG"] as const;
/** Action names by index: 0 Left, 1 Down, 2 Right, 3 Up. */
export const ACTION_NAMES = ["Left", "Down", "Right", "Up"] as const;
const MOVES = [
  [0, -1],
  [1, 0],
  [0, 1],
  [-1, 0],
] as const;

/**
 * A grid of cells (S start, F free, H pit, G goal) moved through with four actions, with its full
 * transition model (`transitions(s, a)`) for dynamic programming.
 */
export class GridWorld extends Env<number, number> {
  readonly name: string = "GridWorld";
  /** The map's rows. */
  readonly map: readonly string[];
  /** Number of rows. */
  readonly nrow: number;
  /** Number of columns. */
  readonly ncol: number;
  /** Whether moves slip. */
  readonly slippery: boolean;
  /** Rewards of the goal, a pit and any other step. */
  readonly rewards: {
    /** Reward of reaching the goal. */
    goal: number;
    /** Reward of falling into a pit. */
    pit: number;
    /** Reward of any other step. */
    step: number;
  };
  /** Left, Down, Right, Up (see {@link ACTION_NAMES}). */
  readonly actionSpace = new Discrete(4);
  /** One state per cell: row * ncol + col. */
  readonly observationSpace: Discrete;
  /** The state of the S cell. */
  readonly startState: number;
  /** The current state index (row * ncol + col). */
  state = 0;
  /** The action of the last step, or null after a reset. */
  lastAction: number | null = null;

  constructor(opts: GridWorldOptions = {}) {
    super(100, opts);
    this.map = [...(opts.map ?? FROZEN_LAKE_4X4)];
    [this.nrow, this.ncol] = checkMap(this.map);
    this.slippery = opts.slippery ?? false;
    this.rewards = { goal: 1, pit: 0, step: 0, ...opts.rewards };
    for (const [k, v] of Object.entries(this.rewards))
      if (!Number.isFinite(v)) fail("GridWorld", `rewards.${k} must be finite, got ${v}`);
    this.observationSpace = new Discrete(this.nrow * this.ncol);
    this.startState = this.map.join("").indexOf("S");
  }

  /** The map character at a state index. */
  cell(state: number): string {
    return this.map[Math.floor(state / this.ncol)][state % this.ncol];
  }

  /** Whether `state` is a pit or the goal. */
  isTerminal(state: number): boolean {
    const c = this.cell(state);
    return c === "G" || c === "H";
  }

  /**
   * The model of the dynamics (FrozenLake's `P[s][a]`), for planning such as value iteration:
   * the outcomes of taking `action` in `state`. A terminal state loops onto itself with reward 0.
   */
  transitions(state: number, action: number): Transition[] {
    if (!this.observationSpace.contains(state))
      fail("GridWorld.transitions", `state ${state} is not in ${this.observationSpace}`);
    if (!this.actionSpace.contains(action))
      fail("GridWorld.transitions", `action ${action} is not in ${this.actionSpace}`);
    if (this.isTerminal(state))
      return [{ probability: 1, nextState: state, reward: 0, terminated: true }];
    const directions = this.slippery ? [(action + 3) % 4, action, (action + 1) % 4] : [action];
    return directions.map((d) => {
      const nextState = this.move(state, d);
      const c = this.cell(nextState);
      const reward =
        c === "G" ? this.rewards.goal : c === "H" ? this.rewards.pit : this.rewards.step;
      return {
        probability: 1 / directions.length,
        nextState,
        reward,
        terminated: this.isTerminal(nextState),
      };
    });
  }

  private move(state: number, direction: number): number {
    const row = Math.floor(state / this.ncol) + MOVES[direction][0];
    const col = (state % this.ncol) + MOVES[direction][1];
    if (row < 0 || row >= this.nrow || col < 0 || col >= this.ncol) return state;
    return this.map[row][col] === "#" ? state : row * this.ncol + col;
  }

  protected resetState(): void {
    this.state = this.startState;
    this.lastAction = null;
  }

  protected advance(action: number, rng: Rng) {
    const outcomes = this.transitions(this.state, action);
    // Deterministic worlds draw nothing, so their episodes never depend on the stream.
    let chosen = outcomes[outcomes.length - 1];
    let u = outcomes.length > 1 ? rng.uniform() : 0;
    if (outcomes.length > 1)
      for (const t of outcomes) {
        if (u < t.probability) {
          chosen = t;
          break;
        }
        u -= t.probability;
      }
    this.state = chosen.nextState;
    this.lastAction = action;
    return {
      reward: chosen.reward,
      terminated: chosen.terminated,
      info: { prob: chosen.probability },
    };
  }

  protected observe(): number {
    return this.state;
  }

  protected draw(opts: RenderOptions): Frame {
    const rows = this.map.map((line, r) =>
      Array.from(line, (ch, c) => (r * this.ncol + c === this.state ? "@" : ch)).join(""),
    );
    const head = this.lastAction === null ? "" : `(${ACTION_NAMES[this.lastAction]})\n`;
    const tail = opts.caption ? `\n${opts.caption}` : "";
    return new Frame(gridSvg(this, opts.caption), `${head}${rows.join("\n")}${tail}`);
  }
}

function checkMap(map: readonly string[]): [number, number] {
  if (map.length === 0 || map[0].length === 0) fail("GridWorld", "the map must not be empty");
  const ncol = map[0].length;
  map.forEach((row, r) => {
    if (row.length !== ncol)
      fail("GridWorld", `map row ${r} has ${row.length} cells but row 0 has ${ncol}`);
    const bad = Array.from(row).find((ch) => !"SGHF.#".includes(ch));
    if (bad !== undefined)
      fail("GridWorld", `map row ${r} holds ${JSON.stringify(bad)}; expected one of S G H F . #`);
  });
  const starts = map.join("").split("S").length - 1;
  if (starts !== 1) fail("GridWorld", `the map needs exactly one start S, found ${starts}`);
  return [map.length, ncol];
}

const FILL: Record<string, string> = {
  S: "#dde6f0",
  F: "#eef3fb",
  ".": "#eef3fb",
  "#": "#444",
  H: "#1f3b73",
  G: "#54a24b",
};

function gridSvg(env: GridWorld, caption?: string): string {
  const cell = Math.max(12, Math.min(48, Math.floor(480 / Math.max(env.nrow, env.ncol))));
  const parts: string[] = [];
  for (let r = 0; r < env.nrow; r++)
    for (let c = 0; c < env.ncol; c++) {
      const ch = env.map[r][c];
      parts.push(
        `<rect x="${c * cell}" y="${r * cell}" width="${cell}" height="${cell}" fill="${FILL[ch]}" stroke="#fff"/>`,
      );
      if ((ch === "S" || ch === "G") && cell >= 20)
        parts.push(
          `<text x="${c * cell + 4}" y="${r * cell + 13}" fill="${ch === "G" ? "#fff" : "#555"}">${ch}</text>`,
        );
    }
  const [ar, ac] = [Math.floor(env.state / env.ncol), env.state % env.ncol];
  parts.push(
    `<circle cx="${ac * cell + cell / 2}" cy="${ar * cell + cell / 2}" r="${cell * 0.3}" fill="#f58518" stroke="#000"/>`,
  );
  return svgDocument(
    Math.max(env.ncol * cell, caption ? 160 : 0),
    env.nrow * cell,
    parts.join(""),
    caption,
  );
}
