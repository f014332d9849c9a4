"""The template context: the contract between the data and the Word template, one documented field per variable."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Mapping

from .model import ActionPlan, Contact, Implication, ReportSettings, Table1

_SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def marker(position: int) -> str:
    """The superscript marker tying a Table 1 status header to its key line: 1 -> ¹."""
    return str(position).translate(_SUPERSCRIPT)


def long_date(value: date) -> str:
    """11 February 2019: the house style for dates in committee reports."""
    return f"{value.day} {value:%B %Y}"


def month_year(value: date) -> str:
    """December 2018: how a cutoff at a month's end is spoken of."""
    return f"{value:%B %Y}"


def ordinal_date(value: date) -> str:
    """3rd December 2018."""
    suffix = "th" if 10 <= value.day % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(value.day % 10, "th")
    return f"{value.day}{suffix} {value:%B %Y}"


#: Filters templates may use, such as {{ meeting_date|long_date }}.
FILTERS = {"long_date": long_date, "month_year": month_year, "ordinal_date": ordinal_date}


@dataclass(frozen=True)
class StatusColumn:
    """One status column of Table 1 and its line in the key under the table."""

    label: str = field(metadata={"help": "the status word, such as Green"})
    meaning: str = field(metadata={"help": "what the status means, from the Status Key sheet"})
    marker: str = field(metadata={"help": "the superscript number tying the header to the key line, such as ¹"})


@dataclass(frozen=True)
class ThemeRow:
    """One theme's row of Table 1."""

    number: int = field(metadata={"help": "the theme number, for the NO column"})
    theme: str = field(metadata={"help": "the theme name"})
    counts: tuple[int, ...] = field(metadata={"help": "due actions per status, in the order of table1.statuses"})
    total: int = field(metadata={"help": "due actions of the theme (the TOTAL column)"})


@dataclass(frozen=True)
class Table1View:
    """Table 1 as the template lays it out."""

    statuses: tuple[StatusColumn, ...] = field(metadata={"help": "the status columns, in key order"})
    rows: tuple[ThemeRow, ...] = field(metadata={"help": "one row per theme, in theme order"})
    totals: tuple[int, ...] = field(metadata={"help": "the TOTALS row, per status"})
    total: int = field(metadata={"help": "all due actions (the TOTALS row's TOTAL)"})
    column_count: int = field(metadata={"help": "columns in the table: NO, THEME, the statuses and TOTAL"})


@dataclass(frozen=True)
class ReportContext:
    """Every variable the committee report template can use."""

    committee: str = field(metadata={"help": "the committee the report goes to ([meeting] committee)"})
    meeting_date: date = field(metadata={"help": "the meeting date; write {{ meeting_date|long_date }}"})
    title: str = field(metadata={"help": "the report title ([report] title)"})
    report_of: str = field(metadata={"help": "who the report is from ([report] report_of)"})
    electoral_divisions: str = field(metadata={"help": "electoral division(s) affected"})
    presenter: str = field(metadata={"help": "who gives the presentation, with their role"})
    background_papers: str = field(metadata={"help": "the Background papers section"})
    contact: Contact = field(metadata={"help": "contact.name, contact.role, contact.telephone"})
    implications: tuple[Implication, ...] = field(metadata={"help": "Appendix 1: each has .heading and .text"})
    dates: Mapping[str, date] = field(metadata={"help": "named dates from [dates]: {{ dates.plan_submitted|long_date }}"})
    cutoff: date = field(metadata={"help": "actions due on or before it are counted; {{ cutoff|month_year }}"})
    action_count: int = field(metadata={"help": "actions in the whole plan"})
    theme_count: int = field(metadata={"help": "themes in the plan"})
    due_count: int = field(metadata={"help": "actions due on or before the cutoff"})
    status_totals: Mapping[str, int] = field(metadata={"help": "due actions per status: {{ status_totals['Green'] }}"})
    table1: Table1View = field(metadata={"help": "Table 1: statuses, rows, totals, total, column_count"})

    def variables(self) -> dict[str, Any]:
        """The context as Jinja variables (top-level fields only; nested values stay objects)."""
        return {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}


def build_context(*, settings: ReportSettings, plan: ActionPlan, table1: Table1) -> ReportContext:
    """Everything the template needs, from the settings, the plan and Table 1."""
    statuses = tuple(
        StatusColumn(label=status.label, meaning=status.meaning, marker=marker(position))
        for position, status in enumerate(table1.statuses, start=1)
    )
    view = Table1View(
        statuses=statuses,
        rows=tuple(ThemeRow(number=row.theme.number, theme=row.theme.name, counts=row.counts, total=row.total)
                   for row in table1.rows),
        totals=table1.totals,
        total=table1.total,
        column_count=len(statuses) + 3,
    )
    return ReportContext(
        committee=settings.committee,
        meeting_date=settings.meeting_date,
        title=settings.title,
        report_of=settings.report_of,
        electoral_divisions=settings.electoral_divisions,
        presenter=settings.presenter,
        background_papers=settings.background_papers,
        contact=settings.contact,
        implications=settings.implications,
        dates=settings.dates,
        cutoff=settings.cutoff,
        action_count=len(plan.actions),
        theme_count=len(plan.themes),
        due_count=table1.total,
        status_totals={status.label: figure for status, figure in zip(table1.statuses, table1.totals)},
        table1=view,
    )

