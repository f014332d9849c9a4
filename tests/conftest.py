"""Shared fixtures: a private copy of the project's inputs and template, and LibreOffice's view of a report."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from jtai_docs import libreoffice

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of inputs/ and templates/ in a temporary folder, so builds never touch the real outputs/."""
    for folder in ("inputs", "templates"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    return tmp_path


def libreoffice_lines(docx: Path) -> list[str]:
    """The report's text as LibreOffice renders it (list numbers included), one line per paragraph or cell."""
    target = docx.with_name(docx.stem + ".lo.txt")
    libreoffice.convert_document(docx, target, filter_name="txt:Text (encoded):UTF8,LF,,,")
    return target.read_text(encoding="utf-8-sig").splitlines()
