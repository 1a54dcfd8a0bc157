// Node's side of the CPU kernels' threads: the core count and worker_threads Workers. Reached
// synchronously through process.getBuiltinModule (Node ≥ 20.16), because the first large
// product starts the workers from inside a synchronous kernel. In a browser both return null
// and the caller uses navigator.hardwareConcurrency and Web Workers.

type GetBuiltin = (id: string) => unknown;

function builtin<T>(name: string): T | null {
  const proc = (globalThis as { process?: { getBuiltinModule?: GetBuiltin } }).process;
  return (proc?.getBuiltinModule?.(`node:${name}`) as T | undefined) ?? null;
}

/** The cores Node may use (os.availableParallelism), or null outside Node. */
export function nodeCores(): number | null {
  const os = builtin<{ availableParallelism?(): number; cpus(): unknown[] }>("os");
  return os ? (os.availableParallelism?.() ?? os.cpus().length) : null;
}

export interface ThreadHandle {
  terminate(): unknown;
}

interface NodeWorker extends ThreadHandle {
  unref(): void;
  on(event: "error" | "exit", listener: (arg: unknown) => void): void;
}

type WorkerThreads = {
  Worker: new (src: string, opts: { eval: true; workerData: unknown }) => NodeWorker;
};

/** Whether worker_threads exists here (Node). */
export const hasNodeWorkers = () => builtin<WorkerThreads>("worker_threads") !== null;

/**
 * Starts a worker_threads Worker running `body` (which defines `start(data)`) on `data`.
 * Unref'd: it never keeps the process alive. `onFail` hears of an error or an exit.
 */
export function startNodeWorker(
  body: string,
  data: unknown,
  onFail: (why: string) => void,
): ThreadHandle {
  const { Worker } = builtin<WorkerThreads>("worker_threads")!;
  const source = `${body}\nstart(require("node:worker_threads").workerData);\n`;
  const w = new Worker(source, { eval: true, workerData: data });
  w.unref();
  w.on("error", (e) => onFail(`failed: ${String(e)}`));
  w.on("exit", () => onFail("exited"));
  return w;
}
