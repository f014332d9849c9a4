"""Reads report.toml: the report's settings, checked key by key with the line of each problem."""

from __future__ import annotations

import os
import re
import tomllib
from datetime import date, datetime, time
from pathlib import Path
from typing import Any, Protocol

from . import files
from .errors import InvalidInputError, Problem, suggest
from .model import Contact, Implication, ReportSettings, unprintable_character

#: The headings of Appendix 1 Implications every committee report addresses, in the house order.
STANDARD_IMPLICATIONS = (
    "Legal Implications",
    "Finance",
    "Consultation",
    "Equality and Diversity / Public Sector Equality Duty",
    "Human Rights",
    "Crime and Disorder",
    "Staffing",
    "Accommodation",
    "Risk",
    "Procurement",
)

# What each key holds: "text" (a non-blank string), "date" (a TOML date) or "path" (a file path).
_SCHEMA: dict[str | None, dict[str, str]] = {
    None: {"template": "path", "workbook": "path", "output": "path", "cutoff": "date"},
    "meeting": {"committee": "text", "date": "date"},
    "report": {
        "title": "text",
        "report_of": "text",
        "electoral_divisions": "text",
        "presenter": "text",
        "author": "text",
        "background_papers": "text",
    },
    "contact": {"name": "text", "role": "text", "telephone": "text"},
}
_SECTIONS = [name for name in _SCHEMA if name] + ["implications", "dates", "appendices"]
#: [appendices]: switches for the appendices built from the workbook, each true or false, and their defaults.
_APPENDICES = {"action_plan": True}
# [dates] names become template variables (dates.plan_submitted), so they must be plain identifiers.
_DATE_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


#: [report] keys written into the report's document properties, which Word limits to 255 characters each.
_PROPERTY_KEYS = frozenset({"title", "author"})
MOST_PROPERTY_CHARACTERS = 255


def _not_text(value: object) -> str:
    """Why a setting that must be text is not, in the officer's terms."""
    if isinstance(value, bool):
        return "expected text in quotes, not true or false"
    if isinstance(value, int | float):
        return 'expected text in quotes, not a number (write it in quotes, "like this")'
    if isinstance(value, date | datetime | time):
        return "expected text in quotes, not a date"
    if isinstance(value, list | dict):
        return "expected text in quotes, not a list or section"
    return "expected text in quotes, not blank"


class _Locator:
    """Finds the line of a key in the file's text, since tomllib does not keep positions."""

    def __init__(self, text: str) -> None:
        self._lines = text.splitlines()

    def line_of(self, section: str | None, key: str | None = None) -> int | None:
        current: str | None = None
        section_line = None
        for number, line in enumerate(self._lines, start=1):
            stripped = line.strip()
            header = re.fullmatch(r"\[\s*([^\]]+?)\s*\]", stripped)
            if header:
                current = header.group(1).strip("\"'")
                if current == section:
                    section_line = number
                continue
            if current == section and key is not None:
                match = re.match(r"""\s*(?:"([^"]*)"|'([^']*)'|([A-Za-z0-9_-]+))\s*=""", line)
                if match and key in match.groups():
                    return number
        return section_line if key is None else None


def _key_name(section: str | None, key: str) -> str:
    return f"[{section}] {key}" if section else key


def read_settings(path: Path, *, relative_to: Path | None = None) -> ReportSettings:
    """Reads and checks report.toml; raises InvalidInputError listing every problem.

    Its relative paths start from relative_to (default: the folder it is in; report.toml read from standard input
    names files from the current folder)."""
    name = path.name
    raw = files.read_input_file(path, what="report settings file", limit=files.SETTINGS_LIMIT)
    try:
        # utf-8-sig: Windows Notepad starts UTF-8 files with a byte-order mark, which is not part of the TOML.
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InvalidInputError(
            problems=[Problem(file=name, place=f"line {line}", message="the file is not UTF-8 text; save it as UTF-8")]
        ) from exc
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        # tomllib's message ends "(at line L, column C)": keep it, in the officer's order.
        detail = str(exc)
        place = ""
        match = re.search(r"\(at line (\d+), column (\d+)\)$", detail)
        if match:
            place = f"line {match.group(1)}, column {match.group(2)}"
            detail = detail[: match.start()].strip()
        raise InvalidInputError(
            problems=[Problem(file=name, place=place, message=f"this is not valid TOML: {detail}")]
        ) from exc
    return _check(data, path=path, locator=_Locator(text), folder=relative_to or path.parent)


def read_input_paths(path: Path, *, relative_to: Path | None = None) -> tuple[Path | None, Path | None]:
    """The workbook and template a report.toml names, read leniently so they can be checked even when
    other settings are wrong; None for any that cannot be read."""
    try:
        raw = files.read_input_file(path, what="report settings file", limit=files.SETTINGS_LIMIT)
        data = tomllib.loads(raw.decode("utf-8-sig"))
    except (InvalidInputError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return None, None
    found = [data.get(key) for key in ("workbook", "template")]
    workbook, template = (
        Path(os.path.abspath((relative_to or path.parent) / value))
        if isinstance(value, str) and value.strip()
        else None
        for value in found
    )
    return workbook, template


def _check(data: dict[str, Any], *, path: Path, locator: _Locator, folder: Path) -> ReportSettings:
    name = path.name
    problems: list[Problem] = []
    values: dict[tuple[str | None, str], Any] = {}

    def place(section: str | None, key: str | None = None) -> str:
        line = locator.line_of(section, key)
        label = _key_name(section, key) if key else f"[{section}]"
        return f"key {label}" + (f" (line {line})" if line else "")

    for key in data:
        if key not in _SCHEMA[None] and key not in _SECTIONS:
            problems.append(
                Problem(
                    file=name,
                    place=place(None, key),
                    message="this key is not a report setting",
                    suggestion=suggest(key, list(_SCHEMA[None]) + _SECTIONS),
                )
            )

    for section, keys in _SCHEMA.items():
        table = data if section is None else data.get(section)
        if not isinstance(table, dict):  # data itself is always a table
            problems.append(
                Problem(
                    file=name,
                    place=f"[{section}]",
                    message=f"the [{section}] section is missing"
                    if table is None
                    else f"[{section}] must be a section of keys",
                )
            )
            continue
        if section is not None:
            for key in table:
                if key not in keys:
                    problems.append(
                        Problem(
                            file=name,
                            place=place(section, key),
                            message=f"this key is not a setting of [{section}]",
                            suggestion=suggest(key, keys),
                        )
                    )
        for key, kind in keys.items():
            if key not in table:
                problems.append(
                    Problem(
                        file=name,
                        place=place(section, None) if section else "",
                        message=f"the required key {_key_name(section, key)} is missing",
                    )
                )
                continue
            value = table[key]
            where = place(section, key)
            if kind == "date":
                if isinstance(value, datetime) or not isinstance(value, date):
                    problems.append(
                        Problem(
                            file=name,
                            place=where,
                            message="expected a date written like 2018-12-31 (no quotes)",
                            found=str(value),
                        )
                    )
                    continue
                if not value >= FIRST_DATE:
                    problems.append(_out_of_range(name, where, value))
                    continue
            elif not isinstance(value, str) or not value.strip():
                problems.append(Problem(file=name, place=where, message=_not_text(value), found=str(value)))
                continue
            elif key in _PROPERTY_KEYS and len(value) > MOST_PROPERTY_CHARACTERS:
                problems.append(
                    Problem(
                        file=name,
                        place=where,
                        message=f"this is {len(value)} characters; at most {MOST_PROPERTY_CHARACTERS}, Word's limit "
                        f"for a document's {key}",
                    )
                )
                continue
            elif unprintable_character(value):
                problems.append(_unprintable(name, where, value))
                continue
            elif kind == "path":
                # Links are not followed here: messages name the file the officer wrote, and a link loop is
                # refused where the file is opened, not as a crash here.
                value = Path(os.path.abspath(folder / value))
                if key == "output" and not value.name.lower().endswith(".docx"):
                    problems.append(
                        Problem(
                            file=name,
                            place=where,
                            message="the report is a Word document, so its name must end in .docx",
                            found=table[key],
                        )
                    )
                    continue
            values[(section, key)] = value

    implications = _check_implications(data.get("implications"), name=name, place=place, problems=problems)
    dates = _check_dates(data.get("dates", {}), name=name, place=place, problems=problems)
    appendices = _check_appendices(data.get("appendices", {}), name=name, place=place, problems=problems)
    if problems:
        raise InvalidInputError(problems=problems)
    return ReportSettings(
        source=path,
        template=values[(None, "template")],
        workbook=values[(None, "workbook")],
        output=values[(None, "output")],
        cutoff=values[(None, "cutoff")],
        committee=values[("meeting", "committee")],
        meeting_date=values[("meeting", "date")],
        title=values[("report", "title")],
        report_of=values[("report", "report_of")],
        electoral_divisions=values[("report", "electoral_divisions")],
        presenter=values[("report", "presenter")],
        author=values[("report", "author")],
        background_papers=values[("report", "background_papers")],
        contact=Contact(
            name=values[("contact", "name")],
            role=values[("contact", "role")],
            telephone=values[("contact", "telephone")],
        ),
        implications=implications,
        dates=dates,
        action_plan_appendix=appendices["action_plan"],
    )


class _Place(Protocol):
    """Names a section or key of report.toml with its line, as check_settings's place() does."""

    def __call__(self, section: str | None, key: str | None = None) -> str: ...


def _check_appendices(table: Any, *, name: str, place: _Place, problems: list[Problem]) -> dict[str, bool]:
    """[appendices]: which appendices built from the workbook are printed (true or false)."""
    switches = dict(_APPENDICES)
    if not isinstance(table, dict):
        problems.append(
            Problem(
                file=name,
                place="[appendices]",
                message="[appendices] must be a section of switches such as action_plan = true",
            )
        )
        return switches
    for key, value in table.items():
        if key not in _APPENDICES:
            problems.append(
                Problem(
                    file=name,
                    place=place("appendices", key),
                    message="this key is not a setting of [appendices]",
                    suggestion=suggest(key, _APPENDICES),
                )
            )
        elif not isinstance(value, bool):
            problems.append(
                Problem(
                    file=name,
                    place=place("appendices", key),
                    message="expected true or false (no quotes)",
                    found=str(value),
                )
            )
        else:
            switches[key] = value
    return switches


def _unprintable(name: str, where: str, value: str) -> Problem:
    character = unprintable_character(value)
    if character is None:
        raise ValueError("only text holding an unprintable character is reported")
    return Problem(
        file=name,
        place=where,
        found=value[:80],
        message=f"the text holds the invisible control character U+{ord(character):04X}, which a Word "
        "document cannot contain; remove it (a \\n escape gives a line break)",
    )


def _check_dates(table: Any, *, name: str, place: _Place, problems: list[Problem]) -> dict[str, date]:
    """The optional [dates] section: named dates the report's wording refers to."""
    if not isinstance(table, dict):
        problems.append(
            Problem(file=name, place=place("dates"), message="[dates] must be a section of names and dates")
        )
        return {}
    dates = {}
    for key, value in table.items():
        if not _DATE_NAME.fullmatch(key):
            problems.append(
                Problem(
                    file=name,
                    place=place("dates", key),
                    message="a date's name may hold only letters, digits and _ (such as plan_submitted)",
                )
            )
        elif isinstance(value, datetime) or not isinstance(value, date):
            problems.append(
                Problem(
                    file=name,
                    place=place("dates", key),
                    message="expected a date written like 2018-12-31 (no quotes)",
                    found=str(value),
                )
            )
        elif not value >= FIRST_DATE:
            problems.append(_out_of_range(name, place("dates", key), value))
        else:
            dates[key] = value
    return dates


#: Word and Excel count dates from 1900; a TOML date cannot be later than 9999-12-31.
FIRST_DATE = date(1900, 1, 1)


def _out_of_range(name: str, where: str, value: date) -> Problem:
    return Problem(
        file=name,
        place=where,
        found=value.isoformat(),
        message="the date must be between 1900-01-01 and 9999-12-31 (Word and Excel dates start in 1900); "
        "check the year",
    )


def _check_implications(table: Any, *, name: str, place: _Place, problems: list[Problem]) -> tuple[Implication, ...]:
    if not isinstance(table, dict):
        problems.append(
            Problem(
                file=name,
                place="[implications]",
                message="the [implications] section is missing: it gives the text under each heading of Appendix 1"
                if table is None
                else "[implications] must be a section of headings and texts",
            )
        )
        return ()
    implications = []
    for heading, text in table.items():
        if heading not in STANDARD_IMPLICATIONS:
            problems.append(
                Problem(
                    file=name,
                    place=place("implications", heading),
                    message="this is not one of the standard Appendix 1 headings",
                    suggestion=suggest(heading, STANDARD_IMPLICATIONS),
                )
            )
        elif not isinstance(text, str) or not text.strip():
            problems.append(
                Problem(
                    file=name,
                    place=place("implications", heading),
                    message=f"the implication {heading!r} is blank: every heading must be addressed "
                    '(write "None." if there are none)',
                    found=str(text),
                )
            )
        elif unprintable_character(text):
            problems.append(_unprintable(name, place("implications", heading), text))
        else:
            implications.append(Implication(heading=heading, text=text.strip()))
    for heading in STANDARD_IMPLICATIONS:
        if heading not in table:
            problems.append(
                Problem(
                    file=name,
                    place=place("implications"),
                    message=f"the implication {heading!r} is missing: every heading must be addressed "
                    '(write "None." if there are none)',
                )
            )
    return tuple(implications)
