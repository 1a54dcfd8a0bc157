// Cell output written to process.stdout / process.stderr (console.log included) becomes
// `stream` messages. The kernel's own log keeps the real stderr, which Jupyter records.
import type { Output } from "./output.js";

const originalStderrWrite = process.stderr.write.bind(process.stderr);

export function realStderr(text: string): void {
  originalStderrWrite(text);
}

function redirect(stream: NodeJS.WriteStream, name: "stdout" | "stderr", output: Output): void {
  const decoder = new TextDecoder();
  stream.write = ((chunk: string | Uint8Array, encoding?: unknown, cb?: unknown): boolean => {
    const text = typeof chunk === "string" ? chunk : decoder.decode(chunk, { stream: true });
    output.stream(name, text);
    // Honour the callback forms write(chunk, cb) and write(chunk, encoding, cb).
    const done = typeof encoding === "function" ? encoding : cb;
    if (typeof done === "function") process.nextTick(done as () => void);
    return true;
  }) as typeof stream.write;
}

export function captureStreams(output: Output): void {
  redirect(process.stdout, "stdout", output);
  redirect(process.stderr, "stderr", output);
}
