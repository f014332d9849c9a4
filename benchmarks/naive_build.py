"""The obvious way to build the report, as a reference for benchmarks/run.py: no checks, no safety, one pass.

    python benchmarks/naive_build.py REPORT.toml OUTPUT.docx

openpyxl loads the workbook, a loop counts the due actions by theme and status, docxtpl fills the same
template, and the result is saved. It is what jtai-docs' build is measured against; it is not a way to build
reports (it checks nothing, so a mistake in the workbook gives a wrong report or a traceback).
"""

from __future__ import annotations

import sys
import tomllib
from collections import Counter
from datetime import date, datetime
from pathlib import Path
from types import SimpleNamespace

import jinja2
import openpyxl
from docxtpl import DocxTemplate


def long_date(value: date) -> str:
    return f"{value.day} {value:%B %Y}"


def ordinal_date(value: date) -> str:
    suffix = "th" if 10 <= value.day % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(value.day % 10, "th")
    return f"{value.day}{suffix} {value:%B %Y}"


def rows_of(sheet, first_column: str) -> list[dict[str, object]]:
    """The rows under the header row (the first row holding first_column; title rows may come above it)."""
    rows = sheet.iter_rows(values_only=True)
    header: list[str] = []
    while first_column not in header:
        header = [str(cell).strip().lower() if cell is not None else "" for cell in next(rows)]
    return [dict(zip(header, row, strict=False)) for row in rows if any(cell is not None for cell in row)]


def main(report: Path, output: Path) -> None:
    settings = tomllib.loads(report.read_text(encoding="utf-8"))
    book = openpyxl.load_workbook(report.parent / settings["workbook"], read_only=True, data_only=True)
    themes = sorted(rows_of(book["Themes"], "number"), key=lambda row: row["order"])
    statuses = sorted(
        (row for row in rows_of(book["Status Key"], "status") if row["in table 1"] == "Yes"),
        key=lambda row: row["order"],
    )
    actions = rows_of(book["Action Plan"], "ref")
    cutoff = settings["cutoff"]
    counts: Counter[tuple[object, object]] = Counter()
    for action in actions:
        timescale = action["timescale"]
        if isinstance(timescale, datetime) and timescale.date() <= cutoff:
            counts[action["theme"], action["status"]] += 1
    labels = [status["status"] for status in statuses]
    rows = [
        SimpleNamespace(
            number=theme["number"],
            theme=theme["theme"],
            counts=[counts[theme["number"], label] for label in labels],
            total=sum(counts[theme["number"], label] for label in labels),
        )
        for theme in themes
    ]
    totals = [sum(row.counts[i] for row in rows) for i in range(len(labels))]
    superscript = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
    table1 = SimpleNamespace(
        statuses=[
            SimpleNamespace(label=s["status"], meaning=s["meaning"], marker=str(i).translate(superscript))
            for i, s in enumerate(statuses, start=1)
        ],
        rows=rows,
        totals=totals,
        total=sum(totals),
        column_count=len(labels) + 3,
    )
    meeting, text, contact = settings["meeting"], settings["report"], settings["contact"]
    context = {
        "committee": meeting["committee"],
        "meeting_date": meeting["date"],
        **text,
        "cutoff": cutoff,
        "contact": contact,
        "dates": settings.get("dates", {}),
        "implications": [SimpleNamespace(heading=k, text=v) for k, v in settings["implications"].items()],
        "action_count": len(actions),
        "theme_count": len(themes),
        "due_count": table1.total,
        "status_totals": dict(zip(labels, totals, strict=True)),
        "table1": table1,
    }
    environment = jinja2.Environment(autoescape=True)
    environment.filters.update(
        long_date=long_date, month_year=lambda value: f"{value:%B %Y}", ordinal_date=ordinal_date
    )
    template = DocxTemplate(report.parent / settings["template"])
    template.render(context, environment)
    template.save(output)


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
