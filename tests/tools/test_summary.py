"""./lab test's last line counts what meson ran: a TAP test's own cases
(passed, failed, skipped), an exit-status test as one, and a TAP test
whose cases passed but which then failed (a sanitizer's leak report) with
one of its cases counted as failed."""
import json
import os

from labtest import LabTestCase, main
from poetrylab import summary

JUNIT = """<?xml version="1.0" encoding="utf-8"?>
<testsuites>
  <testsuite name="poetry-lab.poetry-lab:programs / unit" tests="3" failures="1" errors="0" skipped="0">
    <testcase name="a"/><testcase name="b"/><testcase name="c"><failure/></testcase>
  </testsuite>
  <testsuite name="poetry-lab.poetry-lab:programs / hardening" tests="4" failures="0" errors="0" skipped="1">
    <testcase name="a"/><testcase name="b"/><testcase name="c"/><testcase name="d"><skipped/></testcase>
  </testsuite>
  <testsuite name="poetry-lab.poetry-lab:tools / leaky" tests="2" failures="0" errors="0" skipped="0">
    <testcase name="a"/><testcase name="b"/>
  </testsuite>
  <testsuite name="poetry-lab" tests="2" failures="1" errors="0" skipped="0">
    <testcase name="exercise-timeout-solution"/><testcase name="exercise-timeout-stub"><failure/></testcase>
  </testsuite>
</testsuites>
"""
RESULTS = [("poetry-lab:programs / unit", "FAIL"), ("poetry-lab:programs / hardening", "OK"),
           ("poetry-lab:tools / leaky", "FAIL"),  # its cases passed, then it exited 66
           ("poetry-lab:programs / exercise-timeout-solution", "OK"),
           ("poetry-lab:programs / exercise-timeout-stub", "FAIL")]


class Summary(LabTestCase):

    def build(self, name, junit=JUNIT, results=RESULTS):
        logs = os.path.join(self.tmp, name, "meson-logs")
        os.makedirs(logs)
        with open(os.path.join(logs, "testlog.junit.xml"), "w") as handle:
            handle.write(junit)
        with open(os.path.join(logs, "testlog.json"), "w") as handle:
            for test, result in results:
                handle.write(json.dumps({"name": test, "result": result}) + "\n")
        return os.path.join(self.tmp, name)

    def test_cases_and_tests_are_counted(self):
        # unit: 2 passed, 1 failed; hardening: 3 passed (1 skipped);
        # leaky: 1 passed, 1 failed; the solution: 1 passed; the stub: 1 failed.
        self.assertEqual(summary.count([self.build("build")]), (7, 3, 1))

    def test_a_build_without_results_is_a_failure(self):
        passed, failed, _ = summary.count([self.build("build"), os.path.join(self.tmp, "missing")])
        self.assertEqual((passed, failed), (7, 4))


if __name__ == "__main__":
    main()
