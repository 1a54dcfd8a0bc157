// The control channel and the heartbeat, on a worker thread of their own: a cell stuck in a
// busy loop blocks the main thread's event loop, and an interrupt_request must still be
// answered, the interrupt delivered, and the heartbeat kept alive.
import { parentPort, workerData } from "node:worker_threads";
import { loadZmq, Sender } from "./channels.js";
import { INTERRUPT, RUNNING } from "./interrupt.js";
import { decode, makeReply, socketAddress, type ConnectionInfo, type Message } from "./wire.js";

export interface ControlData {
  conn: ConnectionInfo;
  flags: Int32Array;
  info: Record<string, unknown>;
  tslabDir: string;
}

const { conn, flags, info, tslabDir } = workerData as ControlData;
const log = (text: string) => process.stderr.write(`[dendrite control] ${text}\n`);

function interrupt(): void {
  const cell = Atomics.load(flags, RUNNING);
  if (cell === 0) return;
  // The flag stops loops even where no JavaScript handler can run; the message rejects a
  // pending await as soon as the main thread's event loop is free.
  Atomics.store(flags, INTERRUPT, cell);
  parentPort?.postMessage({ type: "interrupt", cell });
}

function handle(msg: Message, sender: Sender): void {
  switch (msg.header.msg_type) {
    case "kernel_info_request":
      void sender.send(makeReply(msg, info));
      return;
    case "interrupt_request":
      interrupt();
      void sender.send(makeReply(msg, { status: "ok" }));
      return;
    case "shutdown_request": {
      const restart = msg.content.restart === true;
      void sender.send(makeReply(msg, { status: "ok", restart })).then(() => {
        parentPort?.postMessage({ type: "shutdown" });
        // If the main thread is stuck it cannot exit by itself; SIGTERM's default action can.
        setTimeout(() => process.kill(process.pid, "SIGTERM"), 1000).unref();
      });
      return;
    }
    default:
      log(`ignored a ${msg.header.msg_type} message`);
  }
}

async function main(): Promise<void> {
  const zmq = loadZmq(tslabDir);
  const control = new zmq.Router();
  const hb = new zmq.Reply();
  await control.bind(socketAddress(conn, conn.control_port));
  await hb.bind(socketAddress(conn, conn.hb_port));
  parentPort?.on("message", (m: { type: string }) => {
    // The main thread is exiting: close the sockets first, zeromq aborts on open ones.
    if (m.type !== "close") return;
    control.close();
    hb.close();
    process.exit(0);
  });
  parentPort?.postMessage({ type: "ready" });
  const sender = new Sender(control, conn.key, log);
  void (async () => {
    for await (const frames of hb) await hb.send(frames);
  })();
  for await (const frames of control) {
    try {
      handle(decode(conn.key, frames), sender);
    } catch (err) {
      log(`dropped a control message: ${String(err)}`);
    }
  }
}

main().catch((err) => {
  log(`control channel failed: ${(err as Error)?.stack ?? String(err)}`);
  parentPort?.postMessage({ type: "failed", error: String(err) });
});
