// Entry of the bundled lab. Chunks and assets load from the server's static URL, which is only
// known at run time (it comes in the page config), so the public path is set before anything
// else is imported; styles come next, then the application.
import { PageConfig } from "@jupyterlab/coreutils";

declare let __webpack_public_path__: string;
// Assigning this free variable is how rspack learns the public path at run time.
// eslint-disable-next-line prefer-const
__webpack_public_path__ = `${PageConfig.getOption("fullStaticUrl")}/`;

async function start(): Promise<void> {
  await import("./style.js");
  const { main } = await import("./main.js");
  await main();
}

void start().catch((err: unknown) => {
  console.error("Dendrite lab failed to start", err);
  const box = document.createElement("pre");
  box.textContent = `JupyterLab failed to start: ${String(err)}`;
  document.body.appendChild(box);
  document.body.dataset.dendriteLab = "failed";
});
