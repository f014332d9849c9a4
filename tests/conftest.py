"""Shared fixtures and what the tests need: a private copy of the project's inputs and template; the `libreoffice`
and `seed` markers, which skip a test with a reason when LibreOffice or the seed text is missing (and fail the run
instead when CI=true, so CI never passes by skipping); Hypothesis profiles chosen with --hypothesis-profile."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from hypothesis import settings

# jtai_docs (and helpers, which imports it) are imported inside the functions below, not here: under pytest-xdist
# coverage starts in each worker after conftest is imported, so modules imported here would lose their top-level
# lines from the measured coverage.

# Profiles, chosen with --hypothesis-profile=NAME: "default" is repeatable (the same examples every run, as CI needs);
# "thorough" searches afresh with many more examples; "quick" is for iterating. JTAI_DOCS_EXAMPLES=N still sets the
# number of examples of the default profile.
settings.register_profile(
    "default", max_examples=int(os.environ.get("JTAI_DOCS_EXAMPLES", "50")), derandomize=True, deadline=None
)
settings.register_profile("thorough", max_examples=1000, deadline=None)
settings.register_profile("quick", max_examples=5, derandomize=True, deadline=None)
settings.load_profile("default")  # the pytest option, when given, loads its profile after this


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "libreoffice: needs LibreOffice (soffice) to render documents")
    config.addinivalue_line("markers", "seed: needs the council's original report text (the seed document)")


def _missing(marker: str) -> str | None:
    """Why a test with this marker cannot run here, or None when it can."""
    from helpers import find_seed
    from jtai_docs import libreoffice
    from jtai_docs.errors import ProgramMissingError

    if marker == "libreoffice":
        try:
            libreoffice.find_soffice()
        except ProgramMissingError as exc:
            return f"LibreOffice is not installed ({exc.message})"
    if marker == "seed" and not find_seed().is_file():
        return f"the seed document is not at {find_seed()}; set JTAI_SEED to its path"
    return None


def pytest_runtest_setup(item: pytest.Item) -> None:
    for marker in ("libreoffice", "seed"):
        if item.get_closest_marker(marker):
            reason = _missing(marker)
            if reason:
                pytest.skip(reason)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    # CI must run everything: a skip there means a missing program or file, which would hide failures.
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter else []
    if os.environ.get("CI", "").lower() in ("1", "true", "yes") and skipped and session.exitstatus == 0:
        if reporter:
            reporter.write_line(f"CI=true: {len(skipped)} test(s) were skipped; everything must run in CI.", red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


@pytest.fixture(autouse=True, scope="session")
def _private_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Builds keep what they work out from a template in a cache folder of the run's own, never the user's (#11)."""
    os.environ["JTAI_DOCS_CACHE"] = str(tmp_path_factory.mktemp("cache"))


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of inputs/ and templates/ in a temporary folder, so builds never touch the real outputs/."""
    from helpers import ROOT

    for folder in ("inputs", "templates"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    return tmp_path


@pytest.fixture
def runner():
    """click's runner, for commands run in-process with their standard input, output and error apart."""
    from click.testing import CliRunner

    return CliRunner()


@pytest.fixture
def case(tmp_path: Path):
    """Writes report.toml next to plan.xlsx; returns a function that runs a jtai-docs command on it (`check` unless
    told), asserting it never fails with a traceback or an internal error; .plan and .output say where things go."""
    from helpers import beside_workbook, run

    settings = beside_workbook(tmp_path, output='"out/report.docx"')

    def run_on_settings(command: str = "check"):
        result = run(command, settings)
        assert result.exit_code in (0, 1), result.output
        return result

    run_on_settings.plan = tmp_path / "plan.xlsx"
    run_on_settings.output = tmp_path / "out" / "report.docx"
    return run_on_settings
