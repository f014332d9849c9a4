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


@pytest.mark.skipif(os.name == "nt", reason="a shell script stands in for LibreOffice")
def test_a_libreoffice_past_its_time_limit_is_stopped_with_the_process_holding_its_output(tmp_path, monkeypatch):
    child = tmp_path / "child.pid"
    fake = tmp_path / "soffice"
    # Like oosplash: it starts a process that inherits the output pipe, then waits on it.
    fake.write_text(f"#!/bin/sh\nsleep 300 &\necho $! > {child}\nwait\n", encoding="utf-8")
    fake.chmod(0o755)
    monkeypatch.setenv("JTAI_DOCS_SOFFICE", str(fake))
    monkeypatch.setattr(libreoffice, "START_SECONDS", 1)
    monkeypatch.setattr(libreoffice, "SECONDS_PER_DOCUMENT", 1)
    source = tmp_path / "report.docx"
    docx.Document().save(str(source))
    started = time.monotonic()
    with pytest.raises(ProgramFailedError) as raised:
        libreoffice.convert_documents(
            [libreoffice.Conversion(source, tmp_path / "report.pdf")], filter_name=libreoffice.ACCESSIBLE_PDF
        )
    assert time.monotonic() - started < 30
    assert "LibreOffice did not finish converting report.docx within 2 seconds" in raised.value.message
    assert not (tmp_path / "report.pdf").exists()
    pid = int(child.read_text(encoding="utf-8"))
    for _ in range(50):  # killed at once; reaped by init shortly after
        if not Path(f"/proc/{pid}").exists() or "Z" in Path(f"/proc/{pid}/stat").read_text().split()[2]:
            break
        time.sleep(0.1)
    else:
        pytest.fail("the process LibreOffice's launcher started is still running")
