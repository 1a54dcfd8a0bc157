// The kernel process: `node dist/kernel/main.js <connection file>`, as the kernelspec says.
import { startKernel } from "./server.js";

const connectionFile = process.argv[2];
if (!connectionFile) {
  process.stderr.write("usage: main.js <connection file>\n");
  process.exit(2);
}
startKernel(connectionFile).catch((err) => {
  process.stderr.write(`[dendrite] the kernel failed to start: ${(err as Error)?.stack ?? err}\n`);
  process.exit(1);
});
