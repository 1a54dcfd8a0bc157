// MountainCar-v0 as in Gymnasium (Moore 1990): an under-powered car in a valley must rock back
// and forth to reach the flag at position 0.5. Actions: 0 push left, 1 no push, 2 push right.
// Reward -1 per step; terminated at the goal; truncated at 200 steps. Observations are
// float32 [position, velocity].
import { Env, type EnvOptions } from "./env.js";
import { Frame, captionSuffix, px, svgDocument, type RenderOptions } from "./frame.js";
import { uniformIn, type Rng } from "./rng.js";
import { Box, Discrete } from "./spaces.js";

/** MountainCar's constants (Gymnasium's MountainCar-v0). */
export const MOUNTAIN_CAR = {
  /** Left end of the track. */
  minPosition: -1.2,
  /** Right end of the track. */
  maxPosition: 0.6,
  /** Speed limit either way. */
  maxSpeed: 0.07,
  /** The position to reach. */
  goalPosition: 0.5,
  /** The speed needed at the goal. */
  goalVelocity: 0,
  /** Acceleration of a push. */
  force: 0.001,
  /** Pull of the slope. */
  gravity: 0.0025,
} as const;

/**
 * Drive an underpowered car up a hill by rocking it (push left 0, none 1, right 2), as Gymnasium's
 * MountainCar-v0: observation [position, velocity], reward −1 per step.
 */
export class MountainCar extends Env<Float32Array, number> {
  readonly name = "MountainCar";
  /** Push left (0), no push (1), push right (2). */
  readonly actionSpace = new Discrete(3);
  /** [position, velocity]. */
  readonly observationSpace = new Box(
    [MOUNTAIN_CAR.minPosition, -MOUNTAIN_CAR.maxSpeed],
    [MOUNTAIN_CAR.maxPosition, MOUNTAIN_CAR.maxSpeed],
  );
  /** [position, velocity] in float64. */
  state = new Float64Array(2);

  constructor(opts: EnvOptions = {}) {
    super(200, opts);
  }

  protected resetState(rng: Rng): void {
    this.state[0] = uniformIn(rng, -0.6, -0.4);
    this.state[1] = 0;
  }

  protected advance(action: number) {
    const { minPosition, maxPosition, maxSpeed, force, gravity } = MOUNTAIN_CAR;
    let [position, velocity] = this.state;
    velocity += (action - 1) * force + Math.cos(3 * position) * -gravity;
    velocity = clip(velocity, -maxSpeed, maxSpeed);
    position = clip(position + velocity, minPosition, maxPosition);
    // The left wall is inelastic.
    if (position === minPosition && velocity < 0) velocity = 0;
    this.state[0] = position;
    this.state[1] = velocity;
    const terminated =
      position >= MOUNTAIN_CAR.goalPosition && velocity >= MOUNTAIN_CAR.goalVelocity;
    return { reward: -1, terminated, info: {} };
  }

  protected observe(): Float32Array {
    return Float32Array.from(this.state);
  }

  protected draw(opts: RenderOptions): Frame {
    const [position, velocity] = this.state;
    const text =
      `MountainCar(position=${position.toFixed(3)}, velocity=${velocity.toFixed(4)}, ` +
      `step ${this.elapsedSteps})${captionSuffix(opts.caption)}`;
    return new Frame(mountainCarSvg(position, opts.caption), text);
  }
}

const clip = (v: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, v));

/** The valley's height at a position (Gymnasium's `_height`). */
export const mountainHeight = (position: number): number => Math.sin(3 * position) * 0.45 + 0.55;

const WIDTH = 480;
const HEIGHT = 340; // room above the highest point for the flag
const SCALE = WIDTH / (MOUNTAIN_CAR.maxPosition - MOUNTAIN_CAR.minPosition);

function mountainCarSvg(position: number, caption?: string): string {
  const toX = (p: number) => (p - MOUNTAIN_CAR.minPosition) * SCALE;
  const toY = (h: number) => HEIGHT - 10 - h * SCALE;
  const curve = Array.from({ length: 101 }, (_, i) => {
    const p =
      MOUNTAIN_CAR.minPosition + (i / 100) * (MOUNTAIN_CAR.maxPosition - MOUNTAIN_CAR.minPosition);
    return `${px(toX(p))},${px(toY(mountainHeight(p)))}`;
  }).join(" ");
  const flagX = toX(MOUNTAIN_CAR.goalPosition);
  const flagY = toY(mountainHeight(MOUNTAIN_CAR.goalPosition));
  // The car sits on the curve, tilted along its slope (screen y points down, hence the minus).
  const slope = Math.atan(3 * 0.45 * Math.cos(3 * position));
  const deg = (-slope * 180) / Math.PI;
  const carX = toX(position);
  const carY = toY(mountainHeight(position));
  const body =
    `<polyline points="${curve}" fill="none" stroke="#000" stroke-width="2"/>` +
    `<line x1="${px(flagX)}" y1="${px(flagY)}" x2="${px(flagX)}" y2="${px(flagY - 40)}" stroke="#000"/>` +
    `<polygon points="${px(flagX)},${px(flagY - 40)} ${px(flagX + 25)},${px(flagY - 35)} ${px(flagX)},${px(flagY - 30)}" fill="#cc0"/>` +
    `<g transform="translate(${px(carX)} ${px(carY)}) rotate(${px(deg)})">` +
    `<rect x="-20" y="-22" width="40" height="16" rx="3" fill="#333"/>` +
    `<circle cx="-12" cy="-5" r="5" fill="#808080"/><circle cx="12" cy="-5" r="5" fill="#808080"/></g>`;
  return svgDocument(WIDTH, HEIGHT, body, caption);
}
