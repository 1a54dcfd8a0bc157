// CartPole-v1 as in Gymnasium (Barto, Sutton & Anderson 1983; the equations of Florian 2007):
// push the cart left (0) or right (1) to keep the pole upright. Reward 1 per step, including the
// step that ends the episode; terminated when |x| > 2.4 or |theta| > 12 degrees; truncated at
// 500 steps. The state is float64; observations are float32 copies [x, xDot, theta, thetaDot].
import { fail } from "../tensor/errors.js";
import { Env, type EnvOptions } from "./env.js";
import { Frame, captionSuffix, px, svgDocument, type RenderOptions } from "./frame.js";
import { uniformIn, type Rng } from "./rng.js";
import { Box, Discrete } from "./spaces.js";

/** CartPole's physical constants (Gymnasium's CartPole-v1). */
export const CARTPOLE = {
  /** m/s². */
  gravity: 9.8,
  /** kg. */
  massCart: 1.0,
  /** kg. */
  massPole: 0.1,
  /** Half the pole's length. */
  length: 0.5,
  /** Force of a push, N. */
  forceMag: 10.0,
  /** Seconds per step. */
  tau: 0.02,
  /** The pole angle (radians, 12°) past which the episode terminates. */
  thetaThreshold: (12 * 2 * Math.PI) / 360,
  /** The cart position past which the episode terminates. */
  xThreshold: 2.4,
} as const;

const FLOAT32_MAX = 3.4028234663852886e38;

/**
 * Balance a pole on a cart by pushing it left (0) or right (1), as Gymnasium's CartPole-v1:
 * observation [x, ẋ, θ, θ̇], reward 1 per step, 500 steps at most.
 */
export class CartPole extends Env<Float32Array, number> {
  readonly name = "CartPole";
  /** Push left (0) or right (1). */
  readonly actionSpace = new Discrete(2);
  // Twice the thresholds, so that a terminal observation still lies in the space.
  /** [cart position, cart velocity, pole angle, pole angular velocity]. */
  readonly observationSpace = new Box(
    [-2 * CARTPOLE.xThreshold, -FLOAT32_MAX, -2 * CARTPOLE.thetaThreshold, -FLOAT32_MAX],
    [2 * CARTPOLE.xThreshold, FLOAT32_MAX, 2 * CARTPOLE.thetaThreshold, FLOAT32_MAX],
  );
  /** [x, xDot, theta, thetaDot] in float64. */
  state = new Float64Array(4);

  constructor(opts: EnvOptions = {}) {
    super(500, opts);
  }

  protected resetState(rng: Rng): void {
    for (let i = 0; i < 4; i++) this.state[i] = uniformIn(rng, -0.05, 0.05);
  }

  protected advance(action: number) {
    this.state.set(cartPoleStep(this.state, action));
    const [x, , theta] = this.state;
    const terminated =
      x < -CARTPOLE.xThreshold ||
      x > CARTPOLE.xThreshold ||
      theta < -CARTPOLE.thetaThreshold ||
      theta > CARTPOLE.thetaThreshold;
    return { reward: 1, terminated, info: {} };
  }

  protected observe(): Float32Array {
    return Float32Array.from(this.state);
  }

  protected draw(opts: RenderOptions): Frame {
    const [x, , theta] = this.state;
    const text =
      `CartPole(x=${x.toFixed(3)}, theta=${theta.toFixed(3)} rad, ` +
      `step ${this.elapsedSteps})${captionSuffix(opts.caption)}`;
    return new Frame(cartPoleSvg(x, theta, opts.caption), text);
  }
}

/** One Euler step of the cart-pole equations of motion (Gymnasium's "euler" integrator). */
export function cartPoleStep(state: ArrayLike<number>, action: number): number[] {
  if (action !== 0 && action !== 1) fail("cartPoleStep", `action must be 0 or 1, got ${action}`);
  const { gravity, massCart, massPole, length, forceMag, tau } = CARTPOLE;
  const [x, xDot, theta, thetaDot] = [state[0], state[1], state[2], state[3]];
  const totalMass = massCart + massPole;
  const poleMassLength = massPole * length;
  const force = action === 1 ? forceMag : -forceMag;
  const cos = Math.cos(theta);
  const sin = Math.sin(theta);
  const temp = (force + poleMassLength * thetaDot ** 2 * sin) / totalMass;
  const thetaAcc =
    (gravity * sin - cos * temp) / (length * (4.0 / 3.0 - (massPole * cos ** 2) / totalMass));
  const xAcc = temp - (poleMassLength * thetaAcc * cos) / totalMass;
  return [x + tau * xDot, xDot + tau * xAcc, theta + tau * thetaDot, thetaDot + tau * thetaAcc];
}

const WIDTH = 480;
const HEIGHT = 240;
const SCALE = WIDTH / (2 * CARTPOLE.xThreshold); // pixels per metre

function cartPoleSvg(x: number, theta: number, caption?: string): string {
  const trackY = 180;
  const cartX = WIDTH / 2 + x * SCALE;
  const [cartW, cartH] = [50, 30];
  const axleY = trackY - cartH / 2 - 4;
  const poleLen = SCALE * 2 * CARTPOLE.length;
  // theta > 0 leans the pole to the right (clockwise), as in Gymnasium's drawing.
  const tipX = cartX + poleLen * Math.sin(theta);
  const tipY = axleY - poleLen * Math.cos(theta);
  const limit = (sign: number) => WIDTH / 2 + sign * CARTPOLE.xThreshold * SCALE;
  const body =
    `<line x1="0" y1="${trackY}" x2="${WIDTH}" y2="${trackY}" stroke="#000"/>` +
    [-1, 1]
      .map(
        (s) =>
          `<line x1="${px(limit(s))}" y1="${trackY - 8}" x2="${px(limit(s))}" y2="${trackY + 8}" stroke="#c33"/>`,
      )
      .join("") +
    `<rect x="${px(cartX - cartW / 2)}" y="${px(trackY - cartH - 4)}" width="${cartW}" height="${cartH}" rx="3" fill="#333"/>` +
    `<line x1="${px(cartX)}" y1="${px(axleY)}" x2="${px(tipX)}" y2="${px(tipY)}" stroke="#ca9865" stroke-width="10" stroke-linecap="round"/>` +
    `<circle cx="${px(cartX)}" cy="${px(axleY)}" r="5" fill="#8184cb"/>`;
  return svgDocument(WIDTH, HEIGHT, body, caption);
}
