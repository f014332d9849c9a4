"""Each command's work as a short list of stages.

build: settings -> workbook -> Table 1 -> context -> template check -> render -> reopen -> write (-> PDF).
diff: read both versions -> align and compare -> records (-> redline). text: read -> plain text.
"""

from __future__ import annotations

import dataclasses
import tempfile
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from . import compare, figures, libreoffice, redline, render, revisions, settings as settings_module, wordfile, workbook
from .context import ReportContext, build_context
from .display import format_document
from .errors import InvalidInputError, Problem, Severity, UsageError
from .model import ActionPlan, Change, ReportSettings, Table1
from .output import WriteOutcome, save_file, write_report

#: Who the tracked changes in a redline are attributed to, unless the reviewer names someone.
REDLINE_AUTHOR = "jtai-docs"
#: The date on tracked changes when the new version records none (the earliest a .docx can carry).
UNDATED = datetime(1980, 1, 1)


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
    changes: tuple[Change, ...]
    """What changed since the earlier build this one replaced (empty when there was none or it was identical)."""
    pdf: Path | None = None
    """The accessible PDF made from the report, when one was asked for."""


def check_report(settings_path: Path, *, dry_run: bool = True) -> CheckedReport:
    """Reads and checks every input without writing anything; raises InvalidInputError listing all problems.

    dry_run fills the template in once to find what only filling in shows; build leaves it to render_report,
    which makes the same check before its real render.
    """
    problems: list[Problem] = []
    try:
        settings = settings_module.read_settings(settings_path)
        workbook_path, template_path = Path(settings.workbook), Path(settings.template)
    except InvalidInputError as exc:
        # Report the workbook's and the template's problems too, if report.toml says where they are.
        problems += exc.problems
        settings = None
        workbook_path, template_path = settings_module.read_input_paths(settings_path)
    plan = None
    if workbook_path is not None:
        try:
            plan, warnings = workbook.read_workbook(workbook_path)
            problems += warnings
        except InvalidInputError as exc:
            problems += exc.problems
    table1 = context = None
    if plan is not None and settings is not None:
        problems += figures.check_due_statuses(plan, settings.cutoff, workbook=workbook_path.name,
                                               sheet=workbook.ACTIONS_SHEET)
        table1 = figures.count_due_actions(plan, settings.cutoff)
        context = build_context(settings=settings, plan=plan, table1=table1)
    if template_path is not None:
        try:
            # Without a readable workbook the template's tags can still be checked against the context's names.
            names = context.variables() if context else {name: None for name in ReportContext.__dataclass_fields__}
            template_problems = render.check_template(template_path, names)
            if dry_run and context is not None and not template_problems:
                # A dry run finds what only filling in shows, so check rejects exactly what build would.
                template_problems = render.check_rendering(template_path, names)
            problems += template_problems
        except InvalidInputError as exc:
            problems += exc.problems
    if any(problem.severity is Severity.ERROR for problem in problems) or context is None:
        raise InvalidInputError(problems=problems)
    return CheckedReport(settings=settings, plan=plan, table1=table1, context=context, warnings=tuple(problems))


def build_report(settings_path: Path, *, force: bool = False, pdf: bool = False) -> BuildResult:
    """Checks the inputs, fills the template, reopens the result and moves it into place; optionally makes a PDF."""
    checked = check_report(settings_path, dry_run=False)
    settings = checked.settings
    data = render.render_report(
        template_path=Path(settings.template),
        variables=checked.context.variables(),
        properties=render.DocumentProperties(title=settings.title, author=settings.author,
                                             date=settings.meeting_date),
    )
    render.verify_report(data)
    written = write_report(Path(settings.output), data, force=force)
    changes = compare_reports(written.previous, written.path, existing="accept") if written.previous else ()
    pdf_path = convert_to_pdf(written.path) if pdf else None
    return BuildResult(checked=checked, written=written, changes=changes, pdf=pdf_path)


def convert_to_pdf(report: Path) -> Path:
    """The report as a tagged, PDF/UA PDF beside it, written only once LibreOffice has finished it."""
    target = report.with_suffix(".pdf")
    with tempfile.TemporaryDirectory(prefix="jtai-docs-pdf-") as work:
        made = libreoffice.convert_document(report, Path(work) / target.name, filter_name=libreoffice.ACCESSIBLE_PDF)
        save_file(target, made.read_bytes())
    return target


def compare_reports(old: Path, new: Path, *, redline_path: Path | None = None,
                    author: str = REDLINE_AUTHOR, existing: str | None = None,
                    text_only: bool = False) -> tuple[Change, ...]:
    """What changed between two versions of a Word report; optionally writes NEW as a redline against OLD.

    When a version already holds tracked changes, existing="accept" compares the versions as they read with
    those changes accepted; without it the comparison is refused with a message saying so, because the
    redline would otherwise show someone else's changes as the reviewer's own.
    """
    old_document, new_document = wordfile.open_document(old), wordfile.open_document(new)
    if existing != "accept":
        _refuse_existing_revisions({old: old_document, new: new_document})
    old_blocks, new_blocks = wordfile.read_body(old_document), wordfile.read_body(new_document)
    steps, changes = compare.compare_blocks(old_blocks, new_blocks)
    if not text_only:
        changes += compare.formatting_changes(steps)
    # Headers and footers are compared with their counterparts in the same section and place.
    stories = []
    old_parts, new_parts = wordfile.header_footer_parts(old_document), wordfile.header_footer_parts(new_document)
    for place, new_part in new_parts.items():
        if place not in old_parts:
            continue
        story_steps, story_changes = compare.compare_blocks(wordfile.read_body(old_document, old_parts[place].element),
                                                            wordfile.read_body(new_document, new_part.element))
        changes += tuple(dataclasses.replace(c, where=f"{place}, {c.where}") for c in story_changes)
        if story_changes:
            stories.append((new_part.element, story_steps))
    if redline_path is not None:
        # The new version's own date, never the clock, so the same two versions give the same redline.
        when = new_document.core_properties.modified or new_document.core_properties.created or UNDATED
        data = redline.write_redline(new_document=new_document, steps=steps, author=author, date=when,
                                     old_document=old_document, stories=stories, text_only=text_only)
        render.verify_report(data)
        save_file(redline_path, data)
    return changes


def _refuse_existing_revisions(documents: dict) -> None:
    found = []
    for path, document in documents.items():
        authors = revisions.revision_authors(document.element.body)
        if authors:
            who = ", ".join(f"{count} by {name}" for name, count in sorted(authors.items()))
            found.append(f"{path} already holds tracked changes ({who})")
    if found:
        raise UsageError(message="; ".join(found) + ". Run again with --accept-existing to compare the versions as "
                         "they read with those changes accepted (the redline then shows only the differences, all "
                         "under the --author name).")


def compare_workbooks(old: Path, new: Path, *, cutoff: date | None,
                      settings_path: Path | None = None) -> tuple[Change, ...]:
    """What changed in the action plan between two workbook versions, and in Table 1 as a result.

    The Table 1 cutoff is given, or taken from the report.toml at settings_path.
    """
    if cutoff is None:
        cutoff = settings_module.read_settings(settings_path).cutoff
    old_plan, _ = workbook.read_workbook(old)
    new_plan, _ = workbook.read_workbook(new)
    return compare.compare_plans(old_plan, new_plan, cutoff)


def document_text(path: Path) -> str:
    """A deterministic plain-text rendition of any .docx (for reading, and for git diffs)."""
    return format_document(wordfile.read_word_document(path))
