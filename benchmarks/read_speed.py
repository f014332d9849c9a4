"""How fast jtai_docs.workbook.read_workbook reads generated plans, the quick way beside the general way.

    python benchmarks/read_speed.py [--sizes 10000,100000] [--runs 3]

For each size, a generated Excel-like plan (benchmarks/workbooks.py, seed 0) is read in a fresh process,
--runs times each way: as jtai-docs reads it (sheets in Excel's plain form scanned with regular expressions,
plainly right action rows made into actions at once) and the general way alone (lxml's iterparse, every cell
typed and checked: what jtai-docs did before issue #11, and still does for any sheet not in the plain form).
Printed: the best CPU time of the read (time.process_time, the import not counted), the peak memory of the
process, and the quick way's share of the general way's time. Both ways must read the same plan, or this
exits 1. Nothing here is a test and no budget is judged; benchmarks/check_speed.py judges whole checks.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from check_speed import byte_compile  # noqa: E402
from workbooks import make_workbook  # noqa: E402

CHILD = """
import hashlib, json, resource, sys, time
from pathlib import Path
from jtai_docs import workbook
if sys.argv[2] == "general":
    workbook._Book.quick_table = lambda *args, **kwargs: None
    workbook._Book.quick_shared_strings = lambda *args, **kwargs: None
    workbook._Reader.quick_action = lambda *args, **kwargs: None
started = time.process_time()
plan, warnings = workbook.read_workbook(Path(sys.argv[1]))
seconds = time.process_time() - started
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
digest = hashlib.sha256(repr((plan, warnings)).encode()).hexdigest()  # by value, not by object identity
print(json.dumps({"seconds": seconds, "peak": peak, "actions": len(plan.actions), "digest": digest}))
"""


def read_once(path: Path, way: str) -> dict[str, float | str]:
    done = subprocess.run([sys.executable, "-c", CHILD, str(path), way], capture_output=True, text=True, check=True)
    result: dict[str, float | str] = json.loads(done.stdout)
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000", help="numbers of actions, comma-separated")
    parser.add_argument("--runs", type=int, default=3, help="fresh processes per size and way (default 3)")
    options = parser.parse_args()
    byte_compile()
    print(f"read_workbook, best CPU time of {options.runs} fresh processes per size and way")
    print(f"{'actions':>9}  {'quick way':>18}  {'general way':>18}  quick/general")
    same = True
    with tempfile.TemporaryDirectory(prefix="jtai-docs-read-") as folder:
        for size in (int(text) for text in options.sizes.split(",")):
            path = make_workbook(Path(folder) / f"plan-{size}.xlsx", size, seed=0)
            figures = {}
            for way in ("quick", "general"):
                runs = [read_once(path, way) for _ in range(options.runs)]
                figures[way] = (
                    min(float(run["seconds"]) for run in runs),
                    max(float(run["peak"]) for run in runs),
                    {run["digest"] for run in runs},
                )
            quick, general = figures["quick"], figures["general"]
            same = same and quick[2] == general[2] and len(quick[2]) == 1
            print(
                f"{size:>9,}  {quick[0]:6.2f} s {quick[1]:6.0f} MB  {general[0]:6.2f} s {general[1]:6.0f} MB"
                f"  {quick[0] / general[0]:.2f}x"
            )
    print("same plan both ways:", "yes" if same else "NO")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
