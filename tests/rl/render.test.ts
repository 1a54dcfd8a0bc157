// @vitest-environment jsdom
// jsdom gives the test a strict XML parser for the SVG documents.
import { afterEach, describe, expect, it } from "vitest";
import * as dl from "../../src/index.js";

const JUPYTER_DISPLAY = Symbol.for("Jupyter.display");

/** Parses an SVG document strictly (XML), failing on any syntax error. */
function parseSvg(svg: string): Document {
  const doc = new DOMParser().parseFromString(svg, "image/svg+xml");
  const error = doc.getElementsByTagName("parsererror")[0];
  if (error) throw new Error(`invalid SVG: ${error.textContent}`);
  expect(doc.documentElement.nodeName).toBe("svg");
  expect(doc.documentElement.getAttribute("xmlns")).toBe("http://www.w3.org/2000/svg");
  return doc;
}

function bundleOf(frame: dl.rl.Frame): Record<string, string> {
  return (frame as unknown as Record<symbol, () => Record<string, string>>)[JUPYTER_DISPLAY]();
}

const num = (el: Element, attr: string) => Number(el.getAttribute(attr));

afterEach(() => dl.setDisplayPublisher(null));

describe("render", () => {
  const envs = [
    new dl.rl.CartPole(),
    new dl.rl.MountainCar(),
    new dl.rl.Pendulum(),
    new dl.rl.GridWorld(),
  ];

  it("every environment draws a valid SVG with a text fallback, and escapes captions", () => {
    const caption = `<b>"Q" & 'A'</b>`;
    for (const env of envs) {
      expect(() => env.render()).toThrow(
        new RegExp(`${env.name}\\.render: nothing to draw before reset\\(\\)`),
      );
      env.reset(0);
      const bundle = bundleOf(env.render({ caption }));
      expect(Object.keys(bundle).sort()).toEqual(["image/svg+xml", "text/plain"]);
      const doc = parseSvg(bundle["image/svg+xml"]);
      expect(bundle["image/svg+xml"]).not.toContain("<b>");
      expect(doc.documentElement.textContent).toContain(caption);
      expect(bundle["text/plain"]).toContain(caption);
      parseSvg(env.render().svg);
    }
  });

  it("CartPole draws the cart at x and the pole leaning the way theta says", () => {
    const env = new dl.rl.CartPole();
    env.reset(0);
    const draw = (x: number, theta: number) => {
      env.state.set([x, 0, theta, 0]);
      const doc = parseSvg(env.render().svg);
      const cart = doc.getElementsByTagName("rect")[1];
      const pole = Array.from(doc.getElementsByTagName("line")).find(
        (l) => l.getAttribute("stroke-width") === "10",
      )!;
      return { cartCenter: num(cart, "x") + num(cart, "width") / 2, pole };
    };
    const centre = draw(0, 0);
    const right = draw(1.2, 0.1);
    expect(right.cartCenter - centre.cartCenter).toBeCloseTo(1.2 * 100, 1); // 480 px for 4.8 m
    expect(num(right.pole, "x2")).toBeGreaterThan(num(right.pole, "x1"));
    expect(num(draw(0, -0.1).pole, "x2")).toBeLessThan(num(centre.pole, "x1"));
    expect(env.render().text).toMatch(/^CartPole\(x=0\.000, theta=-0\.100 rad, step 0\)$/);
  });

  it("Pendulum points up at theta 0 and left for positive theta; GridWorld marks the agent", () => {
    const pendulum = new dl.rl.Pendulum();
    pendulum.reset(0);
    pendulum.state.set([0, 0]);
    const rod = (svg: string) => parseSvg(svg).getElementsByTagName("line")[0];
    const up = rod(pendulum.render().svg);
    expect(num(up, "x2")).toBeCloseTo(num(up, "x1"), 5);
    expect(num(up, "y2")).toBeLessThan(num(up, "y1"));
    pendulum.state.set([Math.PI / 2, 0]);
    const left = rod(pendulum.render().svg);
    expect(num(left, "x2")).toBeLessThan(num(left, "x1"));
    pendulum.step(1);
    expect(pendulum.render().svg).toContain("<path d=");
    expect(pendulum.render().text).toContain("torque=1.000");

    const grid = new dl.rl.GridWorld();
    grid.reset(0);
    grid.step(1);
    grid.step(2); // into the hole at row 1, column 1
    const frame = grid.render();
    expect(frame.text).toBe("(Right)\nSFFF\nF@FH\nFFFH\nHFFG");
    const agent = parseSvg(frame.svg).getElementsByTagName("circle")[0];
    expect([num(agent, "cx"), num(agent, "cy")]).toEqual([48 + 24, 48 + 24]);
  });

  it("MountainCar puts the car on the curve at its position", () => {
    const env = new dl.rl.MountainCar();
    env.reset(0);
    env.state.set([0.5, 0]);
    const doc = parseSvg(env.render().svg);
    const transform = doc.getElementsByTagName("g")[0].getAttribute("transform")!;
    const [x, y] = transform
      .match(/translate\(([-\d.]+) ([-\d.]+)\)/)!
      .slice(1)
      .map(Number);
    expect(x).toBeCloseTo((0.5 + 1.2) * (480 / 1.8), 1);
    expect(y).toBeCloseTo(340 - 10 - dl.rl.mountainHeight(0.5) * (480 / 1.8), 1);
  });
});

describe("play", () => {
  it("animates one display in place and returns what the episode earned", async () => {
    const sent: { bundle: Record<string, unknown>; opts?: dl.PublishOptions }[] = [];
    dl.setDisplayPublisher((bundle, opts) => sent.push({ bundle, opts }));
    const policy = (obs: Float32Array) => (obs[2] > 0 ? 1 : 0);
    const result = await dl.rl.play(new dl.rl.CartPole(), policy, {
      seed: 4,
      steps: 20,
      fps: 1000,
    });

    const env = new dl.rl.CartPole();
    let obs = env.reset(4);
    let steps = 0;
    let done = false;
    while (steps < 20 && !done) {
      const r = env.step(policy(obs));
      [obs, steps, done] = [r.observation, steps + 1, r.terminated || r.truncated];
    }
    expect(result).toEqual({ steps, totalReward: steps, terminated: done, truncated: false });

    expect(sent.length).toBe(steps + 1);
    expect(sent[0].opts?.update).toBeFalsy();
    expect(new Set(sent.map((s) => s.opts?.displayId)).size).toBe(1);
    expect(sent.slice(1).every((s) => s.opts?.update === true)).toBe(true);
    const last = sent[sent.length - 1].bundle as Record<string, string>;
    expect(last["text/plain"]).toContain(`step ${steps}, return ${steps}`);
    parseSvg(last["image/svg+xml"]);
  });

  it("outside a notebook runs the episode without drawing or waiting", async () => {
    const started = Date.now();
    const result = await dl.rl.play(new dl.rl.MountainCar(), async () => 2, { seed: 0, fps: 1 });
    expect(result).toMatchObject({ steps: 200, totalReward: -200, truncated: true });
    expect(Date.now() - started).toBeLessThan(1000);
    await expect(dl.rl.play(new dl.rl.GridWorld(), () => 0, { fps: 0 })).rejects.toThrow(
      /rl\.play: fps must be positive/,
    );
  });
});
