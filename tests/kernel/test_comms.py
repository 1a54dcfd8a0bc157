"""Comms in the Dendrite kernel: comm_open/comm_msg/comm_close both ways, comm_info_request by
target, binary buffers, and comm messages handled while a cell is still running (what lets a
widget steer a training loop). The widget protocol itself (state sync over jupyter.widget)
is checked through dl.widgets."""

import time
import unittest
import uuid

from jupyter_client.manager import start_new_kernel

from slow_machine import STARTUP_TIMEOUT, TIMEOUT, shell_reply

# A kernel-side target that echoes what it gets, buffers included, and records closes.
ECHO_TARGET = """
const transport = dl.widgets.commTransport()!;
const closed: string[] = [];
transport.registerTarget("test.echo", (comm, data, buffers) => {
  comm.send({ opened: data, sizes: buffers.map((b) => b.length) });
  comm.onMessage((d, b) => comm.send({ got: d, sizes: b.map((x) => x.length) }, b));
  comm.onClose(() => closed.push(comm.id));
});
"""


class CommTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.km, cls.kc = start_new_kernel(kernel_name="dendrite", startup_timeout=STARTUP_TIMEOUT)
        cls.session = cls.kc.session

    @classmethod
    def tearDownClass(cls):
        cls.kc.stop_channels()
        cls.km.shutdown_kernel()

    # --- helpers ----------------------------------------------------------------------

    def iopub_until(self, pred):
        """Iopub messages up to and including the first one `pred` accepts."""
        seen = []
        deadline = time.time() + TIMEOUT
        while time.time() < deadline:
            msg = self.kc.get_iopub_msg(timeout=TIMEOUT)
            seen.append(msg)
            if pred(msg):
                return seen
        raise AssertionError("the awaited iopub message never came")

    def execute(self, code):
        """Runs a cell; returns its reply, its text result (or None) and its iopub messages."""
        msg_id = self.kc.execute(code)
        msgs = self.iopub_until(
            lambda m: m["parent_header"].get("msg_id") == msg_id
            and m["msg_type"] == "status"
            and m["content"]["execution_state"] == "idle"
        )
        reply = self.shell_reply(msg_id)
        self.assertEqual(reply["content"]["status"], "ok", reply["content"])
        result = None
        for m in msgs:
            if m["msg_type"] == "execute_result" and m["parent_header"].get("msg_id") == msg_id:
                result = m["content"]["data"]["text/plain"]
        return reply, result, msgs

    def shell_reply(self, msg_id):
        return shell_reply(self.kc, msg_id)

    def send_shell(self, msg_type, content, buffers=None):
        msg = self.session.msg(msg_type, content)
        self.session.send(self.kc.shell_channel.socket, msg, buffers=buffers or [])
        return msg["header"]["msg_id"]

    def comm_info(self, target=None):
        content = {} if target is None else {"target_name": target}
        msg_id = self.send_shell("comm_info_request", content)
        reply = self.shell_reply(msg_id)
        self.assertEqual(reply["msg_type"], "comm_info_reply")
        return reply["content"]["comms"]

    def comm_msgs(self, msgs, comm_id, msg_type="comm_msg"):
        return [m for m in msgs if m["msg_type"] == msg_type and m["content"]["comm_id"] == comm_id]

    def new_slider(self, name, value):
        _, _, msgs = self.execute("const %s = new dl.widgets.IntSlider({ value: %d, max: 10 });" % (name, value))
        opens = [m for m in msgs if m["msg_type"] == "comm_open"]
        self.assertEqual(len(opens), 1)
        return opens[0]

    # --- kernel-opened comms: widgets ----------------------------------------------------

    def test_widget_comm_open_and_info_by_target(self):
        opened = self.new_slider("s1", 3)
        content = opened["content"]
        self.assertEqual(content["target_name"], "jupyter.widget")
        self.assertEqual(opened["metadata"], {"version": "2.1.0"})
        state = content["data"]["state"]
        self.assertEqual(state["_model_name"], "IntSliderModel")
        self.assertEqual(state["_model_module"], "@jupyter-widgets/controls")
        self.assertEqual((state["value"], state["min"], state["max"]), (3, 0, 10))
        comm_id = content["comm_id"]
        self.assertIn(comm_id, self.comm_info("jupyter.widget"))
        self.assertEqual(self.comm_info("jupyter.widget")[comm_id], {"target_name": "jupyter.widget"})
        self.assertNotIn(comm_id, self.comm_info("no.such.target"))
        self.assertIn(comm_id, self.comm_info())

    def test_widget_display_bundle_has_view_and_text(self):
        opened = self.new_slider("s2", 4)
        _, result, msgs = self.execute("s2")
        bundle = [m for m in msgs if m["msg_type"] == "execute_result"][0]["content"]["data"]
        view = bundle["application/vnd.jupyter.widget-view+json"]
        self.assertEqual(view["model_id"], opened["content"]["comm_id"])
        self.assertEqual(view["version_major"], 2)
        self.assertEqual(result, "IntSlider(value=4, min=0, max=10)")

    def test_front_end_update_reaches_kernel_and_observers(self):
        comm_id = self.new_slider("s3", 1)["content"]["comm_id"]
        self.execute('const seen3: number[] = []; s3.observe((c) => seen3.push(c.new as number), "value");')
        msg_id = self.send_shell("comm_msg", {"comm_id": comm_id, "data": {"method": "update", "state": {"value": 7}, "buffer_paths": []}})
        # The widget front end counts its messages as done by this idle status.
        self.iopub_until(
            lambda m: m["parent_header"].get("msg_id") == msg_id
            and m["msg_type"] == "status"
            and m["content"]["execution_state"] == "idle"
        )
        self.assertEqual(self.execute("[s3.value, ...seen3].join()")[1], "'7,7'")

    def test_kernel_update_reaches_front_end(self):
        comm_id = self.new_slider("s4", 1)["content"]["comm_id"]
        _, _, msgs = self.execute("s4.value = 9; s4.value = 99;")
        updates = [m["content"]["data"] for m in self.comm_msgs(msgs, comm_id)]
        # 99 is clamped to max 10; only changed keys are sent.
        self.assertEqual(updates, [
            {"method": "update", "state": {"value": 9}, "buffer_paths": []},
            {"method": "update", "state": {"value": 10}, "buffer_paths": []},
        ])

    def test_request_state_answers_full_state(self):
        comm_id = self.new_slider("s5", 2)["content"]["comm_id"]
        self.send_shell("comm_msg", {"comm_id": comm_id, "data": {"method": "request_state"}})
        msgs = self.iopub_until(lambda m: m["msg_type"] == "comm_msg" and m["content"]["comm_id"] == comm_id)
        data = msgs[-1]["content"]["data"]
        self.assertEqual(data["method"], "update")
        self.assertEqual(data["state"]["value"], 2)
        self.assertEqual(data["state"]["_view_name"], "IntSliderView")

    def test_control_comm_reports_every_widget(self):
        comm_id = self.new_slider("s6", 6)["content"]["comm_id"]
        control = uuid.uuid4().hex
        self.send_shell("comm_open", {"comm_id": control, "target_name": "jupyter.widget.control", "data": {}})
        self.send_shell("comm_msg", {"comm_id": control, "data": {"method": "request_states"}})
        msgs = self.iopub_until(lambda m: m["msg_type"] == "comm_msg" and m["content"]["comm_id"] == control)
        data = msgs[-1]["content"]["data"]
        self.assertEqual(data["method"], "update_states")
        entry = data["states"][comm_id]
        self.assertEqual(entry["model_name"], "IntSliderModel")
        self.assertEqual(entry["state"]["value"], 6)

    def test_button_click_runs_callback(self):
        _, _, msgs = self.execute("const b7 = new dl.widgets.Button({ description: 'go' }); let clicks7 = 0; b7.onClick(() => clicks7++);")
        comm_id = [m for m in msgs if m["msg_type"] == "comm_open"][0]["content"]["comm_id"]
        for _ in range(2):
            self.send_shell("comm_msg", {"comm_id": comm_id, "data": {"method": "custom", "content": {"event": "click"}}})
        self.assertEqual(self.execute("clicks7")[1], "2")

    def test_kernel_closes_widget(self):
        comm_id = self.new_slider("s8", 1)["content"]["comm_id"]
        _, _, msgs = self.execute("s8.close();")
        self.assertEqual(len(self.comm_msgs(msgs, comm_id, "comm_close")), 1)
        self.assertNotIn(comm_id, self.comm_info())

    # --- front-end-opened comms, buffers ----------------------------------------------

    def test_front_end_comm_with_buffers_both_ways(self):
        self.execute(ECHO_TARGET)
        comm_id = uuid.uuid4().hex
        self.send_shell("comm_open", {"comm_id": comm_id, "target_name": "test.echo", "data": {"hello": 1}}, [b"abc"])
        msgs = self.iopub_until(lambda m: m["msg_type"] == "comm_msg" and m["content"]["comm_id"] == comm_id)
        self.assertEqual(msgs[-1]["content"]["data"], {"opened": {"hello": 1}, "sizes": [3]})
        self.assertEqual(self.comm_info("test.echo"), {comm_id: {"target_name": "test.echo"}})
        payload = [bytes(range(256)), b"\x00\x01"]
        self.send_shell("comm_msg", {"comm_id": comm_id, "data": {"n": 2}}, payload)
        msgs = self.iopub_until(lambda m: m["msg_type"] == "comm_msg" and m["content"]["comm_id"] == comm_id)
        echo = msgs[-1]
        self.assertEqual(echo["content"]["data"], {"got": {"n": 2}, "sizes": [256, 2]})
        self.assertEqual([bytes(b) for b in echo["buffers"]], payload)
        # Closed by the front end: the kernel side hears of it and forgets the comm.
        self.send_shell("comm_close", {"comm_id": comm_id, "data": {}})
        self.assertEqual(self.comm_info("test.echo"), {})
        self.assertEqual(self.execute("closed.length")[1], "1")

    def test_unknown_target_is_closed(self):
        comm_id = uuid.uuid4().hex
        self.send_shell("comm_open", {"comm_id": comm_id, "target_name": "no.such.target", "data": {}})
        msgs = self.iopub_until(lambda m: m["msg_type"] == "comm_close" and m["content"]["comm_id"] == comm_id)
        self.assertIn("no.such.target", msgs[-1]["content"]["data"]["error"])
        self.assertNotIn(comm_id, self.comm_info())

    def test_status_ends_idle_after_mixed_requests(self):
        """Comm requests are handled out of turn: whatever the interleaving with queued
        requests, the last status must say idle (a front end connecting sends both kinds at
        once; the kernel used to be left looking busy)."""
        ids = []
        for _ in range(15):
            ids.append(self.kc.kernel_info())
            ids.append(self.send_shell("comm_info_request", {"target_name": "jupyter.widget"}))
        # Comm replies overtake queued ones: collect them in whatever order they come.
        pending = set(ids)
        deadline = time.time() + TIMEOUT
        while pending and time.time() < deadline:
            pending.discard(self.kc.get_shell_msg(timeout=TIMEOUT)["parent_header"].get("msg_id"))
        self.assertEqual(pending, set())
        last = None
        while True:
            try:
                msg = self.kc.get_iopub_msg(timeout=1)
            except Exception:  # queue.Empty: the kernel has gone quiet
                break
            if msg["msg_type"] == "status":
                last = msg["content"]["execution_state"]
        self.assertEqual(last, "idle")

    # --- while a cell runs ------------------------------------------------------------

    def test_widget_event_reaches_a_running_loop(self):
        comm_id = self.new_slider("stop9", 0)["content"]["comm_id"]
        code = (
            "async function* forever() { while (true) yield 1; }\n"
            "let steps9 = 0;\n"
            "for await (const _ of forever()) {\n"
            "  if (stop9.value > 0) break;\n"
            '  if (steps9 === 0) console.log("looping");\n'
            "  steps9++;\n"
            "  await dl.widgets.poll();\n"
            "}\n"
            "stop9.value"
        )
        msg_id = self.kc.execute(code)
        # Wait until the loop really runs (it says so), however long the cell takes to compile.
        self.iopub_until(
            lambda m: m["parent_header"].get("msg_id") == msg_id
            and m["msg_type"] == "stream"
            and "looping" in m["content"]["text"]
        )
        self.send_shell("comm_msg", {"comm_id": comm_id, "data": {"method": "update", "state": {"value": 5}, "buffer_paths": []}})
        reply = self.shell_reply(msg_id)
        self.assertEqual(reply["content"]["status"], "ok")
        self.assertEqual(self.execute("steps9 > 0")[1], "true")


if __name__ == "__main__":
    unittest.main()
