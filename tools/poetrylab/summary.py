"""./lab test's last line, "N passed, N failed", from meson's own results:
testlog.json says how each meson test ended; for the tests that speak TAP
(doctest's and the Python tests' cases), testlog.junit.xml has one entry
per test case. A test that passed its cases but then crashed or leaked (a
sanitizer's exit status 66) has one of them counted as failed. Skipped cases (no
IPv6 here, say) are neither.

    python3 -m poetrylab.summary BUILD_DIR ...
"""
import json
import sys
import xml.etree.ElementTree as ElementTree


def count(builds):
    passed = failed = skipped = 0
    for build in builds:
        logs = build + "/meson-logs/"
        try:
            results = [json.loads(line) for line in open(logs + "testlog.json")]
            suites = ElementTree.parse(logs + "testlog.junit.xml").getroot()
        except (OSError, ValueError, ElementTree.ParseError):
            print("%s: no test results" % build, file=sys.stderr)
            failed += 1
            continue
        # A TAP test's cases are a testsuite of their own, "PROJECT.PROJECT:SUITE / NAME".
        tap = {suite.get("name").split(" / ")[-1]: suite for suite in suites.iter("testsuite")
               if " / " in suite.get("name")}
        for test in results:
            ok = test["result"] in ("OK", "EXPECTEDFAIL", "SKIP")
            name = test["name"].split(" / ")[-1]
            suite = tap.get(name)
            if suite is not None:  # TAP: its own cases
                cases = int(suite.get("tests"))
                bad = int(suite.get("failures")) + int(suite.get("errors"))
                if not ok and bad == 0:
                    bad = 1
                skips = int(suite.get("skipped") or 0)
                passed += max(cases - bad - skips, 0)
                failed += bad
                skipped += skips
            elif test["result"] == "SKIP":
                skipped += 1
            elif ok:
                passed += 1
            else:
                failed += 1
    return passed, failed, skipped


def main(builds):
    passed, failed, skipped = count(builds)
    print("%d passed, %d failed" % (passed, failed) + (" (%d skipped)" % skipped if skipped else ""))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
