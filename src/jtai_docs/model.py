"""The report's nouns: what the workbook and report.toml describe, free of any file handling."""

from __future__ import annotations

import enum
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

# Characters XML 1.0 cannot hold, so a Word document cannot contain them (tab, line feed and CR are fine).
_UNPRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def unprintable_character(text: str) -> str | None:
    """The first character of the text that a Word document cannot contain, or None."""
    match = _UNPRINTABLE.search(text)
    return match.group() if match else None


@dataclass(frozen=True)
class Theme:
    """One thematic improvement area of the action plan (the Themes sheet)."""

    number: int
    """The number partners use for the theme, shown in Table 1's NO column."""
    name: str
    """The theme's name as it appears in Table 1."""
    order: int
    """Where the theme comes in Table 1, smallest first."""


@dataclass(frozen=True)
class Status:
    """One entry of the status key (the Status Key sheet)."""

    label: str
    """The word partners type in the Status column, such as Green."""
    meaning: str
    """What the status means; printed in the key under Table 1."""
    order: int
    """Where the status comes in Table 1 and its key, smallest first."""
    in_table: bool
    """Whether Table 1 has a column for it (a status for actions not yet due has none)."""


@dataclass(frozen=True)
class Action:
    """One improvement action (a row of the Action Plan sheet)."""

    reference: str
    """The action's reference, such as 2.07."""
    theme: Theme
    """The theme the action belongs to."""
    text: str
    """What is to be done."""
    lead: str
    """The agency and role that lead the action."""
    timescale: date
    """The completion date; a month such as December 2018 means its last day."""
    status: Status
    """The action's current status."""
    progress: str
    """The latest progress update, possibly blank."""
    row: int
    """The workbook row the action came from, for messages."""

    def is_due_by(self, cutoff: date) -> bool:
        """True when the action's completion timescale falls on or before the cutoff."""
        return self.timescale <= cutoff


@dataclass(frozen=True)
class ActionPlan:
    """The whole action plan as read from the workbook."""

    themes: tuple[Theme, ...]
    """Themes in Table 1 order."""
    statuses: tuple[Status, ...]
    """The status key in its own order."""
    actions: tuple[Action, ...]
    """Every action, in workbook order."""

    def due_actions(self, cutoff: date) -> tuple[Action, ...]:
        """The actions whose completion timescale is on or before the cutoff."""
        return tuple(action for action in self.actions if action.is_due_by(cutoff))


@dataclass(frozen=True)
class Table1Row:
    """One theme's line of Table 1."""

    theme: Theme
    """The theme counted on this line."""
    counts: tuple[int, ...]
    """Due actions per status, in the order of Table1.statuses."""
    total: int
    """Due actions of the theme, whatever their status."""


@dataclass(frozen=True)
class Table1:
    """Actions due by the cutoff, counted by theme and status."""

    cutoff: date
    """Actions with a completion timescale on or before this date are counted."""
    statuses: tuple[Status, ...]
    """The status columns, in key order."""
    rows: tuple[Table1Row, ...]
    """One row per theme, in theme order."""
    totals: tuple[int, ...]
    """The TOTALS row: due actions per status."""
    total: int
    """All due actions."""

    def count(self, label: str) -> int:
        """The TOTALS figure of the status with this label."""
        for status, figure in zip(self.statuses, self.totals, strict=True):
            if status.label == label:
                return figure
        raise KeyError(label)


@dataclass(frozen=True)
class Implication:
    """One heading of Appendix 1 Implications with what the report says under it."""

    heading: str
    """The standard heading, such as Legal Implications."""
    text: str
    """The paragraph under the heading; "None." is an answer."""


@dataclass(frozen=True)
class Contact:
    """The officer named in the contact block."""

    name: str
    """The officer's name."""
    role: str
    """The officer's job title."""
    telephone: str
    """The telephone number exactly as it is to be printed."""


@dataclass(frozen=True)
class ReportSettings:
    """Everything about one report that is neither workbook data nor template wording (report.toml)."""

    source: Path
    """The report.toml file these settings came from."""
    template: Path
    """The Word template to fill in (absolute: report.toml's paths are relative to its own folder)."""
    workbook: Path
    """The action-plan workbook (absolute)."""
    output: Path
    """Where the report is written (absolute)."""
    cutoff: date
    """Actions due on or before this date are counted in Table 1."""
    committee: str
    """The committee the report goes to."""
    meeting_date: date
    """The date of the meeting; also the document's created and modified dates."""
    title: str
    """The report's title."""
    report_of: str
    """Who the report is from, as in "Report of ..."."""
    electoral_divisions: str
    """Electoral division(s) affected."""
    presenter: str
    """Who gives the presentation, with their role."""
    author: str
    """The document author recorded in the file's properties."""
    background_papers: str
    """The Background papers section's text."""
    contact: Contact
    """The contact block at the end of the report."""
    implications: tuple[Implication, ...]
    """Appendix 1, in report.toml order."""
    dates: Mapping[str, date]
    """Named dates the wording refers to ([dates]), such as when the plan was submitted."""
    action_plan_appendix: bool = True
    """Whether the report prints the whole action plan as Appendix 2 ([appendices] action_plan)."""


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of a Word document as a reader sees it, tracked changes accepted."""

    text: str
    """The paragraph's text; tabs and line breaks as \\t and \\n."""
    number: str | None
    """The list number Word shows before it, such as 11 or b), or None."""
    style: str
    """The paragraph style's name, such as Numbered Paragraph."""
    heading_level: int | None
    """1 for a top-level heading, 2 below that...; None for body text."""
    hidden: tuple[tuple[int, int], ...] = field(default=(), compare=False)
    """Where in text the words formatted Hidden (Font > Hidden) are, as (start, end) offsets: Word and print do
    not show them, so a summary quoting them marks them. Not compared: hiding words is a formatting change."""


@dataclass(frozen=True)
class Table:
    """A table of a Word document, cell texts row by row."""

    rows: tuple[tuple[str, ...], ...]
    """Each row's cell texts; a cell's paragraphs are joined by \\n."""
    header_rows: int
    """How many leading rows repeat as the header on each page."""
    caption: str | None
    """The paragraph just before the table when it names it, such as 'Table 1:'."""


@dataclass(frozen=True)
class WordDocument:
    """The readable content of a .docx, in order."""

    name: str
    """The file's name."""
    blocks: tuple[Paragraph | Table, ...]
    """Paragraphs and tables of the body in reading order."""


@dataclass(frozen=True)
class Story:
    """A part of a document a reader sees besides the body's running text: a header or footer, a text box,
    a footnote, endnote or comment, or a group of them (all the footnotes)."""

    kind: str
    """"body" (a section of the body, shown as it is), "part" (shown under its title) or "note" (shown after
    its mark, such as [1])."""
    title: str
    """Where a reader finds it ("header of section 2, first page", "text box") or a note's mark ("1", "ii")."""
    blocks: tuple[Paragraph | Table | Story, ...]
    """Its paragraphs, tables and the parts inside it (text boxes), in reading order."""
    lead: str = ""
    """Words shown before a note's text, such as a comment's author and the text it is about."""


@dataclass(frozen=True)
class DocumentView:
    """Everything a reader of a .docx sees, in reading order: each section's headers, body and footers, then the
    footnotes, endnotes and comments."""

    name: str
    """The file's name."""
    stories: tuple[Story, ...]


@dataclass(frozen=True)
class TextEdit:
    """One stretch of words that differs within a paragraph or cell."""

    old: str
    """The words as they were ('' for an insertion)."""
    new: str
    """The words as they are now ('' for a deletion)."""


class ChangeKind(enum.StrEnum):
    """What kind of difference a Change is; its value is the word messages and JSON use."""

    CHANGED = "changed"
    """A paragraph, table row or action field edited."""
    ADDED = "added"
    REMOVED = "removed"
    CELL = "cell"
    """A table cell whose text changed."""
    MOVED = "moved"
    """A paragraph that stands elsewhere, unchanged."""
    FORMATTING = "formatting"
    """A paragraph whose words are the same but whose style changed."""


@dataclass(frozen=True)
class Change:
    """One difference between two versions of a report, located as a reviewer would look for it."""

    kind: ChangeKind
    """Changed, added or removed (a paragraph), cell (a table cell), moved, or formatting; a word such as
    "cell" is taken as its kind, and a word that names no kind is refused."""
    where: str
    """A reader's description of the place: 'paragraph 11', 'Table 1, Front Door & MASH, Green'..."""
    section: str | None
    """The heading the place falls under, if any."""
    old: str
    """The old text ('' when added)."""
    new: str
    """The new text ('' when removed)."""
    edits: tuple[TextEdit, ...]
    """For changed paragraphs and cells, the words that differ."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", ChangeKind(self.kind))
