"""The template context is a documented contract: the template uses only what it provides, the README lists it."""

from __future__ import annotations

import dataclasses

from helpers import ROOT
from jtai_docs import render, settings, workbook
from jtai_docs.context import ReportContext

TEMPLATE = ROOT / "templates" / "committee_report.docx"
README = (ROOT / "README.md").read_text(encoding="utf-8")
FIELDS = [field.name for field in dataclasses.fields(ReportContext)]


def test_the_template_uses_only_variables_the_context_provides():
    template = render.open_template(TEMPLATE)
    used = template.get_undeclared_template_variables(render.make_environment())
    assert used and used <= set(FIELDS)
    assert render.check_template(TEMPLATE, {name: None for name in FIELDS}) == []


def test_every_context_field_has_help_and_is_in_the_readme():
    for field in dataclasses.fields(ReportContext):
        assert field.metadata.get("help"), field.name
        assert f"`{field.name}`" in README, field.name


def test_every_report_toml_key_and_workbook_column_is_in_the_readme():
    for _section, keys in settings._SCHEMA.items():
        for key in keys:
            assert f"`{key}`" in README or f"{key}`" in README, key
    for heading in settings.STANDARD_IMPLICATIONS:
        assert heading in README
    for column in workbook.ACTION_COLUMNS + workbook.THEME_COLUMNS + workbook.STATUS_COLUMNS:
        assert column in README


def test_the_readme_commands_are_the_ones_ci_runs():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert ".venv/bin/python -m pytest" in README and ".venv/bin/python -m pytest" in ci
