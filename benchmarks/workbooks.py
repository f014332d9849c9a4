"""Generates Excel-like action-plan workbooks of any size, for the benchmarks.

Written with XlsxWriter, which stores a workbook as Excel does: text in the shared-strings table, cell
styles in styles.xml (dates with a date format, a bold header), a title row above the header, and the
dimension Excel records. Importable (`make_workbook(path, actions)`) and runnable:

    python benchmarks/workbooks.py plan.xlsx 10000
"""

from __future__ import annotations

import random
import sys
from datetime import datetime
from pathlib import Path

import xlsxwriter

THEMES = [
    (1, "Priority Action: Strategy Meetings"),
    (2, "Front Door & MASH"),
    (3, "Safeguarding Practice & Workforce Development"),
    (4, "Leadership & Management"),
    (5, "Voice of the Child"),
]
STATUSES = [
    ("Green", "Action Complete", "Yes"),
    ("Amber", "Commenced, not yet embedded", "Yes"),
    ("Yellow", "Revised timescale approved", "Yes"),
    ("Not yet due", "Timescale not yet reached", "No"),
]
LEADS = [
    "Police – Detective Inspector",
    "Children's Services – Head of Service",
    "Health – Named Nurse",
    "LSCB Business Manager",
    "Probation – Senior Manager",
    "Education – Safeguarding Lead",
]
VERBS = ["Review", "Embed", "Audit", "Train staff on", "Report on", "Agree", "Publish", "Monitor"]
OBJECTS = [
    "strategy meeting attendance",
    "MASH referral thresholds",
    "domestic abuse screening",
    "the voice of the child in assessments",
    "supervision of front-line staff",
    "multi-agency audits",
]
#: The cutoff in inputs/report.toml; actions due on or before it must have a status Table 1 shows.
CUTOFF = datetime(2018, 12, 31)


#: The mistakes make_workbook(..., faults=True) plants, each as (sheet row, what check must say about it).
FAULTS = ("hidden row", "formula without a saved result", "merged cells", "reference used twice")


def make_workbook(path: Path | str, actions: int, *, seed: int = 0, faults: bool = False) -> Path:
    """Writes an action-plan workbook of `actions` rows to path (same seed, same content).

    faults=True plants one of each FAULTS near the end of the plan (see fault_rows), so a benchmark can
    check that every located message is still exact at any size.
    """
    path = Path(path)
    rng = random.Random(seed)
    book = xlsxwriter.Workbook(str(path))
    book.set_properties({"created": datetime(2019, 1, 1)})  # the same bytes on every run
    bold = book.add_format({"bold": True})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    when = book.add_format({"num_format": "mmmm yyyy", "valign": "top"})

    sheet = book.add_worksheet("Action Plan")
    sheet.write(0, 0, "JTAI Improvement Action Plan – multi-agency response to domestic abuse", bold)
    headers = ["Ref", "Theme", "Action", "Lead", "Timescale", "Status", "Progress Update"]
    sheet.write_row(1, 0, headers, bold)
    sheet.set_column(2, 2, 60)
    sheet.set_column(6, 6, 80)
    per_theme: dict[int, int] = {}
    for index in range(actions):
        theme = rng.randrange(1, len(THEMES) + 1)
        per_theme[theme] = per_theme.get(theme, 0) + 1
        due = datetime(2017 + rng.randrange(4), rng.randrange(1, 13), 28)
        status = rng.choice(STATUSES[:3])[0] if due <= CUTOFF else rng.choice(STATUSES)[0]
        row = index + 2
        sheet.write_string(row, 0, f"{theme}.{per_theme[theme]:02d}")
        sheet.write_number(row, 1, theme)
        sheet.write_string(row, 2, f"{rng.choice(VERBS)} {rng.choice(OBJECTS)} across the partnership.", wrap)
        sheet.write_string(row, 3, rng.choice(LEADS))
        if index % 10 == 9:
            sheet.write_string(row, 4, due.strftime("%B %Y"))  # partners also type months as text
        else:
            sheet.write_datetime(row, 4, due, when)
        sheet.write_string(row, 5, status)
        progress = (
            ""
            if index % 7 == 6
            else (
                f"Update {index}: {rng.choice(VERBS).lower()} completed for "
                f"{rng.choice(OBJECTS)}; next review {due:%B %Y}."
            )
        )
        if progress:
            sheet.write_string(row, 6, progress, wrap)

    if faults:
        hidden, formula, merged, duplicate = fault_rows(actions)
        sheet.set_row(hidden - 1, None, None, {"hidden": True})
        # A formula stored without a result, as a script writes one and Excel never recalculated.
        sheet.write_formula(formula - 1, 3, '=CONCAT("Police", " – DI")', None, "")
        sheet.merge_range(merged - 1, 2, merged, 2, "Merged action text", wrap)
        sheet.write_string(duplicate - 1, 0, "1.01")

    themes = book.add_worksheet("Themes")
    themes.write_row(0, 0, ["Number", "Theme", "Order"], bold)
    for number, name in THEMES:
        themes.write_row(number, 0, [number, name, number])
    key = book.add_worksheet("Status Key")
    key.write_row(0, 0, ["Status", "Meaning", "Order", "In Table 1"], bold)
    for order, (label, meaning, shown) in enumerate(STATUSES, start=1):
        key.write_row(order, 0, [label, meaning, order, shown])
    book.close()
    return path


def fault_rows(actions: int) -> tuple[int, int, int, int]:
    """The sheet rows (as Excel numbers them) of the hidden row, the formula, the merged cells and the duplicate."""
    last = actions + 2
    return last - 40, last - 30, last - 20, last - 10


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: python benchmarks/workbooks.py OUTPUT.xlsx ACTIONS")
    print(make_workbook(Path(sys.argv[1]), int(sys.argv[2])))
