"""Working folders a killed jtai-docs (or its LibreOffice) left behind are removed by the next run; folders still in
use, made on another machine sharing the folder, or whose owner cannot be told, are left alone."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

from jtai_docs import files

PREFIX = "jtai-docs-lo-"


def left(temporary: Path, name: str, owner: str | None, *, age: float = 0) -> Path:
    folder = temporary / f"{PREFIX}{name}"
    (folder / "out").mkdir(parents=True)
    (folder / "out" / "part.pdf").write_bytes(b"%PDF-")
    if owner is not None:
        (folder / files.OWNER_FILE).write_text(owner, encoding="utf-8")
    if age:
        then = time.time() - age
        os.utime(folder, (then, then))
    return folder


def ended_process() -> int:
    """The number of a process that has finished (and been reaped), so nothing answers to it."""
    process = subprocess.Popen([sys.executable, "-c", ""])
    process.wait()
    return process.pid


def test_only_the_folders_of_ended_runs_are_removed(tmp_path):
    host = socket.gethostname()
    killed = left(tmp_path, "killed", f"{ended_process()} {host}\n")
    running = left(tmp_path, "running", f"{os.getpid()} {host}\n")
    elsewhere = left(tmp_path, "elsewhere", f"{ended_process()} another-machine\n")
    unreadable = left(tmp_path, "unreadable", "not an owner line\n")
    old_unowned = left(tmp_path, "old", None, age=files.ABANDONED_AFTER + 60)
    new_unowned = left(tmp_path, "new", None)
    other_prefix = tmp_path / "jtai-docs-pdf-x"
    other_prefix.mkdir()
    (other_prefix / files.OWNER_FILE).write_text(f"{ended_process()} {host}\n", encoding="utf-8")

    removed = files.remove_abandoned(PREFIX, folder=str(tmp_path))

    assert sorted(removed) == sorted([killed, old_unowned])
    assert not killed.exists() and not old_unowned.exists()
    for kept in (running, elsewhere, unreadable, new_unowned, other_prefix):
        assert kept.is_dir(), kept


def test_a_work_folder_is_claimed_while_in_use_and_gone_afterwards(tmp_path, monkeypatch):
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    with files.work_folder(PREFIX) as work:
        owner = (Path(work) / files.OWNER_FILE).read_text(encoding="utf-8").split()
        assert owner == [str(os.getpid()), socket.gethostname()]
        assert files.remove_abandoned(PREFIX, folder=str(tmp_path)) == []  # in use: kept
    assert not Path(work).exists()
