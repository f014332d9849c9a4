"""Paths no command may hang on, fill the memory with, or write over: each a located refusal, never exit 70."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from jtai_docs import pipeline


def run(*args, cwd: Path | None = None, timeout: int = 60) -> subprocess.CompletedProcess:
    """The command as its own process, as an officer runs it; a hang fails the test instead of stopping it."""
    result = subprocess.run(
        [sys.executable, "-m", "jtai_docs", *map(str, args)], capture_output=True, text=True, timeout=timeout, cwd=cwd
    )
    assert "Traceback" not in result.stderr and "failed unexpectedly" not in result.stderr, result.stderr
    return result


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def report(project) -> Path:
    """A built report to read and compare."""
    return pipeline.build_report(project / "inputs" / "report.toml").written.path


@pytest.mark.parametrize("command", ["text", "a11y", "pdf"])
@pytest.mark.parametrize("kind", ["pipe", "device"])
def test_a_pipe_or_device_given_as_a_word_document_is_refused_at_once(command, kind, tmp_path):
    if kind == "pipe":
        target = tmp_path / "paper.docx"
        os.mkfifo(target)
    else:
        target = tmp_path / "paper.docx"
        target.symlink_to("/dev/zero")  # a link is followed to what it names: an endless device
    result = run(command, target)
    assert result.returncode == (2 if command == "text" else 1)  # text refuses every file it cannot read with 2
    expected = "is a pipe" if kind == "pipe" else "is a device"
    assert f"the Word document {expected}" in result.stderr, result.stderr


def test_diff_refuses_a_pipe_as_either_version(report, tmp_path):
    pipe = tmp_path / "old.docx"
    os.mkfifo(pipe)
    result = run("diff", pipe, report)
    assert result.returncode == 2 and "the Word document is a pipe" in result.stderr, result.stderr


def test_a_redline_never_replaces_a_version_it_compares(report, tmp_path):
    old = tmp_path / "old.docx"
    old.write_bytes(report.read_bytes())
    before = digest(old)
    result = run("diff", old, report, "-o", old)
    assert result.returncode == 2
    assert f"the redline would replace {old}, one of the two versions it compares" in result.stderr
    assert digest(old) == before


def test_a_redline_into_a_pipe_or_a_missing_folder_is_refused(report, tmp_path):
    pipe = tmp_path / "redline.docx"
    os.mkfifo(pipe)
    result = run("diff", report, report, "-o", pipe)
    assert result.returncode == 2 and "the file to write is a pipe" in result.stderr, result.stderr
    missing = tmp_path / "no-such-folder" / "redline.docx"
    result = run("diff", report, report, "-o", missing)
    assert result.returncode == 2 and f"the folder {missing.parent} does not exist" in result.stderr
    assert not missing.parent.exists()


@pytest.mark.parametrize("what", ["workbook", "template"])
def test_an_output_naming_the_workbook_or_template_is_refused_even_when_forced(project, what):
    settings = project / "inputs" / "report.toml"
    target = {"workbook": "action_plan.xlsx", "template": "../templates/committee_report.docx"}[what]
    text = settings.read_text(encoding="utf-8")
    lines = [f'output = "{target}"' if line.startswith("output =") else line for line in text.splitlines()]
    settings.write_text("\n".join(lines) + "\n", encoding="utf-8")
    victim = (settings.parent / target).resolve()
    before = digest(victim)
    result = run("build", "--force", settings)
    assert result.returncode == 1
    if what == "workbook":  # a name without .docx is refused before anything else is looked at
        assert (
            "the report is a Word document, so its name must end in .docx (found 'action_plan.xlsx')" in result.stderr
        )
    else:
        assert f"output names the {what} itself ({victim.name}): building would overwrite it" in result.stderr
    assert digest(victim) == before


def test_a_link_loop_as_the_workbook_is_a_located_refusal(project):
    workbook = project / "inputs" / "action_plan.xlsx"
    workbook.unlink()
    workbook.symlink_to(workbook.name)  # points at itself
    result = run("check", project / "inputs" / "report.toml")
    assert result.returncode == 1
    assert "the workbook cannot be read (Too many levels of symbolic links)" in result.stderr, result.stderr


def test_a_device_as_the_servers_token_file_is_refused_before_anything_listens(tmp_path):
    result = run("serve", "--host", "0.0.0.0", "--port", "0", "--token-file", "/dev/zero")
    assert result.returncode == 2
    assert "the token file is a device" in result.stderr, result.stderr
