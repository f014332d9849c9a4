"""Every .docx jtai-docs writes is valid WordprocessingML, checked by an independent validator.

openxml-audit ports the Open XML SDK's validation (the checks Word's own tooling makes), so a schema
mistake such as an element out of order, which LibreOffice forgives and Word may "repair", fails here.
"""

from __future__ import annotations

import shutil

import pytest

from helpers import ROOT, ordinary_report, violations
from jtai_docs import pipeline


def test_the_template_is_valid():
    assert violations(ROOT / "templates" / "committee_report.docx") == []


def test_the_built_report_is_valid(project):
    built = pipeline.build_report(project / "inputs" / "report.toml").written.path
    assert violations(built) == []


@pytest.fixture
def hand_made(tmp_path):
    old = ordinary_report(
        tmp_path / "old.docx",
        paragraphs=[
            "Introduction.",
            "# Kept point.",
            "# Removed point entirely.",
            "# A point where one word changes.",
            "Closing words.",
        ],
        rows=[["Area", "Target"], ["Housing", "90"], ["Roads", "70"]],
        link=True,
    )
    new = ordinary_report(
        tmp_path / "new.docx",
        paragraphs=[
            "Introduction.",
            "# Kept point.",
            "# A point where one term changes.",
            "# A new point.",
            "Closing.",
        ],
        rows=[["Area", "Target"], ["Housing", "95"], ["Parks", "50"]],
    )
    return old, new


def test_redlines_are_valid(project, hand_made, tmp_path):
    report = project / "inputs" / "report.toml"
    first = pipeline.build_report(report).written.path
    old = tmp_path / "first.docx"
    shutil.copy(first, old)
    text = report.read_text(encoding="utf-8").replace('background_papers = "None"', 'background_papers = "Letter"')
    report.write_text(text, encoding="utf-8")
    second = pipeline.build_report(report).written.path
    assert violations(second) == []
    for before, after in [(old, second), hand_made, tuple(reversed(hand_made))]:
        redline = tmp_path / "redline.docx"
        assert pipeline.compare_reports(before, after, redline_path=redline)
        # The redline is the new version's package, so it may carry that file's own faults (python-docx's stock
        # template has some) but must add none.
        assert set(violations(redline)) <= set(violations(after)), (before.name, after.name)
