"""Counts the action plan into Table 1 and checks the counting makes sense for the cutoff."""

from __future__ import annotations

from collections import Counter
from datetime import date

from .errors import Problem, Severity
from .model import ActionPlan, Table1, Table1Row


def count_due_actions(plan: ActionPlan, cutoff: date) -> Table1:
    """Table 1: actions due on or before the cutoff, by theme and by the statuses Table 1 shows."""
    statuses = tuple(status for status in plan.statuses if status.in_table)
    # Counted in one pass: Theme and Status are frozen dataclasses, so equal ones hash alike and a count by
    # (theme, status) is the count of actions whose theme and status compare equal to them (#11: comparing
    # each action with every theme and status cost 0.1 s at 10,000 actions).
    due = Counter((action.theme, action.status) for action in plan.due_actions(cutoff))
    rows = []
    for theme in plan.themes:
        counts = tuple(due[theme, status] for status in statuses)
        rows.append(Table1Row(theme=theme, counts=counts, total=sum(counts)))
    totals = tuple(sum(row.counts[i] for row in rows) for i in range(len(statuses)))
    return Table1(cutoff=cutoff, statuses=statuses, rows=tuple(rows), totals=totals, total=sum(totals))


def check_due_statuses(plan: ActionPlan, cutoff: date, *, workbook: str, sheet: str) -> list[Problem]:
    """Problems for due actions whose status has no Table 1 column, which Table 1 would silently leave out."""
    shown = [status.label for status in plan.statuses if status.in_table]
    return [
        Problem(
            file=workbook,
            place=f"'{sheet}' row {action.row} (Status)",
            message=(
                f"action {action.reference} is due by {cutoff:%d %B %Y} (timescale {action.timescale:%d %B %Y}) "
                f"but its status {action.status.label!r} has no column in Table 1; give it one of "
                f"{', '.join(shown)}, or mark {action.status.label!r} 'In Table 1' in the status key"
            ),
        )
        for action in plan.due_actions(cutoff)
        if not action.status.in_table
    ]


def check_cutoff(plan: ActionPlan, table1: Table1, *, settings_file: str, workbook: str) -> list[Problem]:
    """Warnings when Table 1 is built but is unlikely to be what the officer meant.

    A Table 1 of zeros has exactly one cause that is not already an error (a due action whose status has no
    column is one): a cutoff before every timescale, which the first warning names.
    """
    if not plan.actions:
        return []
    earliest = min(action.timescale for action in plan.actions)
    latest = max(action.timescale for action in plan.actions)
    cutoff = table1.cutoff
    problems = []

    def warn(message: str) -> None:
        problems.append(Problem(file=settings_file, place="key cutoff", message=message, severity=Severity.WARNING))

    if cutoff < earliest:
        warn(
            f"the cutoff {cutoff:%d %B %Y} is before every timescale in {workbook} (the earliest is "
            f"{earliest:%d %B %Y}), so no action is due and Table 1 is all zeros; check the cutoff's year"
        )
    elif cutoff >= latest:
        warn(
            f"the cutoff {cutoff:%d %B %Y} is on or after every timescale in {workbook} (the latest is "
            f"{latest:%d %B %Y}), so every action counts as due; check the cutoff's year"
        )
    return problems
