"""Interrupting the Dendrite kernel: by SIGINT (what `interrupt_mode: signal` front ends
send) and by interrupt_request on the control channel (what the kernelspec asks for)."""

import signal
import time
import unittest

import zmq
from jupyter_client.manager import start_new_kernel

from slow_machine import STARTUP_TIMEOUT, TIMEOUT, shell_reply


class InterruptTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.km, cls.kc = start_new_kernel(kernel_name="dendrite", startup_timeout=STARTUP_TIMEOUT)

    @classmethod
    def tearDownClass(cls):
        cls.kc.stop_channels()
        cls.km.shutdown_kernel()

    def wait_reply(self, msg_id):
        return shell_reply(self.kc, msg_id)

    def wait_iopub(self, msg_id, msg_type, timeout=TIMEOUT):
        deadline = time.time() + timeout
        while time.time() < deadline:
            msg = self.kc.get_iopub_msg(timeout=timeout)
            if msg["parent_header"].get("msg_id") == msg_id and msg["msg_type"] == msg_type:
                return msg
        raise AssertionError("no %s message" % msg_type)

    def execute(self, code):
        msg_id = self.kc.execute(code)
        reply = self.wait_reply(msg_id)
        result = None
        while True:
            msg = self.kc.get_iopub_msg(timeout=TIMEOUT)
            if msg["parent_header"].get("msg_id") != msg_id:
                continue
            if msg["msg_type"] == "execute_result":
                result = msg["content"]["data"]["text/plain"]
            if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
                return reply, result

    def interrupt_during(self, code, how):
        msg_id = self.kc.execute(code)
        self.wait_iopub(msg_id, "execute_input")
        time.sleep(0.5)
        how()
        # The cells never end by themselves, so any reply proves the interrupt worked.
        reply = self.wait_reply(msg_id)
        self.assertEqual(reply["content"]["status"], "error")
        self.assertEqual(reply["content"]["ename"], "InterruptError")
        return reply

    def by_signal(self):
        self.km.signal_kernel(signal.SIGINT)

    def by_message(self):
        self.km.interrupt_kernel()

    def check_alive(self, name, value):
        reply, _ = self.execute("const %s = %d;" % (name, value))
        self.assertEqual(reply["content"]["status"], "ok", reply["content"])

        def check():
            reply, result = self.execute("%s + 1" % name)
            # The reply's content says why when the cell after an interrupt fails.
            self.assertEqual(result, str(value + 1), reply["content"])

        return check

    def test_busy_loop_by_signal(self):
        check = self.check_alive("s1", 1)
        self.interrupt_during("while (true) {}", self.by_signal)
        check()

    def test_busy_loop_by_interrupt_request(self):
        check = self.check_alive("s2", 2)
        self.interrupt_during("for (;;) {}", self.by_message)
        check()

    def test_pending_await_by_signal(self):
        check = self.check_alive("s3", 3)
        self.interrupt_during("await new Promise(() => {})", self.by_signal)
        check()

    def test_pending_await_by_interrupt_request(self):
        check = self.check_alive("s4", 4)
        self.interrupt_during("await new Promise(() => {})", self.by_message)
        check()

    def test_busy_loop_after_await_by_interrupt_request(self):
        check = self.check_alive("s5", 5)
        self.interrupt_during("await null;\nlet spins = 0;\nwhile (true) { spins++; }", self.by_message)
        check()

    def test_loop_interrupted_at_an_await_does_not_resume_in_the_background(self):
        # The interrupt ends the cell at its pending await; when that await resolves, the
        # cell's code resumes after the flags were reset, and its loop must stop there.
        code = "(globalThis as any).turns = 0;\n"
        code += "while (true) { await new Promise((r) => setTimeout(r, 20)); (globalThis as any).turns++; }"
        self.interrupt_during(code, self.by_message)
        time.sleep(0.2)
        first = self.execute("(globalThis as any).turns")[1]
        time.sleep(0.5)
        self.assertEqual(self.execute("(globalThis as any).turns")[1], first)

    def test_interrupted_async_no_grad_scope_ends_when_its_code_resumes(self):
        # dl.noGrad(async ...) lasts until its promise settles: the stopped loop settles it,
        # so the next cells record gradients again.
        code = "await dl.noGrad(async () => { while (true) await new Promise((r) => setTimeout(r, 20)); });"
        self.interrupt_during(code, self.by_signal)
        time.sleep(0.2)
        self.assertEqual(self.execute("dl.isGradEnabled()")[1], "true")

    def test_interrupted_scopes_waiting_forever_end_with_the_cell(self):
        # A promise that never settles would keep dl.noGrad / dl.tidy open for every later
        # cell: the kernel ends the interrupted cell's scopes (dl.abandonScopes).
        code = "await dl.noGrad(() => dl.tidy(async () => { dl.ones([2]); await new Promise(() => {}); }));"
        self.interrupt_during(code, self.by_message)
        self.assertEqual(self.execute("dl.isGradEnabled()")[1], "true")
        check = "const w9 = dl.ones([2], { requiresGrad: true });\n"
        check += "let t9: dl.Tensor | null = null;\n"
        check += "dl.tidy(() => { t9 = w9.mul(2); t9.sum().backward(); });\n"
        check += "[t9!.isDisposed, Array.from(await w9.grad!.data())].join(' ')"
        self.assertEqual(self.execute(check)[1], "'true 2,2'")

    def test_caught_interrupt_stops_loop_again(self):
        code = "while (true) { try { while (true) {} } catch (e) { /* swallowed */ } }"
        self.interrupt_during(code, self.by_message)
        self.assertEqual(self.execute("40 + 2")[1], "42")

    def test_interrupted_threaded_matmul_by_signal(self):
        # The cell stops while worker threads still run chunks of a product; the next product
        # on the same WebAssembly memory must not be written over by them.
        self.execute("dl.setNumThreads(2);\nconst big = dl.ones([768, 768]);")
        self.interrupt_during("while (true) big.matmul(big).dispose();", self.by_signal)
        code = "const p = dl.full([768, 768], 2).matmul(dl.full([768, 768], 3));\n"
        code += "p.min().itemSync() === 4608 && p.max().itemSync() === 4608"
        self.assertEqual(self.execute(code)[1], "true")

    def test_interrupted_cell_keeps_its_declarations(self):
        self.interrupt_during("const before = 7;\nwhile (true) {}", self.by_signal)
        self.assertEqual(self.execute("before * 6")[1], "42")

    def test_interrupt_while_idle_is_harmless(self):
        self.by_message()
        self.by_signal()
        time.sleep(0.3)
        reply, result = self.execute("1 + 1")
        self.assertEqual(reply["content"]["status"], "ok")
        self.assertEqual(result, "2")

    def test_interrupt_while_compiling(self):
        code = "type Deep<T, N extends number[] = []> = N['length'] extends 30 ? T : Deep<T[], [...N, 1]>;\n"
        code += "const deep: Deep<number> = [] as any;\nawait new Promise(() => {});"
        for how in (self.by_message, self.by_signal):
            msg_id = self.kc.execute(code)
            self.wait_iopub(msg_id, "execute_input")
            # At once: the interrupt must reach the cell even while TypeScript compiles it
            # (it used to be lost when it came before the cell was marked running).
            how()
            reply = self.wait_reply(msg_id)
            self.assertEqual(reply["content"]["ename"], "InterruptError")
        self.assertEqual(self.execute("6 * 7")[1], "42")

    def test_heartbeat_during_busy_loop(self):
        msg_id = self.kc.execute("while (true) {}")
        self.wait_iopub(msg_id, "execute_input")
        time.sleep(0.3)
        info = self.km.get_connection_info()
        ctx = zmq.Context.instance()
        sock = ctx.socket(zmq.REQ)
        sock.linger = 0
        sock.connect("%s://%s:%d" % (info["transport"], info["ip"], info["hb_port"]))
        sock.send(b"ping")
        self.assertTrue(sock.poll(5000), "no heartbeat while the main thread is busy")
        self.assertEqual(sock.recv(), b"ping")
        sock.close()
        self.by_message()
        self.assertEqual(self.wait_reply(msg_id)["content"]["ename"], "InterruptError")


if __name__ == "__main__":
    unittest.main()
