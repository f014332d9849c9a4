"""Mistakes an officer makes when editing the template's tags in Word: each is a located problem in plain words
(the paragraph holding the tag), exit status 1 and nothing written, never the internal-fault status, and work that
would take minutes (huge ranges, text repeated a billion times) is refused at once."""

from __future__ import annotations

import copy
import time
from pathlib import Path

import docx
import pytest

from helpers import errors_of, run, snapshot
from jtai_docs import pipeline


def report_with(folder: Path, *texts: str, cutoff: str | None = None) -> Path:
    """A report folder whose template has a paragraph of its own for each text, after its first paragraphs."""
    settings = pipeline.create_report_folder(folder)[0]
    if cutoff:
        toml = settings.read_text(encoding="utf-8")
        settings.write_text(toml.replace("cutoff = 2018-12-31", f"cutoff = {cutoff}"), encoding="utf-8")
    template = Path(pipeline.check_report(settings).settings.template)
    document = docx.Document(str(template))
    anchor = document.paragraphs[7]
    for text in reversed(texts):
        added = copy.deepcopy(anchor._p)
        anchor._p.addnext(added)
        for extra in added.findall(docx.oxml.ns.qn("w:r"))[1:]:
            added.remove(extra)
        added.find(f"{docx.oxml.ns.qn('w:r')}/{docx.oxml.ns.qn('w:t')}").text = text
    document.save(str(template))
    return settings


CASES = {
    "filter typo": (
        "The meeting on {{ meeting_date|longdate }}.",
        "in the paragraph 'The meeting on {{ meeting_date|longdate }}.': unknown filter 'longdate'; "
        "did you mean 'long_date'?",
    ),
    "date filter on text": (
        "Divisions: {{ electoral_divisions|long_date }}.",
        "in the paragraph 'Divisions: {{ electoral_divisions|long_date }}.': the filter long_date is for dates "
        "(such as meeting_date), but this tag gives it something else",
    ),
    "include": (
        "{% include 'other.docx' %}",
        "in the paragraph \"{% include 'other.docx' %}\": {% include %} brings in another template file, which a "
        "report's template cannot do; put the text in this Word document instead",
    ),
    "extends": ("{% extends 'base' %}", "{% extends %} brings in another template file"),
    "import": ("{% import 'x' as y %}", "{% import %} brings in another template file"),
    "huge range": (
        "{{ range(10**8)|list|length }}",
        "in the paragraph '{{ range(10**8)|list|length }}': a tag asks range() for more than 100,000 numbers, "
        "more than a template may",
    ),
    "recursive macro": (
        "{% macro r(n) %}{{ r(n+1) }}{% endmacro %}{{ r(0) }}",
        "a macro calls itself without end",
    ),
    "tojson": ("{{ contact|tojson }}", "a tag cannot be worked out: Object of type Contact is not JSON serializable"),
    "repeated text": (
        "{{ 'a'*10**9 }}",
        "in the paragraph \"{{ 'a'*10**9 }}\": a tag repeats text 1,000,000,000 times, more than the 1,000,000 "
        "characters a tag may make",
    ),
    "loops inside loops": (
        "{% for a in range(100000) %}{% for b in range(100000) %}{% endfor %}{% endfor %}",
        "the template's loops count through more than 10,000,000 numbers with range(), more than any report "
        "needs; look for loops inside loops",
    ),
    "huge power": ("{{ 10 ** 100000000 }}", "a tag raises a number to the power 100,000,000"),
}


@pytest.mark.parametrize("name", CASES)
def test_a_template_mistake_is_located_and_nothing_is_written(tmp_path, name):
    text, expected = CASES[name]
    settings = report_with(tmp_path, text)
    before = snapshot(tmp_path)
    started = time.monotonic()
    for command in ("check", "build"):
        result = run(command, settings)
        assert result.exit_code == 1, result.output
        assert errors_of(result.stderr) == [f"Error: committee_report.docx, {expected}"] or (
            len(errors_of(result.stderr)) == 1 and expected in result.stderr
        ), result.stderr
        assert "Nothing was written." in result.stderr
    assert time.monotonic() - started < 60  # refused at once, not worked out for minutes
    assert snapshot(tmp_path) == before


def test_dividing_by_due_count_when_nothing_is_due_says_how_to_guard_it(tmp_path):
    settings = report_with(
        tmp_path, "{{ (status_totals['Green'] / due_count * 100)|round|int }}% complete.", cutoff="2010-01-01"
    )
    result = run("build", settings)
    assert result.exit_code == 1
    assert errors_of(result.stderr) == [
        "Error: committee_report.docx, in the paragraph \"{{ (status_totals['Green'] / due_count * 100)|round|int "
        '}}% complete.": a tag divides by zero (as by due_count when no action is due yet); put it inside '
        "{% if due_count %} ... {% endif %}"
    ]


def test_every_mistake_the_tags_alone_show_is_listed_in_one_run(tmp_path):
    settings = report_with(
        tmp_path,
        "{{ commitee }} and {{ dates.nope|long_date }}",
        "On {{ meeting_date|longdate }} and {{ meeting_date|shout }}.",
        "{% include 'x' %}",
    )
    result = run("check", settings)
    assert result.exit_code == 1
    errors = errors_of(result.stderr)
    assert len(errors) == 5, result.stderr
    assert any("unknown filter 'longdate'; did you mean 'long_date'?" in error for error in errors)
    assert any(
        "unknown filter 'shout'; the report's own filters are long_date, month_year, ordinal_date" in error
        for error in errors
    )
    assert any("{% include %} brings in another template file" in error for error in errors)
    assert any(
        "the template uses the variable 'commitee', which jtai-docs does not provide; did you mean "
        "'committee'?" in error
        for error in errors
    )
    assert any("the template uses dates 'nope', which is not among its dates" in error for error in errors)
    assert "5 problems must be fixed before the report can be built." in result.stderr
