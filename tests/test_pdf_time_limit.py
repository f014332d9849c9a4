"""LibreOffice that goes past its time limit is stopped with every process it started: its launcher starts
soffice.bin, which holds the output pipe, and stopping only the launcher left the build waiting for ever."""

from __future__ import annotations

import os
import time
from pathlib import Path

import docx
import pytest

from jtai_docs import libreoffice
from jtai_docs.errors import ProgramFailedError


def _batch(source: Path, target: Path) -> None:
    libreoffice.convert_documents([libreoffice.Conversion(source, target)], filter_name=libreoffice.ACCESSIBLE_PDF)


def _single(source: Path, target: Path) -> None:
    libreoffice.convert_document(source, target, filter_name=libreoffice.ACCESSIBLE_PDF)


@pytest.mark.skipif(os.name == "nt", reason="a shell script stands in for LibreOffice")
@pytest.mark.parametrize(
    ("convert", "limit"),
    [(_batch, 2), (_single, 1)],
    ids=["a batch's worker", "a single conversion (the web server's fallback)"],
)
def test_a_libreoffice_past_its_time_limit_is_stopped_with_the_process_holding_its_output(
    tmp_path, monkeypatch, convert, limit
):
    child = tmp_path / "child.pid"
    fake = tmp_path / "soffice"
    # Like oosplash: it starts a process that inherits the output pipe, then waits on it.
    fake.write_text(f"#!/bin/sh\nsleep 300 &\necho $! > {child}\nwait\n", encoding="utf-8")
    fake.chmod(0o755)
    monkeypatch.setenv("JTAI_DOCS_SOFFICE", str(fake))
    monkeypatch.setattr(libreoffice, "START_SECONDS", 1)
    monkeypatch.setattr(libreoffice, "SECONDS_PER_DOCUMENT", 1)
    monkeypatch.setattr(libreoffice, "TIMEOUT", 1)
    source = tmp_path / "report.docx"
    docx.Document().save(str(source))
    started = time.monotonic()
    with pytest.raises(ProgramFailedError) as raised:
        convert(source, tmp_path / "report.pdf")
    assert time.monotonic() - started < 30
    assert f"LibreOffice did not finish converting report.docx within {limit} seconds" in raised.value.message
    assert not (tmp_path / "report.pdf").exists()
    pid = int(child.read_text(encoding="utf-8"))
    for _ in range(50):  # killed at once; reaped by init shortly after
        if not Path(f"/proc/{pid}").exists() or "Z" in Path(f"/proc/{pid}/stat").read_text().split()[2]:
            break
        time.sleep(0.1)
    else:
        pytest.fail("the process LibreOffice's launcher started is still running")
