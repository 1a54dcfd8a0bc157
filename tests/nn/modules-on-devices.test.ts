// Every layer and loss case, written once (helpers/layer-cases.ts, helpers/loss-cases.ts), run
// on every device that starts: on the CPU against finite differences and the optimizer's
// first-step formula, elsewhere against the CPU (see helpers/module-check.ts).
import { describe, it } from "vitest";
import { DEVICES } from "../helpers/devices.js";
import { FUNCTION_AND_ACTIVATION_CASES, LAYER_CASES } from "../helpers/layer-cases.js";
import { SEQUENCE_LAYER_CASES } from "../helpers/layer-cases-sequences.js";
import { LOSS_CASES } from "../helpers/loss-cases.js";
import { checkModuleOn } from "../helpers/module-check.js";

const LISTS = [
  ["layers", LAYER_CASES],
  ["sequence layers", SEQUENCE_LAYER_CASES],
  ["functions and activations", FUNCTION_AND_ACTIVATION_CASES],
  ["losses", LOSS_CASES],
] as const;

describe.each(DEVICES)("nn modules on $device", ({ device, available }) => {
  for (const [title, cases] of LISTS)
    describe.skipIf(!available)(title, () => {
      it.each(cases.map((c) => [c.name, c] as const))("%s", async (_, c) => {
        await checkModuleOn(device, c);
      });
    });
});
