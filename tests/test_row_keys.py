"""check takes a row's accessibility facts from an earlier row with the same key, made from the row's data without
filling it in (#11): rows with the same key fill in as rows of the same shape, and check finds exactly what it
finds when every row is filled in."""

from __future__ import annotations

import dataclasses
import pickle
from datetime import date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from helpers import ROOT, Row, beside_workbook, make_workbook
from jtai_docs import context, figures, pipeline, render, settings, workbook
from jtai_docs.context import ActionRow

#: Texts that are blank, not blank, not printable, or that XML, Jinja or docxtpl could read as something else.
TEXTS = ["", " ", "  ", "Done.", "x", "\u00a0", "tab\there", "a\nb", "Fish & <chips>", "{_{ kept }_}", "]]>", "‘q’ –"]
text = st.one_of(st.sampled_from(TEXTS), st.text(max_size=8))


@pytest.fixture(scope="module")
def variables(tmp_path_factory):
    """The example report's variables, for a small plan read from a workbook."""
    folder = tmp_path_factory.mktemp("keys")
    rows = [Row(ref="1.01", theme=1, action="Act.", timescale=datetime(2018, 5, 1), status="Green")]
    report = settings.read_settings(beside_workbook(folder, output='"out/report.docx"'))
    plan, _warnings = workbook.read_workbook(make_workbook(folder / "plan.xlsx", rows))
    table1 = figures.count_due_actions(plan, report.cutoff)
    return context.build_context(settings=report, plan=plan, table1=table1).variables()


@pytest.fixture(scope="module")
def appendix(variables):
    """The appendix loop's filler and keys, as check uses them."""
    template = render.open_template(ROOT / "templates" / "committee_report.docx")
    template.__class__ = render._ReportTemplate
    (loop,) = render._row_loops(render._patched(template.get_xml()), variables)
    environment = render.make_environment()
    keys = render._RowKeys.of(loop, environment)
    assert keys is not None
    return template.row_filler(loop.body, loop.target, variables, environment), keys


def row(action: str, lead: str, progress: str, status: str = "Green", shading: str = "C6EFCE") -> ActionRow:
    return ActionRow(
        reference="1.01",
        action=action,
        lead=lead,
        timescale=date(2018, 5, 1),
        status=status,
        shading=shading,
        progress=progress,
        due=True,
    )


@given(
    first=st.tuples(text, text, text, st.sampled_from(["Green", " ", ""])),
    second=st.tuples(text, text, text, st.sampled_from(["Green", " ", ""])),
    shading=st.sampled_from(["C6EFCE", "FFEB9C"]),
)
def test_rows_with_the_same_key_fill_in_as_plain_rows_of_the_same_shape(appendix, first, second, shading):
    fill, keys = appendix
    items = [row(*first), row(*second, shading=shading)]
    made = [keys.key(item) for item in items]
    xml = fill(items)
    for key, filled in zip(made, xml, strict=True):
        if key is not None:
            assert render._plain(filled)
    if made[0] is not None and made[0] == made[1]:
        assert render._shape(xml[0]) == render._shape(xml[1])


def test_the_appendix_rows_share_keys_and_text_that_could_differ_has_none(appendix):
    _fill, keys = appendix
    assert keys.key(row("Act.", "Lead", "Done.")) == keys.key(row("Other act.", "Another lead", "x"))
    assert keys.key(row("Act.", "Lead", "")) == keys.key(row("Act.", "Lead", "  "))
    assert keys.key(row("Act.", "Lead", "")) != keys.key(row("Act.", "Lead", "Done."))
    assert keys.key(row("Act.", "Lead", "Done.")) != keys.key(row("Act.", "Lead", "Done.", shading="FFEB9C"))
    # Text that is not printable, a value that is not text, a filter that fails: no key, the row is filled in.
    assert keys.key(row("Act.", "Lead", "tab\there")) is None
    assert keys.key(row("Act.", "Lead", "\u00a0")) is None
    assert keys.key(dataclasses.replace(row("Act.", "Lead", ""), reference=12)) is None
    assert keys.key(dataclasses.replace(row("Act.", "Lead", ""), timescale="May 2018")) is None


@dataclasses.dataclass(frozen=True)
class Shown:
    reference: str

    @property
    def action(self) -> str:
        return "Computed."


def test_only_plain_dataclass_fields_are_looked_up_in_python(appendix):
    _fill, keys = appendix
    body = "<w:tr><w:tc><w:p><w:r><w:t>{{ item.reference }}</w:t></w:r><w:r><w:t>{{ item.action }}</w:t></w:r>"
    loop = render._RowLoop(0, 0, "item", "items", body + "</w:p></w:tc></w:tr>")
    plain = render._RowKeys.of(loop, render.make_environment())
    assert plain is not None
    # A property, a dict (which Jinja reads as items) and a type with its own look-up are left to Jinja.
    assert plain.key(Shown("1.01")) is None
    assert plain.key({"reference": "1.01", "action": "Act."}) is None
    assert keys.key(row("Act.", "Lead", "Done.")) is not None


@pytest.mark.parametrize(
    "tag",
    [
        "{{ item.reference ~ 'x' }}",
        "{{ title }}",
        "{{ item.reference|upper }}",
        "{{ item.timescale|long_date(1) }}",
        "{{ item['reference'] }}",
        "{{ item.reference }}\t",
    ],
)
def test_a_body_with_any_other_tag_or_a_typed_tab_has_no_keys(tag):
    loop = render._RowLoop(0, 0, "item", "items", f"<w:tr><w:tc><w:p><w:r><w:t>{tag}</w:t></w:r></w:p></w:tc></w:tr>")
    assert render._RowKeys.of(loop, render.make_environment()) is None


@pytest.mark.parametrize("body", ["", "<w:tr><w:tc><w:p/></w:tc></w:tr>"])
def test_a_body_without_tags_has_no_keys(body):
    assert render._RowKeys.of(render._RowLoop(0, 0, "item", "items", body), render.make_environment()) is None


def test_check_with_keys_finds_what_filling_in_every_row_finds(variables, monkeypatch):
    texts = ["Done.", "", "  ", "\u00a0", "tab\there", "Fish & <chips>", "{_{ kept }_}", "‘q’ –", "x"]
    rows = tuple(
        dataclasses.replace(
            row(texts[index % 9], texts[index * 5 % 9], texts[index * 7 % 9]),
            reference=f"1.{index:03d}",
            status=["Green", "Amber", ""][index % 3],
            shading=["C6EFCE", "FFEB9C", ""][index * 2 % 3],
        )
        for index in range(700)
    )
    variables = {**variables, "action_plan": (context.ThemeGroup(number=1, theme="Theme", actions=rows),)}
    properties = render.DocumentProperties(title="Report", author="Officer", date=date(2019, 2, 11))
    template = ROOT / "templates" / "committee_report.docx"
    found = []
    for keyed in (True, False):
        with monkeypatch.context() as patched:
            if not keyed:
                patched.setattr(render._RowKeys, "of", classmethod(lambda cls, loop, environment: None))
            data, streamed = render.fill_in_report(template_path=template, variables=variables, properties=properties)
            assert streamed is not None and sum(streamed.counts.values()) == 700
            found.append((data, pipeline.accessibility_of(data, name="report.docx", streamed=streamed)))
    assert found[0] == found[1]
    assert any("colour but no text" in problem.message for problem in found[0][1])


@given(st.lists(st.tuples(text, text, text, st.sampled_from(["Green", " "]), st.sampled_from(["", "X"])), max_size=6))
def test_keys_made_a_column_at_a_time_are_the_keys_made_one_at_a_time(appendix, rows):
    _fill, keys = appendix
    items = [row(*fields) for fields in rows]
    assert keys.keys(items) == [keys.key(item) for item in items]


def test_a_batch_with_an_item_that_has_no_key_still_keys_the_others(appendix):
    _fill, keys = appendix
    good = [row("Act.", "Lead", "Done."), row("Act.", "", "x")]
    for bad in (
        dataclasses.replace(good[0], timescale="May 2018"),  # the filter fails
        dataclasses.replace(good[0], lead=12),  # not text
        dataclasses.replace(good[0], progress="tab\there"),  # not printable
        Shown("1.01"),  # another type
    ):
        made = keys.keys([good[0], bad, good[1]])
        assert made == [keys.key(good[0]), None, keys.key(good[1])]
        assert None not in (made[0], made[2])


def test_appendix_rows_are_what_their_constructor_makes():
    # (#11) group_actions fills in an ActionRow's fields without its __init__: the same fields in the same order, so
    # equal, hashed, shown and pickled alike, and still frozen.
    report = settings.read_settings(ROOT / "inputs" / "report.toml")
    plan, _warnings = workbook.read_workbook(report.workbook)
    groups = context.group_actions(plan, report.cutoff)
    rows = [item for group in groups for item in group.actions]
    assert len(rows) == len(plan.actions)
    assert [field.name for field in dataclasses.fields(ActionRow)] == list(vars(rows[0]))
    for item in rows:
        made = ActionRow(**vars(item))
        assert list(vars(item).items()) == list(vars(made).items())
        assert (item, hash(item), repr(item)) == (made, hash(made), repr(made))
        assert pickle.loads(pickle.dumps(item)) == made
        with pytest.raises(dataclasses.FrozenInstanceError):
            item.lead = ""  # type: ignore[misc]
