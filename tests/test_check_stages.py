"""check_report's stages: every problem of every input in one run, and the report check fills in is the one build
writes."""

from __future__ import annotations

import pytest

from helpers import Row, beside_workbook, make_workbook
from jtai_docs import pipeline
from jtai_docs.errors import InvalidInputError


def test_the_report_check_fills_in_is_byte_for_byte_the_report_build_writes(project):
    settings = project / "inputs" / "report.toml"
    filled = pipeline.check_report(settings).filled
    assert filled is not None
    assert pipeline.build_report(settings).written.path.read_bytes() == filled


def test_without_filling_in_nothing_is_filled_and_the_older_keyword_still_means_the_same(project):
    settings = project / "inputs" / "report.toml"
    assert pipeline.check_report(settings, fill_in=False).filled is None
    assert pipeline.check_report(settings, dry_run=False).filled is None
    assert pipeline.check_report(settings, dry_run=True).filled == pipeline.check_report(settings).filled


def test_problems_of_report_toml_the_workbook_and_the_template_come_together_in_input_order(tmp_path):
    make_workbook(tmp_path / "plan.xlsx", [Row(ref="1.01"), Row(ref="1.02", status="Gren")])
    settings = beside_workbook(tmp_path, cutoff='"soon"', template='"missing.docx"')
    with pytest.raises(InvalidInputError) as raised:
        pipeline.check_report(settings)
    files = [problem.file for problem in raised.value.problems]
    assert files == ["report.toml", "plan.xlsx", "missing.docx"], raised.value.problems
