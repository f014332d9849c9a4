"""Everything that can go wrong, as values the command line turns into messages in one place."""

from __future__ import annotations

import difflib
import enum
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass


class Severity(enum.Enum):
    """Errors stop the build; warnings are printed and the build goes on."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input, located so an officer can find and fix it."""

    file: str
    """The file's name, as the officer knows it."""
    place: str
    """Where in the file: a cell such as 'Action Plan'!F17, a report.toml key and line, or template text."""
    message: str
    """What is wrong and what is expected, in the officer's words."""
    found: str | None = None
    """What the file holds there, shown exactly, when it helps."""
    suggestion: str | None = None
    """A likely fix, when one is obvious."""
    severity: Severity = Severity.ERROR
    """Whether the problem stops the build."""

    def describe(self) -> str:
        """The problem as one or two lines of text."""
        where = f"{self.file}, {self.place}" if self.place else self.file
        text = f"{where}: {self.message}"
        if self.found is not None:
            text += f" (found {self.found!r})"
        if self.suggestion:
            text += f"; {self.suggestion}"
        return text


def closest(value: str, choices: Iterable[str]) -> str | None:
    """The choice most like the value (ignoring case), or None when nothing is close."""
    by_key = {choice.casefold(): choice for choice in choices}
    close = difflib.get_close_matches(value.casefold(), list(by_key), n=1, cutoff=0.6)
    return by_key[close[0]] if close else None


def suggest(value: str, choices: Iterable[str]) -> str | None:
    """'did you mean ...?' for the closest choice, or None when nothing is close."""
    match = closest(value, choices)
    return f"did you mean {match!r}?" if match else None


class JtaiDocsError(Exception):
    """Base of every error the command line reports as a message rather than a traceback."""

    exit_code = 1

    def __init__(self, *, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidInputError(JtaiDocsError):
    """The workbook, report.toml or template has problems; all of them are listed."""

    def __init__(self, *, problems: Sequence[Problem], blocked: str = "the report can be built") -> None:
        errors = [p for p in problems if p.severity is Severity.ERROR]
        super().__init__(message=f"{counted(len(errors), 'problem')} must be fixed before {blocked}.")
        self.problems = tuple(problems)


class UsageError(JtaiDocsError):
    """The command was asked for something it cannot do, such as a file that does not exist."""

    exit_code = 2


class ProgramMissingError(JtaiDocsError):
    """An external program the step needs (LibreOffice) is not installed."""


class ProgramFailedError(JtaiDocsError):
    """An external program ran but did not produce what was asked; its output is in the message."""


class OutputProtectedError(JtaiDocsError):
    """The output was edited after it was built, so it is not overwritten without --force."""


class BuildLockedError(JtaiDocsError):
    """Another build into the same folder held its lock for longer than a build waits."""


class OutputWriteError(JtaiDocsError):
    """A file could not be written (its folder, the disk, or another program holding it); what was there is kept."""


class InternalError(JtaiDocsError):
    """A fault in jtai-docs itself while building one report of a batch: that report is listed with it, and the
    others are still built."""

    exit_code = 70  # sysexits EX_SOFTWARE

    def __init__(self, exc: Exception) -> None:
        super().__init__(
            message=f"jtai-docs failed unexpectedly ({type(exc).__name__}: {exc}). This is a fault in jtai-docs, "
            "not in your files; please report it. Set JTAI_DOCS_DEBUG=1 to see the details."
        )


#: What the XML and zip libraries say, and the same in words an officer can pass on (their wording names
#: parser options and library terms: "Excessive depth in document: 256 use XML_PARSE_HUGE option").
_LIBRARY_WORDING: tuple[tuple[str, str], ...] = (
    ("depth", "it nests tables or other content more than 256 levels deep, more than Word itself writes"),
    ("amplification", "it defines text that expands to far more than the file holds, which Word never writes"),
    ("entit", "it defines its own XML entities, which Word never writes"),
    ("package not found", "it is not a package of parts, or it is cut short (a .docx or .xlsx is a zip file of them)"),
    (
        "file is not a zip file",
        "it is not a package of parts, or it is cut short (a .docx or .xlsx is a zip file of them)",
    ),
    ("bad crc", "part of the file is damaged (it may have been cut short or corrupted when copied)"),
    ("truncated", "the file is cut short (it may not have finished copying or downloading)"),
    ("error -3 while decompressing", "part of the file is damaged (it may have been cut short or corrupted)"),
    ("bad magic number", "part of the file is damaged (it may have been cut short or corrupted)"),
    ("compression method", "it is packed in a way Word and Excel do not use"),
    ("encrypted", "it is protected with a password; save a copy without the password and use that"),
)


#: The parts without which no .docx or .xlsx opens at all.
_EVERY_PACKAGE_HAS = frozenset({"[Content_Types].xml", "_rels/.rels", "word/document.xml", "xl/workbook.xml"})


def counted(number: int, noun: str) -> str:
    """A number of things as a reader says it: "1 difference", "3 differences" (every noun counted here takes s)."""
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def in_plain_words(exc: BaseException) -> str:
    """Why a file could not be read, as an officer can act on it rather than as the library put it."""
    said = str(exc)
    lowered = said.lower()
    missing = re.search(r"there is no item named '([^']+)'", said, re.IGNORECASE)
    if missing and missing.group(1) in _EVERY_PACKAGE_HAS:
        return f"its part {missing.group(1)}, which every file of this kind has, is missing"
    if missing and missing.group(1).startswith("word/"):  # a part another part refers to: a chart, a header
        return (
            f"its part {missing.group(1)}, which another part of it refers to, is missing (Word offers to recover "
            "such a file: open it in Word, let it recover what it can, and save it)"
        )
    if missing:  # a workbook's sheet, say: where it is read, the message says how Excel mends it
        return f"its part {missing.group(1)}, which another part of it refers to, is missing"
    for phrase, plain in _LIBRARY_WORDING:
        if phrase in lowered:
            return plain
    return "its contents are not what a file of this kind holds"


#: What libxml2 says of XML that does not parse, and the same in words an officer can pass on.
_XML_FAULTS: tuple[tuple[str, str], ...] = (
    ("document is empty", "it is empty"),
    ("start tag expected", "it does not hold XML at all"),
    ("namespace prefix", "it uses a name it does not declare, which Word never writes"),
    ("tag mismatch", "a tag in it is closed by another tag's end"),
    ("extra content at the end", "it goes on after its end"),
    ("premature end", "it is cut short"),
    ("not properly terminated", "it is cut short"),
    ("couldn't find end", "it is cut short"),
    ("'</' not found", "it is cut short"),
    ("utf-8", "it holds characters that are not text"),
    ("char value", "it holds characters XML does not allow"),
    ("invalid char", "it holds characters XML does not allow"),
)

#: The parts of a Word document or workbook by what an officer would call them, by the start of their names.
_PART_NAMES: tuple[tuple[str, str], ...] = (
    ("word/document.xml", "the document's text"),
    ("word/header", "a header"),
    ("word/footer", "a footer"),
    ("word/footnotes", "the footnotes"),
    ("word/endnotes", "the endnotes"),
    ("word/comments", "the comments"),
    ("word/styles", "the styles"),
    ("word/numbering", "the list numbering"),
    ("word/settings", "the settings"),
    ("word/charts/", "a chart"),
    ("word/diagrams/", "a diagram"),
    ("word/theme/", "the theme"),
    ("xl/worksheets/", "a sheet"),
    ("xl/sharedStrings", "the text of its cells"),
    ("xl/styles", "its cell formats"),
    ("xl/workbook.xml", "its list of sheets"),
)


def damaged_xml_in_plain_words(detail: str, *, part: str = "") -> str:
    """What is wrong with a part whose XML does not parse (detail: the parser's message), and which part it is
    ("word/charts/chart1.xml, a chart"), in words an officer can pass on instead of the parser's."""
    lowered = detail.lower()
    said = next((plain for phrase, plain in _XML_FAULTS if phrase in lowered), None)
    if said is None and lowered.startswith(("it ", "the part ")):
        said = detail  # said in plain words already (a part too large, or one that cannot be unpacked)
    if said is None:
        said = in_plain_words(Exception(detail))
        if said == "its contents are not what a file of this kind holds":
            said = "its XML is not written as XML must be"
    name = next((name for start, name in _PART_NAMES if part.startswith(start)), "")
    if part.endswith(".rels") or part == "[Content_Types].xml":
        name = "the list of its parts"
    return f"{part}, {name}: {said}" if part and name else f"{part}: {said}" if part else said
