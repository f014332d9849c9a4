"""The default build reproduces the council's own report, as LibreOffice renders it, paragraph for paragraph."""

from __future__ import annotations

import re

import docx
import pytest

from helpers import libreoffice_lines, normalise, seed_path
from jtai_docs import pipeline

APPENDIX2_HEADING = "Appendix 2: JTAI Improvement Action Plan"


def seed_items(text: str) -> list[str]:
    """The seed's paragraphs and table cells in reading order.

    The seed marks list items with a leading "- " and bold text with "**"; table rows are tab-separated
    cells, where a merged title cell is followed by empty cells. Those marks are formatting, not wording.
    """
    items = []
    for line in text.splitlines():
        line = line.replace("**", "")
        if "\t" in line:
            items += [normalise(cell) for cell in line.split("\t") if cell.strip()]
            continue
        line = re.sub(r"^\s*- (?=\d+ )", "", line)
        if line.strip():
            items.append(normalise(line))
    return items


def rendered_items(lines: list[str]) -> list[str]:
    return [normalise(line) for line in lines if line.strip()]


@pytest.mark.libreoffice
@pytest.mark.seed
def test_default_report_reproduces_the_seed_paragraph_for_paragraph(project):
    result = pipeline.build_report(project / "inputs" / "report.toml")
    rendered = rendered_items(libreoffice_lines(result.written.path))
    expected = seed_items(seed_path().read_text(encoding="utf-8"))
    # The seed ends with Appendix 1; Appendix 2 (the action plan from the workbook) follows it in the build.
    appendix2 = rendered.index(APPENDIX2_HEADING)
    assert rendered[:appendix2] == expected
    assert len(rendered) > appendix2 + 1


def test_without_appendix_2_the_report_is_the_seed_exactly(project):
    settings = project / "inputs" / "report.toml"
    settings.write_text(
        settings.read_text(encoding="utf-8").replace("action_plan = true", "action_plan = false"), encoding="utf-8"
    )
    result = pipeline.build_report(settings)
    rendered = rendered_items(libreoffice_lines(result.written.path))
    assert rendered == seed_items(seed_path().read_text(encoding="utf-8"))


@pytest.mark.seed
def test_text_the_seed_marks_bold_is_bold_in_the_report(project):
    result = pipeline.build_report(project / "inputs" / "report.toml")
    document = docx.Document(str(result.written.path))
    seed = seed_path().read_text(encoding="utf-8")
    marked = re.findall(r"\*\*(.+?)\*\*", seed)
    assert marked, "the seed marks some text bold"
    bold_runs = [
        run.text
        for p in document.paragraphs
        for run in p.runs
        if run.bold or (run.style is not None and run.style.font.bold)
    ]
    for text in marked:
        assert text in bold_runs, f"{text!r} is not bold"
    assert len([r for r in bold_runs if r in marked]) == len(marked)
