"""The whole build as one short list of stages: settings, workbook, Table 1, template, report, file."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from . import figures, render, settings as settings_module, workbook
from .context import ReportContext, build_context
from .errors import InvalidInputError, Problem, Severity
from .model import ActionPlan, ReportSettings, Table1
from .output import WriteOutcome, write_report


@dataclass(frozen=True)
class CheckedReport:
    """Inputs that passed every check, ready to render."""

    settings: ReportSettings
    """The report.toml settings."""
    plan: ActionPlan
    """The action plan read from the workbook."""
    table1: Table1
    """Table 1 as it will be printed."""
    context: ReportContext
    """What the template is filled with."""
    warnings: tuple[Problem, ...]
    """Things worth knowing that do not stop the build, such as hidden rows."""


@dataclass(frozen=True)
class BuildResult:
    """What a build produced."""

    checked: CheckedReport
    """The inputs the report was built from."""
    written: WriteOutcome
    """Where the report went."""


def check_report(settings_path: Path) -> CheckedReport:
    """Reads and checks every input without writing anything; raises InvalidInputError listing all problems."""
    settings = settings_module.read_settings(settings_path)
    problems: list[Problem] = []
    plan = None
    try:
        plan, warnings = workbook.read_workbook(Path(settings.workbook))
        problems += warnings
        problems += figures.check_due_statuses(plan, settings.cutoff, workbook=Path(settings.workbook).name,
                                               sheet=workbook.ACTIONS_SHEET)
    except InvalidInputError as exc:
        problems += exc.problems
    table1 = context = None
    if plan is not None:
        table1 = figures.count_due_actions(plan, settings.cutoff)
        context = build_context(settings=settings, plan=plan, table1=table1)
    try:
        # Without a readable workbook the template's tags can still be checked against the context's names.
        names = context.variables() if context else {name: None for name in ReportContext.__dataclass_fields__}
        problems += render.check_template(Path(settings.template), names)
    except InvalidInputError as exc:
        problems += exc.problems
    if any(problem.severity is Severity.ERROR for problem in problems) or context is None:
        raise InvalidInputError(problems=problems)
    return CheckedReport(settings=settings, plan=plan, table1=table1, context=context, warnings=tuple(problems))


def build_report(settings_path: Path, *, force: bool = False) -> BuildResult:
    """Checks the inputs, fills the template, reopens the result and moves it into place."""
    checked = check_report(settings_path)
    settings = checked.settings
    data = render.render_report(
        template_path=Path(settings.template),
        variables=checked.context.variables(),
        properties=render.DocumentProperties(title=settings.title, author=settings.author,
                                             date=settings.meeting_date),
    )
    render.verify_report(data)
    written = write_report(Path(settings.output), data, force=force)
    return BuildResult(checked=checked, written=written)
