// Watching a policy act: one episode drawn into a single notebook output that updates in place.
import { JUPYTER_DISPLAY } from "../display/protocol.js";
import { fmtNum } from "../display/svg.js";
import { fail } from "../tensor/errors.js";
import { LiveDisplay } from "../viz/throttle.js";
import type { Env } from "./env.js";
import type { Frame } from "./frame.js";

/** Options of {@link play}. */
export interface PlayOptions {
  /** The most steps to take (the episode may end sooner); the env's time limit by default. */
  steps?: number;
  /** Frames per second in a notebook (outside one nothing is drawn and nothing waits). */
  fps?: number;
  /** Seed for `env.reset`. */
  seed?: number;
}

/** What {@link play} returns. */
export interface PlayResult {
  /** Steps taken. */
  steps: number;
  /** The sum of rewards (the undiscounted return). */
  totalReward: number;
  /** Whether the episode reached a terminal state. */
  terminated: boolean;
  /** Whether the episode hit the time limit. */
  truncated: boolean;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Resets `env`, then runs `policy` (which may be async, e.g. reading a network's output) until
 * the episode ends or `steps` is reached, animating the frames at `fps` in one display.
 */
export async function play<Obs, Act>(
  env: Env<Obs, Act>,
  policy: (observation: Obs) => Act | Promise<Act>,
  opts: PlayOptions = {},
): Promise<PlayResult> {
  const fps = opts.fps ?? 30;
  const maxSteps = opts.steps ?? env.maxEpisodeSteps;
  if (!(fps > 0 && Number.isFinite(fps))) fail("rl.play", `fps must be positive, got ${fps}`);
  if (!(Number.isInteger(maxSteps) && maxSteps >= 0))
    fail("rl.play", `steps must be a non-negative integer, got ${maxSteps}`);
  let observation = env.reset(opts.seed);
  const result: PlayResult = { steps: 0, totalReward: 0, terminated: false, truncated: false };
  let frame: Frame = env.render({ caption: "step 0" });
  // Updates are paced here, so the display itself need not throttle.
  const display = new LiveDisplay(() => frame[JUPYTER_DISPLAY](), 0);
  const shown = display.show();
  while (result.steps < maxSteps && !result.terminated && !result.truncated) {
    const step = env.step(await policy(observation));
    observation = step.observation;
    result.steps++;
    result.totalReward += step.reward;
    result.terminated = step.terminated;
    result.truncated = step.truncated;
    if (!shown) continue;
    frame = env.render({
      caption: `step ${result.steps}, return ${fmtNum(result.totalReward)}${step.terminated ? ", terminated" : step.truncated ? ", truncated" : ""}`,
    });
    display.update();
    await sleep(1000 / fps);
  }
  return result;
}
