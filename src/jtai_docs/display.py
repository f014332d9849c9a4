"""Plain-text views for the terminal: Table 1 and lists of problems."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import re
import textwrap
from collections.abc import Iterable, Sequence

from .errors import Problem, Severity, counted
from .model import (
    Action,  # for the actions list
    Change,
    ChangeKind,
    DocumentView,
    Paragraph,
    Story,
    Table,
    Table1,
)


def format_table1(table1: Table1) -> str:
    """Table 1 as aligned text, with the same rows and columns as in the report."""
    header = ["NO", "THEME", *(status.label for status in table1.statuses), "TOTAL"]
    rows = [[f"{row.theme.number}.", row.theme.name, *map(str, row.counts), str(row.total)] for row in table1.rows]
    rows.append(["TOTALS:", "", *map(str, table1.totals), str(table1.total)])
    widths = [max(len(line[i]) for line in [header, *rows]) for i in range(len(header))]

    def line(cells: list[str]) -> str:
        return "  ".join(
            cell.ljust(w) if i < 2 else cell.rjust(w) for i, (cell, w) in enumerate(zip(cells, widths, strict=True))
        )

    from .context import month_year  # here: diff and text, which print no Table 1, need none of the report's data

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


def format_document_view(view: DocumentView) -> str:
    """Everything a reader sees, in reading order: the body (one line per paragraph, list numbers as Word shows
    them, headings marked with #, tables as aligned rows), and each header, footer,
    text box, footnote, endnote and comment under a [title] line with its text indented, notes after their marks
    ([1] text). The same document always gives the same text."""
    lines: list[str] = []
    for story in view.stories:
        lines += _story_lines(story)
    return "\n".join(lines) + "\n"


def _story_lines(story: Story) -> list[str]:
    inner = [line for block in story.blocks for line in _block_lines(block)]
    if story.kind == "body":
        return inner
    indented = [("  " + line).rstrip() for line in inner]
    if story.kind == "note":
        first = f"[{story.title}] {story.lead}{inner[0] if inner else ''}".rstrip()
        return [first, *indented[1:]]
    return [f"[{story.title}]", *indented]


def _block_lines(block: Paragraph | Table | Story) -> list[str]:
    if isinstance(block, Table):
        return format_table(block)
    if isinstance(block, Story):
        return _story_lines(block)
    return _format_paragraph(block)


def _format_paragraph(paragraph: Paragraph) -> list[str]:
    prefix = ""
    if paragraph.heading_level:
        prefix = "#" * paragraph.heading_level + " "
    if paragraph.number:
        prefix += paragraph.number + " "
    first, *rest = paragraph.text.split("\n")
    indent = " " * len(prefix)
    return [(prefix + first).rstrip(), *((indent + line).rstrip() for line in rest)]


def format_table(table: Table) -> list[str]:
    """A table as rows of cells separated by |, padded so columns line up; multi-line cells span lines."""
    if not table.rows:
        return []
    split = [[cell.split("\n") for cell in row] for row in table.rows]
    columns = max(len(row) for row in split)
    # Only rows with every column set the widths: a merged title cell spanning the table does not.
    full = [row for row in split if len(row) == columns]
    widths = [max(max(len(line) for line in row[i]) for row in full) for i in range(columns)]
    lines = []
    for index, row in enumerate(split):
        height = max((len(cell) for cell in row), default=1)
        for line_number in range(height):
            cells = [
                (cell[line_number] if line_number < len(cell) else "").ljust(widths[i] if len(row) == columns else 0)
                for i, cell in enumerate(row)
            ]
            lines.append(("| " + " | ".join(cells) + " |").rstrip())
        if index + 1 == table.header_rows:
            lines.append("|" + "|".join("-" * (w + 2) for w in widths[: len(row)]) + "|")
    return lines


# Texts up to this long may be shown whole, old -> new.
_WHOLE = 60


def format_changes(changes: Sequence[Change], *, old: str, new: str) -> str:
    """The differences as a reviewer reads them: where, under which heading, and old -> new."""
    if not changes:
        return f"No differences between {old} and {new}."
    lines = [f"{counted(len(changes), 'difference')} between {old} and {new}:"]
    for change in changes:
        # Under which heading, unless the change is to that heading itself ("heading "Next steps" (Next steps)").
        own = change.where.startswith("heading ") and (change.section or "")[:40] in change.where
        section = f" ({change.section})" if change.section and change.kind != ChangeKind.CELL and not own else ""
        # A short text changed in several places reads best whole; otherwise show only the words that changed.
        short = len(change.old) <= _WHOLE and len(change.new) <= _WHOLE
        if change.kind in (ChangeKind.CELL, ChangeKind.CHANGED) and _words(change.old) == _words(change.new):
            detail = _layout_only(change.old, change.new, in_cell=change.kind == ChangeKind.CELL)
        elif change.kind == ChangeKind.MOVED:
            detail = f"moved from {change.old} to {change.new}"
        elif change.kind == ChangeKind.FORMATTING:
            # Told whole: each aspect is a few words of ours (the words formatted are shortened already), and a
            # cut one would hide what changed ("aligned right; keep with…").
            detail = f"formatting: {_quote(change.old, 400)} -> {_quote(change.new, 400)}"
        elif change.kind in (ChangeKind.CELL, ChangeKind.CHANGED) and (
            not change.edits or short and (change.kind == ChangeKind.CELL or len(change.edits) > 1)
        ):
            detail = f"{_quote(change.old)} -> {_quote(change.new)}"
        elif change.kind in (ChangeKind.CELL, ChangeKind.CHANGED):  # a long text: only the words that changed
            detail = "; ".join(_edit(e.old, e.new) for e in change.edits)
        elif change.kind in (ChangeKind.ADDED, ChangeKind.REMOVED) and not (change.new or change.old).strip():
            detail = change.kind.value  # an empty paragraph: nothing to quote
        elif change.kind == ChangeKind.ADDED:
            detail = f"added: {_quote(change.new, 100)}"
        else:
            detail = f"removed: {_quote(change.old, 100)}"
        lines.append(f"  {change.where}{section}: {detail}")
    return "\n".join(lines)


def _layout_only(old: str, new: str, *, in_cell: bool) -> str:
    """A change whose words are the same, told by what differs: in a cell an empty paragraph (a picture or chart
    taken out of a cell leaves one less line), in a paragraph a line break (Shift+Enter), or only the spacing
    between the words."""
    before, after = old.count("\n"), new.count("\n")
    if before != after:
        lines = abs(after - before)
        what = "empty paragraph" if in_cell else "line break"
        return f"{lines} {what}{'s' if lines > 1 else ''} {'added' if after > before else 'removed'}"
    return "spacing between the words changed"


def _edit(old: str, new: str) -> str:
    """One edit inside a paragraph: words added, removed, or replaced."""
    if not old.strip() and new.strip():
        return f"added {_quote(new)}"
    if not new.strip() and old.strip():
        return f"removed {_quote(old)}"
    return f"{_quote(old)} -> {_quote(new)}"


def _words(text: str) -> str:
    """The text as it would be quoted, whole: the same words whatever the spacing or line breaks between them."""
    return " ".join(text.split())


def _quote(text: str, limit: int = 60) -> str:
    text = " ".join(text.split()) if text.strip() else text
    if not text:
        return "(nothing)"
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return quoted(text)


def quoted(text: str) -> str:
    """Words of a document in quotation marks whose closing mark the words do not hold, so a reader sees where the
    quotation ends: straight ones; curly ones where the words hold straight double quotes (alt text such as
    `The "Council" logo`); guillemets where they hold both (`He said “yes" to "no”`); and where they hold those
    too, straight ones with each straight one inside doubled, as a spreadsheet writes them."""
    for opening, closing in _QUOTES:
        if closing not in text:
            return f"{opening}{text}{closing}"
    return '"{}"'.format(text.replace('"', '""'))


#: Quotation marks, in the order they are chosen.
_QUOTES = (('"', '"'), ("“", "”"), ("«", "»"))


def changes_as_json(changes: Sequence[Change], *, old: str, new: str) -> str:
    """The same records as JSON, for other tools."""
    return json.dumps(
        {"old": old, "new": new, "changes": [dataclasses.asdict(c) for c in changes]}, ensure_ascii=False, indent=2
    )


#: The columns of an action list, with the Action field each comes from.
ACTION_COLUMNS = (
    ("Ref", "reference"),
    ("Theme", "theme"),
    ("Action", "text"),
    ("Lead", "lead"),
    ("Timescale", "timescale"),
    ("Status", "status"),
    ("Progress update", "progress"),
)


def action_fields(action: Action) -> dict[str, str]:
    """One action as the texts a reader sees, by column heading."""
    return {
        "Ref": action.reference,
        "Theme": f"{action.theme.number}. {action.theme.name}",
        "Action": action.text,
        "Lead": action.lead,
        "Timescale": action.timescale.strftime("%d/%m/%Y"),
        "Status": action.status.label,
        "Progress update": action.progress,
    }


def format_actions(actions: Sequence[Action], *, width: int = 40) -> str:
    """Actions as an aligned table; long texts are wrapped within their column."""
    headings = [heading for heading, _ in ACTION_COLUMNS]
    rows = [
        [textwrap.wrap(" ".join(value.split()), width) or [""] for value in action_fields(a).values()] for a in actions
    ]
    widths = [max([len(h)] + [len(line) for row in rows for line in row[i]]) for i, h in enumerate(headings)]
    lines = [
        "  ".join(h.ljust(w) for h, w in zip(headings, widths, strict=True)).rstrip(),
        "  ".join("-" * w for w in widths),
    ]
    for row in rows:
        for n in range(max(len(cell) for cell in row)):
            lines.append(
                "  ".join(
                    (cell[n] if n < len(cell) else "").ljust(w) for cell, w in zip(row, widths, strict=True)
                ).rstrip()
            )
    lines.append(counted(len(actions), "action"))
    return "\n".join(lines)


#: What a spreadsheet opening a CSV reads as the start of a formula (OWASP, "CSV Injection"): text typed in the
#: workbook such as =HYPERLINK("http://...") would become a live formula in the officer's spreadsheet.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
#: A plain number (a figure such as -2 or +1.5) is read as that number, never as a formula: it is left as it is.
_PLAIN_NUMBER = re.compile(r"[+-]?[0-9]+(?:\.[0-9]+)?")


def _as_text_in_a_spreadsheet(value: str) -> str:
    """A CSV field that a spreadsheet shows as the text it is: one that would start a formula gets a leading
    apostrophe, as OWASP advises, so Excel or LibreOffice show it and never run it."""
    if value.startswith(_FORMULA_START) and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def actions_as_csv(actions: Sequence[Action]) -> str:
    """Actions as CSV with a header row, for Excel; text that a spreadsheet would take for a formula is
    written with a leading apostrophe (see _as_text_in_a_spreadsheet)."""
    stream = io.StringIO()
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow([heading for heading, _ in ACTION_COLUMNS])
    writer.writerows(
        [_as_text_in_a_spreadsheet(value) for value in action_fields(action).values()] for action in actions
    )
    return stream.getvalue()


def actions_as_json(actions: Sequence[Action]) -> str:
    """Actions as a JSON list of objects keyed by column heading, timescales as ISO dates."""
    records = [action_fields(a) | {"Timescale": a.timescale.isoformat()} for a in actions]
    return json.dumps(records, ensure_ascii=False, indent=2)


def problems_as_json(problems: Sequence[Problem], *, report: str) -> str:
    """check's problem records as JSON, for tools and the web page: file, place, found, expected, severity.

    "expected" is the likely fix when one is obvious; "message" says what is wrong and what is expected in words.
    """
    records = [
        {
            "file": p.file,
            "place": p.place,
            "found": p.found,
            "expected": p.suggestion,
            "severity": p.severity.value,
            "message": p.message,
        }
        for p in problems
    ]
    errors = sum(1 for p in problems if p.severity is Severity.ERROR)
    return json.dumps(
        {
            "report": report,
            "ok": errors == 0,
            "errors": errors,
            "warnings": len(problems) - errors,
            "problems": records,
        },
        ensure_ascii=False,
        indent=2,
    )
