"""The template cache (#11): what a build works out from the Word template alone is kept on disk for the next build
of the same template. A rebuild from it gives the very same report; an edited template, new data or new settings
are never answered from an old entry; a cache that cannot be read, cannot be written or holds damaged entries never
fails or changes a build; two builds at once leave only whole entries. Every build here is a whole process, as an
officer's is (the process keeps what it worked out in memory besides)."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import pytest

from helpers import body_texts, edit_workbook
from jtai_docs.cache import CACHE_VARIABLE

REPORT = Path("inputs") / "report.toml"
BUILT = Path("outputs") / "committee_report.docx"
MAGIC = b"jtai-docs cache 1\n"


def jtai_docs(*args: object, cwd: Path, cache: Path) -> subprocess.CompletedProcess[str]:
    """The command in a fresh Python, keeping its cache in the given folder; never a traceback."""
    completed = subprocess.run(
        [sys.executable, "-m", "jtai_docs", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={**os.environ, CACHE_VARIABLE: str(cache)},
        check=False,
    )
    assert "Traceback" not in completed.stderr, completed.stderr
    return completed


def build(project: Path, cache: Path) -> bytes:
    """The report's bytes after `jtai-docs build --force`, which must succeed."""
    completed = jtai_docs("build", "--force", REPORT, cwd=project, cache=cache)
    assert completed.returncode == 0, completed.stderr
    return (project / BUILT).read_bytes()


def entries(cache: Path) -> list[Path]:
    return sorted(path for path in cache.iterdir() if path.is_file())


def whole(entry: Path) -> bool:
    """Whether the file is an entry as the cache writes it: the marker, the SHA-256 of the rest, the rest."""
    data = entry.read_bytes()
    body = data[len(MAGIC) + 32 :]
    return data.startswith(MAGIC) and data[len(MAGIC) : len(MAGIC) + 32] == hashlib.sha256(body).digest()


def report_text(path: Path) -> str:
    """The text of the report's body, tables included."""
    return "\n".join(body_texts(docx.Document(str(path)).element.body))


@pytest.fixture
def reference(project: Path, tmp_path: Path) -> bytes:
    """The report built with no cache at all (the folder named is a file, so there is none to use)."""
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the cache folder would be", encoding="utf-8")
    data = build(project, blocked / "cache")
    (project / BUILT).unlink()
    return data


def test_a_rebuild_from_the_cache_gives_the_very_same_report(project, tmp_path, reference):
    cache = tmp_path / "cache"
    first = build(project, cache)
    kept = {entry.name.split("-")[0] for entry in entries(cache)}
    second = build(project, cache)
    assert first == second == reference
    # The template's cleaned-up XML, its compiled code, its row loops and its checked tags were all kept and whole.
    assert kept == {"patched", "code", "row", "tags"} and all(map(whole, entries(cache)))


def test_an_edited_template_is_never_filled_from_an_old_entry(project, tmp_path):
    cache = tmp_path / "cache"
    build(project, cache)
    assert "Purpose of the Report" in report_text(project / BUILT)
    template = project / "templates" / "committee_report.docx"
    replace_in_template(template, "Purpose of the Report", "Aim of this Report")
    build(project, cache)
    text = report_text(project / BUILT)
    assert "Aim of this Report" in text and "Purpose of the Report" not in text

    # A tag edited to ask for a variable jtai-docs does not provide is refused, as without a cache.
    replace_in_template(template, "{{ presenter }}", "{{ presenter_name }}")
    refused = jtai_docs("build", "--force", REPORT, cwd=project, cache=cache)
    assert refused.returncode == 1
    assert "the template uses the variable 'presenter_name', which jtai-docs does not provide" in refused.stderr


def test_settings_changed_since_the_template_was_checked_are_refused_as_without_a_cache(project, tmp_path):
    cache = tmp_path / "cache"
    build(project, cache)
    settings = project / REPORT
    text = settings.read_text(encoding="utf-8")
    settings.write_text(re.sub(r"(?m)^plan_submitted = .*\n", "", text), encoding="utf-8")
    from_cache = jtai_docs("check", REPORT, cwd=project, cache=cache)
    without = jtai_docs("check", REPORT, cwd=project, cache=tmp_path / "other-cache")
    assert from_cache.returncode == without.returncode == 1
    assert from_cache.stderr == without.stderr
    assert "the template uses dates 'plan_submitted', which is not among its dates" in from_cache.stderr


def test_figures_always_come_from_the_workbook(project, tmp_path):
    cache = tmp_path / "cache"
    before = jtai_docs("build", "--force", REPORT, cwd=project, cache=cache)
    assert "TOTALS:                                                    45      6      11     62" in before.stdout

    def mark_a_green_action_amber(book):
        sheet = book["Action Plan"]
        header = next(row for row in sheet.iter_rows() if any(cell.value == "Status" for cell in row))
        column = next(cell.column for cell in header if cell.value == "Status")
        cell = next(
            row[column - 1] for row in sheet.iter_rows(min_row=header[0].row + 1) if row[column - 1].value == "Green"
        )
        cell.value = "Amber"

    edit_workbook(project / "inputs" / "action_plan.xlsx", mark_a_green_action_amber)
    after = jtai_docs("build", "--force", REPORT, cwd=project, cache=cache)
    assert after.returncode == 0, after.stderr
    assert "TOTALS:                                                    44      7      11     62" in after.stdout
    # Nothing typed in the workbook is in the cache: an action's own words are in the report, not in any entry.
    typed = "Attendance audited for October and November 2018"
    assert typed in report_text(project / BUILT)
    assert not any(typed.encode() in entry.read_bytes() for entry in entries(cache))


@pytest.mark.parametrize("damage", ["garbage", "cut short", "one byte changed", "empty"])
def test_a_damaged_cache_never_fails_or_changes_a_build(project, tmp_path, reference, damage):
    cache = tmp_path / "cache"
    build(project, cache)
    for entry in entries(cache):
        data = entry.read_bytes()
        entry.write_bytes(
            {
                "garbage": os.urandom(len(data)),
                "cut short": data[: len(data) // 2],
                "one byte changed": data[:-1] + bytes([data[-1] ^ 1]),
                "empty": b"",
            }[damage]
        )
    assert build(project, cache) == reference
    # Each damaged entry was worked out again and written over.
    assert entries(cache) and all(map(whole, entries(cache)))


@pytest.mark.parametrize("kind", ["folder", "pipe"])
def test_an_unreadable_cache_never_fails_or_changes_a_build(project, tmp_path, reference, kind):
    if kind == "pipe" and not hasattr(os, "mkfifo"):
        pytest.skip("named pipes as POSIX has them")
    cache = tmp_path / "cache"
    build(project, cache)
    names = [entry.name for entry in entries(cache)]
    for name in names:  # a folder or a pipe where each entry was: neither is read nor waited on
        (cache / name).unlink()
        (cache / name).mkdir() if kind == "folder" else os.mkfifo(cache / name)
    assert build(project, cache) == reference
    # A pipe is written over with the entry worked out again; a folder cannot be, and stays.
    assert sorted(path.name for path in cache.iterdir()) == sorted(names)
    assert all(map(whole, entries(cache))) and len(entries(cache)) == (len(names) if kind == "pipe" else 0)


def test_a_cache_that_cannot_be_made_or_written_never_fails_or_changes_a_build(project, tmp_path, reference):
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder", encoding="utf-8")
    assert build(project, blocked / "cache") == reference
    read_only = tmp_path / "read-only"
    read_only.mkdir()
    read_only.chmod(0o500)
    try:
        assert build(project, read_only) == reference
    finally:
        read_only.chmod(0o700)


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="folder permissions as POSIX has them")
def test_a_cache_folder_others_can_write_to_is_never_used(project, tmp_path, reference):
    # Entries hold compiled code: one another user could have written is never read, and nothing is written.
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o777)
    assert build(project, shared) == reference
    assert list(shared.iterdir()) == []


def test_two_builds_at_once_leave_only_whole_entries(project, tmp_path, reference):
    cache = tmp_path / "cache"
    other = tmp_path / "other"
    shutil.copytree(project, other)
    for _attempt in range(3):
        shutil.rmtree(cache, ignore_errors=True)
        command = [sys.executable, "-m", "jtai_docs", "build", "--force", str(REPORT)]
        environment = {**os.environ, CACHE_VARIABLE: str(cache)}
        running = [
            subprocess.Popen(command, cwd=folder, env=environment, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            for folder in (project, other)
        ]
        for process in running:
            _out, errors = process.communicate()
            assert process.returncode == 0 and b"Traceback" not in errors, errors
        assert (project / BUILT).read_bytes() == (other / BUILT).read_bytes() == reference
        # Only whole entries, and no temporary file left behind.
        assert sorted(path.name for path in cache.iterdir()) == [entry.name for entry in entries(cache)]
        assert all(map(whole, entries(cache))) and not any(entry.name.startswith(".") for entry in entries(cache))
    assert build(project, cache) == reference


def replace_in_template(template: Path, old: str, new: str) -> None:
    """The template with one text of its body replaced, every other part of the package as it was."""
    with zipfile.ZipFile(template) as package:
        parts = [(info, package.read(info)) for info in package.infolist()]
    with zipfile.ZipFile(template, "w", zipfile.ZIP_DEFLATED) as package:
        for info, data in parts:
            if info.filename == "word/document.xml":
                assert old.encode() in data
                data = data.replace(old.encode(), new.encode())
            package.writestr(info, data)
