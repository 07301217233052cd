"""./lab demo --fast --out DIR: the instructor's one command, end to end
(tools/demo.py, run on this build's programs)."""
import json
import os
import re
import subprocess
import xml.etree.ElementTree as ElementTree

from labtest import BUILD, SOURCE, LabTestCase, main

SVG = "{http://www.w3.org/2000/svg}"


class DemoTest(LabTestCase):

    def test_fast_demo_with_pictures(self):
        out = os.path.join(self.tmp, "out")
        result = subprocess.run(["/usr/bin/python3", os.path.join(SOURCE, "tools", "demo.py"),
                                 "--fast", "--out", out, "--build", BUILD, "--any-port"],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                timeout=240)
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        text = result.stdout
        # Each client ran to its closing lines, in the chapter's order.
        sections = re.split(r"^== The (blocking|reactor|broken) client: .*==$", text, flags=re.M)
        self.assertEqual(sections[1::2], ["blocking", "reactor", "broken"])
        bodies = dict(zip(sections[1::2], sections[2::2]))
        for client, body in bodies.items():
            got = "got " if client == "blocking" else ""  # its closing lines carry the times
            self.assertRegex(body, r"Task 1: {0}3003 bytes of poetry.*\n\s+Task 2: {0}623 bytes of "
                             r"poetry.*\n\s+Task 3: {0}653 bytes of poetry.*\n\s+Got 3 poems in "
                             .format(got), client)
        # The table: one row per client.
        table = text.split("== Side by side ==", 1)[1]
        for client in ("blocking", "reactor", "broken"):
            self.assertRegex(table, r"\n  %s +\d+\.\d\ds +\d+\.\d\d +\d+\.\d\d " % client)
        self.assertIn("Timeline: " + os.path.join(out, "timeline.svg"), text)

        # The SVG is XML with one lane per task per client.
        root = ElementTree.parse(os.path.join(out, "timeline.svg")).getroot()
        lanes = [g for g in root.iter(SVG + "g") if g.get("class") == "lane"]
        self.assertEqual([(g.get("data-client"), g.get("data-task")) for g in lanes],
                         [(c, str(t)) for c in ("blocking", "reactor", "broken") for t in (1, 2, 3)])

        # Each trace is trace-event JSON with one slice per `got` line shown.
        for client in ("blocking", "reactor", "broken"):
            with open(os.path.join(out, client + ".trace.json")) as handle:
                events = json.load(handle)["traceEvents"]
            slices = [e for e in events if e["ph"] == "X" and e["tid"] != 0  # the task tracks
                      and e["name"] != "wait"]
            got_lines = re.findall(r"^  Task \d+: got \d+ bytes", bodies[client], flags=re.M)
            self.assertEqual(len(slices), len(got_lines), client)
            self.assertTrue(all({"ts", "dur", "pid", "tid", "name"} <= set(e) for e in slices))

        # The broken client trips the slow-callback warning; the reactor client does not.
        self.assertIn("doRead blocked the reactor", bodies["broken"])
        self.assertNotIn("blocked the reactor", bodies["reactor"])


if __name__ == "__main__":
    main()
