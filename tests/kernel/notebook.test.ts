// A notebook executed headlessly by nbclient through the installed kernelspec
// (tests/kernel/test_notebook.py): one vitest test per Python test case.
import { definePythonSuite } from "./helpers.js";

definePythonSuite("notebook through nbclient", "test_notebook", 600_000);
