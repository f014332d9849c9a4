"""Prints how long the officer-facing operations take, so "instant" is a measured figure, not a hope.

    python scripts/benchmark.py [--repeat 5]

Each figure is the median of several runs on a private copy of inputs/ and templates/; the large case
repeats the example plan's actions until the workbook holds 2,000.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from pathlib import Path

import openpyxl

from jtai_docs import pipeline

ROOT = Path(__file__).resolve().parents[1]


def median_seconds(action, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def enlarge(plan: Path, actions: int) -> None:
    """Repeats the plan's action rows, with fresh references, until it has this many actions."""
    book = openpyxl.load_workbook(plan)
    sheet = book["Action Plan"]
    header = next(row for row in sheet.iter_rows() if row[0].value == "Ref")[0].row
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=header + 1)]
    count = len(rows)
    while count < actions:
        for values in rows:
            if count >= actions:
                break
            count += 1
            sheet.append([f"{values[0]}.{count}", *values[1:]])
    book.save(plan)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    repeat = parser.parse_args().repeat
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        for name in ("inputs", "templates"):
            shutil.copytree(ROOT / name, work / name)
        report = work / "inputs" / "report.toml"
        figures = {
            "check the default report": median_seconds(lambda: pipeline.check_report(report), repeat),
            "build the default report": median_seconds(lambda: pipeline.build_report(report, force=True), repeat),
        }
        built = work / "outputs" / "committee_report.docx"
        old = work / "old.docx"
        shutil.copy(built, old)
        figures["text view of the report"] = median_seconds(lambda: pipeline.document_text(built), repeat)
        figures["diff with a redline"] = median_seconds(
            lambda: pipeline.compare_reports(old, built, redline_path=work / "redline.docx"), repeat)
        enlarge(work / "inputs" / "action_plan.xlsx", 2000)
        figures["build with 2,000 actions"] = median_seconds(lambda: pipeline.build_report(report, force=True), repeat)
    width = max(map(len, figures))
    for name, seconds in figures.items():
        print(f"{name.ljust(width)}  {seconds * 1000:8.1f} ms")


if __name__ == "__main__":
    main()
