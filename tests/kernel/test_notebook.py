"""A notebook run headlessly by nbclient through the installed kernelspec, in a folder with no
node_modules: outputs, execution counts and errors must be recorded as JupyterLab would."""

import os
import unittest

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

from slow_machine import STARTUP_TIMEOUT, TIMEOUT

TENSOR_MIME = "application/vnd.dendrite.tensor.v1+json"

CELLS = [
    ("markdown", "# A Dendrite notebook"),
    (
        "code",
        'import * as again from "dendrite";\n'
        "const t = dl.tensor([[1, 2], [3, 4]]);\n"
        'console.log("shape", t.shape);\n'
        "t",
    ),
    ("code", "await dl.viz.show(t);"),
    (
        "code",
        'const handle = display("step 0", { displayId: "progress" });\n'
        'setTimeout(() => handle.update("step 3 of 3"), 50);',
    ),
    ("code", 'await new Promise((r) => setTimeout(r, 400));\n"later"'),
    ("code", 'function check(x: number) {\n  if (x < 0) throw new TypeError("negative");\n}\ncheck(-1);'),
    ("code", 'const wrong: number = "text";'),
    ("code", "again === dl && typeof t.shape"),
]


def notebook():
    nb = nbformat.v4.new_notebook()
    for kind, source in CELLS:
        make = nbformat.v4.new_markdown_cell if kind == "markdown" else nbformat.v4.new_code_cell
        nb.cells.append(make(source))
    nb.metadata["kernelspec"] = {"name": "dendrite", "display_name": "Dendrite (TypeScript)"}
    return nb


def run(nb, allow_errors):
    client = NotebookClient(
        nb,
        kernel_name="dendrite",
        timeout=TIMEOUT,
        startup_timeout=STARTUP_TIMEOUT,
        allow_errors=allow_errors,
        resources={"metadata": {"path": os.getcwd()}},
    )
    client.execute()
    return nb


def outputs(cell, output_type):
    return [o for o in cell.outputs if o.output_type == output_type]


class NotebookTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.nb = run(notebook(), allow_errors=True)
        cls.code = [c for c in cls.nb.cells if c.cell_type == "code"]

    def test_no_node_modules_here(self):
        here = os.getcwd()
        while True:
            self.assertFalse(os.path.isdir(os.path.join(here, "node_modules")), here)
            if os.path.dirname(here) == here:
                break
            here = os.path.dirname(here)

    def test_execution_counts(self):
        self.assertEqual([c.execution_count for c in self.code], list(range(1, len(self.code) + 1)))

    def test_language_info(self):
        self.assertEqual(self.nb.metadata.language_info.name, "typescript")

    def test_stream_and_execute_result(self):
        cell = self.code[0]
        self.assertIn("shape [ 2, 2 ]", "".join(o.text for o in outputs(cell, "stream")))
        (result,) = outputs(cell, "execute_result")
        self.assertEqual(result.execution_count, 1)
        self.assertIn(TENSOR_MIME, result.data)
        self.assertIn("text/plain", result.data)

    def test_viz_show_publishes_whole_bundle(self):
        (shown,) = outputs(self.code[1], "display_data")
        self.assertIn(TENSOR_MIME, shown.data)
        self.assertIn("text/plain", shown.data)

    def test_display_updated_later_from_async_code(self):
        (shown,) = outputs(self.code[2], "display_data")
        self.assertEqual(shown.data["text/plain"], "'step 3 of 3'")
        self.assertEqual(outputs(self.code[3], "execute_result")[0].data["text/plain"], "'later'")

    def test_runtime_error_recorded(self):
        (err,) = outputs(self.code[4], "error")
        self.assertEqual(err.ename, "TypeError")
        self.assertEqual(err.evalue, "negative")
        self.assertTrue(any("cell[5]:2:" in line for line in err.traceback), err.traceback)

    def test_type_error_recorded(self):
        (err,) = outputs(self.code[5], "error")
        self.assertEqual(err.ename, "TSError")
        self.assertIn("cell[6]:1:7", err.evalue)

    def test_state_survives_errors(self):
        (result,) = outputs(self.code[6], "execute_result")
        self.assertEqual(result.data["text/plain"], "'object'")

    def test_run_stops_at_first_error_without_allow_errors(self):
        nb = notebook()
        with self.assertRaises(CellExecutionError) as caught:
            run(nb, allow_errors=False)
        self.assertIn("negative", str(caught.exception))
        code = [c for c in nb.cells if c.cell_type == "code"]
        self.assertEqual(code[4].execution_count, 5)
        self.assertIsNone(code[5].execution_count)


if __name__ == "__main__":
    unittest.main()
