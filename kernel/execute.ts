// One execute_request from start to reply: count it, echo the input, run it, publish the
// last value as an execute_result (the whole MIME bundle) or the failure as an error.
import type { Executor, Outcome } from "./executor.js";
import type { History } from "./history.js";
import type { IopubChannel } from "./channels.js";
import type { Output } from "./output.js";
import { textRepr, toBundle } from "./display.js";
import type { Message } from "./wire.js";
import { nextTask } from "./tasks.js";

/** One event-loop turn: lets a pending SIGINT or a rejection nobody handled surface. */
const yieldOnce = nextTask;

export class ExecuteHandler {
  private count = 0;
  /** Said once, in the first cell's stderr, when the library could not be loaded. */
  pendingNotice: string | null = null;

  constructor(
    private readonly exec: Executor,
    private readonly output: Output,
    private readonly iopub: IopubChannel,
    private readonly history: History,
  ) {}

  async handle(msg: Message): Promise<Record<string, unknown>> {
    const code = String(msg.content.code ?? "");
    const silent = msg.content.silent === true;
    const store = !silent && msg.content.store_history !== false;
    if (store) this.count++;
    const count = this.count;
    this.output.begin(msg.header, silent);
    // A SIGINT that arrived late for the previous cell is handled (and dropped) now, before
    // anyone can know about this cell. Then the cell counts as running *before* its input
    // is announced: a client interrupts as soon as it sees execute_input, and on a loaded
    // machine that interrupt used to land before the cell was marked running and was lost,
    // leaving a cell that never ends without a reply.
    await yieldOnce();
    this.exec.begin();
    if (!silent)
      await this.iopub.publish("execute_input", { code, execution_count: count }, msg.header);
    if (store) this.history.add(count, code);
    if (this.pendingNotice) this.output.stream("stderr", this.pendingNotice);
    this.pendingNotice = null;
    const outcome = await this.run(code, `cell[${count}]`, count, store);
    // A promise the cell rejected without handling is reported now, inside this cell's
    // output, rather than after its idle status where front ends no longer listen.
    await yieldOnce();
    const reply: Record<string, unknown> = { execution_count: count };
    if (outcome.status === "error") {
      const { ename, evalue, traceback } = outcome;
      this.output.error({ ename, evalue, traceback });
      Object.assign(reply, { status: "error", ename, evalue, traceback });
    } else {
      Object.assign(reply, {
        status: "ok",
        payload: [],
        user_expressions: this.userExpressions(msg.content.user_expressions),
      });
    }
    this.output.flush();
    return reply;
  }

  private async run(code: string, label: string, count: number, store: boolean): Promise<Outcome> {
    try {
      const outcome = await this.exec.execute(code, label);
      if (outcome.status !== "ok" || !outcome.hasValue) return outcome;
      const bundle = await toBundle(outcome.value);
      this.output.executeResult(count, bundle);
      if (store) this.history.setOutput(count, String(bundle.data["text/plain"]));
      return outcome;
    } catch (err) {
      // The compiler or a display method threw: report it like any error of the cell.
      return { status: "error", ...this.exec.describe(err) };
    }
  }

  private userExpressions(exprs: unknown): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    if (!exprs || typeof exprs !== "object") return out;
    for (const [name, expr] of Object.entries(exprs as Record<string, unknown>)) {
      const r = this.exec.evaluate(String(expr));
      out[name] =
        r.status === "ok"
          ? { status: "ok", data: { "text/plain": textRepr(r.value) }, metadata: {} }
          : { status: "error", ename: r.ename, evalue: r.evalue, traceback: r.traceback };
    }
    return out;
  }
}
