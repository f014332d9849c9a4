"""Mistakes an officer can make in report.toml, each found by `check` as a located problem in plain words (file,
line, what is wrong, what is expected), all of them in one run, with nothing written."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from jtai_docs.cli import main


def without_section(text: str, name: str) -> str:
    """The report.toml text without the [name] section and its keys."""
    result, count = re.subn(rf"(?ms)^\[{re.escape(name)}\]\n.*?(?=^\[|^#|\Z)", "", text)
    assert count == 1, f"no [{name}] section"
    return result


def replaced(old: str, new: str) -> Callable[[str], str]:
    def edit(text: str) -> str:
        assert text.count(old) == 1, f"{old!r} is not in report.toml once"
        return text.replace(old, new)

    return edit


def line_of(text: str, fragment: str) -> int:
    return text[: text.index(fragment)].count("\n") + 1


SPACED = '"plan submitted" ='

CASES: dict[str, tuple[Callable[[str], str], Callable[[str], str]]] = {
    # name: (edit of the report.toml text, the message expected for the edited text)
    "unknown key": (
        lambda text: 'colour = "red"\n' + text,
        lambda text: "report.toml, key colour (line 1): this key is not a report setting",
    ),
    "section as a value": (
        lambda text: 'meeting = "Monday"\n' + without_section(text, "meeting"),
        lambda text: "report.toml, [meeting]: [meeting] must be a section of keys",
    ),
    "section missing": (
        lambda text: without_section(text, "contact"),
        lambda text: "report.toml, [contact]: the [contact] section is missing",
    ),
    "blank text": (
        replaced('electoral_divisions = "Countywide"', 'electoral_divisions = "  "'),
        lambda text: (
            f"report.toml, key [report] electoral_divisions (line "
            f"{line_of(text, 'electoral_divisions')}): expected text in quotes, not blank"
        ),
    ),
    "appendices as a value": (
        lambda text: "appendices = true\n" + without_section(text, "appendices"),
        lambda text: "report.toml, [appendices]: [appendices] must be a section of switches such as action_plan = true",
    ),
    "dates as a value": (
        lambda text: "dates = 2019-01-01\n" + without_section(text, "dates"),
        lambda text: "report.toml, key [dates]: [dates] must be a section of names and dates",
    ),
    "date name with a space": (
        replaced("plan_submitted = 2018-12-03", SPACED + " 2018-12-03"),
        lambda text: (
            f"(line {line_of(text, SPACED)}): a date's name may hold only "
            "letters, digits and _ (such as plan_submitted)"
        ),
    ),
    "date in quotes": (
        replaced("plan_submitted = 2018-12-03", 'plan_submitted = "2018-12-03"'),
        lambda text: (
            "report.toml, key [dates] plan_submitted "
            f"(line {line_of(text, 'plan_submitted =')}): "
            "expected a date written like 2018-12-31 (no quotes) (found '2018-12-03')"
        ),
    ),
    "date before 1900": (
        replaced("plan_submitted = 2018-12-03", "plan_submitted = 1018-12-03"),
        lambda text: (
            "the date must be between 1900-01-01 and 9999-12-31 (Word and Excel dates "
            "start in 1900); check the year (found '1018-12-03')"
        ),
    ),
    "implications missing": (
        lambda text: without_section(text, "implications"),
        lambda text: "report.toml, [implications]: the [implications] section is missing",
    ),
    "control character": (
        replaced('Consultation = "None."', 'Consultation = "None.\\u0007"'),
        lambda text: (
            "the text holds the invisible control character U+0007, which a Word document cannot contain; remove it"
        ),
    ),
}


def check(report: Path):
    result = CliRunner().invoke(main, ["check", str(report)])
    assert "Traceback" not in result.output
    return result


@pytest.mark.parametrize("case", list(CASES))
def test_a_mistake_in_report_toml_is_a_located_problem(project, case):
    edit, expected = CASES[case]
    report = project / "inputs" / "report.toml"
    text = edit(report.read_text(encoding="utf-8"))
    report.write_text(text, encoding="utf-8")
    result = check(report)
    assert result.exit_code == 1, result.output
    assert expected(text) in result.stderr
    assert "Nothing was written." in result.stderr
    assert not (project / "outputs").exists()


def test_every_mistake_is_listed_in_one_run(project):
    report = project / "inputs" / "report.toml"
    text = report.read_text(encoding="utf-8")
    chosen = ["unknown key", "blank text", "date in quotes", "control character"]
    for case in chosen:
        text = CASES[case][0](text)
    report.write_text(text, encoding="utf-8")
    result = check(report)
    assert result.exit_code == 1
    for case in chosen:
        assert CASES[case][1](text) in result.stderr
    assert f"{len(chosen)} problems must be fixed" in result.stderr


def test_a_report_toml_that_is_not_utf8_names_the_line(project):
    report = project / "inputs" / "report.toml"
    text = report.read_text(encoding="utf-8").replace('"Countywide"', '"Countywide – Café"')
    report.write_bytes(text.encode("cp1252"))  # as an old Windows editor saves it
    result = check(report)
    assert result.exit_code == 1
    first = next(number for number, line in enumerate(text.splitlines(), 1) if not line.isascii())
    assert f"report.toml, line {first}: the file is not UTF-8 text; save it as UTF-8" in result.stderr


def test_a_report_toml_saved_by_notepad_with_a_byte_order_mark_is_read(project):
    report = project / "inputs" / "report.toml"
    report.write_bytes(b"\xef\xbb\xbf" + report.read_bytes())
    result = check(report)
    assert result.exit_code == 0, result.output
