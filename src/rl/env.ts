// The Gym-style environment contract and the bookkeeping every environment shares: seeding,
// the time limit (Gymnasium's TimeLimit wrapper, built in), and refusing to step an episode
// that has not started or has already ended.
import { JUPYTER_DISPLAY, type MimeBundle } from "../display/protocol.js";
import { fail } from "../tensor/errors.js";
import type { Frame, RenderOptions } from "./frame.js";
import { Rng } from "./rng.js";
import type { Space } from "./spaces.js";

/** What {@link Env.step} returns, as Gymnasium's (obs, reward, terminated, truncated, info). */
export interface StepResult<Obs> {
  /** The observation after the step. */
  observation: Obs;
  /** The reward of the step. */
  reward: number;
  /** The episode reached a terminal state of the task (fell over, reached the goal). */
  terminated: boolean;
  /** The episode was cut by the time limit (`maxEpisodeSteps`), not by the task. */
  truncated: boolean;
  /** Extra diagnostics (environment specific). */
  info: Record<string, unknown>;
}

/** Options every environment accepts. */
export interface EnvOptions {
  /** Steps after which an episode is truncated (Gymnasium's `max_episode_steps`). */
  maxEpisodeSteps?: number;
}

type Phase = "unstarted" | "running" | "terminated" | "truncated";

/**
 * A reinforcement-learning environment with Gymnasium's API: `reset(seed?)` starts an episode,
 * `step(action)` advances it, `render()` draws it.
 *
 * @example
 * ```ts
 * const env = new dl.rl.CartPole();
 * const first = env.reset(0);
 * let done = false;
 * while (!done) {
 *   const r = env.step(env.actionSpace.sample());
 *   done = r.terminated || r.truncated;
 * }
 * ```
 */
export abstract class Env<Obs, Act> {
  /** The environment's name, used in error messages and frames. */
  abstract readonly name: string;
  /** The set of valid observations. */
  abstract readonly observationSpace: Space<Obs>;
  /** The set of valid actions. */
  abstract readonly actionSpace: Space<Act>;
  /** Steps after which an episode is truncated. */
  readonly maxEpisodeSteps: number;
  /** Steps taken in the current episode. */
  elapsedSteps = 0;
  /** The environment's own random stream (Gymnasium's `np_random`); set by the first reset. */
  protected rng: Rng | null = null;
  private phase: Phase = "unstarted";

  constructor(defaultMaxSteps: number, opts: EnvOptions = {}) {
    const max = opts.maxEpisodeSteps ?? defaultMaxSteps;
    if (!(Number.isInteger(max) && max > 0))
      fail(this.constructor.name, `maxEpisodeSteps must be a positive integer, got ${max}`);
    this.maxEpisodeSteps = max;
  }

  /**
   * Starts a new episode and returns its first observation. With a seed the environment's
   * stream restarts from it (same seed, same episode); without one it continues, and the very
   * first stream is seeded from the library's global generator (`dl.manualSeed`).
   */
  reset(seed?: number): Obs {
    if (seed !== undefined) this.rng = new Rng(seed);
    else this.rng ??= Rng.fromGlobal();
    this.elapsedSteps = 0;
    this.phase = "running";
    this.resetState(this.rng);
    return this.observe();
  }

  /** Advances one step. Throws before the first reset and after the episode has ended. */
  step(action: Act): StepResult<Obs> {
    const op = `${this.name}.step`;
    if (this.phase === "unstarted")
      fail(op, "called before reset(); call env.reset() to start an episode");
    if (this.phase !== "running")
      fail(
        op,
        `the episode is over (${this.phase} after ${this.elapsedSteps} steps); ` +
          "call env.reset() to start a new one before stepping again",
      );
    this.checkAction(op, action);
    const { reward, terminated, info } = this.advance(action, this.rng!);
    this.elapsedSteps++;
    const truncated = this.elapsedSteps >= this.maxEpisodeSteps;
    if (terminated) this.phase = "terminated";
    else if (truncated) this.phase = "truncated";
    return { observation: this.observe(), reward, terminated, truncated, info };
  }

  /** A picture of the current state (an SVG frame that displays itself in a notebook). */
  render(opts: RenderOptions = {}): Frame {
    if (this.phase === "unstarted")
      fail(`${this.name}.render`, "nothing to draw before reset(); call env.reset() first");
    return this.draw(opts);
  }

  /** An environment as the last value of a cell shows its current state (api.md § Display). */
  [JUPYTER_DISPLAY](): MimeBundle {
    if (this.phase === "unstarted") return { "text/plain": this.toString() };
    return this.draw({})[JUPYTER_DISPLAY]();
  }

  /** The environment's name and spaces. */
  toString(): string {
    return `${this.name}(observationSpace=${this.observationSpace}, actionSpace=${this.actionSpace}, maxEpisodeSteps=${this.maxEpisodeSteps})`;
  }

  /** Throws a DendriteError naming `op` when the action is not valid. */
  protected checkAction(op: string, action: Act): void {
    if (!this.actionSpace.contains(action))
      fail(op, `action ${fmtAction(action)} is not in the action space ${this.actionSpace}`);
  }

  protected abstract resetState(rng: Rng): void;
  protected abstract advance(
    action: Act,
    rng: Rng,
  ): { reward: number; terminated: boolean; info: Record<string, unknown> };
  protected abstract observe(): Obs;
  protected abstract draw(opts: RenderOptions): Frame;
}

export function fmtAction(a: unknown): string {
  if (ArrayBuffer.isView(a) || Array.isArray(a))
    return `[${Array.from(a as ArrayLike<unknown>, String).join(", ")}]`;
  return typeof a === "string" ? JSON.stringify(a) : String(a);
}
