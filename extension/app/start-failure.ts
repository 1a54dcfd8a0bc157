// A visible message when the lab does not start. Free of JupyterLab imports, so index.ts can
// load it before module federation has set up the shared packages.

/** Says on the page (and to the tests) that the lab did not start, and why. */
export function showStartFailure(err: unknown): void {
  console.error("Dendrite lab failed to start", err);
  const box = document.createElement("pre");
  box.textContent = `JupyterLab failed to start: ${String(err)}`;
  document.body.appendChild(box);
  document.body.dataset.dendriteLab = "failed";
}
