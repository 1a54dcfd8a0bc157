"""How long the kernel tests wait. Every wait here bounds a failure, never a speed: a reply
that must come is waited for generously, because CI and shared 2-core machines run other
kernels and builds at the same time (a kernel start there takes 8-13 s instead of 4)."""

import time

import jupyter_kernel_test as jkt

# For one reply or message that must come.
TIMEOUT = 120
# For a kernel to start (TypeScript builds a program first).
STARTUP_TIMEOUT = 180

# jupyter_kernel_test reads its module constant inside some helpers (default: 15 s).
jkt.TIMEOUT = TIMEOUT


def shell_reply(kc, msg_id, timeout=TIMEOUT):
    """The shell reply to request `msg_id` (replies to other requests are skipped)."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        reply = kc.get_shell_msg(timeout=timeout)
        if reply["parent_header"].get("msg_id") == msg_id:
            return reply
    raise AssertionError("no shell reply to %s" % msg_id)
