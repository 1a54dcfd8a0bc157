// The `jupyter.widget.control` target: a front end that (re)connects to the kernel (a page
// reload, a second browser tab) asks for every widget's state at once with `request_states`
// and rebuilds the models, so widgets shown earlier come back to life.
import { liveWidgets } from "./model.js";
import { onCommTransport, type Comm, type CommData } from "./transport.js";

export const CONTROL_TARGET = "jupyter.widget.control";

function states(): CommData {
  const all: Record<string, unknown> = {};
  for (const [id, w] of liveWidgets) {
    const { state } = w.wireState();
    all[id] = {
      model_name: w.spec.model,
      model_module: w.spec.module,
      model_module_version: w.spec.version,
      state,
    };
  }
  return { method: "update_states", states: all, buffer_paths: [] };
}

function serve(comm: Comm): void {
  comm.onMessage((data) => {
    if (data.method === "request_states") comm.send(states());
  });
}

onCommTransport((t) => t.registerTarget(CONTROL_TARGET, serve));
