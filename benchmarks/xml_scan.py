"""How fast the XML of a generated workbook's sheet can be scanned, by the ways a reader could do it.

    python benchmarks/xml_scan.py [--actions 100000] [--runs 3]

For the Action Plan sheet and the shared strings of a generated plan (benchmarks/workbooks.py), the best
CPU time of --runs passes of: inflating the part alone; lxml's iterparse with a tag filter, each element
cleared once used (what jtai_docs.workbook does); the standard library's expat, with Python called for
every element start and every piece of text (what a reader on expat would at least pay). Only the scan is
timed: neither turns the cells into values. Nothing here is a test.
"""

from __future__ import annotations

import argparse
import io
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path
from xml.parsers import expat

from lxml import etree

sys.path.insert(0, str(Path(__file__).resolve().parent))
from workbooks import make_workbook  # noqa: E402

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def lxml_iterparse(data: bytes, tag: str) -> int:
    seen = 0
    for done, (_, element) in enumerate(etree.iterparse(io.BytesIO(data), events=("end",), tag=MAIN + tag), 1):
        seen += len(element)
        element.clear(keep_tail=True)
        if done % 1024 == 0:
            parent = element.getparent()
            if parent is not None:
                del parent[:-1]
    return seen


def expat_scan(data: bytes, tag: str) -> int:
    seen = [0]
    texts: list[str] = []

    def start(name: str, attributes: dict[str, str]) -> None:
        if name == tag:
            seen[0] += 1

    parser = expat.ParserCreate()
    parser.buffer_text = True
    parser.StartElementHandler = start
    parser.CharacterDataHandler = texts.append
    parser.Parse(data, True)
    return seen[0]


def best(runs: int, work: Callable[[], object]) -> float:
    times = []
    for _ in range(runs):
        started = time.process_time()
        work()
        times.append(time.process_time() - started)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--actions", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="jtai-docs-bench-") as folder:
        plan = make_workbook(Path(folder) / "plan.xlsx", options.actions)
        with zipfile.ZipFile(plan) as archive:
            parts = {
                "Action Plan sheet": (
                    max(
                        (n for n in archive.namelist() if n.startswith("xl/worksheets/")),
                        key=lambda n: archive.getinfo(n).file_size,
                    ),
                    "row",
                ),
                "shared strings": ("xl/sharedStrings.xml", "si"),
            }
            print(f"{options.actions:,} actions, best CPU time of {options.runs} runs")
            for label, (part, tag) in parts.items():
                data = archive.read(part)
                inflate = best(options.runs, lambda part=part: archive.read(part))
                lxml_time = best(options.runs, lambda data=data, tag=tag: lxml_iterparse(data, tag))
                expat_time = best(options.runs, lambda data=data, tag=tag: expat_scan(data, tag))
                print(
                    f"  {label} ({len(data) / 1e6:.1f} MB): inflate {inflate:.2f} s, lxml iterparse {lxml_time:.2f} s, "
                    f"expat {expat_time:.2f} s"
                )


if __name__ == "__main__":
    main()
