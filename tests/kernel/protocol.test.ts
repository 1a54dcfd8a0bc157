// jupyter_kernel_test with samples of every category, and the protocol details it does not
// check (tests/kernel/test_protocol.py): one vitest test per Python test case.
import { definePythonSuite } from "./helpers.js";

definePythonSuite("kernel protocol (jupyter_kernel_test)", "test_protocol", 600_000);
