"""Appendix 2's rows filled in many at a time by one Jinja call, and the other short cuts of check (#11): each gives
exactly what it replaces, for hostile workbook text too."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime

import jinja2
import markupsafe
import pytest
from hypothesis import given
from hypothesis import strategies as st
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup

from helpers import ROOT, Row, beside_workbook, make_workbook
from jtai_docs import context, figures, pipeline, render, settings, workbook
from jtai_docs.context import ActionRow

#: Text a workbook may hold that Jinja, XML or docxtpl could read as something else.
HOSTILE = [
    "{{ title }}",
    "{% if x %}",
    "{_{ kept }_} {_% and %_}",
    "<w:p>not a paragraph</w:p>",
    "Fish & chips &amp; &#123;",
    "]]> <!-- -->",
    "<!--jtai-docs row end-->",
    "_jtai_docs_items",
    "bell\x07 form feed\x0c tab\t new\nline",
    "nul\x00 escape\x1b",
    "  ",
    "",
    "‘quotes’ – dash",
]


def hostile_rows(count: int) -> tuple[ActionRow, ...]:
    return tuple(
        ActionRow(
            reference=f"1.{index:03d}",
            action=HOSTILE[index % len(HOSTILE)],
            lead=HOSTILE[(index * 5) % len(HOSTILE)],
            timescale=date(2018, 1 + index % 12, 1 + index % 28),
            status=["Green", "Amber", "Red"][index % 3],
            shading="C6EFCE",
            progress=HOSTILE[(index * 3 + 1) % len(HOSTILE)],
            due=bool(index % 2),
        )
        for index in range(count)
    )


@pytest.fixture
def variables(tmp_path):
    """The example report's variables, for a small plan read from a workbook."""
    rows = [
        Row(ref=f"1.{index + 1:02d}", theme=1, action="Act.", timescale=datetime(2018, 5, 1), status="Green")
        for index in range(3)
    ]
    report = settings.read_settings(beside_workbook(tmp_path, output='"out/report.docx"'))
    plan, _warnings = workbook.read_workbook(make_workbook(tmp_path / "plan.xlsx", rows))
    table1 = figures.count_due_actions(plan, report.cutoff)
    return context.build_context(settings=report, plan=plan, table1=table1).variables()


def filler(variables):
    """The appendix loop's filler, as check uses it."""
    template = render.open_template(ROOT / "templates" / "committee_report.docx")
    template.__class__ = render._ReportTemplate
    (loop,) = render._row_loops(render._patched(template.get_xml()), variables)
    return template.row_filler(loop.body, loop.target, variables, render.make_environment())


def test_many_rows_filled_in_at_once_are_the_rows_filled_in_one_by_one(variables):
    fill = filler(variables)
    items = list(hostile_rows(3 * len(HOSTILE)))
    together = fill(items)
    assert len(together) == len(items)
    # A batch of one is filled in by the same one-call template; the lists below must agree row for row.
    assert together == [fill([item])[0] for item in items]
    # And each row is what the loop body gives filled in on its own, by docxtpl's steps (the path before #11).
    environment = render.make_environment()
    template = render.open_template(ROOT / "templates" / "committee_report.docx")
    template.__class__ = render._ReportTemplate
    (loop,) = render._row_loops(render._patched(template.get_xml()), variables)
    for item, row in zip(items, together, strict=True):
        assert template.fill_part(loop.body, template.docx._part, {**variables, "action": item}, environment) == row


def test_text_that_looks_like_the_row_end_falls_back_to_one_row_at_a_time(variables):
    fill = filler(variables)
    items = list(hostile_rows(4))
    # Data that is Markup is written as it is: one holding the row end would cut its row in two.
    trap = dataclasses.replace(items[1], progress=Markup(render._ROW_END))
    rows = fill([items[0], trap, items[2]])
    assert len(rows) == 3 and render._ROW_END in rows[1]
    assert rows == [fill([item])[0] for item in (items[0], trap, items[2])]


def test_a_row_that_fails_raises_what_it_raised_alone(variables):
    fill = filler(variables)
    items = list(hostile_rows(4))
    broken = dataclasses.replace(items[2], timescale="not a date")
    with pytest.raises(AttributeError) as together:
        fill([*items[:2], broken, items[3]])
    with pytest.raises(AttributeError) as alone:
        fill([broken])
    assert str(together.value) == str(alone.value)


def test_a_template_using_the_batch_name_is_filled_in_one_row_at_a_time(variables):
    fill = filler({**variables, render._ITEMS: []})
    items = list(hostile_rows(5))
    assert fill(items) == filler(variables)(items)


def test_reports_with_hostile_rows_are_the_bytes_and_findings_of_the_whole_body(variables, monkeypatch):
    variables = {
        **variables,
        "action_plan": (context.ThemeGroup(number=1, theme="Theme", actions=hostile_rows(600)),),
    }
    properties = render.DocumentProperties(title="Report", author="Officer", date=date(2019, 2, 11))
    template = ROOT / "templates" / "committee_report.docx"
    # Control characters make a row XML refuses: every path reports the same problem.
    outcomes = []
    for streamed in (True, False):
        with monkeypatch.context() as patched:
            if not streamed:
                patched.setattr(render, "_row_loops", lambda source, variables: [])
            try:
                outcomes.append(
                    render.render_report(template_path=template, variables=variables, properties=properties)
                )
            except render.InvalidInputError as exc:
                outcomes.append(exc.problems)
    assert outcomes[0] == outcomes[1]
    # Without them, the rows go through the batches and the report is the same bytes and the same findings.
    refused = dict.fromkeys([0, 27])
    clean = tuple(
        dataclasses.replace(
            row,
            action=row.action.translate(refused),
            lead=row.lead.translate(refused),
            progress=row.progress.translate(refused),
        )
        for row in hostile_rows(600)
    )
    variables["action_plan"] = (context.ThemeGroup(number=1, theme="Theme", actions=clean),)
    built, found = [], []
    for streamed in (True, False):
        with monkeypatch.context() as patched:
            if not streamed:
                patched.setattr(render, "_row_loops", lambda source, variables: [])
            built.append(render.render_report(template_path=template, variables=variables, properties=properties))
            data, rows = render.fill_in_report(template_path=template, variables=variables, properties=properties)
            assert (rows is not None) == streamed
            found.append(pipeline.accessibility_of(data, name="report.docx", streamed=rows))
    assert built[0] == built[1]
    assert found[0] == found[1]


def test_the_environment_writes_what_jinjas_own_code_writes():
    # The code generator leaves out escaping finalize's Markup a second time; Jinja's own writes it.
    options = {
        "autoescape": True,
        "undefined": jinja2.StrictUndefined,
        "keep_trailing_newline": True,
        "finalize": render._keep_as_typed,
    }
    ours, jinjas = render.make_environment(), SandboxedEnvironment(**options)
    jinjas.filters.update(context.FILTERS)
    source = (
        "<a>{{ value }}</a>{{ when|long_date }}{% for v in values %}[{{ v }}]"
        "{% endfor %}{% autoescape false %}{{ value }}{% endautoescape %}{{ '<lit>' }}{{ value ~ '&' }}"
        "{{ record.action }}{{ record.action.upper() }}"
    )
    assert "escape(environment.finalize(" not in ours.compile(source, raw=True)
    for value in [*HOSTILE, Markup("<b>&amp;</b>"), date(2019, 2, 1), 7, None]:
        record = ActionRow("1.01", str(value), "", date(2019, 1, 1), "", "", "", False)
        data = {"value": value, "values": HOSTILE, "record": record, "when": date(2019, 2, 1)}
        assert ours.from_string(source).render(data) == jinjas.from_string(source).render(data)
    for missing in ("{{ nothing }}", "{{ record.nothing }}", "{{ record._secret }}", "{{ value.__class__ }}"):
        with pytest.raises(jinja2.TemplateError) as by_ours:
            ours.from_string(missing).render(record=record, value="x")
        with pytest.raises(jinja2.TemplateError) as by_jinja:
            jinjas.from_string(missing).render(record=record, value="x")
        assert (type(by_ours.value), str(by_ours.value)) == (type(by_jinja.value), str(by_jinja.value))
    # str.format stays sandboxed.
    with pytest.raises(jinja2.exceptions.SecurityError):
        ours.from_string("{{ '{0.__class__}'.format(value) }}").render(value="x")


def test_dates_and_counts_are_what_the_plain_ways_give(tmp_path):
    for day in range(400):
        value = date(2017, 1, 1).toordinal() + day * 3
        when = date.fromordinal(value)
        assert context.long_date(when) == f"{when.day} {when:%B %Y}" == context.long_date(when)
    moment = datetime(2019, 2, 11, 9, 30)
    assert context.long_date(moment) == "11 February 2019"
    rows = [
        Row(
            ref=f"{1 + index % 2}.{index + 1:02d}",
            theme=1 + index % 2,
            action="Act.",
            timescale=datetime(2018, 1 + index % 12, 1),
            status=["Green", "Amber", "Yellow"][index % 3 if index % 5 else 0],
        )
        for index in range(60)
    ]
    plan, _warnings = workbook.read_workbook(make_workbook(tmp_path / "plan.xlsx", rows))
    cutoff = date(2018, 6, 30)
    table1 = figures.count_due_actions(plan, cutoff)
    due = plan.due_actions(cutoff)
    for row in table1.rows:
        assert row.counts == tuple(
            sum(1 for a in due if a.theme == row.theme and a.status == status) for status in table1.statuses
        )
    groups = context.group_actions(plan, cutoff)
    assert [group.actions for group in groups] == [
        tuple(context.action_row(action, cutoff) for action in plan.actions if action.theme == theme)
        for theme in plan.themes
    ]
    # Grouped by the theme objects the reader gave the actions, or, where actions hold copies of the plan's themes
    # or two themes compare equal, by comparing them: the same rows either way.
    copied = dataclasses.replace(
        plan, actions=tuple(dataclasses.replace(a, theme=dataclasses.replace(a.theme)) for a in plan.actions)
    )
    twice = dataclasses.replace(plan, themes=(*plan.themes, dataclasses.replace(plan.themes[0])))
    for other in (copied, twice):
        assert [group.actions for group in context.group_actions(other, cutoff)] == [
            tuple(context.action_row(action, cutoff) for action in other.actions if action.theme == theme)
            for theme in other.themes
        ]


def escaped_as_before(value):
    """_keep_as_typed as it was written before #11 (markupsafe's escape, then docxtpl's escape syntax broken up)."""
    escaped = markupsafe.escape(value)
    if "_" not in escaped:
        return escaped
    return Markup(str(escaped).replace("{_", "&#123;_").replace("}_", "&#125;_").replace("_}", "_&#125;"))


@given(st.text(alphabet=st.sampled_from("{}_%&<>'\"a é\x07\n")) | st.text())
def test_data_is_escaped_exactly_as_markupsafe_escapes_it(text):
    for value in (text, Markup(text), StrSubclass(text)):
        kept, before = render._keep_as_typed(value), escaped_as_before(value)
        assert (type(kept), str(kept)) == (type(before), str(before))


def test_values_that_are_not_text_are_escaped_as_before():
    for value in (7, 2.5, None, date(2019, 2, 1), Markup("<b>{_{</b>"), ["<", "_}"]):
        kept, before = render._keep_as_typed(value), escaped_as_before(value)
        assert (type(kept), str(kept)) == (type(before), str(before))


class StrSubclass(str):
    """Text that is not exactly str takes markupsafe's own way."""


def test_every_character_xml_refuses_is_one_isprintable_refuses():
    refused = [chr(code) for code in range(0x110000) if render._REFUSED.match(chr(code))]
    assert len(refused) == 29 + 2048 + 2
    assert not any(character.isprintable() for character in refused)
    for text in HOSTILE:
        assert render._plain(f"<w:t>{text}</w:t>") == (
            render._REFUSED.search(text) is None
            and "]]>" not in text
            and ("&" not in text or render._OTHER_REFERENCE.search(text) is None)
        )
