"""check_report's stages: every problem of every input in one run, and the report check fills in is the one build
writes."""

from __future__ import annotations

import gc
import io

import docx
import pytest
from docx.oxml.ns import qn

from helpers import Row, beside_workbook, make_workbook
from jtai_docs import pipeline
from jtai_docs.errors import InvalidInputError


def test_the_report_check_fills_in_is_byte_for_byte_the_report_build_writes(project):
    # Without Appendix 2 nothing is filled in row by row, so check fills in exactly the report build writes.
    settings = project / "inputs" / "report.toml"
    settings.write_text(settings.read_text().replace("action_plan = true", "action_plan = false"))
    checked = pipeline.check_report(settings)
    assert checked.filled is not None and checked.streamed is None
    assert pipeline.build_report(settings).written.path.read_bytes() == checked.filled


def test_check_leaves_the_appendix_rows_it_checked_one_at_a_time_out_of_the_report_it_fills_in(project):
    # (#11) Appendix 2's rows are checked as they are filled in and dropped: the filled-in report holds a marker for
    # each theme's rows, and the rows counted are the ones build writes.
    settings = project / "inputs" / "report.toml"
    checked = pipeline.check_report(settings)
    assert checked.filled is not None and checked.streamed is not None
    built = docx.Document(str(pipeline.build_report(settings).written.path))
    filled = docx.Document(io.BytesIO(checked.filled))
    rows = len(built.tables[-1]._tbl.findall(qn("w:tr")))
    assert rows == len(filled.tables[-1]._tbl.findall(qn("w:tr"))) + sum(checked.streamed.counts.values())
    assert sum(checked.streamed.counts.values()) == len(checked.plan.actions)


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


@pytest.mark.parametrize("enabled", [True, False])
def test_check_leaves_the_cycle_collector_as_it_found_it_and_the_same_report(project, enabled):
    # (#11) The collector is paused while check reads the plan and fills the report in, whether it succeeds or not.
    settings = project / "inputs" / "report.toml"
    was = gc.isenabled()
    try:
        if not enabled:
            gc.disable()
        checked = pipeline.check_report(settings)
        assert gc.isenabled() is enabled
        (project / "inputs" / "action_plan.xlsx").write_bytes(b"not a workbook")
        with pytest.raises(InvalidInputError):
            pipeline.check_report(settings)
        assert gc.isenabled() is enabled
    finally:
        if was:
            gc.enable()
    assert checked.filled is not None and checked.streamed is not None


def test_objects_made_while_the_collector_was_paused_are_still_collected():
    """Turned on again, the collector has nothing left frozen and still finds a cycle made while it was off."""
    import weakref

    from jtai_docs import cycles

    class Node:
        other: object = None

    with cycles.paused():
        assert not gc.isenabled()
        first, second = Node(), Node()
        first.other, second.other = second, first
        gone = weakref.ref(first)
        del first, second
    assert gc.isenabled() and gc.get_freeze_count() == 0
    assert gone() is not None  # a cycle: only the collector frees it
    gc.collect()
    assert gone() is None
