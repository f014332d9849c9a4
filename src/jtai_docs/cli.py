"""The jtai-docs command: thin wrappers that call the pipeline and print what happened."""

from __future__ import annotations

import functools
import os
import sys
from pathlib import Path

import click

from . import pipeline
from .display import changes_as_json, format_changes, format_problems, format_table1, problems_as_json
from .errors import InvalidInputError, JtaiDocsError, Severity, UsageError

DEFAULT_REPORT = Path("inputs") / "report.toml"
#: Exit status for a fault in jtai-docs itself (sysexits EX_SOFTWARE).
INTERNAL_ERROR = 70
#: The most `jtai-docs text -` reads from standard input: far more than any real report.
MAX_STDIN_BYTES = 256 * 2**20


def _handle_errors(command=None, *, error_status: int | None = None):
    """Turns every JtaiDocsError into its message and exit status; the one place this happens.

    error_status replaces the usual statuses for commands where 1 means something else (diff: differences).
    """
    if command is None:
        return functools.partial(_handle_errors, error_status=error_status)

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except InvalidInputError as exc:
            click.echo(format_problems(exc.problems), err=True)
            click.echo(f"\n{exc.message} Nothing was written.", err=True)
            sys.exit(error_status or exc.exit_code)
        except JtaiDocsError as exc:
            click.echo(f"Error: {exc.message}", err=True)
            sys.exit(error_status or exc.exit_code)
        except Exception as exc:
            # A fault in jtai-docs itself, not in the officer's files: say so plainly, keep the detail on request.
            if os.environ.get("JTAI_DOCS_DEBUG"):
                raise
            click.echo(f"Error: jtai-docs failed unexpectedly ({type(exc).__name__}: {exc}). This is a fault in "
                       "jtai-docs, not in your files; please report it. Set JTAI_DOCS_DEBUG=1 to see the details.",
                       err=True)
            sys.exit(INTERNAL_ERROR)

    return wrapper


def _report_path(report: Path | None) -> Path:
    path = report or DEFAULT_REPORT
    if not path.is_file():
        hint = " (run jtai-docs from the project folder, or give the path to a report.toml)" if report is None else ""
        raise UsageError(message=f"the report settings file {path} does not exist{hint}")
    return path


REPORT_ARGUMENT = click.argument("report", required=False, type=click.Path(path_type=Path, dir_okay=False))


#: The main --help ends with what each exit status means, since scripts and CI rely on them.
EXIT_STATUS_HELP = """\b
Exit status: 0 success; 1 the inputs have problems (all are listed); 2 the command was used wrongly.
diff: 0 no differences, 1 differences, 2 an error (as diff(1)).
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


def _say(message: str = "", **kwargs) -> None:
    """Prints what went well, unless --quiet; problems are printed with click.echo whatever the setting."""
    if not click.get_current_context().meta.get("jtai_docs.quiet"):
        click.echo(message, **kwargs)


@main.command(short_help="Build the committee report (or several) from report.toml.")
@click.argument("reports", metavar="[REPORT]...", nargs=-1, type=click.Path(path_type=Path))
@click.option("--force", is_flag=True, help="Replace the report even if it was edited by hand since it was built.")
@click.option("--pdf", is_flag=True, help="Also make an accessible (tagged, PDF/UA) PDF beside it, with LibreOffice.")
@_handle_errors
def build(reports: tuple[Path, ...], force: bool, pdf: bool) -> None:
    """Build the committee report described by REPORT (default: inputs/report.toml).

    Several REPORTs, or a folder of them, are built in one run: a report with problems is listed with them
    while the others are built, and the exit status is 0 only if every report was built.

    \b
    Example:
        jtai-docs build
        jtai-docs build --pdf inputs/march-update/report.toml
        jtai-docs build updates/          # every report.toml in updates/ and its subfolders
    """
    if len(reports) > 1 or (reports and reports[0].is_dir()):
        _build_batch(pipeline.find_reports(reports), force=force, pdf=pdf)
        return
    result = pipeline.build_report(_report_path(reports[0] if reports else None), force=force, pdf=pdf)
    if result.checked.warnings:
        click.echo(format_problems(result.checked.warnings), err=True)
    _say(format_table1(result.checked.table1))
    state = " (unchanged)" if result.written.unchanged else ""
    _say(f"\nWrote {result.written.path}{state}")
    if result.pdf is not None:
        _say(f"Wrote {result.pdf}")
    if result.written.previous is not None:
        _say(f"The earlier version is kept as {result.written.previous}")
        _say(format_changes(result.changes, old="the earlier version", new="this build"))


def _build_batch(reports: list[Path], *, force: bool, pdf: bool) -> None:
    """Builds every report in one process; a progress bar on a terminal only, the same lines on a pipe."""
    outcomes = pipeline.build_reports(reports, force=force, pdf=pdf)
    if sys.stderr.isatty() and not click.get_current_context().meta.get("jtai_docs.quiet"):
        with click.progressbar(outcomes, length=len(reports), label="Building reports", file=sys.stderr) as bar:
            outcomes = list(bar)
    failed = []
    for report, outcome in outcomes:
        if isinstance(outcome, JtaiDocsError):
            failed.append(report)
            problems = getattr(outcome, "problems", ())
            click.echo(f"{report}: not built. {outcome.message}", err=True)
            if problems:
                click.echo("  " + format_problems(problems).replace("\n", "\n  "), err=True)
            continue
        if outcome.checked.warnings:
            click.echo(f"{report}:\n  " + format_problems(outcome.checked.warnings).replace("\n", "\n  "), err=True)
        state = " (unchanged)" if outcome.written.unchanged else ""
        _say(f"{report}: wrote {outcome.written.path}{state}" + (f" and {outcome.pdf}" if outcome.pdf else ""))
    _say(f"\nBuilt {len(reports) - len(failed)} of {len(reports)} report(s).")
    if failed:
        click.echo(f"Not built ({len(failed)}): " + ", ".join(map(str, failed)), err=True)
        sys.exit(1)


@main.command(short_help="Check the inputs without writing anything.")
@REPORT_ARGUMENT
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="json: every problem as a record (file, place, found, expected, severity) on standard output.")
@_handle_errors
def check(report: Path | None, output_format: str) -> None:
    """Check report.toml, the workbook and the template without writing anything.

    \b
    Example:
        jtai-docs check
        jtai-docs check inputs/report.toml
        jtai-docs check --format json inputs/report.toml
    """
    path = _report_path(report)
    if output_format == "json":
        problems = pipeline.check_problems(path)
        click.echo(problems_as_json(problems, report=str(path)))
        sys.exit(1 if any(problem.severity is Severity.ERROR for problem in problems) else 0)
    checked = pipeline.check_report(path)
    if checked.warnings:
        click.echo(format_problems(checked.warnings), err=True)
    _say(format_table1(checked.table1))
    warnings = f" ({len(checked.warnings)} warning(s) above)" if checked.warnings else ""
    _say(f"\nNo errors found: the report can be built{warnings}.")


@main.command(short_help="What changed between two reports (.docx) or workbooks (.xlsx).")
@click.argument("old", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("new", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("-o", "--output", "redline", type=click.Path(dir_okay=False, path_type=Path),
              help="Write NEW as a Word document with every difference from OLD as a tracked change (.docx only; "
                   "- writes it to standard output and the summary to standard error).")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="How to print the differences.")
@click.option("--author", default=pipeline.REDLINE_AUTHOR, show_default=True,
              help="The name Word shows on the tracked changes.")
@click.option("--cutoff", type=click.DateTime(formats=["%Y-%m-%d"]),
              help="For workbooks: the Table 1 cutoff (default: the cutoff in --report).")
@click.option("--report", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="For workbooks: the report.toml whose cutoff to use (default: inputs/report.toml).")
@_handle_errors(error_status=2)
def diff(old: Path, new: Path, redline: Path | None, output_format: str, author: str, cutoff, report: Path | None):
    """Show what changed between two versions of a report (.docx) or of the action-plan workbook (.xlsx).

    Exit status: 0 no differences, 1 differences, 2 error.

    \b
    Example:
        jtai-docs diff outputs/history/committee_report.2019-01-28T101500Z.1a2b3c4d.docx \\
            outputs/committee_report.docx -o outputs/redline.docx
        jtai-docs diff action_plan_january.xlsx inputs/action_plan.xlsx
    """
    kinds = {old.suffix.lower(), new.suffix.lower()}
    if kinds == {".docx"} and redline == Path("-"):
        changes, data = pipeline.compare_reports_to_bytes(old, new, author=author)
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        if output_format == "json":
            click.echo(changes_as_json(changes, old=str(old), new=str(new)), err=True)
        elif not click.get_current_context().meta.get("jtai_docs.quiet"):
            click.echo(format_changes(changes, old=str(old), new=str(new)), err=True)
        sys.exit(1 if changes else 0)
    if kinds == {".docx"}:
        changes = pipeline.compare_reports(old, new, redline_path=redline, author=author)
    elif kinds == {".xlsx"}:
        if redline is not None:
            raise UsageError(message="a redline (-o) is made from two Word reports (.docx), not from workbooks")
        changes = pipeline.compare_workbooks(old, new, cutoff=cutoff.date() if cutoff else None,
                                             settings_path=None if cutoff else _report_path(report))
    else:
        raise UsageError(message="compare two Word reports (.docx) or two workbooks (.xlsx)")
    if output_format == "json":
        click.echo(changes_as_json(changes, old=str(old), new=str(new)))
    else:
        _say(format_changes(changes, old=str(old), new=str(new)))
        if redline is not None:
            _say(f"Wrote the redline {redline}")
    sys.exit(1 if changes else 0)


@main.command(short_help="Print a Word document as plain text (for reading and git diff).")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, allow_dash=True, path_type=Path))
@_handle_errors
def text(file: Path) -> None:
    """Print any Word document as plain text: list numbers as Word shows them, headings, tables, changes accepted.

    Works as a git textconv driver, so `git diff` shows reports as text (see the README).

    FILE - reads the document from standard input.

    \b
    Example:
        jtai-docs text outputs/committee_report.docx
        unzip -p reports.zip march.docx | jtai-docs text -
    """
    if file == Path("-"):
        data = sys.stdin.buffer.read(MAX_STDIN_BYTES + 1)
        if len(data) > MAX_STDIN_BYTES:
            raise UsageError(message=f"standard input holds more than {MAX_STDIN_BYTES // 2**20} MB, "
                             "more than a Word document can be; give the file's name instead")
        click.echo(pipeline.document_text_from_bytes(data), nl=False)
        return
    click.echo(pipeline.document_text(file), nl=False)


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
    _say(f"\nNext: edit {folder / 'report.toml'}, put the partners' workbook in place of "
               f"{folder / 'action_plan.xlsx'}, then run: jtai-docs build {folder / 'report.toml'}")
