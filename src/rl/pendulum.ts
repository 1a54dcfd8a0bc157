// Pendulum-v1 as in Gymnasium: swing a frictionless pendulum up and hold it upright with a
// torque u in [-2, 2] (actions outside are clipped, as Gymnasium does). theta = 0 is upright.
// Reward -(normalize(theta)^2 + 0.1 thetaDot^2 + 0.001 u^2); never terminates; truncated at
// 200 steps. Observations are float32 [cos theta, sin theta, thetaDot].
import { fail } from "../tensor/errors.js";
import { Env, fmtAction, type EnvOptions } from "./env.js";
import { Frame, captionSuffix, px, svgDocument, type RenderOptions } from "./frame.js";
import { uniformIn, type Rng } from "./rng.js";
import { Box } from "./spaces.js";

/** Options of {@link Pendulum}. */
export interface PendulumOptions extends EnvOptions {
  /** Gravity (Gymnasium's `g`), 10 by default. */
  g?: number;
}

/**
 * Pendulum's constants (Gymnasium's Pendulum-v1): speed and torque limits, time step, mass, length.
 */
export const PENDULUM = {
  /** Angular speed limit, rad/s. */
  maxSpeed: 8,
  /** Torque limit either way. */
  maxTorque: 2,
  /** Time step, s. */
  dt: 0.05,
  /** Mass. */
  m: 1,
  /** Length. */
  l: 1,
} as const;

/** The action as a number or a one-element array (what `actionSpace.sample()` returns). */
export type PendulumAction = number | ArrayLike<number>;

/**
 * Swing a pendulum up and keep it upright with a continuous torque in [−2, 2], as Gymnasium's
 * Pendulum-v1: observation [cos θ, sin θ, θ̇].
 */
export class Pendulum extends Env<Float32Array, PendulumAction> {
  readonly name = "Pendulum";
  /** Gravity. */
  readonly g: number;
  /** Torque in [−2, 2], shape [1]. */
  readonly actionSpace = new Box(-PENDULUM.maxTorque, PENDULUM.maxTorque, [1]);
  /** [cos θ, sin θ, θ̇]. */
  readonly observationSpace = new Box([-1, -1, -PENDULUM.maxSpeed], [1, 1, PENDULUM.maxSpeed]);
  /** [theta, thetaDot] in float64. */
  state = new Float64Array(2);
  /** The clipped torque of the last step (drawn as an arrow), or null after a reset. */
  lastTorque: number | null = null;

  constructor(opts: PendulumOptions = {}) {
    super(200, opts);
    this.g = opts.g ?? 10;
    if (!Number.isFinite(this.g)) fail("Pendulum", `g must be finite, got ${this.g}`);
  }

  protected resetState(rng: Rng): void {
    this.state[0] = uniformIn(rng, -Math.PI, Math.PI);
    this.state[1] = uniformIn(rng, -1, 1);
    this.lastTorque = null;
  }

  protected override checkAction(op: string, action: PendulumAction): void {
    const ok =
      typeof action === "number"
        ? Number.isFinite(action)
        : action.length === 1 && Number.isFinite(action[0]);
    if (!ok)
      fail(
        op,
        `expected a finite torque as a number or a one-element array, got ${fmtAction(action)}`,
      );
  }

  protected advance(action: PendulumAction) {
    const raw = typeof action === "number" ? action : action[0];
    const u = Math.min(PENDULUM.maxTorque, Math.max(-PENDULUM.maxTorque, raw));
    const [theta, thetaDot] = this.state;
    const cost = angleNormalize(theta) ** 2 + 0.1 * thetaDot ** 2 + 0.001 * u ** 2;
    const { maxSpeed, dt, m, l } = PENDULUM;
    let newThetaDot =
      thetaDot + (((3 * this.g) / (2 * l)) * Math.sin(theta) + (3.0 / (m * l ** 2)) * u) * dt;
    newThetaDot = Math.min(maxSpeed, Math.max(-maxSpeed, newThetaDot));
    this.state[0] = theta + newThetaDot * dt;
    this.state[1] = newThetaDot;
    this.lastTorque = u;
    return { reward: -cost, terminated: false, info: {} };
  }

  protected observe(): Float32Array {
    const [theta, thetaDot] = this.state;
    return Float32Array.of(Math.cos(theta), Math.sin(theta), thetaDot);
  }

  protected draw(opts: RenderOptions): Frame {
    const [theta, thetaDot] = this.state;
    const torque = this.lastTorque === null ? "" : `, torque=${this.lastTorque.toFixed(3)}`;
    const text =
      `Pendulum(theta=${angleNormalize(theta).toFixed(3)} rad, thetaDot=${thetaDot.toFixed(3)}${torque}, ` +
      `step ${this.elapsedSteps})${captionSuffix(opts.caption)}`;
    return new Frame(pendulumSvg(theta, this.lastTorque, opts.caption), text);
  }
}

/** Wraps an angle into [-pi, pi) with Python's (floored) modulo, as Gymnasium does. */
export function angleNormalize(x: number): number {
  const period = 2 * Math.PI;
  const shifted = x + Math.PI;
  return shifted - period * Math.floor(shifted / period) - Math.PI;
}

const SIZE = 300;

function pendulumSvg(theta: number, torque: number | null, caption?: string): string {
  const c = SIZE / 2;
  const rod = SIZE * 0.38;
  // theta grows counter-clockwise with 0 pointing up, as in Gymnasium's drawing.
  const tipX = c - rod * Math.sin(theta);
  const tipY = c - rod * Math.cos(theta);
  let arrow = "";
  if (torque !== null && Math.abs(torque) > 1e-3) {
    // An arc around the pivot whose length follows |u|; positive torque turns counter-clockwise.
    const r = 34;
    const sweep = (Math.abs(torque) / PENDULUM.maxTorque) * Math.PI * 1.2;
    const dir = torque > 0 ? -1 : 1; // screen angles grow clockwise
    const a0 = Math.PI / 2;
    const a1 = a0 + dir * sweep;
    const [x0, y0] = [c + r * Math.cos(a0), c + r * Math.sin(a0)];
    const [x1, y1] = [c + r * Math.cos(a1), c + r * Math.sin(a1)];
    const large = sweep > Math.PI ? 1 : 0;
    arrow =
      `<path d="M${px(x0)},${px(y0)} A${r},${r} 0 ${large} ${dir > 0 ? 1 : 0} ${px(x1)},${px(y1)}" ` +
      `fill="none" stroke="#555" stroke-width="2" marker-end="url(#arrowhead)"/>`;
  }
  const body =
    `<defs><marker id="arrowhead" markerWidth="8" markerHeight="8" refX="4" refY="4" orient="auto">` +
    `<path d="M0,0 L8,4 L0,8 z" fill="#555"/></marker></defs>` +
    `<line x1="${c}" y1="${c}" x2="${px(tipX)}" y2="${px(tipY)}" stroke="#cc4c4c" stroke-width="14" stroke-linecap="round"/>` +
    arrow +
    `<circle cx="${c}" cy="${c}" r="5" fill="#000"/>`;
  return svgDocument(SIZE, SIZE, body, caption);
}
