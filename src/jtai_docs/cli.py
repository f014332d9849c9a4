"""The jtai-docs command: thin wrappers that call the pipeline and print what happened."""

from __future__ import annotations

import atexit
import collections
import contextlib
import functools
import os
import sys
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar, overload

import click

from .display import (
    actions_as_csv,
    actions_as_json,
    changes_as_json,
    format_actions,
    format_changes,
    format_problems,
    format_table1,
    problems_as_json,
)
from .errors import InternalError, InvalidInputError, JtaiDocsError, Problem, Severity, UsageError, counted
from .starter import shell_quoted


class _Pipeline:
    """The pipeline, imported on first use: --help, completion and the light commands never load python-docx,
    lxml, Jinja2 or openpyxl (importing them costs more than the rest of --help)."""

    def __getattr__(self, name: str) -> Any:
        from . import pipeline as module

        return getattr(module, name)


if TYPE_CHECKING:
    from . import pipeline
    from .model import Change
else:
    pipeline = _Pipeline()
#: pipeline.REDLINE_AUTHOR, written out so that defining the diff command's options does not load the pipeline.
REDLINE_AUTHOR = "jtai-docs"
DEFAULT_REPORT = Path("inputs") / "report.toml"
#: Exit status for a fault in jtai-docs itself (sysexits EX_SOFTWARE).
INTERNAL_ERROR = InternalError.exit_code
#: Exit status when standard output could not be written (sysexits EX_IOERR).
OUTPUT_LOST = 74
#: The most `jtai-docs text -` reads from standard input: far more than any real report.
MAX_STDIN_BYTES = 256 * 2**20


_P = ParamSpec("_P")
_R = TypeVar("_R")
_F = TypeVar("_F", bound=Callable[..., Any])


@overload
def _handle_errors(command: Callable[_P, _R], *, error_status: int | None = None) -> Callable[_P, _R]: ...
@overload
def _handle_errors(
    command: None = None, *, error_status: int | None = None
) -> Callable[[Callable[_P, _R]], Callable[_P, _R]]: ...
def _handle_errors(
    command: Callable[_P, _R] | None = None, *, error_status: int | None = None
) -> Callable[_P, _R] | Callable[[Callable[_P, _R]], Callable[_P, _R]]:
    """Turns every JtaiDocsError into its message and exit status; the one place this happens.

    error_status replaces the usual statuses for commands where 1 means something else (diff: differences).
    """
    if command is None:
        return functools.partial(_handle_errors, error_status=error_status)

    @functools.wraps(command)
    def wrapper(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        try:
            return command(*args, **kwargs)
        except InvalidInputError as exc:
            click.echo(format_problems(exc.problems), err=True)
            click.echo(f"\n{exc.message} Nothing was written.", err=True)
            sys.exit(error_status or exc.exit_code)
        except JtaiDocsError as exc:
            click.echo(f"Error: {exc.message}", err=True)
            sys.exit(error_status or exc.exit_code)
        except BrokenPipeError:
            # Whatever read the output stopped early (`| head`): nothing to tell it. What was to be written is
            # written; the rest of the output goes nowhere, so the exit does not fail on it again.
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            sys.exit(error_status or 1)
        except Exception as exc:
            if isinstance(exc, OSError) and _output_lost(exc):
                with contextlib.suppress(OSError):  # standard error may be lost too
                    click.echo(
                        f"Error: the messages could not be printed on standard output ({exc.strerror or exc}). "
                        "What was done before that is done: a report built is written.",
                        err=True,
                    )
                sys.exit(error_status or OUTPUT_LOST)
            # A fault in jtai-docs itself, not in the officer's files: say so plainly, keep the detail on request.
            if os.environ.get("JTAI_DOCS_DEBUG"):
                raise
            fault = InternalError(exc)  # the words a batch lists a report's fault in, too
            click.echo(f"Error: {fault.message}", err=True)
            sys.exit(fault.exit_code)

    return wrapper


def _output_lost(exc: OSError) -> bool:
    """Whether the error is standard output that could not be written (a full disk, a device that fails): what is
    left to print then goes nowhere, so the exit does not fail on it again."""
    traceback = exc.__traceback__
    while traceback is not None:
        frame = traceback.tb_frame
        if frame.f_code.co_name == "echo" and frame.f_globals.get("__name__") == "click.utils":
            break
        traceback = traceback.tb_next
    else:
        return False
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    return True


def _read_stdin(what: str) -> bytes:
    """Standard input, read whole but bounded: far more than `what` (a Word document, a workbook) can be is refused."""
    data = sys.stdin.buffer.read(MAX_STDIN_BYTES + 1)
    if len(data) > MAX_STDIN_BYTES:
        raise UsageError(
            message=f"standard input holds more than {MAX_STDIN_BYTES // 2**20} MB, "
            f"more than {what} can be; give the file's name instead"
        )
    return data


@contextlib.contextmanager
def _piped_versions(old: Path, new: Path) -> Iterator[tuple[Path, Path]]:
    """diff OLD - / diff - NEW: the version on standard input as a temporary file of the other one's kind, removed
    afterwards (shown, and named in messages, as "standard input")."""
    if Path("-") not in (old, new):
        yield old, new
        return
    if old == new:
        raise UsageError(message="only one of OLD and NEW can be - (standard input); give the other one's file name")
    other = new if old == Path("-") else old
    with pipeline.file_from_bytes(_read_stdin("a Word document or workbook"), suffix=other.suffix.lower()) as piped:
        click.get_current_context().meta["jtai_docs.piped"] = piped
        yield (piped, new) if old == Path("-") else (old, piped)


def _shown(path: Path) -> str:
    """A version's name as the person gave it: standard input is "standard input", not its temporary file."""
    return "standard input" if path == click.get_current_context().meta.get("jtai_docs.piped") else str(path)


def _report_path(report: Path | None) -> Path:
    path = report or DEFAULT_REPORT
    if not os.path.exists(path):  # anything else that is not a file is refused, located, as it is read
        hint = " (run jtai-docs from the project folder, or give the path to a report.toml)" if report is None else ""
        raise UsageError(message=f"the report settings file {path} does not exist{hint}")
    return path


def _format_option(help: str, *, choices: Sequence[str] = ("text", "json")) -> Callable[[_F], _F]:
    """--format, the same option on every command that prints records (the first choice is the default)."""
    return click.option(
        "--format",
        "output_format",
        type=click.Choice(list(choices)),
        default=choices[0],
        show_default=True,
        help=help,
    )


@contextlib.contextmanager
def _report_settings(report: Path | None) -> Iterator[tuple[Path, Path | None]]:
    """REPORT as the pipeline reads it, with the folder its relative paths start from (None: its own folder).

    - is report.toml read from standard input: it is named "standard input" in every message, and the files it
    names are found from the current folder, as the officer who piped it in would expect.
    """
    if report != Path("-"):
        yield _report_path(report), None
        return
    with pipeline.file_from_bytes(_read_stdin("a report settings file"), suffix="") as path:
        click.get_current_context().meta["jtai_docs.piped"] = path
        yield path, Path.cwd()


REPORT_ARGUMENT = click.argument("report", required=False, type=click.Path(path_type=Path, dir_okay=False))


#: The main --help ends with what each exit status means, since scripts and CI rely on them.
EXIT_STATUS_HELP = """\b
Exit status: 0 success; 1 the inputs have problems (all are listed); 2 the command was used wrongly.
diff: 0 no differences, 1 differences, 2 an error (as diff(1)). 74: the work was done but its messages
could not be printed; 70: a fault in jtai-docs itself.
\b
jtai-docs text - reads the document from standard input; diff -o - writes the redline to standard output.
Shell completion (bash; zsh and fish likewise), in ~/.bashrc:
    eval "$(_JTAI_DOCS_COMPLETE=bash_source jtai-docs)"
"""


@click.group(context_settings={"help_option_names": ["-h", "--help"]}, epilog=EXIT_STATUS_HELP)
@click.version_option(package_name="jtai-docs")
@click.option("-q", "--quiet", is_flag=True, help="Print only problems and errors (the exit status says the rest).")
@click.pass_context
def main(context: click.Context, quiet: bool) -> None:
    """Build council committee reports from the JTAI action-plan workbook."""
    context.meta["jtai_docs.quiet"] = quiet


def run() -> None:
    """The jtai-docs command (python -m jtai_docs and the installed script): main, then a quick exit.

    Once a command has finished, Python would still take every module and object apart one by one before the
    process ends: about 0.1 s of a build, a seventh of it (#11). The process ends at once instead, as mypy ends
    its own, after what an ordinary exit must still do: the output flushed and the exit functions run (temporary
    folders removed, coverage saved). With threads still running, or output that cannot be flushed (a closed
    pipe), or under a profiler (python -m cProfile writes its figures after the command returns), Python's ordinary
    exit is taken, which handles them as it always has. Tests call main, never this."""
    status: str | int | None = 0  # click's main ends with SystemExit, whose code replaces this
    try:
        main(prog_name="jtai-docs")
    except SystemExit as exc:
        status = exc.code
    if threading.active_count() > 1 or not isinstance(status, int | None) or sys.getprofile() is not None:
        sys.exit(status)
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):
        sys.exit(status)
    atexit._run_exitfuncs()
    os._exit(status or 0)


def _say(message: str = "", **kwargs: Any) -> None:
    """Prints what went well, unless --quiet; problems are printed with click.echo whatever the setting."""
    if not click.get_current_context().meta.get("jtai_docs.quiet"):
        click.echo(message, **kwargs)


@main.command(short_help="Build the committee report (or several) from report.toml.")
@click.argument("reports", metavar="[REPORT]...", nargs=-1, type=click.Path(path_type=Path))
@click.option("--force", is_flag=True, help="Replace the report even if it was edited by hand since it was built.")
@click.option("--pdf", is_flag=True, help="Also make an accessible (tagged, PDF/UA) PDF beside it, with LibreOffice.")
@click.option("--strict", is_flag=True, help="Treat accessibility findings as errors: nothing is written.")
@_handle_errors
def build(reports: tuple[Path, ...], force: bool, pdf: bool, strict: bool) -> None:
    """Build the committee report described by REPORT (default: inputs/report.toml).

    Several REPORTs, or a folder of them, are built in one run: a report with problems is listed with them
    while the others are built, and the exit status is 0 only if every report was built.

    \b
    Example:
        jtai-docs build
        jtai-docs build --pdf inputs/march-update/report.toml
        jtai-docs build updates/          # every report.toml in updates/ and its subfolders
        jtai-docs build - < report.toml   # paths in it are then found from the current folder

    REPORT - reads report.toml from standard input; the files it names are then found from the current folder.
    """
    if len(reports) > 1 and Path("-") in reports:
        raise UsageError(message="- (report.toml on standard input) builds one report: give it as the only REPORT")
    if len(reports) > 1 or (reports and reports[0] != Path("-") and reports[0].is_dir()):
        _build_batch(pipeline.find_reports(reports), force=force, pdf=pdf, strict=strict)
        return
    with _report_settings(reports[0] if reports else None) as (path, relative_to):
        result = pipeline.build_report(path, force=force, pdf=pdf, strict=strict, relative_to=relative_to)
    if result.checked.warnings or result.accessibility:
        click.echo(format_problems(result.checked.warnings + result.accessibility), err=True)
    _say(format_table1(result.checked.table1))
    state = " (unchanged)" if result.written.unchanged else ""
    _say(f"\nWrote {result.written.path}{state}")
    if result.pdf is not None:
        _say(f"Wrote {result.pdf}")
    if result.written.previous is not None:
        _say(f"The earlier version is kept as {result.written.previous}")
        if result.not_compared:
            click.echo(_not_compared(result.not_compared), err=True)
        else:
            _say(format_changes(result.changes, old="the earlier version", new="this build"))
    if result.written.earlier_pdf is not None and result.pdf is None:
        _say(_earlier_pdf_moved(result.written.earlier_pdf))
    _report_pdf_failures(result.pdf_problems, result.pdf_error)


def _not_compared(reason: str) -> str:
    return f"Warning: the earlier version could not be compared with this build: {reason}"


def _earlier_pdf_moved(kept: Path) -> str:
    return (
        f"The PDF of the earlier version no longer matches the report, so it was moved to {kept}; "
        "make a new one with jtai-docs build --pdf"
    )


def _report_pdf_failures(problems: Sequence[Problem], error: str | None) -> None:
    """A PDF that failed its checks, or could not be made, is said loudly and ends with exit status 1."""
    if problems:
        click.echo(format_problems(problems), err=True)
        click.echo(
            f"\nThe PDF failed {len(problems)} accessibility check(s): do not publish it until they are fixed.",
            err=True,
        )
    if error:
        click.echo(f"Error: no PDF was made: {error}", err=True)
    if problems or error:
        sys.exit(1)


def _build_batch(reports: list[Path], *, force: bool, pdf: bool, strict: bool = False) -> None:
    """Builds every report in one process; a progress bar on a terminal only, the same lines on a pipe."""
    outcomes: Iterable[tuple[Path, pipeline.BuildResult | JtaiDocsError]] = pipeline.build_reports(
        reports, force=force, pdf=pdf, strict=strict
    )
    if sys.stderr.isatty() and not click.get_current_context().meta.get("jtai_docs.quiet"):
        with click.progressbar(outcomes, length=len(reports), label="Building reports", file=sys.stderr) as bar:
            outcomes = list(bar)
    failed, pdf_failed = [], []
    for report, outcome in outcomes:
        if isinstance(outcome, JtaiDocsError):
            failed.append(report)
            problems = getattr(outcome, "problems", ())
            click.echo(f"{report}: not built. {outcome.message}", err=True)
            if problems:
                click.echo("  " + format_problems(problems).replace("\n", "\n  "), err=True)
            continue
        found = outcome.checked.warnings + outcome.accessibility
        if found:
            click.echo(f"{report}:\n  " + format_problems(found).replace("\n", "\n  "), err=True)
        state = " (unchanged)" if outcome.written.unchanged else ""
        _say(f"{report}: wrote {outcome.written.path}{state}" + (f" and {outcome.pdf}" if outcome.pdf else ""))
        if outcome.written.earlier_pdf is not None and outcome.pdf is None:
            _say(f"{report}: " + _earlier_pdf_moved(outcome.written.earlier_pdf))
        if outcome.not_compared:
            click.echo(f"{report}: {_not_compared(outcome.not_compared)}", err=True)
        if outcome.pdf_problems or outcome.pdf_error:
            pdf_failed.append(report)
        if outcome.pdf_problems:
            click.echo(
                f"{report}: the PDF failed {len(outcome.pdf_problems)} accessibility check(s), do not publish "
                "it until they are fixed:\n  " + format_problems(outcome.pdf_problems).replace("\n", "\n  "),
                err=True,
            )
        if outcome.pdf_error:
            click.echo(f"{report}: no PDF was made: {outcome.pdf_error}", err=True)
    _say(f"\nBuilt {len(reports) - len(failed)} of {len(reports)} report(s).")
    if failed:
        click.echo(f"Not built ({len(failed)}): " + ", ".join(map(str, failed)), err=True)
    if pdf_failed:
        click.echo(f"Without a sound PDF ({len(pdf_failed)}): " + ", ".join(map(str, pdf_failed)), err=True)
    if failed or pdf_failed:
        sys.exit(1)


@main.command(short_help="Check the inputs without writing anything.")
@REPORT_ARGUMENT
@click.option("--strict", is_flag=True, help="Treat accessibility findings as errors.")
@_format_option("json: every problem as a record (file, place, found, expected, severity) on standard output.")
@_handle_errors
def check(report: Path | None, strict: bool, output_format: str) -> None:
    """Check report.toml, the workbook and the template without writing anything.

    \b
    Example:
        jtai-docs check
        jtai-docs check inputs/report.toml
        jtai-docs check --format json inputs/report.toml
        git show HEAD~1:inputs/report.toml | jtai-docs check -

    REPORT - reads report.toml from standard input; the files it names are then found from the current folder.
    """
    with _report_settings(report) as (path, relative_to):
        _check(path, relative_to, strict=strict, output_format=output_format)


def _check(path: Path, relative_to: Path | None, *, strict: bool, output_format: str) -> None:
    if output_format == "json":
        problems = pipeline.check_problems(path, strict=strict, relative_to=relative_to)
        click.echo(problems_as_json(problems, report=_shown(path)))
        sys.exit(1 if any(problem.severity is Severity.ERROR for problem in problems) else 0)
    checked = pipeline.check_report(path, relative_to=relative_to)
    found = checked.warnings + pipeline.check_accessibility(checked, strict=strict)
    if found:
        click.echo(format_problems(found), err=True)
    _say(format_table1(checked.table1))
    warnings = f" ({counted(len(found), 'warning')} above)" if found else ""
    _say(f"\nNo errors found: the report can be built{warnings}.")


@main.command(short_help="What changed between two reports (.docx) or workbooks (.xlsx).")
@click.argument("old", type=click.Path(exists=True, dir_okay=False, allow_dash=True, path_type=Path))
@click.argument("new", type=click.Path(exists=True, dir_okay=False, allow_dash=True, path_type=Path))
@click.option(
    "-o",
    "--output",
    "redline",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write NEW as a Word document with every difference from OLD as a tracked change (.docx only; "
    "- writes it to standard output and the summary to standard error).",
)
@_format_option("How to print the differences.")
@click.option("--author", default=REDLINE_AUTHOR, show_default=True, help="The name Word shows on the tracked changes.")
@click.option(
    "--accept-existing",
    is_flag=True,
    help="When a version already holds tracked changes, compare it as it reads with them accepted.",
)
@click.option(
    "--keep-existing",
    is_flag=True,
    help="When a version already holds tracked changes, keep the new version's in the redline under their own "
    "authors, and compare the versions as they read before them.",
)
@click.option(
    "--text-only",
    is_flag=True,
    help="Leave out formatting changes (styles, bold, indents): only words, tables and objects.",
)
@click.option(
    "--cutoff",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="For workbooks: the Table 1 cutoff (default: the cutoff in --report).",
)
@click.option(
    "--report",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="For workbooks: the report.toml whose cutoff to use (default: inputs/report.toml).",
)
@_handle_errors(error_status=2)
def diff(
    old: Path,
    new: Path,
    redline: Path | None,
    output_format: str,
    author: str,
    cutoff: datetime | None,
    report: Path | None,
    accept_existing: bool = False,
    text_only: bool = False,
    keep_existing: bool = False,
) -> None:
    """Show what changed between two versions of a report (.docx) or of the action-plan workbook (.xlsx).

    Exit status: 0 no differences, 1 differences, 2 error.

    OLD or NEW (one of them) - reads that version from standard input; it is taken to be of the other one's kind.

    \b
    Example:
        jtai-docs diff outputs/history/committee_report.2019-01-28T101500Z.1a2b3c4d.docx \\
            outputs/committee_report.docx -o outputs/redline.docx
        jtai-docs diff action_plan_january.xlsx inputs/action_plan.xlsx
        git show HEAD~1:inputs/action_plan.xlsx | jtai-docs diff - inputs/action_plan.xlsx
    """
    with _piped_versions(old, new) as (old, new):
        if accept_existing and keep_existing:
            raise UsageError(message="choose one of --accept-existing and --keep-existing")
        existing = "accept" if accept_existing else "keep" if keep_existing else None
        _diff(old, new, redline, output_format, author, cutoff, report, existing, text_only)


def _diff(
    old: Path,
    new: Path,
    redline: Path | None,
    output_format: str,
    author: str,
    cutoff: datetime | None,
    report: Path | None,
    existing: str | None,
    text_only: bool,
) -> None:
    kinds = {old.suffix.lower(), new.suffix.lower()}
    kept: dict[str, int] = {}  # with --keep-existing: NEW's tracked changes by author, which the redline keeps
    replaced: list[tuple[str, bool]] = []  # ... and its formatting changes the redline took away
    pending: dict[str, int] = {}  # ... and OLD's own, before which OLD is compared
    if kinds == {".docx"} and redline == Path("-"):
        changes, data = pipeline.compare_reports_to_bytes(
            old,
            new,
            author=author,
            existing=existing,
            text_only=text_only,
            kept_authors=kept,
            replaced=replaced,
            old_pending=pending,
        )
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        if output_format == "json":
            click.echo(changes_as_json(changes, old=_shown(old), new=_shown(new)), err=True)
        elif not click.get_current_context().meta.get("jtai_docs.quiet"):
            click.echo(_listed(changes, old, new, kept), err=True)
        if existing == "keep":
            _say_kept(old, new, kept, replaced, pending, author, err=True)
        # The versions differ by NEW's own tracked changes too, kept in the redline though not listed.
        sys.exit(1 if changes or kept else 0)
    if redline is not None and redline != Path("-") and redline.suffix.lower() != ".docx":
        raise UsageError(message=f"-o {redline}: a redline is a Word document, so its name must end in .docx")
    if kinds == {".docx"}:
        changes = pipeline.compare_reports(
            old,
            new,
            redline_path=redline,
            author=author,
            existing=existing,
            text_only=text_only,
            kept_authors=kept,
            replaced=replaced,
            old_pending=pending,
        )
    elif kinds == {".xlsx"}:
        if redline is not None:
            raise UsageError(message="a redline (-o) is made from two Word reports (.docx), not from workbooks")
        changes = pipeline.compare_workbooks(
            old, new, cutoff=cutoff.date() if cutoff else None, settings_path=None if cutoff else _report_path(report)
        )
    else:
        raise UsageError(message=pipeline.not_comparable(old, new))
    if output_format == "json":
        click.echo(changes_as_json(changes, old=_shown(old), new=_shown(new)))
    else:
        _say(_listed(changes, old, new, kept))
        if redline is not None:
            _say(f"Wrote the redline {redline}")
    if existing == "keep" and kinds == {".docx"}:
        _say_kept(old, new, kept, replaced, pending, author, err=output_format == "json")
    sys.exit(1 if changes or kept else 0)


def _listed(changes: Sequence[Change], old: Path, new: Path, kept: dict[str, int]) -> str:
    """The differences as listed; with none but NEW's own tracked changes (kept in the redline), not "No
    differences", since the two versions do read otherwise."""
    if not changes and kept:
        return (
            f"No differences between {_shown(old)} and {_shown(new)} besides the tracked changes already in "
            f"{_shown(new)}."
        )
    return format_changes(changes, old=_shown(old), new=_shown(new))


def _say_kept(
    old: Path,
    new: Path,
    authors: dict[str, int],
    replaced: list[tuple[str, bool]],
    pending: dict[str, int],
    author: str,
    *,
    err: bool,
) -> None:
    """Says which tracked changes of NEW the redline keeps, which the list of differences leaves out (but for
    formatting, listed whoever's change records it), which formatting changes of NEW it took away, and that OLD
    was compared as it read before its own tracked changes."""
    if click.get_current_context().meta.get("jtai_docs.quiet"):
        return
    if pending:
        who = ", ".join(f"{count} by {name}" for name, count in sorted(pending.items()))
        total = sum(pending.values())
        them = "it" if total == 1 else "them"
        click.echo(
            f"Compared {_shown(old)} as it read before its own {total} tracked change{'s' if total != 1 else ''} "
            f"({who}): Reject All gives {_shown(old)} as it was before {them}.",
            err=err,
        )
    if authors:
        who = ", ".join(f"{count} by {name}" for name, count in sorted(authors.items()))
        total = sum(authors.values())
        click.echo(
            f"Kept {total} tracked change{'s' if total != 1 else ''} already in {_shown(new)} as "
            f"{'its author left it' if total == 1 else 'their authors left them'} ({who}); the differences above "
            "are those beside them, and every difference of formatting, kept ones too.",
            err=err,
        )
    for recorded in (True, False):
        counts = collections.Counter(name for name, own in replaced if own == recorded)
        total = sum(counts.values())
        if not total:
            continue
        who = ", ".join(f"{count} by {name}" for name, count in sorted(counts.items()))
        changes = f"tracked formatting change{'s' if total != 1 else ''} in {_shown(new)} ({who})"
        it = "it" if total == 1 else "they"
        if recorded:
            said = (
                f"Replaced {total} {changes} by {'one' if total == 1 else 'ones'} under {author}: the old version's "
                f"formatting differs from what {it} recorded, and Word holds one formatting change on words, a "
                "paragraph, a table row or cell, or a section"
            )
        else:
            said = (
                f"Took away {total} {changes}: the old version already has the formatting {it} made, not the "
                f"formatting {it} recorded as there before"
            )
        click.echo(f"{said}; Reject All gives the old version's formatting.", err=err)


@main.command(short_help="Print a Word document as plain text (for reading and git diff).")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, allow_dash=True, path_type=Path))
@_handle_errors
def text(file: Path) -> None:
    """Print any Word document as plain text: list numbers as Word shows them, headings, tables, changes accepted.

    Everything a reader sees, in reading order: each section's headers and footers, text boxes, content controls,
    note marks such as [1], equations; then the footnotes, endnotes and comments (with author and the words they
    are about).

    Works as a git textconv driver, so `git diff` shows reports as text (see the README).

    FILE - reads the document from standard input.

    \b
    Example:
        jtai-docs text outputs/committee_report.docx
        unzip -p reports.zip march.docx | jtai-docs text -
    """
    try:
        if file == Path("-"):
            click.echo(pipeline.document_text_from_bytes(_read_stdin("a Word document")), nl=False)
            return
        click.echo(pipeline.document_text(file), nl=False)
    except InvalidInputError as exc:  # a file text cannot read is refused as its others are: no report is built
        raise UsageError(message="; ".join(problem.describe() for problem in exc.problems)) from exc


@main.command(short_help="Check a Word document for accessibility.")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@_handle_errors
def a11y(file: Path) -> None:
    """Check any Word document for accessibility: prints each finding with its place; nothing when it passes.

    Title and language set; headings in Heading styles, in order; no hand-made headings; tables with a repeating
    header row and no merged data cells; alt text on images; colour never the only signal; no empty paragraphs
    for spacing; text at least 11 pt; link text that says where it goes. Exit status 1 when anything is found.

    \b
    Example:
        jtai-docs a11y outputs/committee_report.docx
    """
    findings = pipeline.accessibility_report(file)
    if findings:
        click.echo(format_problems(findings))
        click.echo(f"\n{len(findings)} accessibility finding(s).")
        sys.exit(1)


@main.command(short_help="Make checked, accessible PDFs of Word documents.")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@_handle_errors
def pdf(files: tuple[Path, ...]) -> None:
    """Make an accessible, reproducible PDF beside each Word document, and check it.

    All the documents are converted with one LibreOffice start per processor. Each PDF is tagged (PDF/UA),
    with its language, title and bookmarks, and the same document always gives the same PDF bytes.

    \b
    Example:
        jtai-docs pdf outputs/committee_report.docx outputs/redline.docx
    """
    not_word = [str(file) for file in files if file.suffix.lower() != ".docx"]
    if not_word:
        raise UsageError(message=f"only Word documents (.docx) can be made into PDFs: {', '.join(not_word)}")
    problems: list[Problem] = []
    for result in pipeline.make_pdfs(list(files)):
        _say(f"Wrote {result.pdf}")
        problems += result.problems
    _report_pdf_failures(problems, None)


@main.command(short_help="List the actions behind a Table 1 figure.")
@REPORT_ARGUMENT
@click.option("--theme", help="Only this theme: its number or its name.")
@click.option("--status", help="Only this status, such as Amber.")
@click.option(
    "--due/--all",
    "due_only",
    default=True,
    show_default=True,
    help="Only the actions due by the cutoff, as Table 1 counts them, or every action in the plan.",
)
@_format_option("How to print the actions.", choices=("table", "csv", "json"))
@_handle_errors
def actions(report: Path | None, theme: str | None, status: str | None, due_only: bool, output_format: str) -> None:
    """List the actions behind a Table 1 figure, or any slice of the action plan.

    \b
    Example:
        jtai-docs actions --status Amber --due        # the actions counted in Table 1's Amber total
        jtai-docs actions --theme 2 --status Green    # behind one figure of Table 1
        jtai-docs actions --all --format csv > plan.csv
    """
    _, found = pipeline.list_actions(_report_path(report), theme=theme, status=status, due_only=due_only)
    if output_format == "csv":
        click.echo(actions_as_csv(found), nl=False)
    elif output_format == "json":
        click.echo(actions_as_json(found))
    else:
        click.echo(format_actions(found))


@main.command(short_help="Serve web pages to check, build and compare reports.")
@click.argument("reports", nargs=-1, type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="The address to listen on; anything but this machine (127.0.0.1) needs --token-file or --no-auth.",
)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="The port to listen on.")
@click.option(
    "--token-file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="A file whose first line is the access code every browser must sign in with.",
)
@click.option("--no-auth", is_flag=True, help="No access code, for a server behind the council's sign-in proxy.")
@click.option(
    "--max-upload-mb",
    default=20,
    show_default=True,
    type=click.IntRange(1, 500),
    help="The largest file that may be uploaded, in megabytes.",
)
@_handle_errors
def serve(
    reports: tuple[Path, ...], host: str, port: int, token_file: Path | None, no_auth: bool, max_upload_mb: int
) -> None:
    """Serve web pages where officers check, build and compare REPORTS (default: inputs/report.toml).

    \b
    Example:
        jtai-docs serve                      # then open http://127.0.0.1:8000/
        jtai-docs serve inputs/report.toml updates/march-2019/report.toml
        jtai-docs serve --host 0.0.0.0 --token-file /etc/jtai-docs/token.txt
    """
    from .web import server  # the web libraries load only for this command

    paths = [_report_path(report) for report in reports] or [_report_path(None)]
    config = server.configure(
        reports=paths, host=host, token_file=token_file, no_auth=no_auth, max_upload=max_upload_mb * 1024 * 1024
    )
    if no_auth:
        click.echo(server.NO_AUTH_WARNING, err=True)
    server.run(config, host=host, port=port, announce=click.echo)


@main.command(short_help="Start a new report folder from the example.")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@_handle_errors
def init(folder: Path) -> None:
    """Start a new report: a folder with report.toml, an example workbook and the template.

    Nothing is overwritten: if the files are already there, nothing is written.

    \b
    Example:
        jtai-docs init march-2019
        jtai-docs build march-2019/report.toml
    """
    for path in pipeline.create_report_folder(folder):
        _say(f"Wrote {path}")
    _say(
        f"\nNext: edit {folder / 'report.toml'}, put the partners' workbook in place of "
        f"{folder / 'action_plan.xlsx'}, then run: jtai-docs build {shell_quoted(folder / 'report.toml')}"
    )
