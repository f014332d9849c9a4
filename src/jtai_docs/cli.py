"""The jtai-docs command: thin wrappers that call the pipeline and print what happened."""

from __future__ import annotations

import functools
import os
import sys
from pathlib import Path

import click

from . import pipeline
from .display import format_problems, format_table1
from .errors import InvalidInputError, JtaiDocsError, UsageError

DEFAULT_REPORT = Path("inputs") / "report.toml"
#: Exit status for a fault in jtai-docs itself (sysexits EX_SOFTWARE).
INTERNAL_ERROR = 70


def _handle_errors(command):
    """Turns every JtaiDocsError into its message and exit status; the one place this happens."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except InvalidInputError as exc:
            click.echo(format_problems(exc.problems), err=True)
            click.echo(f"\n{exc.message} Nothing was written.", err=True)
            sys.exit(exc.exit_code)
        except JtaiDocsError as exc:
            click.echo(f"Error: {exc.message}", err=True)
            sys.exit(exc.exit_code)
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
@_handle_errors
def build(report: Path | None, force: bool) -> None:
    """Build the committee report described by REPORT (default: inputs/report.toml).

    \b
    Example:
        jtai-docs build
        jtai-docs build inputs/march-update/report.toml
    """
    result = pipeline.build_report(_report_path(report), force=force)
    if result.checked.warnings:
        click.echo(format_problems(result.checked.warnings), err=True)
    click.echo(format_table1(result.checked.table1))
    state = " (unchanged)" if result.written.unchanged else ""
    click.echo(f"\nWrote {result.written.path}{state}")


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
    click.echo("\nNo problems found: the report can be built.")
