"""./lab bench's table is well formed (tiny inputs, one run each). Speed is
never asserted here: that is what the bench itself is for."""
import json
import os
import subprocess

from labtest import BUILD, LabTestCase, main


class BenchTableTest(LabTestCase):

    def test_tiny_run_writes_every_row(self):
        out = os.path.join(self.tmp, "bench.json")
        result = subprocess.run(["/usr/bin/python3", "-m", "poetrylab.bench",
                                 "--tiny", "--json", out, "--build", BUILD],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                timeout=300)
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        with open(out) as handle:
            table = json.load(handle)
        rows = table["rows"]
        measures = [r["measure"] for r in rows]
        for expected in ["async / slowest server alone", "select / slowest server alone",
                         "blocking / sum of the servers alone", "broken / async",
                         "async client's CPU seconds / wall time",
                         "socat's time / ours (throughput)", "async client's peak RSS / poem size",
                         "peak RSS with --count-only", "async time / one server alone"]:
            self.assertIn(expected, measures)
        self.assertEqual(measures.count("broken / async"), 2)  # chapter poems and sagas
        for r in rows:
            self.assertEqual(set(r), {"row", "measure", "ours", "reference", "ratio", "goal",
                                      "met", "unit", "note"})
            self.assertIsInstance(r["ours"], (int, float))
            if "CPU" not in r["measure"]:  # CPU time may round to 0
                self.assertGreater(r["ours"], 0)
            self.assertIsInstance(r["met"], bool)
            if r["ratio"] is not None and r["reference"]:
                self.assertAlmostEqual(r["ratio"], (r["reference"] / r["ours"]
                                                    if r["measure"].startswith("socat")
                                                    else r["ours"] / r["reference"]), places=6)
        # The printed table has one line per row.
        for r in rows:
            self.assertIn(r["row"] + ": " + r["measure"], result.stdout)


if __name__ == "__main__":
    main()
