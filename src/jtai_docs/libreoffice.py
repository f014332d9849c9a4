"""LibreOffice, run headless: the only module that starts an external program."""

from __future__ import annotations

import os
import platform
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Mapping

from .errors import ProgramFailedError, ProgramMissingError

#: Seconds a single conversion may take before it is abandoned.
TIMEOUT = 180
_CANDIDATES = ("soffice", "libreoffice")
_INSTALL_HINT = ("LibreOffice is needed for this step but is not installed. On Debian or Ubuntu: "
                 "sudo apt-get install libreoffice-writer-nogui fonts-liberation2; elsewhere install LibreOffice from "
                 "libreoffice.org, or set JTAI_DOCS_SOFFICE to the path of its soffice program")


#: LibreOffice's PDF export as a tagged, PDF/UA-compliant file: headings, tables and reading order for screen
#: readers, the document language and title, as the public sector accessibility regulations expect.
ACCESSIBLE_PDF = ('pdf:writer_pdf_Export:{"UseTaggedPDF":{"type":"boolean","value":"true"},'
                  '"PDFUACompliance":{"type":"boolean","value":"true"},'
                  '"ExportBookmarks":{"type":"boolean","value":"true"}}')


def find_soffice() -> str:
    """The soffice program to run, or ProgramMissingError saying how to install it."""
    configured = os.environ.get("JTAI_DOCS_SOFFICE")
    if configured:
        if shutil.which(configured):
            return shutil.which(configured)
        raise ProgramMissingError(message=f"JTAI_DOCS_SOFFICE is set to {configured}, which is not a program")
    for name in _CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    if installed := find_installed_soffice():
        return installed
    raise ProgramMissingError(message=_INSTALL_HINT)


def convert_document(source: Path, target: Path, *, filter_name: str) -> Path:
    """Converts source into target with a LibreOffice export filter (such as 'txt:Text' or a PDF filter)."""
    soffice = find_soffice()
    with tempfile.TemporaryDirectory(prefix="jtai-docs-lo-") as work:
        work_path = Path(work)
        # A private profile per run: a second LibreOffice (or one the officer has open) cannot block this one.
        profile = (work_path / "profile").as_uri()
        out_dir = work_path / "out"
        command = [soffice, f"-env:UserInstallation={profile}", "--headless", "--norestore", "--nolockcheck",
                   "--convert-to", filter_name, "--outdir", str(out_dir), str(source)]
        try:
            completed = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT,
                                       stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired as exc:
            raise ProgramFailedError(message=f"LibreOffice did not finish converting {source.name} within "
                                     f"{TIMEOUT} seconds; output so far: {exc.stdout or ''}{exc.stderr or ''}")
        produced = sorted(out_dir.glob(f"{source.stem}.*")) if out_dir.exists() else []
        if completed.returncode != 0 or not produced:
            raise ProgramFailedError(message=(
                f"LibreOffice could not convert {source.name} (exit status {completed.returncode}). "
                f"It said: {(completed.stdout + completed.stderr).strip() or 'nothing'}"))
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(produced[0]), target)
    return target


def find_installed_soffice(*, system: str | None = None, environ: Mapping[str, str] | None = None) -> str | None:
    """soffice in LibreOffice's standard install places on Windows and macOS, which installers leave off PATH."""
    system = system or platform.system()
    environ = os.environ if environ is None else environ
    if system == "Windows":
        folders = [environ.get(name) for name in ("ProgramFiles", "ProgramW6432", "ProgramFiles(x86)")]
        candidates = [Path(folder) / "LibreOffice" / "program" / "soffice.exe" for folder in folders if folder]
    elif system == "Darwin":
        home = environ.get("HOME")
        candidates = [Path("/Applications/LibreOffice.app/Contents/MacOS/soffice")]
        if home:
            candidates.append(Path(home) / "Applications" / "LibreOffice.app" / "Contents" / "MacOS" / "soffice")
    else:
        return None
    return next((str(path) for path in candidates if path.is_file()), None)
