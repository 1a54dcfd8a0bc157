// Registers the Dendrite kernel with JupyterLite's kernel specs, and routes the lab's
// interrupt to it: JupyterLite's kernel client only cancels the queued requests on an
// interrupt, so the running cell would go on without this hook.
import type { JupyterFrontEndPlugin } from "@jupyterlab/application";
import { PageConfig, URLExt } from "@jupyterlab/coreutils";
import { IKernelClient, IKernelSpecs } from "@jupyterlite/services";
import { KERNEL_NAME } from "../kernel/protocol.js";
import { labFiles } from "./files.js";
import { DendriteWorkerKernel } from "./kernel.js";

export const kernelPlugin: JupyterFrontEndPlugin<void> = {
  id: "@dendrite/lite:kernel",
  description: "The Dendrite TypeScript kernel, running in a web worker",
  autoStart: true,
  requires: [IKernelSpecs, IKernelClient],
  activate: (app, specs: IKernelSpecs, client: IKernelClient) => {
    const kernels = new Map<string, DendriteWorkerKernel>();
    const labUrl = URLExt.join(PageConfig.getBaseUrl(), "lab");
    specs.register({
      spec: {
        name: KERNEL_NAME,
        display_name: "Dendrite (TypeScript)",
        language: "typescript",
        argv: [],
        // The site's icon (extension/lite/site-files.mjs writes it).
        resources: { "logo-64x64": URLExt.join(PageConfig.getBaseUrl(), "favicon.svg") },
        env: {},
        metadata: {},
      },
      create: async (options) => {
        const kernel = new DendriteWorkerKernel({
          ...options,
          workerUrl: URLExt.join(labUrl, "kernel", "worker.js"),
          siteUrl: PageConfig.getBaseUrl(),
          version: PageConfig.getOption("appVersion"),
          // Relative paths in dl.save / dl.load start at the notebook's folder, as under Node.
          files: labFiles(app.serviceManager.contents, options.location),
        });
        kernels.set(kernel.id, kernel);
        kernel.disposed.connect(() => kernels.delete(kernel.id));
        return kernel;
      },
    });
    const interrupt = client.interrupt.bind(client);
    client.interrupt = async (id: string) => {
      kernels.get(id)?.interrupt();
      return interrupt(id);
    };
  },
};
