"""The template context: the contract between the data and the Word template, one documented field per variable."""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from .model import Action, ActionPlan, Contact, Implication, ReportSettings, Table1, Theme

_SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def marker(position: int) -> str:
    """The superscript marker tying a Table 1 status header to its key line: 1 -> ¹."""
    return str(position).translate(_SUPERSCRIPT)


def long_date(value: date) -> str:
    """11 February 2019: the house style for dates in committee reports."""
    if type(value) is not date:
        return f"{value.day} {value:%B %Y}"
    # Appendix 2 prints a date on every row, and most rows share their date with others: each date is written
    # once (strftime is most of a row's filter time), then looked up (#11).
    text = _LONG_DATES.get(value)
    if text is None:
        text = f"{value.day} {value:%B %Y}"
        if len(_LONG_DATES) < 4096:
            _LONG_DATES[value] = text
    return text


_LONG_DATES: dict[date, str] = {}


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


#: Cell shading for each status word in Appendix 2: light tints of the status colour, each checked (in code and
#: in the tests) to give black text at least WCAG AA contrast (4.5:1). The word is always printed too, so colour
#: is never the only signal; a status without a colour here is printed on white.
STATUS_SHADING = {
    "green": "C6EFCE",
    "amber": "FFD966",
    "yellow": "FFF2A8",
    "red": "F4B6B6",
    "blue": "BDD7EE",
    "not yet due": "FFFFFF",
}
#: Text in the report is black.
TEXT_COLOUR = "000000"
#: WCAG 2.1 AA contrast for body text.
AA_CONTRAST = 4.5


def relative_luminance(colour: str) -> float:
    """WCAG 2.1 relative luminance of an RRGGBB colour."""
    channels = [int(colour[index : index + 2], 16) / 255 for index in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(first: str, second: str) -> float:
    """WCAG 2.1 contrast ratio between two RRGGBB colours, from 1 to 21."""
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


@functools.lru_cache(maxsize=256)  # a plan has a few status words, each on thousands of rows
def status_shading(label: str) -> str:
    """The Appendix 2 cell shading for a status word (white when the status has no colour)."""
    return STATUS_SHADING.get(" ".join(label.casefold().split()), "FFFFFF")


@dataclass(frozen=True)
class ActionRow:
    """One action's row of Appendix 2."""

    reference: str = field(metadata={"help": "the action's reference, such as 1.01 (Ref column)"})
    action: str = field(metadata={"help": "what is to be done (Action column)"})
    lead: str = field(metadata={"help": "who leads it (Lead column)"})
    timescale: date = field(metadata={"help": "when it is due; write {{ action.timescale|long_date }}"})
    status: str = field(metadata={"help": "the status word, such as Green (Status column)"})
    shading: str = field(metadata={"help": "the status cell's shading, RRGGBB: {% cellbg action.shading %}"})
    progress: str = field(metadata={"help": "the progress update (Progress update column)"})
    due: bool = field(metadata={"help": "due on or before the cutoff, so counted in Table 1"})


@dataclass(frozen=True)
class ThemeGroup:
    """One theme of Appendix 2: its heading row and its actions, in workbook order."""

    number: int = field(metadata={"help": "the theme number"})
    theme: str = field(metadata={"help": "the theme name, for the theme heading row"})
    actions: tuple[ActionRow, ...] = field(metadata={"help": "the theme's actions"})


def action_row(action: Action, cutoff: date) -> ActionRow:
    """An action as Appendix 2 prints it. _action_rows makes the same rows many at a time, without ActionRow's
    __init__ (#11); this is their definition, which the tests hold it to."""
    return ActionRow(
        reference=action.reference,
        action=action.text,
        lead=action.lead,
        timescale=action.timescale,
        status=action.status.label,
        shading=status_shading(action.status.label),
        progress=action.progress,
        due=action.timescale <= cutoff,
    )


_new_object = object.__new__


def group_actions(plan: ActionPlan, cutoff: date) -> tuple[ThemeGroup, ...]:
    """Every action of the plan under its theme, themes in the plan's order (the rows of Appendix 2)."""
    # One pass over the actions: Theme is a frozen dataclass, so the actions kept under a theme are those whose
    # theme compares equal to it, in workbook order, as comparing each action with each theme gave (#11).
    by_object = _by_theme_object(plan)
    if by_object:
        return tuple(
            ThemeGroup(
                number=theme.number, theme=theme.name, actions=_action_rows(by_object.get(id(theme), ()), cutoff)
            )
            for theme in plan.themes
        )
    by_theme: dict[Theme, list[Action]] = {}
    for action in plan.actions:
        by_theme.setdefault(action.theme, []).append(action)
    return tuple(
        ThemeGroup(number=theme.number, theme=theme.name, actions=_action_rows(by_theme.get(theme, ()), cutoff))
        for theme in plan.themes
    )


def _by_theme_object(plan: ActionPlan) -> dict[int, list[Action]]:
    """The actions by the id of their theme object, when that groups them as comparing themes does: every action's
    theme is one of the plan's themes (the reader gives each action the theme object it read) and no two of those
    compare equal. Empty otherwise. Hashing a Theme (a dataclass: in Python, its fields) for each of 100,000 actions
    was a fifth of grouping them (#11)."""
    own = {id(theme) for theme in plan.themes}
    if len(set(plan.themes)) != len(own):
        return {}
    by_theme: dict[int, list[Action]] = {}
    for action in plan.actions:
        by_theme.setdefault(id(action.theme), []).append(action)
    return by_theme if own.issuperset(by_theme) else {}


def _action_rows(actions: list[Action] | tuple[()], cutoff: date) -> tuple[ActionRow, ...]:
    """The rows of these actions, each as action_row makes it, made in one loop rather than one call a row, with
    each status's label and shading worked out once (a plan has a few statuses on thousands of rows) (#11).

    ActionRow(...) itself sets its eight fields one object.__setattr__ at a time (it is frozen): 3 us a row, half
    of making Appendix 2's rows. Filling in its __dict__ in field order, as copying one does, gives the same object
    (tests/test_row_keys.py, tests/test_row_batches.py)."""
    rows: list[ActionRow] = []
    append, new = rows.append, _new_object
    labels: dict[int, tuple[str, str]] = {}  # by the status object's id: hashing a dataclass costs more
    for action in actions:
        status = action.status
        known = labels.get(id(status))
        if known is None:
            known = labels[id(status)] = (status.label, status_shading(status.label))
        label, shading = known
        row: ActionRow = new(ActionRow)
        row.__dict__.update(
            reference=action.reference,
            action=action.text,
            lead=action.lead,
            timescale=action.timescale,
            status=label,
            shading=shading,
            progress=action.progress,
            due=action.timescale <= cutoff,
        )
        append(row)
    return tuple(rows)


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
    dates: Mapping[str, date] = field(
        metadata={"help": "named dates from [dates]: {{ dates.plan_submitted|long_date }}"}
    )
    cutoff: date = field(metadata={"help": "actions due on or before it are counted; {{ cutoff|month_year }}"})
    action_count: int = field(metadata={"help": "actions in the whole plan"})
    theme_count: int = field(metadata={"help": "themes in the plan"})
    due_count: int = field(metadata={"help": "actions due on or before the cutoff"})
    status_totals: Mapping[str, int] = field(metadata={"help": "due actions per status: {{ status_totals['Green'] }}"})
    table1: Table1View = field(metadata={"help": "Table 1: statuses, rows, totals, total, column_count"})
    action_plan_appendix: bool = field(
        default=True,
        metadata={"help": "whether Appendix 2 (the whole action plan) is printed ([appendices] action_plan)"},
    )
    action_plan: tuple[ThemeGroup, ...] = field(
        default=(),
        metadata={
            "help": "Appendix 2: per theme .theme and .actions (reference, action, lead, timescale, status, shading, "
            "progress)"
        },
    )

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
        rows=tuple(
            ThemeRow(number=row.theme.number, theme=row.theme.name, counts=row.counts, total=row.total)
            for row in table1.rows
        ),
        totals=table1.totals,
        total=table1.total,
        column_count=len(statuses) + 3,
    )
    # Paragraph 8's figures and Appendix 2's rows are counted from the same records: plan.themes, plan.actions.
    groups = group_actions(plan, settings.cutoff)
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
        action_count=sum(len(group.actions) for group in groups),
        theme_count=len(groups),
        due_count=table1.total,
        status_totals={status.label: figure for status, figure in zip(table1.statuses, table1.totals, strict=True)},
        table1=view,
        action_plan_appendix=settings.action_plan_appendix,
        action_plan=groups,
    )
