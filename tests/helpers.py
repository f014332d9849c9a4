"""Builds workbooks and report settings in code, so each test states the data it relies on."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import openpyxl

THEMES = [(1, "Strategy Meetings", 1), (2, "Front Door & MASH", 2)]
STATUSES = [
    ("Green", "Action Complete", 1, "Yes"),
    ("Amber", "Commenced, not yet embedded", 2, "Yes"),
    ("Yellow", "Revised timescale approved", 3, "Yes"),
    ("Not yet due", "Timescale not yet reached", 4, "No"),
]
ACTION_HEADERS = ["Ref", "Theme", "Action", "Lead", "Timescale", "Status", "Progress Update"]


@dataclass
class Row:
    """One Action Plan row; any field may be set to any cell value, good or bad."""

    ref: Any = "1.01"
    theme: Any = 1
    action: Any = "Hold a strategy meeting for every referral."
    lead: Any = "Police – Detective Inspector"
    timescale: Any = field(default_factory=lambda: datetime(2018, 11, 30))
    status: Any = "Green"
    progress: Any = "Complete."

    def cells(self) -> list[Any]:
        return [self.ref, self.theme, self.action, self.lead, self.timescale, self.status, self.progress]


def make_workbook(path: Path, rows: list[Row], *, themes=THEMES, statuses=STATUSES,
                  headers=ACTION_HEADERS, title_rows: int = 0) -> Path:
    """Writes an action-plan workbook with the three sheets jtai-docs reads."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Action Plan"
    for _ in range(title_rows):
        sheet.append(["JTAI Improvement Action Plan"])
    sheet.append(headers)
    for row in rows:
        sheet.append(row.cells())
    theme_sheet = workbook.create_sheet("Themes")
    theme_sheet.append(["Number", "Theme", "Order"])
    for theme in themes:
        theme_sheet.append(list(theme))
    key = workbook.create_sheet("Status Key")
    key.append(["Status", "Meaning", "Order", "In Table 1"])
    for status in statuses:
        key.append(list(status))
    workbook.save(path)
    return path


def write_settings(folder: Path, *, source: Path, changes: dict[str, str]) -> Path:
    """A copy of the report.toml at source with some `key = value` lines replaced (values in TOML syntax)."""
    text = source.read_text(encoding="utf-8")
    for key, value in changes.items():
        text, count = re.subn(rf"(?m)^{re.escape(key)} = .*$", f"{key} = {value}", text)
        assert count == 1, f"{key} is not a line of {source}"
    path = folder / "report.toml"
    path.write_text(text, encoding="utf-8")
    return path


def due_counts(rows: list[Row], cutoff: date, *, text_dates: dict[str, date] | None = None
               ) -> dict[tuple[int, str], int]:
    """The Table 1 figure for each (theme, status), counted straight from the fixture's own rows.

    text_dates says what each timescale typed as text means, as the README documents it.
    """
    counts: dict[tuple[int, str], int] = {}
    for row in rows:
        timescale = row.timescale.date() if isinstance(row.timescale, datetime) else (text_dates or {})[row.timescale]
        if timescale <= cutoff:
            counts[(row.theme, row.status)] = counts.get((row.theme, row.status), 0) + 1
    return counts
