"""Executes one notebook top to bottom with nbclient through the installed `dendrite`
kernelspec and reports what happened as JSON.

usage: run_notebook.py NOTEBOOK.ipynb RESULT.json [EXECUTED.ipynb]

RESULT.json: {"ok": bool, "error": str | null, "seconds": float, "cells": [seconds per code
cell], "metrics": {...} | null, "stdout": str}. `metrics` is the JSON after the last line of
stdout that starts with "METRICS ". The executed notebook (with outputs) is written when asked.
"""

import json
import os
import sys
import time

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError
from traitlets.config import Config

CELL_TIMEOUT_S = int(os.environ.get("DENDRITE_CELL_TIMEOUT", "600"))


def stdout_of(nb):
    text = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        for out in cell.get("outputs", []):
            if out.get("output_type") == "stream" and out.get("name") == "stdout":
                text.append(out.get("text", ""))
    return "".join(text)


def metrics_of(stdout):
    found = None
    for line in stdout.splitlines():
        if line.startswith("METRICS "):
            found = json.loads(line[len("METRICS ") :])
    return found


class TimedClient(NotebookClient):
    """Records the wall time of every code cell."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.cell_seconds = []

    async def async_execute_cell(self, cell, cell_index, *args, **kwargs):
        start = time.monotonic()
        try:
            return await super().async_execute_cell(cell, cell_index, *args, **kwargs)
        finally:
            if cell.cell_type == "code":
                self.cell_seconds.append(round(time.monotonic() - start, 2))


def ipc_config():
    """Kernels talk over Unix sockets in the sandbox's runtime folder, not TCP ports. The tests
    start several kernels at once, each from its own Python process: with TCP, each process picks
    free ports and closes them before its kernel binds them, and another process (or any outgoing
    connection) can take one in between; that kernel then dies before replying to kernel_info."""
    config = Config()
    config.KernelManager.transport = "ipc"
    return config


def tail_of(path, limit=4000):
    try:
        with open(path, encoding="utf8", errors="replace") as f:
            return f.read()[-limit:]
    except OSError:
        return ""


def main():
    source, result_path = sys.argv[1], sys.argv[2]
    executed_path = sys.argv[3] if len(sys.argv) > 3 else None
    nb = nbformat.read(source, as_version=4)
    client = TimedClient(
        nb,
        kernel_name=nb.metadata.get("kernelspec", {}).get("name", "dendrite"),
        timeout=CELL_TIMEOUT_S,
        startup_timeout=180,
        resources={"metadata": {"path": os.getcwd()}},
        config=ipc_config(),
    )
    start = time.monotonic()
    error = None
    # The kernel's own stderr, kept to explain a kernel that dies.
    kernel_log = os.path.join(os.path.dirname(os.path.abspath(result_path)), "kernel-stderr.log")
    try:
        with open(kernel_log, "w") as log:
            client.execute(stderr=log)
    except CellExecutionError as e:
        error = str(e)
    except Exception as e:  # a timeout or a dead kernel: report it like a cell error
        error = f"{type(e).__name__}: {e}\nkernel stderr:\n{tail_of(kernel_log)}"
    stdout = stdout_of(nb)
    try:
        metrics = metrics_of(stdout)
    except ValueError as e:
        metrics, error = None, error or f"unreadable METRICS line: {e}"
    result = {
        "ok": error is None,
        "error": error,
        "seconds": round(time.monotonic() - start, 2),
        "cells": client.cell_seconds,
        "metrics": metrics,
        "stdout": stdout[-20000:],
    }
    if executed_path:
        nbformat.write(nb, executed_path)
    with open(result_path, "w") as f:
        json.dump(result, f, indent=1)


if __name__ == "__main__":
    main()
