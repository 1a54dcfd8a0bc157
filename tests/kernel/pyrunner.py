"""Runs one unittest module of the kernel tests and writes each test's outcome as JSON.

usage: pyrunner.py list MODULE          -> prints the test names
       pyrunner.py run MODULE OUT.json  -> runs them, writes {name: {status, message}}

The vitest side turns every entry into one vitest test, so counts stay honest.
"""

import json
import os
import sys
import traceback
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))


def flatten(suite):
    for item in suite:
        if isinstance(item, unittest.TestSuite):
            yield from flatten(item)
        else:
            yield item


class Collect(unittest.TestResult):
    def __init__(self):
        super().__init__()
        self.outcomes = {}

    def _set(self, test, status, err=None):
        name = test.id().split(".")[-1]
        message = "".join(traceback.format_exception(*err)) if err else ""
        previous = self.outcomes.get(name)
        # A failed subtest fails its test even if the test method itself returns normally.
        if previous and previous["status"] != "ok" and status == "ok":
            return
        if previous and previous["message"] and message:
            message = previous["message"] + "\n" + message
        self.outcomes[name] = {"status": status, "message": message}

    def addSuccess(self, test):
        self._set(test, "ok")

    def addFailure(self, test, err):
        self._set(test, "fail", err)

    def addError(self, test, err):
        # Errors in setUpClass come with a pseudo-test: blame every test of the module.
        if isinstance(test, unittest.suite._ErrorHolder):
            self.outcomes["__setup__"] = {
                "status": "error",
                "message": "".join(traceback.format_exception(*err)),
            }
            return
        self._set(test, "error", err)

    def addSkip(self, test, reason):
        self._set(test, "skip", None)
        self.outcomes[test.id().split(".")[-1]]["message"] = reason

    def addSubTest(self, test, subtest, err):
        if err is not None:
            self._set(test, "fail", err)


def main():
    mode, module = sys.argv[1], sys.argv[2]
    suite = unittest.defaultTestLoader.loadTestsFromName(module)
    if mode == "list":
        print(json.dumps([t.id().split(".")[-1] for t in flatten(suite)]))
        return
    result = Collect()
    suite.run(result)
    with open(sys.argv[3], "w") as f:
        json.dump(result.outcomes, f, indent=1)


if __name__ == "__main__":
    main()
