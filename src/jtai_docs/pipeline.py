"""Each command's work as a short list of stages.

build: settings -> workbook -> Table 1 -> context -> template check -> render -> reopen -> write (-> PDF).
diff: read both versions -> align and compare -> records (-> redline). text: read -> plain text.
"""

from __future__ import annotations

import contextlib
import dataclasses
import glob
import importlib.util
import os
import sys
import tempfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any, TypeVar

from docx.document import Document as DocxDocument

from . import cycles, files, package
from .errors import (
    InternalError,
    InvalidInputError,
    JtaiDocsError,
    OutputWriteError,
    Problem,
    ProgramFailedError,
    ProgramMissingError,
    Severity,
    UsageError,
    damaged_xml_in_plain_words,
    suggest,
)
from .model import Action, ActionPlan, Change, ReportSettings, Table1, WordDocument
from .output import HISTORY_FOLDER, WriteOutcome, keep_in_history, save_file, write_report


def _on_first_use(name: str) -> ModuleType:
    """This package's module `name`, executed only when one of its names is first used (#11): check and build
    without --pdf never load pikepdf/pypdfium2, only diff loads the comparison and redline stages, and only check and
    build load docxtpl and Jinja (render)."""
    full_name = f"{__package__}.{name}"
    if full_name in sys.modules:
        return sys.modules[full_name]
    spec = importlib.util.find_spec(full_name)
    assert spec is not None and spec.loader is not None, full_name
    loader = importlib.util.LazyLoader(spec.loader)
    spec.loader = loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[full_name] = module
    loader.exec_module(module)
    return module


if TYPE_CHECKING:
    from lxml.etree import _Element

    from . import (
        a11y,
        compare,
        display,
        figures,
        libreoffice,
        pdffile,
        redline,
        render,
        revisions,
        starter,
        wordfile,
        workbook,
    )
    from . import context as context_module
    from . import settings as settings_module
    from .context import ReportContext
else:
    # A build reads its report through the document it verified (package), so wordfile loads only to read one again.
    a11y, compare, display, figures, libreoffice, pdffile, redline, render, revisions, starter, wordfile, workbook = (
        map(
            _on_first_use,
            (
                "a11y",
                "compare",
                "display",
                "figures",
                "libreoffice",
                "pdffile",
                "redline",
                "render",
                "revisions",
                "starter",
                "wordfile",
                "workbook",
            ),
        )
    )
    # diff and text need neither the workbook, the settings, nor the report's data.
    context_module, settings_module = _on_first_use("context"), _on_first_use("settings")


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
    filled: bytes | None = dataclasses.field(default=None, repr=False, compare=False)
    """The report as filled in by check (fill_in; .docx bytes), so its accessibility check fills nothing again."""
    streamed: a11y.StreamedRows | None = dataclasses.field(default=None, repr=False, compare=False)
    """The rows check filled in and checked one at a time, marked in `filled` (render.fill_in_report; #11)."""


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
    accessibility: tuple[Problem, ...] = ()
    """Accessibility findings in the report (warnings; with strict, the build stops before writing instead)."""
    pdf_problems: tuple[Problem, ...] = ()
    """What the check of the written PDF found wrong with it (empty when it passed)."""
    pdf_error: str | None = None
    """Why no PDF was made (LibreOffice missing or failing), when the report itself was written."""
    not_compared: str | None = None
    """Why the earlier version this build replaced could not be compared with it (it is not a Word document)."""


@dataclass(frozen=True)
class PdfResult:
    """One PDF made from a Word document, and what its check found."""

    source: Path
    """The Word document it was made from."""
    pdf: Path
    """The PDF written beside it."""
    problems: tuple[Problem, ...]
    """Failed checks of the PDF (empty when it passed every one)."""


def check_report(
    settings_path: Path,
    *,
    fill_in: bool = True,
    workbook_file: Path | None = None,
    relative_to: Path | None = None,
    dry_run: bool | None = None,
) -> CheckedReport:
    """Reads and checks every input without writing anything; raises InvalidInputError listing all problems.

    fill_in also fills the template in once, to find what only filling in shows (build leaves that to
    render_report, which makes the same check before its real render); dry_run is its older name. workbook_file
    checks another version of the workbook (one uploaded to the web page) in place of the one report.toml names.
    relative_to is the folder report.toml's relative paths start from (default: the folder it is in).
    """
    if dry_run is not None:
        fill_in = dry_run
    with cycles.paused():
        return _check_report(settings_path, fill_in=fill_in, workbook_file=workbook_file, relative_to=relative_to)


def _check_report(
    settings_path: Path, *, fill_in: bool, workbook_file: Path | None, relative_to: Path | None
) -> CheckedReport:
    found = _Found()
    settings = found.take(lambda: _read_settings(settings_path, relative_to))
    workbook_path, template_path = (
        (Path(settings.workbook), Path(settings.template))
        if settings
        # Report the workbook's and the template's problems too, if report.toml says where they are.
        else settings_module.read_input_paths(settings_path, relative_to=relative_to)
    )
    if workbook_file is not None:
        workbook_path = workbook_file
        settings = dataclasses.replace(settings, workbook=workbook_file) if settings else None
    plan = found.take(lambda: workbook.read_workbook(workbook_path)) if workbook_path else None
    counted = (
        found.take(lambda: _count(settings, plan, settings_file=settings_path.name, workbook_name=workbook_path.name))
        if settings and plan and workbook_path
        else None
    )
    context = counted[1] if counted else None
    filled, streamed = (
        found.take(lambda: _check_template(template_path, settings, context, fill_in)) if template_path else None
    ) or (None, None)
    if found.errors or settings is None or plan is None or counted is None:
        raise InvalidInputError(problems=found)
    table1, context = counted
    return CheckedReport(
        settings=settings,
        plan=plan,
        table1=table1,
        context=context,
        warnings=tuple(found),
        filled=filled,
        streamed=streamed,
    )


_T = TypeVar("_T")


class _Found(list[Problem]):
    """What check_report's stages found, in order. Each stage returns its value with the problems that do not stop
    it, or raises InvalidInputError; its problems are kept and the later stages still run where they can, so one
    run lists every problem."""

    def take(self, stage: Callable[[], tuple[_T, Sequence[Problem]]]) -> _T | None:
        """The stage's value (None when it raised), its problems kept."""
        try:
            value, problems = stage()
        except InvalidInputError as exc:
            self.extend(exc.problems)
            return None
        self.extend(problems)
        return value

    @property
    def errors(self) -> bool:
        return any(problem.severity is Severity.ERROR for problem in self)


def _read_settings(settings_path: Path, relative_to: Path | None) -> tuple[ReportSettings, list[Problem]]:
    """report.toml's settings, with a report that would be written over one of its own inputs refused."""
    settings = settings_module.read_settings(settings_path, relative_to=relative_to)
    return settings, _output_clashes(settings, settings_path)


def _count(
    settings: ReportSettings, plan: ActionPlan, *, settings_file: str, workbook_name: str
) -> tuple[tuple[Table1, ReportContext], list[Problem]]:
    """Table 1 and what the template is filled with, with the due actions Table 1 cannot show and a cutoff that
    leaves nothing to count."""
    problems = figures.check_due_statuses(plan, settings.cutoff, workbook=workbook_name, sheet=workbook.ACTIONS_SHEET)
    table1 = figures.count_due_actions(plan, settings.cutoff)
    problems += figures.check_cutoff(plan, table1, settings_file=settings_file, workbook=workbook_name)
    return (table1, context_module.build_context(settings=settings, plan=plan, table1=table1)), problems


def _check_template(
    template_path: Path, settings: ReportSettings | None, context: ReportContext | None, fill_in: bool
) -> tuple[tuple[bytes, a11y.StreamedRows | None] | None, list[Problem]]:
    """The template's tags checked against what it will be filled with; with fill_in, and nothing wrong so far,
    the report filled in once (kept for the accessibility check), which finds what only filling in shows, so that
    check refuses exactly what build would."""
    # Without a readable workbook the template's tags can still be checked against the context's names.
    names = (
        context.variables() if context else {name: None for name in context_module.ReportContext.__dataclass_fields__}
    )
    problems = render.check_template(template_path, names)
    if problems or not fill_in or settings is None or context is None:
        return None, problems
    return _fill_in(settings, context), []


def _fill_in(settings: ReportSettings, context: ReportContext) -> tuple[bytes, a11y.StreamedRows | None]:
    """The report filled in from its checked inputs (.docx bytes), not yet verified or written, as check fills it
    in: a long row loop's rows checked one at a time and left out of the bytes (render.fill_in_report)."""
    return render.fill_in_report(
        template_path=Path(settings.template),
        variables=context.variables(),
        properties=render.DocumentProperties(title=settings.title, author=settings.author, date=settings.meeting_date),
    )


def build_report(
    settings_path: Path,
    *,
    force: bool = False,
    pdf: bool = False,
    strict: bool = False,
    running: libreoffice.RunningLibreOffice | None = None,
    relative_to: Path | None = None,
) -> BuildResult:
    """Checks the inputs, fills the template, reopens the result and moves it into place; optionally makes a PDF.

    The filled-in report is checked for accessibility before it is written: findings are warnings, or with
    strict, problems that stop the build. relative_to is where report.toml's relative paths start, as for
    check_report.
    """
    checked = check_report(settings_path, fill_in=False, relative_to=relative_to)
    settings = checked.settings
    data = render.render_report(
        template_path=Path(settings.template),
        variables=checked.context.variables(),
        properties=render.DocumentProperties(title=settings.title, author=settings.author, date=settings.meeting_date),
    )
    # The document verify_report reopened is the one the accessibility check reads: the report is parsed once.
    document = package.verify_report(data, template=Path(settings.template))
    findings = accessibility_of(data, name=Path(settings.output).name, strict=strict, document=document)
    written = write_report(Path(settings.output), data, force=force)
    changes: tuple[Change, ...] = ()
    not_compared = None
    try:
        changes = compare_reports(written.previous, written.path, existing="accept") if written.previous else ()
    except JtaiDocsError as exc:  # the report is written and the earlier file kept: only the comparison failed
        not_compared = exc.message
    result = BuildResult(
        checked=checked, written=written, changes=changes, accessibility=findings, not_compared=not_compared
    )
    return _with_pdf(result, running=running) if pdf else result


def _with_pdf(result: BuildResult, *, running: libreoffice.RunningLibreOffice | None = None) -> BuildResult:
    """The build's result with its PDF made, or with the reason none could be (the report itself is written)."""
    try:
        made = make_pdfs([result.written.path], running=running)[0]
    except (ProgramMissingError, ProgramFailedError) as exc:
        return dataclasses.replace(result, pdf_error=exc.message)
    except InvalidInputError as exc:  # a table too long for LibreOffice to lay out
        return dataclasses.replace(result, pdf_error="; ".join(problem.describe() for problem in exc.problems))
    return dataclasses.replace(result, pdf=made.pdf, pdf_problems=made.problems)


def _with_pdfs(built: list[tuple[Path, BuildResult]]) -> Iterator[tuple[Path, BuildResult]]:
    """Each built report with its PDF, all made together: one LibreOffice start per worker (one worker per
    processor) instead of one per report. When that fails, each report is converted on its own, so the message
    names the report LibreOffice could not convert and the others still get their PDFs."""
    try:
        made = make_pdfs([result.written.path for _path, result in built])
    except (ProgramMissingError, ProgramFailedError, InvalidInputError):
        for settings_path, result in built:
            yield settings_path, _with_pdf(result)
        return
    for (settings_path, result), pdf_result in zip(built, made, strict=True):
        yield settings_path, dataclasses.replace(result, pdf=pdf_result.pdf, pdf_problems=pdf_result.problems)


def accessibility_of(
    data: bytes,
    *,
    name: str,
    strict: bool = False,
    document: DocxDocument | None = None,
    streamed: a11y.StreamedRows | None = None,
) -> tuple[Problem, ...]:
    """Accessibility findings for a .docx's bytes: warnings, or with strict an InvalidInputError listing them.

    document is those bytes already opened (by package.verify_report), read instead of opening them again;
    streamed the rows check left out of them (render.fill_in_report)."""
    opened = document if document is not None else wordfile.open_document_data(data)
    findings = a11y.check_document(opened, name=name, streamed=streamed)
    if strict and findings:
        raise InvalidInputError(problems=[_as_error(problem) for problem in findings])
    return tuple(findings)


def check_accessibility(checked: CheckedReport, *, strict: bool = False) -> tuple[Problem, ...]:
    """The accessibility findings the report would have, found by filling it in without writing anything."""
    settings = checked.settings
    data, streamed = (
        (checked.filled, checked.streamed) if checked.filled is not None else _fill_in(settings, checked.context)
    )
    return accessibility_of(data, name=Path(settings.output).name, strict=strict, streamed=streamed)


def accessibility_report(path: Path) -> tuple[Problem, ...]:
    """The accessibility findings of any Word document (the a11y command)."""
    return tuple(a11y.check_document(wordfile.open_document(path), name=path.name))


def make_pdfs(
    documents: Sequence[Path], *, workers: int | None = None, running: libreoffice.RunningLibreOffice | None = None
) -> tuple[PdfResult, ...]:
    """Accessible, reproducible PDFs of Word documents, each beside its document, checked once written.

    All the documents are converted with as few LibreOffice starts as possible. Each PDF's dates are its
    document's own (a report's meeting date) and its ID is derived from its content, so the same document gives
    the same PDF bytes. A PDF is written only when LibreOffice has finished it; what its check finds is returned.
    """
    opened = [(path, wordfile.open_document(path)) for path in documents]
    for path in documents:  # a PDF's place that cannot take it is refused before LibreOffice starts
        files.resolve_output_file(path.with_suffix(".pdf"), what="PDF to write")
    results = []
    with files.work_folder("jtai-docs-pdf-") as work:
        conversions = [
            libreoffice.Conversion(source=path, target=Path(work) / f"{index:05d}.pdf")
            for index, (path, _document) in enumerate(opened)
        ]
        if running is not None:
            # The web server's LibreOffice, kept running between requests; the PDF is finished and checked alike.
            libreoffice.check_layout_size([conversion.source for conversion in conversions])
            for conversion in conversions:
                running.convert_to_pdf(conversion.source, conversion.target)
        else:
            libreoffice.convert_documents(conversions, filter_name=libreoffice.ACCESSIBLE_PDF, workers=workers)
        for (path, document), conversion in zip(opened, conversions, strict=True):
            results.append(_finish_pdf(path, document, conversion.target))
    return tuple(results)


def _finish_pdf(path: Path, document: DocxDocument, converted: Path) -> PdfResult:
    """The PDF LibreOffice made of the Word document at path (found at converted) made reproducible, written beside
    the document, and checked."""
    when = (wordfile.stated_date(document) or UNDATED).date()  # the document's own date, never the clock
    data = pdffile.make_reproducible(converted, when=when)
    target = path.with_suffix(".pdf")
    save_file(target, data)
    title = (document.core_properties.title or "") if wordfile.has_properties(document) else ""
    problems = pdffile.check_pdf(target, document=_as_shown(path, document), title=title)
    return PdfResult(source=path, pdf=target, problems=tuple(problems))


def _as_shown(path: Path, document: DocxDocument) -> WordDocument:
    """The document's text as its PDF shows it: a redline's deleted words beside its inserted ones."""
    if not revisions.has_revisions(document.element.body):
        # read_word_document(path) without opening the file again: document is that file, opened.
        return WordDocument(name=path.name, blocks=tuple(block.block for block in wordfile.read_body(document)))
    shown = wordfile.open_document(path)
    pdffile.show_changes(shown.element.body)
    return WordDocument(name=path.name, blocks=tuple(block.block for block in wordfile.read_body(shown)))


def _as_error(problem: Problem) -> Problem:
    return dataclasses.replace(problem, severity=Severity.ERROR)


def convert_to_pdf(report: Path) -> Path:
    """The report as a tagged, PDF/UA, reproducible PDF beside it, written only once LibreOffice has finished it."""
    return make_pdfs([report])[0].pdf


def not_comparable(old: Path, new: Path) -> str:
    """Why two files that are not two .docx or two .xlsx cannot be compared: one that is neither is named as what it
    is where that can be told (a template, an OpenDocument or old Word file, a password-protected one), as opening
    it as a .docx would name it."""
    for path in (old, new):
        if path.suffix.lower() not in (".docx", ".xlsx") and path.is_file():
            with open(path, "rb") as handle:
                reason = package.not_a_word_document(handle.read(wordfile.MAX_DOCUMENT_BYTES), what="document")
            if reason is not None:
                return f"{path}: {reason}"
    return "compare two Word reports (.docx) or two workbooks (.xlsx)"


def compare_reports(
    old: Path,
    new: Path,
    *,
    redline_path: Path | None = None,
    author: str = REDLINE_AUTHOR,
    existing: str | None = None,
    text_only: bool = False,
    kept_authors: dict[str, int] | None = None,
    replaced: list[tuple[str, bool]] | None = None,
    old_pending: dict[str, int] | None = None,
) -> tuple[Change, ...]:
    """What changed between two versions of a Word report; optionally writes NEW as a redline against OLD.

    With existing="keep", old_pending (when given) is filled in with how many tracked changes of OLD's own each
    author has: OLD is compared as it read before them, which its reader is told.

    With existing="keep", kept_authors (when given) is filled in with how many tracked changes of NEW each author
    has in the redline (in NEW where none is written), read from the document already open rather than by
    reading a file again; and replaced (when given) with the author of each formatting change of NEW the redline
    takes away, as it recorded other formatting than OLD's, and whether the redline's own stands in its place.

    When a version already holds tracked changes, existing="accept" compares the versions as they read with
    those changes accepted; existing="keep" compares them as they read before those changes and keeps NEW's
    in the redline with their own authors and dates, so that accepting every change gives NEW as it now reads
    and rejecting every change gives OLD as it read before its own. Without either the comparison is refused
    with a message saying so, because the redline would otherwise show someone else's changes as the
    reviewer's own.
    """
    if redline_path is not None:
        _check_redline_target(redline_path, inputs=(old, new))
    old_document, new_document = wordfile.open_document(old), wordfile.open_document(new)
    wordfile.same_lengths(old_document, new_document)
    if existing not in ("accept", "keep"):
        _refuse_existing_revisions({old: old_document, new: new_document})
    if existing == "accept":
        for document in (old_document, new_document):
            _accept_in_notes(document)
    tracked = "keep" if existing == "keep" else "accept"
    # Kept changes are NEW's: OLD is compared as it read before its own.
    old_tracked = "reject" if tracked == "keep" else "accept"
    if tracked == "keep":
        _refuse_unkept_revisions(new, new_document)
        if old_pending is not None:
            old_pending.update(_authors(old_document))
        if kept_authors is not None and redline_path is None:
            kept_authors.update(_authors(new_document))
    old_blocks = wordfile.read_body(old_document, tracked=old_tracked)
    new_blocks = wordfile.read_body(new_document, tracked=tracked)
    steps, changes = compare.compare_blocks(old_blocks, new_blocks)
    if not text_only:
        changes += compare.formatting_changes(steps)

    def compare_story(old_root: Any, old_part: Any, new_root: Any, new_part: Any) -> tuple[list[Any], tuple[Any, ...]]:
        """A header, footer or note (root, in its part) against its counterpart: the aligned blocks and the changes,
        formatting included unless text_only."""
        story_steps, story_changes = compare.compare_blocks(
            wordfile.read_body(old_document, old_root, tracked=old_tracked, part=old_part),
            wordfile.read_body(new_document, new_root, tracked=tracked, part=new_part),
        )
        if not text_only:
            story_changes += compare.formatting_changes(story_steps)
        return story_steps, story_changes

    # Headers and footers are compared with their counterparts in the same section and place.
    stories = []
    old_parts, new_parts = wordfile.header_footer_parts(old_document), wordfile.header_footer_parts(new_document)
    compared: set[int] = set()
    for place, new_part in new_parts.items():
        if place not in old_parts or id(new_part) in compared:
            continue  # a header that several sections share is compared (and redlined) once, at its first section
        compared.add(id(new_part))
        old_part = old_parts[place]
        story_steps, story_changes = compare_story(old_part.element, old_part, new_part.element, new_part)
        changes += tuple(dataclasses.replace(c, where=f"{place}, {c.where}") for c in story_changes)
        if story_changes:
            stories.append(redline.Story(new=new_part, old=old_part, steps=story_steps))
    # A note or comment edited where its reference stands is compared word by word, as a story of its own.
    pairs = compare.all_note_pairs(steps)
    marks = wordfile.note_marks(new_document) if pairs else {}
    for pair in pairs:
        old_note = wordfile.note_element(old_document, pair.kind, pair.old_id)
        new_note = wordfile.note_element(new_document, pair.kind, pair.new_id)
        if old_note is None or new_note is None:  # never: the references were read from these notes
            continue
        story_steps, story_changes = compare_story(old_note[1], old_note[0], new_note[1], new_note[0])
        place = compare.note_place(pair, marks.get(pair.kind, {}).get(pair.new_id))
        changes += compare.note_changes(place, story_steps, story_changes)
        stories.append(redline.Story(new=new_note[0], old=old_note[0], steps=story_steps, note=pair))
    # Notes and comments that read the same are compared paragraph by paragraph: their formatting may differ.
    for kind, reltype in zip(("footnote", "endnote", "comment"), _NOTE_PARTS, strict=True):
        try:
            old_notes, new_notes = (d.part.part_related_by(reltype) for d in (old_document, new_document))
        except KeyError:
            continue
        for where, old_same, new_same in compare.same_note_pairs(kind, old_notes, new_notes, old_blocks, new_blocks):
            story_steps, story_changes = compare_story(old_same, old_notes, new_same, new_notes)
            changes += tuple(dataclasses.replace(c, where=f"{where}, {c.where}") for c in story_changes)
            if story_changes:
                stories.append(redline.Story(new=new_notes, old=old_notes, steps=story_steps, root=new_same))
    if redline_path is not None:
        # The new version's own date, never the clock, so the same two versions give the same redline.
        when = wordfile.stated_date(new_document) or UNDATED
        data = redline.write_redline(
            new_document=new_document,
            steps=steps,
            author=author,
            date=when,
            old_document=old_document,
            stories=stories,
            text_only=text_only,
            kept=tracked == "keep",
            replaced=replaced,
        )
        if tracked == "keep" and kept_authors is not None:
            # Counted in the redline itself, leaving out its own changes: what the summary says it kept is there.
            kept_authors.update(_authors(new_document, besides=(author, when.strftime(redline.DATE_FORMAT))))
        _verify_redline(data, old, new)
        save_file(redline_path, data)
    return changes


def _verify_redline(data: bytes, old: Path, new: Path) -> None:
    """Reopens the redline as Word would; a damaged part copied from a version is that version's damage, told
    as such (the redline is only as sound as the files it is made from)."""
    try:
        package.verify_report(data)
    except ProgramFailedError:
        for path in (old, new):
            damage = package.find_damage(path.read_bytes())
            if damage is not None:
                after = f", after the text {damage.around!r}" if damage.around else ""
                raise UsageError(
                    message=f"{path} has a damaged part (part "
                    f"{damaged_xml_in_plain_words(damage.detail, part=damage.part)}{after}), "
                    "so no redline was written; Word offers to recover such a file: open it in Word, let it "
                    "recover what it can, save it, and compare the saved copy"
                ) from None
        raise


def _same_file(first: Path, second: Path) -> bool:
    try:
        return first.exists() and second.exists() and first.samefile(second)
    except OSError:
        return False


def _check_redline_target(redline_path: Path, *, inputs: tuple[Path, ...]) -> None:
    """The redline goes into an existing folder and never replaces one of the versions it compares."""
    if not redline_path.parent.is_dir():
        raise UsageError(
            message=f"the folder {redline_path.parent} does not exist; create it first, or write the "
            "redline somewhere else"
        )
    for version in inputs:
        if _same_file(redline_path, version) or redline_path.absolute() == version.absolute():
            raise UsageError(
                message=f"the redline would replace {version}, one of the two versions it compares; "
                "give it a name of its own, such as redline.docx"
            )


def _output_clashes(settings: ReportSettings, settings_path: Path) -> list[Problem]:
    """A report written over its own workbook, template or report.toml would destroy them: refused, located."""
    output = Path(settings.output)
    problems = []
    for what, path in (
        ("workbook", Path(settings.workbook)),
        ("template", Path(settings.template)),
        ("report settings file", settings_path),
    ):
        if output.absolute() == path.absolute() or _same_file(output, path):
            problems.append(
                Problem(
                    file=settings_path.name,
                    place="output",
                    message=f"output names the {what} itself ({path.name}): building would overwrite it",
                    suggestion="give the report a file of its own, such as outputs/committee_report.docx",
                )
            )
    return problems


def _refuse_existing_revisions(documents: dict[Path, DocxDocument]) -> None:
    found = []
    for path, document in documents.items():
        authors = _authors(document)
        if authors:
            who = ", ".join(f"{count} by {name}" for name, count in sorted(authors.items()))
            found.append(f"{path} already holds tracked changes ({who})")
    if found:
        raise UsageError(
            message="; ".join(found) + ". Run again with --accept-existing to compare the versions as "
            "they read with those changes accepted (the redline then shows only the differences, all "
            "under the --author name), or with --keep-existing to keep the new version's tracked changes in "
            "the redline under their own authors and dates, beside the differences from the old version as it "
            "read before its own."
        )


def _stories(document: DocxDocument) -> list[_Element]:
    """The body, headers and footers (each once, however many sections show it), footnotes, endnotes and
    comments of a Word document: where tracked changes are looked for, compared and kept."""
    parts = {id(part): part for part in wordfile.header_footer_parts(document).values()}
    roots = [document.element.body, *(part.element for part in parts.values())]
    return roots + [root for _part, root in _note_parts(document)]


_NOTE_PARTS = tuple(
    f"http://schemas.openxmlformats.org/officeDocument/2006/relationships/{kind}"
    for kind in ("footnotes", "endnotes", "comments")
)


def _note_parts(document: DocxDocument) -> list[tuple[object, _Element]]:
    """The footnotes, endnotes and comments parts with their XML (python-docx keeps some as bytes), parsed once
    for the whole comparison (wordfile.part_root)."""
    found: list[tuple[object, _Element]] = []
    for reltype in _NOTE_PARTS:
        try:
            part = document.part.part_related_by(reltype)
        except KeyError:
            continue
        root = wordfile.part_root(part)
        if root is not None:
            found.append((part, root))
    return found


def _accept_in_notes(document: DocxDocument) -> None:
    """Accepts the tracked changes in a document's footnotes, endnotes and comments, in place: with
    --accept-existing the versions are compared, and the redline made, as they read with those accepted."""
    for part, _root in _note_parts(document):
        root = wordfile.changed_part_root(part)
        root[:] = list(revisions.accept_all(root))


def _authors(document: DocxDocument, *, besides: tuple[str, str] | None = None) -> dict[str, int]:
    """How many tracked changes each author has in a Word document's body, headers, footers, notes and comments;
    with besides (an author and a date), leaving out those so stamped."""
    found: dict[str, int] = {}
    for root in _stories(document):
        for name, count in revisions.revision_authors(root, besides=besides).items():
            found[name] = found.get(name, 0) + count
    return found


def _refuse_unkept_revisions(path: Path, document: DocxDocument) -> None:
    """--keep-existing keeps tracked insertions, deletions and formatting changes where they stand; moves and
    changes to a table's rows and cells it cannot yet keep, so it says so rather than lose them."""
    found: dict[str, list[str]] = {}
    body = document.element.body
    for root in _stories(document):
        for kind, places in revisions.unkept_revisions(root).items():
            # Places are told in the body; elsewhere (a header, a note) the kind and count say enough to find it.
            found.setdefault(kind, []).extend(places if root is body else ["" for _ in places])
    if found:
        what = ", ".join(
            f"{len(places)} of {kind}"
            + (f": {'; '.join(dict.fromkeys(p for p in places if p))}" if any(places) else "")
            for kind, places in sorted(found.items())
        )
        raise UsageError(
            message=f"{path} holds tracked changes that --keep-existing cannot keep in the redline ({what}). "
            "Run again with --accept-existing to compare the versions as they read with those changes accepted, "
            "or accept or reject those changes in Word first."
        )


def compare_workbooks(
    old: Path, new: Path, *, cutoff: date | None, settings_path: Path | None = None
) -> tuple[Change, ...]:
    """What changed in the action plan between two workbook versions, and in Table 1 as a result.

    The Table 1 cutoff is given, or taken from the report.toml at settings_path.
    """
    if cutoff is None:
        if settings_path is None:
            raise UsageError(
                message="comparing workbooks needs the Table 1 cutoff date: give --cutoff, or the "
                "report.toml that gives it"
            )
        cutoff = settings_module.read_settings(settings_path).cutoff
    old_plan, _ = workbook.read_workbook(old)
    new_plan, _ = workbook.read_workbook(new)
    return compare.compare_plans(old_plan, new_plan, cutoff)


def document_text(path: Path) -> str:
    """A deterministic plain-text rendition of any .docx (for reading, and for git diffs): everything a reader
    sees, headers, footers, text boxes, notes and comments included, in reading order."""
    return display.format_document_view(wordfile.read_document_view(path))


def list_actions(
    settings_path: Path, *, theme: str | None = None, status: str | None = None, due_only: bool = True
) -> tuple[CheckedReport, tuple[Action, ...]]:
    """The actions behind a Table 1 figure, or any slice of the plan, in workbook order.

    theme is a theme's number or name and status a status label (any capitals); due_only keeps the actions due
    by the cutoff, as Table 1 counts them. Raises UsageError naming the choices for a theme or status the plan
    does not have.
    """
    checked = check_report(settings_path, fill_in=False)
    plan = checked.plan
    actions = plan.due_actions(checked.settings.cutoff) if due_only else plan.actions
    if theme is not None:
        by_key = {str(t.number): t for t in plan.themes} | {t.name.casefold(): t for t in plan.themes}
        wanted = _choose(
            theme,
            by_key,
            what="theme",
            labels=[t.name for t in plan.themes],
            names=[f"{t.number} ({t.name})" for t in plan.themes],
        )
        actions = tuple(action for action in actions if action.theme == wanted)
    if status is not None:
        labels = [s.label for s in plan.statuses]
        chosen = _choose(
            status, {s.label.casefold(): s for s in plan.statuses}, what="status", labels=labels, names=labels
        )
        actions = tuple(action for action in actions if action.status == chosen)
    return checked, actions


_Choice = TypeVar("_Choice")


def _choose(value: str, choices: dict[str, _Choice], *, what: str, labels: list[str], names: list[str]) -> _Choice:
    """The theme or status a person named, matched ignoring capitals and spacing."""
    key = " ".join(value.split()).casefold()
    if key in choices:
        return choices[key]
    hint = suggest(value, labels)
    plural = "statuses" if what == "status" else f"{what}s"
    raise UsageError(
        message=f"the action plan has no {what} {value!r}"
        + (f" ({hint})" if hint else "")
        + f"; its {plural} are: {', '.join(names)}"
    )


@dataclass(frozen=True)
class ReportFiles:
    """What a report's builds have left in its output folder."""

    report: Path | None
    """The current report, if it has been built."""
    pdf: Path | None
    """Its accessible PDF, if one was made."""
    history: tuple[Path, ...]
    """Earlier builds kept in the history folder, newest first."""


def report_files(settings_path: Path) -> ReportFiles | None:
    """The current report, its PDF and its earlier builds; None when report.toml cannot be read."""
    try:
        output = Path(settings_module.read_settings(settings_path).output)
    except InvalidInputError:
        return None
    folder = output.parent / HISTORY_FOLDER
    kept = [path for path in folder.glob(f"{glob.escape(output.stem)}.*{output.suffix}") if path.is_file()]
    pdf = output.with_suffix(".pdf")
    return ReportFiles(
        report=output if output.is_file() else None,
        pdf=pdf if pdf.is_file() else None,
        # Names carry the build time (YYYY-MM-DDTHHMMSSZ) after the report's name, so they sort by time.
        history=tuple(sorted(kept, key=lambda path: path.name, reverse=True)),
    )


def install_workbook(settings_path: Path, workbook_file: Path) -> tuple[CheckedReport, Path | None]:
    """Makes another version of the workbook (one uploaded to the web page) the one report.toml names.

    Only a workbook that passes every check replaces it (otherwise InvalidInputError, and nothing is written);
    the earlier workbook is kept in a history folder beside it. Returns the report checked with its new workbook
    and where the earlier one was kept (None when there was none or it was the same).
    """
    check_report(settings_path, workbook_file=workbook_file)
    target = Path(settings_module.read_settings(settings_path).workbook)
    data = workbook_file.read_bytes()
    kept = None
    if target.exists() and target.read_bytes() != data:
        try:
            kept = keep_in_history(target)
        except OSError as exc:
            raise OutputWriteError(
                message=f"could not keep a copy of {target} before replacing it: "
                f"{exc.strerror or exc}; the workbook is unchanged"
            ) from exc
    save_file(target, data)
    return check_report(settings_path), kept


def create_report_folder(folder: Path) -> list[Path]:
    """A ready-to-build report folder (report.toml, example workbook, default template); never overwrites."""
    return starter.create_report_folder(folder)


def check_problems(
    settings_path: Path, *, strict: bool = False, relative_to: Path | None = None
) -> tuple[Problem, ...]:
    """Every problem check finds (errors, warnings and accessibility findings), as records, not an exception."""
    try:
        checked = check_report(settings_path, relative_to=relative_to)
        return checked.warnings + check_accessibility(checked, strict=strict)
    except InvalidInputError as exc:
        return tuple(exc.problems)


def find_reports(paths: Sequence[Path]) -> list[Path]:
    """The report.toml files to build: files as given, folders searched for report.toml files (sorted)."""
    reports: list[Path] = []
    missing = [str(path) for path in paths if not path.exists()]
    if missing:
        raise UsageError(message=f"{', '.join(missing)} {'does' if len(missing) == 1 else 'do'} not exist")
    for path in paths:
        if path.is_dir():
            found = sorted(path.rglob("report.toml"))
            if not found:
                raise UsageError(message=f"the folder {path} holds no report.toml (its subfolders are searched too)")
            reports += found
        else:
            reports.append(path)
    return list(dict.fromkeys(reports))


def build_reports(
    settings_paths: Sequence[Path], *, force: bool = False, pdf: bool = False, strict: bool = False
) -> Iterator[tuple[Path, BuildResult | JtaiDocsError]]:
    """Builds each report in turn, in this one process; a report that fails is given with its error, and the
    others are still built. Two reports that name the same output are not allowed to overwrite each other.
    With pdf, the reports with a PDF are given once every PDF is made (one LibreOffice start per worker)."""
    if pdf:
        yield from _build_with_pdfs(settings_paths, force=force, strict=strict)
    else:
        yield from _build_each(settings_paths, force=force, strict=strict)


def _build_each(
    settings_paths: Sequence[Path], *, force: bool, strict: bool
) -> Iterator[tuple[Path, BuildResult | JtaiDocsError]]:
    """Each report built in turn, without a PDF, given as soon as it is built or has failed."""
    written: dict[Path, Path] = {}
    for settings_path in settings_paths:
        try:
            output = settings_module.read_settings(settings_path).output
        except InvalidInputError:
            output = None  # build_report lists the problems
        earlier = written.get(Path(output).resolve()) if output is not None else None
        if earlier is not None:
            yield (
                settings_path,
                UsageError(
                    message=f"its output {output} is the report {earlier} has just built; "
                    "give each report.toml its own output"
                ),
            )
            continue
        try:
            result = build_report(settings_path, force=force, strict=strict)
        except JtaiDocsError as exc:
            yield settings_path, exc
            continue
        except Exception as exc:  # a fault in jtai-docs: this report is listed with it, the others still built
            if os.environ.get("JTAI_DOCS_DEBUG"):
                raise
            yield settings_path, InternalError(exc)
            continue
        written[result.written.path.resolve()] = settings_path
        yield settings_path, result


def _build_with_pdfs(
    settings_paths: Sequence[Path], *, force: bool, strict: bool
) -> Iterator[tuple[Path, BuildResult | JtaiDocsError]]:
    """The reports built with their PDFs. LibreOffice's workers are started first, so that their start overlaps the
    building, and each report is handed to them as soon as it is written; each PDF is finished and checked while
    they convert the next (#11). A report they could not convert (LibreOffice reached it before it was written, or
    failed on it) is converted afterwards as before (_with_pdfs). A report that fails is given at once, the others
    once every PDF is made, in the order they were built."""
    try:
        workers: libreoffice.EarlyWorkers | None = libreoffice.EarlyWorkers(
            len(settings_paths), filter_name=libreoffice.ACCESSIBLE_PDF
        )
    except (ProgramMissingError, OSError):
        workers = None  # each report then says why it has no PDF (_with_pdfs)
    built: list[tuple[Path, BuildResult]] = []
    made: dict[int, BuildResult] = {}
    with workers or contextlib.nullcontext():
        for settings_path, outcome in _build_each(settings_paths, force=force, strict=strict):
            if isinstance(outcome, JtaiDocsError):
                yield settings_path, outcome
                continue
            source = outcome.written.path
            if workers is not None and libreoffice.fits_layout(source):
                workers.put(len(built), source)  # a table too long for LibreOffice is refused below, as before
            built.append((settings_path, outcome))
        # Only now, so that building keeps ahead of LibreOffice: each PDF finished while the workers go on.
        for number, converted in workers.finished() if workers is not None else ():
            if converted is not None:
                result = built[number][1]
                pdf_result = _finish_pdf(result.written.path, wordfile.open_document(result.written.path), converted)
                made[number] = dataclasses.replace(result, pdf=pdf_result.pdf, pdf_problems=pdf_result.problems)
    rest = [index for index in range(len(built)) if index not in made]
    if rest:
        for index, (_path, result) in zip(rest, _with_pdfs([built[index] for index in rest]), strict=True):
            made[index] = result
    for index, (settings_path, _result) in enumerate(built):
        yield settings_path, made[index]


def compare_reports_to_bytes(
    old: Path,
    new: Path,
    *,
    author: str = REDLINE_AUTHOR,
    existing: str | None = None,
    text_only: bool = False,
    kept_authors: dict[str, int] | None = None,
    replaced: list[tuple[str, bool]] | None = None,
    old_pending: dict[str, int] | None = None,
) -> tuple[tuple[Change, ...], bytes]:
    """What changed between two versions of a Word report, and NEW as a redline against OLD (for standard output)."""
    with tempfile.TemporaryDirectory(prefix="jtai-docs-redline-") as work:
        redline_path = Path(work) / "redline.docx"
        changes = compare_reports(
            old,
            new,
            redline_path=redline_path,
            author=author,
            existing=existing,
            text_only=text_only,
            kept_authors=kept_authors,
            replaced=replaced,
            old_pending=old_pending,
        )
        return changes, redline_path.read_bytes()


def document_text_from_bytes(data: bytes) -> str:
    """document_text of a .docx given as bytes (read from standard input)."""
    with file_from_bytes(data, suffix=".docx") as path:
        return document_text(path)


@contextlib.contextmanager
def file_from_bytes(data: bytes, *, suffix: str, shown_as: str = "standard input") -> Iterator[Path]:
    """Bytes read from standard input (or uploaded to the web page) as a file with the suffix of its kind (.docx,
    .xlsx), removed afterwards: every stage reads files by path, and messages then name it `shown_as`, as the person
    knows it, never by the temporary file it passed through."""
    with tempfile.TemporaryDirectory(prefix="jtai-docs-stdin-") as work:
        stdin = shown_as == "standard input"
        # Not the uploaded name, which never becomes a path; unique, so that replacing it below cannot touch a
        # message about another upload.
        path = Path(work) / (f"{shown_as}{suffix}" if stdin else f"upload-{Path(work).name}{suffix}")
        path.write_bytes(data)
        try:
            yield path
        except JtaiDocsError as exc:
            exc.message = exc.message.replace(str(path), shown_as)
            if not stdin:
                exc.message = exc.message.replace(path.name, shown_as)
            exc.args = (exc.message,)
            if isinstance(exc, InvalidInputError):
                exc.problems = tuple(
                    dataclasses.replace(p, file=shown_as) if p.file in (str(path), path.name) else p
                    for p in exc.problems
                )
            raise
