// dl.rl: Gym-style environments, spaces, experience replay and an in-notebook player.
// Observations are plain arrays (Float32Array, or a number for discrete states), not tensors:
// an RL loop steps thousands of times, and the agent decides when to batch them into tensors.
export { Env, type StepResult, type EnvOptions } from "./env.js";
export { Space, Discrete, Box } from "./spaces.js";
export { Frame, type RenderOptions } from "./frame.js";
export { CartPole, cartPoleStep, CARTPOLE } from "./cartpole.js";
export { MountainCar, MOUNTAIN_CAR, mountainHeight } from "./mountain-car.js";
export {
  Pendulum,
  PENDULUM,
  angleNormalize,
  type PendulumAction,
  type PendulumOptions,
} from "./pendulum.js";
export {
  GridWorld,
  FROZEN_LAKE_4X4,
  ACTION_NAMES,
  type GridWorldOptions,
  type Transition,
} from "./grid-world.js";
export { FrozenLake, FROZEN_LAKE_8X8, type FrozenLakeOptions } from "./frozen-lake.js";
export { ReplayBuffer, type Experience, type ExperienceBatch } from "./replay-buffer.js";
export { play, type PlayOptions, type PlayResult } from "./play.js";
