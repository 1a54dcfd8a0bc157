// Comms both ways, comm_info by target, binary buffers, widget state sync and widget events
// during a running cell (tests/kernel/test_comms.py): one vitest test per Python case.
import { definePythonSuite } from "./helpers.js";

definePythonSuite("kernel comms and widgets", "test_comms", 600_000);
