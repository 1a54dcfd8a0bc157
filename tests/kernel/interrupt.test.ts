// Interrupts by signal and by interrupt_request: busy loops, pending awaits, loops after an
// await; state survives and the next cell runs (tests/kernel/test_interrupt.py).
import { definePythonSuite } from "./helpers.js";

definePythonSuite("kernel interrupts", "test_interrupt", 600_000);
