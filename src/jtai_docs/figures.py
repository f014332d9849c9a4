"""Counts the action plan into Table 1 and checks the counting makes sense for the cutoff."""

from __future__ import annotations

from datetime import date

from .errors import Problem
from .model import ActionPlan, Table1, Table1Row


def count_due_actions(plan: ActionPlan, cutoff: date) -> Table1:
    """Table 1: actions due on or before the cutoff, by theme and by the statuses Table 1 shows."""
    statuses = tuple(status for status in plan.statuses if status.in_table)
    due = plan.due_actions(cutoff)
    rows = []
    for theme in plan.themes:
        counts = tuple(sum(1 for a in due if a.theme == theme and a.status == status) for status in statuses)
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
            message=(f"action {action.reference} is due by {cutoff:%d %B %Y} (timescale {action.timescale:%d %B %Y}) "
                     f"but its status {action.status.label!r} has no column in Table 1; give it one of "
                     f"{', '.join(shown)}, or mark {action.status.label!r} 'In Table 1' in the status key"),
        )
        for action in plan.due_actions(cutoff)
        if not action.status.in_table
    ]
