"""How long the kernel tests wait. Every wait here bounds a failure, never a speed: a reply
that must come is waited for generously, because CI and shared 2-core machines run other
kernels and builds at the same time (a kernel start there takes 8-13 s instead of 4)."""

import jupyter_kernel_test as jkt

# For one reply or message that must come.
TIMEOUT = 120
# For a kernel to start (TypeScript builds a program first).
STARTUP_TIMEOUT = 180

# jupyter_kernel_test reads its module constant inside some helpers (default: 15 s).
jkt.TIMEOUT = TIMEOUT
