"""The Dendrite kernel under jupyter_kernel_test (every sample category), plus the protocol
details that suite does not check: kernel_info status, comm_info_request's reply type,
whole bundles in execute_result, mapped tracebacks, stop_on_error, surviving failures."""

import time
import unittest

import jupyter_kernel_test as jkt
from jupyter_client.manager import start_new_kernel

from slow_machine import STARTUP_TIMEOUT, TIMEOUT

TENSOR_MIME = "application/vnd.dendrite.tensor.v1+json"
DISPLAYABLE = (
    '({ [Symbol.for("Jupyter.display")]() { return { "text/plain": "shown", '
    '"%s": { "shape": [2] } }; } })' % TENSOR_MIME
)


class DendriteKernelTests(jkt.KernelTests):
    kernel_name = "dendrite"
    language_name = "typescript"
    file_extension = ".ts"

    code_hello_world = 'console.log("hello, world")'
    code_stderr = 'console.error("something went wrong")'
    completion_samples = [
        {"text": "Math.flo", "matches": {"floor"}},
        {"text": "dl.zerosLi", "matches": {"zerosLike"}},
    ]
    complete_code_samples = ["1", 'console.log("hi")', "function f() { return 1; }", "let a = [1, 2];"]
    incomplete_code_samples = ["function f() {", "const a = [1,", "if (x) {\n  y();", "`line one"]
    invalid_code_samples = ["const = 1;", "1 +* 2", "let x = );", "}"]
    code_inspect_sample = "Math.floor"
    code_generate_error = 'throw new Error("boom")'
    code_execute_result = [
        {"code": "6 * 7", "result": "42"},
        {"code": '"a" + "b"', "result": "'ab'"},
        {"code": "[1, 2, 3].length", "result": "3"},
    ]
    code_display_data = [
        {"code": "display(%s)" % DISPLAYABLE, "mime": TENSOR_MIME},
        {"code": "display(dl.tensor([1, 2]))", "mime": TENSOR_MIME},
        {"code": 'display("plain")', "mime": "text/plain"},
    ]
    code_history_pattern = "6 *"
    supported_history_operations = ("tail", "range", "search")
    code_clear_output = "clearOutput()"
    # No pager in this kernel: leave the inherited test uncollected rather than skipped.
    test_pager = None

    @classmethod
    def setUpClass(cls):
        cls.km, cls.kc = start_new_kernel(
            kernel_name=cls.kernel_name, startup_timeout=STARTUP_TIMEOUT
        )

    def execute_helper(
        self, code, timeout=TIMEOUT, silent=False, store_history=True, stop_on_error=True
    ):
        """jupyter_kernel_test's helper with the same checks, but waits that suit a loaded
        machine: it allows 1 s for the busy status and 0.1 s for each output after the
        reply, which a kernel descheduled for a moment misses."""
        msg_id = self.kc.execute(
            code=code, silent=silent, store_history=store_history, stop_on_error=stop_on_error
        )
        reply = self.get_non_kernel_info_reply(timeout=timeout)
        jkt.validate_message(reply, "execute_reply", msg_id)
        busy = self.kc.get_iopub_msg(timeout=timeout)
        jkt.validate_message(busy, "status", msg_id)
        self.assertEqual(busy["content"]["execution_state"], "busy")
        outputs = []
        while True:
            msg = self.kc.get_iopub_msg(timeout=timeout)
            jkt.validate_message(msg, msg["msg_type"], msg_id)
            if msg["msg_type"] == "status":
                self.assertEqual(msg["content"]["execution_state"], "idle")
                return reply, outputs
            if msg["msg_type"] == "execute_input":
                self.assertEqual(msg["content"]["code"], code)
                continue
            outputs.append(msg)

    # --- beyond jupyter_kernel_test -------------------------------------------------

    def test_kernel_info_status(self):
        self.flush_channels()
        self.kc.kernel_info()
        reply = self.kc.get_shell_msg(timeout=jkt.TIMEOUT)
        self.assertEqual(reply["content"]["status"], "ok")
        self.assertEqual(reply["content"]["implementation"], "dendrite")

    def test_inspect_library_api(self):
        self.flush_channels()
        msg_id = self.kc.inspect("dl.tensor", cursor_pos=len("dl.tensor"))
        reply = self.get_non_kernel_info_reply(timeout=jkt.TIMEOUT)
        jkt.validate_message(reply, "inspect_reply", msg_id)
        self.assertTrue(reply["content"]["found"])
        self.assertIn("tensor", reply["content"]["data"]["text/plain"])

    def test_comm_info_reply_type(self):
        self.flush_channels()
        msg_id = self.kc.comm_info()
        reply = self.get_non_kernel_info_reply(timeout=jkt.TIMEOUT)
        jkt.validate_message(reply, "comm_info_reply", msg_id)
        self.assertEqual(reply["content"]["comms"], {})

    def test_execute_result_whole_bundle(self):
        self.flush_channels()
        reply, outputs = self.execute_helper(DISPLAYABLE)
        results = [m for m in outputs if m["msg_type"] == "execute_result"]
        self.assertEqual(len(results), 1)
        data = results[0]["content"]["data"]
        self.assertEqual(data["text/plain"], "shown")
        self.assertEqual(data[TENSOR_MIME], {"shape": [2]})
        self.assertEqual(results[0]["content"]["execution_count"], reply["content"]["execution_count"])

    def test_runtime_error_maps_to_cell_lines(self):
        self.flush_channels()
        code = "function fail(): number {\n  // a comment\n\n  throw new RangeError('bad');\n}\nfail();"
        reply, outputs = self.execute_helper(code)
        self.assertEqual(reply["content"]["status"], "error")
        self.assertEqual(reply["content"]["ename"], "RangeError")
        tb = "\n".join(outputs[0]["content"]["traceback"])
        count = reply["content"]["execution_count"]
        self.assertIn("cell[%d]:4:" % count, tb)
        self.assertIn("cell[%d]:6:" % count, tb)
        self.assertNotIn("dist/kernel", tb)
        self.assertNotIn("node:internal", tb)

    def test_type_error_has_line_and_column(self):
        self.flush_channels()
        reply, outputs = self.execute_helper("const ok = 1;\nconst s: string = ok;")
        self.assertEqual(reply["content"]["status"], "error")
        self.assertEqual(reply["content"]["ename"], "TSError")
        self.assertIn(":2:7", reply["content"]["evalue"])
        self.assertEqual([m["msg_type"] for m in outputs], ["error"])

    def test_declarations_survive_errors(self):
        self.flush_channels()
        self.execute_helper("const kept = 41;")
        self.execute_helper('const partial = 1; throw new Error("late");')
        self.execute_helper("const broken: number = 'x';")
        reply, outputs = self.execute_helper("kept + partial")
        self.assertEqual(reply["content"]["status"], "ok")
        self.assertEqual(outputs[-1]["content"]["data"]["text/plain"], "42")

    def test_shorthand_property_of_an_earlier_cells_name(self):
        # tslab's cross-cell rewrite missed `{ steps }`: a ReferenceError before the fix
        self.flush_channels()
        self.execute_helper("let steps = 3;")
        reply, outputs = self.execute_helper("JSON.stringify({ steps, twice: steps * 2 })")
        self.assertEqual(reply["content"]["status"], "ok")
        self.assertEqual(
            outputs[-1]["content"]["data"]["text/plain"], "'{\"steps\":3,\"twice\":6}'"
        )

    def test_top_level_for_await(self):
        # learners iterate DataLoaders with for await at the top of a cell
        self.flush_channels()
        code = "async function* g() { yield 1; yield 2; yield 3; }\nlet total = 0;\nfor await (const x of g()) total += x;\ntotal"
        reply, outputs = self.execute_helper(code)
        self.assertEqual(reply["content"]["status"], "ok")
        self.assertEqual(outputs[-1]["content"]["data"]["text/plain"], "6")

    def test_unhandled_rejection_keeps_kernel(self):
        self.flush_channels()
        reply, outputs = self.execute_helper('Promise.reject(new Error("nobody waits")); 1')
        self.assertEqual(reply["content"]["status"], "ok")
        stderr = "".join(m["content"]["text"] for m in outputs if m["msg_type"] == "stream")
        self.assertIn("nobody waits", stderr)
        code = 'setTimeout(() => { throw new Error("in a timer"); }, 0);\nawait new Promise((r) => setTimeout(r, 100));\n2'
        reply, outputs = self.execute_helper(code)
        self.assertEqual(reply["content"]["status"], "ok")
        stderr = "".join(m["content"]["text"] for m in outputs if m["msg_type"] == "stream")
        self.assertIn("in a timer", stderr)
        reply, outputs = self.execute_helper("3")
        self.assertEqual(outputs[-1]["content"]["data"]["text/plain"], "3")

    def test_huge_output_is_bounded(self):
        self.flush_channels()
        code = 'for (let i = 0; i < 200000; i++) console.log("line " + i + " " + "x".repeat(100));'
        reply, outputs = self.execute_helper(code)
        self.assertEqual(reply["content"]["status"], "ok")
        streams = [m for m in outputs if m["msg_type"] == "stream"]
        self.assertLess(len(streams), 2000)
        self.assertLessEqual(sum(len(m["content"]["text"]) for m in streams), 17 * 2**20)
        reply, outputs = self.execute_helper('"x".repeat(5e7)')
        self.assertLess(len(outputs[-1]["content"]["data"]["text/plain"]), 20000)

    def test_stop_on_error_aborts_only_queued(self):
        self.flush_channels()
        first = self.kc.execute('await new Promise((r) => setTimeout(r, 300)); throw new Error("x")')
        queued = self.kc.execute("1")
        replies = {}
        while len(replies) < 2:
            msg = self.get_non_kernel_info_reply(timeout=jkt.TIMEOUT)
            replies[msg["parent_header"]["msg_id"]] = msg["content"]["status"]
        self.assertEqual(replies[first], "error")
        self.assertEqual(replies[queued], "aborted")
        # A request sent after the error reply runs normally, even immediately.
        self.flush_channels()
        reply, _ = self.execute_helper("2")
        self.assertEqual(reply["content"]["status"], "ok")

    def test_no_abort_without_stop_on_error(self):
        self.flush_channels()
        self.kc.execute('throw new Error("x")', stop_on_error=False)
        queued = self.kc.execute("1")
        statuses = {}
        while queued not in statuses:
            msg = self.get_non_kernel_info_reply(timeout=jkt.TIMEOUT)
            statuses[msg["parent_header"]["msg_id"]] = msg["content"]["status"]
        self.assertEqual(statuses[queued], "ok")

    def test_user_expressions(self):
        self.flush_channels()
        msg_id = self.kc.execute("const ue = 5;", user_expressions={"double": "ue * 2"})
        reply = self.get_non_kernel_info_reply(timeout=jkt.TIMEOUT)
        self.assertEqual(reply["parent_header"]["msg_id"], msg_id)
        expr = reply["content"]["user_expressions"]["double"]
        self.assertEqual(expr["data"]["text/plain"], "10")


if __name__ == "__main__":
    unittest.main()
