"""Plain-text views for the terminal: Table 1 and lists of problems."""

from __future__ import annotations

from typing import Iterable

from .context import month_year
from .errors import Problem, Severity
from .model import Table1


def format_table1(table1: Table1) -> str:
    """Table 1 as aligned text, with the same rows and columns as in the report."""
    header = ["NO", "THEME", *(status.label for status in table1.statuses), "TOTAL"]
    rows = [[f"{row.theme.number}.", row.theme.name, *map(str, row.counts), str(row.total)] for row in table1.rows]
    rows.append(["TOTALS:", "", *map(str, table1.totals), str(table1.total)])
    widths = [max(len(line[i]) for line in [header, *rows]) for i in range(len(header))]

    def line(cells: list[str]) -> str:
        return "  ".join(cell.ljust(w) if i < 2 else cell.rjust(w) for i, (cell, w) in enumerate(zip(cells, widths)))

    title = f"Table 1: progress against actions with a {month_year(table1.cutoff)} timescale"
    rule = "-" * len(line(header))
    return "\n".join([title, line(header), rule, *map(line, rows[:-1]), rule, line(rows[-1])])


def format_problems(problems: Iterable[Problem]) -> str:
    """Errors first, then warnings, one per line, each saying where and what."""
    problems = list(problems)
    lines = []
    for severity in (Severity.ERROR, Severity.WARNING):
        for problem in problems:
            if problem.severity is severity:
                lines.append(f"{severity.value.capitalize()}: {problem.describe()}")
    return "\n".join(lines)
