"""Appendix 2's row loop filled in row by row (#11): the same bytes, the same messages and the same accessibility
findings as filling the whole body in as one template, which is what render falls back to."""

from __future__ import annotations

import zipfile
from datetime import datetime
from pathlib import Path

import pytest

from helpers import ROOT, Row, beside_workbook, make_workbook
from jtai_docs import pipeline, render
from jtai_docs.context import ReportContext
from jtai_docs.errors import InvalidInputError

STATUSES = ["Green", "Amber", "Yellow", "Not yet due"]
#: Progress updates that exercise escaping, docxtpl's escape syntax and its line-break and tab handling.
PROGRESS = ["Complete.", "Fish & chips <b>", "Line one\nline two", "Tab\there", "Typed {_{ braces }_}", "  ", ""]


def plan(folder: Path, actions: int = 300) -> Path:
    rows = [
        Row(
            ref=f"{1 + index % 2}.{index // 2 + 1:02d}",
            theme=1 + index % 2,
            action=f"Action number {index} for the plan.",
            timescale=datetime(2019 if index % len(STATUSES) == 3 else 2018, 1 + index % 12, 1 + index % 28),
            status=STATUSES[index % len(STATUSES)],
            progress=PROGRESS[index % len(PROGRESS)] or "Started.",
        )
        for index in range(actions)
    ]
    return make_workbook(folder / "plan.xlsx", rows)


def settings(folder: Path, template: Path | None = None) -> Path:
    plan(folder)
    changes = {"output": '"out/report.docx"'}
    if template is not None:
        changes["template"] = f'"{template.as_posix()}"'
    return beside_workbook(folder, **changes)


def edited_template(folder: Path, *replacements: tuple[str, str]) -> Path:
    """The default template with text of its document.xml replaced."""
    source = ROOT / "templates" / "committee_report.docx"
    target = folder / "edited.docx"
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for item in old.infolist():
            data = old.read(item.filename)
            if item.filename == "word/document.xml":
                text = data.decode("utf-8")
                for before, after in replacements:
                    assert before in text, before
                    text = text.replace(before, after)
                data = text.encode("utf-8")
            new.writestr(item, data)
    return target


@pytest.fixture
def whole(monkeypatch):
    """Runs a function with no row loop filled in row by row: the whole body as one template, as before #11."""

    def run(function, *args, **kwargs):
        with monkeypatch.context() as patched:
            patched.setattr(render, "_row_loops", lambda source, variables: [])
            return function(*args, **kwargs)

    return run


def test_the_appendix_loop_is_the_one_filled_in_row_by_row():
    template = render.open_template(ROOT / "templates" / "committee_report.docx")
    loops = render._row_loops(render._patched(template.get_xml()), dict.fromkeys(ReportContext.__dataclass_fields__))
    assert [(loop.target, loop.iterable) for loop in loops] == [("action", "group.actions")]


def test_build_is_byte_for_byte_what_filling_in_the_whole_body_gives(tmp_path, whole):
    report = settings(tmp_path)
    streamed = pipeline.build_report(report, force=True).written.path.read_bytes()
    assert whole(pipeline.build_report, report, force=True).written.path.read_bytes() == streamed
    checked = pipeline.check_report(report)
    assert checked.streamed is not None and sum(checked.streamed.counts.values()) == 300


def test_check_finds_what_filling_in_the_whole_body_finds(tmp_path, whole):
    report = settings(tmp_path)
    streamed = pipeline.check_accessibility(pipeline.check_report(report))
    assert streamed == whole(lambda: pipeline.check_accessibility(pipeline.check_report(report)))


def test_a_data_error_in_one_appendix_row_is_reported_as_before(tmp_path, whole):
    # Only row 1.02 has no lead here: the template asks for an attribute that one row's value lacks.
    template = edited_template(
        tmp_path, ("{{ action.lead }}", '{{ {"1.02": none}.get(action.reference, action).lead }}')
    )
    report = settings(tmp_path, template)
    with pytest.raises(InvalidInputError) as streamed:
        pipeline.check_report(report)
    with pytest.raises(InvalidInputError) as as_before:
        whole(pipeline.check_report, report)
    assert streamed.value.problems == as_before.value.problems
    (problem,) = streamed.value.problems
    assert "'None' has no attribute 'lead'" in problem.message
    with pytest.raises(InvalidInputError) as built:
        pipeline.build_report(report)
    assert built.value.problems == as_before.value.problems


def test_a_row_whose_text_fails_accessibility_is_reported_naming_its_row(tmp_path, whole):
    # The shaded Status cell is left empty for actions whose status is Amber: colour becomes the only signal.
    template = edited_template(
        tmp_path, ("{{ action.status }}", '{{ "" if action.status == "Amber" else action.status }}')
    )
    report = settings(tmp_path, template)
    found = pipeline.check_accessibility(pipeline.check_report(report))
    assert found == whole(lambda: pipeline.check_accessibility(pipeline.check_report(report)))
    places = [problem.place for problem in found if "colour but no text" in problem.message]
    assert len(places) == 75
    assert all(place.endswith(", column 5 (Status)") and ", row " in place for place in places)
    built = pipeline.build_report(report, force=True)
    assert [problem.place for problem in built.accessibility if "colour" in problem.message] == places


def test_small_text_in_the_rows_is_reported_with_its_text(tmp_path, whole):
    # A run of 8 pt text in every action row: each row's finding quotes its own text.
    template = edited_template(
        tmp_path,
        (
            "<w:r><w:t>{{ action.progress }}",
            '<w:r><w:rPr><w:sz w:val="16"/></w:rPr><w:t>{{ action.progress }}',
        ),
    )
    report = settings(tmp_path, template)
    found = pipeline.check_accessibility(pipeline.check_report(report))
    assert found == whole(lambda: pipeline.check_accessibility(pipeline.check_report(report)))
    assert sum("8 pt" in problem.message for problem in found) > 200


def test_a_loop_that_cannot_be_isolated_is_filled_in_as_a_whole():
    row = "<w:tr><w:tc><w:p><w:r><w:t>{{ item.name }}</w:t></w:r></w:p></w:tc></w:tr>"
    variables = {"items": [], "title": ""}
    assert render._row_loops("<w:tbl>{% for item in items %}" + row + "{% endfor %}</w:tbl>", variables)
    for source in (
        "<w:tbl>{% for item in items %}" + row.replace("item.name", "loop.index") + "{% endfor %}</w:tbl>",
        "<w:tbl>{% for item in items if item %}" + row + "{% endfor %}</w:tbl>",
        "<w:tbl>{% for item in items %}" + row + "{% else %}{% endfor %}</w:tbl>",
        "<w:tbl>{%- for item in items %}" + row + "{% endfor %}</w:tbl>",
        "<w:tbl>{% for item in items %}" + row.replace("item.name", "other") + "{% endfor %}</w:tbl>",
        "{% set title = 'x' %}<w:tbl>{% for item in items %}"
        + row.replace("item.name", "title")
        + "{% endfor %}</w:tbl>",
        "{# note #}<w:tbl>{% for item in items %}" + row + "{% endfor %}</w:tbl>",
        "{% macro m() %}<w:tbl>{% for item in items %}" + row + "{% endfor %}</w:tbl>{% endmacro %}",
    ):
        assert render._row_loops(source, variables) == [], source
