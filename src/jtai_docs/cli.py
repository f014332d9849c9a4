"""The jtai-docs command: thin wrappers that call the pipeline and print what happened."""

from __future__ import annotations

import functools
import os
import sys
from pathlib import Path

import click

from . import pipeline
from .display import changes_as_json, format_changes, format_problems, format_table1
from .errors import InvalidInputError, JtaiDocsError, UsageError

DEFAULT_REPORT = Path("inputs") / "report.toml"
#: Exit status for a fault in jtai-docs itself (sysexits EX_SOFTWARE).
INTERNAL_ERROR = 70


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


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="jtai-docs")
def main() -> None:
    """Build council committee reports from the JTAI action-plan workbook."""


@main.command()
@REPORT_ARGUMENT
@click.option("--force", is_flag=True, help="Replace the report even if it was edited by hand since it was built.")
@click.option("--pdf", is_flag=True, help="Also make an accessible (tagged, PDF/UA) PDF beside it, with LibreOffice.")
@_handle_errors
def build(report: Path | None, force: bool, pdf: bool) -> None:
    """Build the committee report described by REPORT (default: inputs/report.toml).

    \b
    Example:
        jtai-docs build
        jtai-docs build --pdf inputs/march-update/report.toml
    """
    result = pipeline.build_report(_report_path(report), force=force, pdf=pdf)
    if result.checked.warnings:
        click.echo(format_problems(result.checked.warnings), err=True)
    click.echo(format_table1(result.checked.table1))
    state = " (unchanged)" if result.written.unchanged else ""
    click.echo(f"\nWrote {result.written.path}{state}")
    if result.pdf is not None:
        click.echo(f"Wrote {result.pdf}")
    if result.written.previous is not None:
        click.echo(f"The earlier version is kept as {result.written.previous}")
        click.echo(format_changes(result.changes, old="the earlier version", new="this build"))


@main.command()
@REPORT_ARGUMENT
@_handle_errors
def check(report: Path | None) -> None:
    """Check report.toml, the workbook and the template without writing anything.

    \b
    Example:
        jtai-docs check
        jtai-docs check inputs/report.toml
    """
    checked = pipeline.check_report(_report_path(report))
    if checked.warnings:
        click.echo(format_problems(checked.warnings), err=True)
    click.echo(format_table1(checked.table1))
    warnings = f" ({len(checked.warnings)} warning(s) above)" if checked.warnings else ""
    click.echo(f"\nNo errors found: the report can be built{warnings}.")


@main.command()
@click.argument("old", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("new", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("-o", "--output", "redline", type=click.Path(dir_okay=False, path_type=Path),
              help="Write NEW as a Word document with every difference from OLD as a tracked change (.docx only).")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="How to print the differences.")
@click.option("--author", default=pipeline.REDLINE_AUTHOR, show_default=True,
              help="The name Word shows on the tracked changes.")
@click.option("--accept-existing", is_flag=True,
              help="When a version already holds tracked changes, compare it as it reads with them accepted.")
@click.option("--text-only", is_flag=True,
              help="Leave out formatting changes (styles, bold, indents): only words, tables and objects.")
@click.option("--cutoff", type=click.DateTime(formats=["%Y-%m-%d"]),
              help="For workbooks: the Table 1 cutoff (default: the cutoff in --report).")
@click.option("--report", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="For workbooks: the report.toml whose cutoff to use (default: inputs/report.toml).")
@_handle_errors(error_status=2)
def diff(old: Path, new: Path, redline: Path | None, output_format: str, author: str, cutoff, report: Path | None,
         accept_existing: bool = False, text_only: bool = False):
    """Show what changed between two versions of a report (.docx) or of the action-plan workbook (.xlsx).

    Exit status: 0 no differences, 1 differences, 2 error.

    \b
    Example:
        jtai-docs diff outputs/history/committee_report.2019-01-28T101500Z.1a2b3c4d.docx \\
            outputs/committee_report.docx -o outputs/redline.docx
        jtai-docs diff action_plan_january.xlsx inputs/action_plan.xlsx
    """
    kinds = {old.suffix.lower(), new.suffix.lower()}
    if kinds == {".docx"}:
        changes = pipeline.compare_reports(old, new, redline_path=redline, author=author,
                                           existing="accept" if accept_existing else None, text_only=text_only)
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
        click.echo(format_changes(changes, old=str(old), new=str(new)))
        if redline is not None:
            click.echo(f"Wrote the redline {redline}")
    sys.exit(1 if changes else 0)


@main.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@_handle_errors
def text(file: Path) -> None:
    """Print any Word document as plain text: list numbers as Word shows them, headings, tables, changes accepted.

    Works as a git textconv driver, so `git diff` shows reports as text (see the README).

    \b
    Example:
        jtai-docs text outputs/committee_report.docx
    """
    click.echo(pipeline.document_text(file), nl=False)
