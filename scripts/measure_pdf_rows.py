"""Measures how long LibreOffice takes to lay out the report as a PDF as the action plan (Appendix 2) grows.

    python scripts/measure_pdf_rows.py [250 500 1000 2000]

The figures behind libreoffice.MAX_TABLE_ROWS: LibreOffice's table layout grows faster than the table, so a
PDF with more rows than that is refused before LibreOffice starts rather than left running for minutes.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from pathlib import Path

from benchmark import enlarge

from jtai_docs import libreoffice, pipeline

ROOT = Path(__file__).resolve().parents[1]


def main(sizes: list[int]) -> None:
    print(f"{'actions':>8}  {'table rows':>10}  {'PDF seconds':>11}  {'ms per row':>10}")
    for size in sizes:
        with tempfile.TemporaryDirectory() as folder:
            work = Path(folder)
            for name in ("inputs", "templates"):
                shutil.copytree(ROOT / name, work / name)
            enlarge(work / "inputs" / "action_plan.xlsx", size)
            built = pipeline.build_report(work / "inputs" / "report.toml").written.path
            rows = libreoffice.largest_table_rows(built)
            start = time.perf_counter()
            libreoffice.convert_document(built, work / "report.pdf", filter_name=libreoffice.ACCESSIBLE_PDF)
            seconds = time.perf_counter() - start
            print(f"{size:>8}  {rows:>10}  {seconds:>11.1f}  {seconds / rows * 1000:>10.1f}", flush=True)


if __name__ == "__main__":
    main([int(value) for value in sys.argv[1:]] or [250, 500, 1000, 2000])
