"""Writes reports so that a failure never leaves a half-written file and a hand-edited report is never lost."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from .errors import JtaiDocsError, OutputProtectedError

#: Beside the reports: the SHA-256 of each report as last built, to tell a hand-edited report from a built one.
RECORD_NAME = ".jtai-docs-builds.json"
#: Beside the reports: every earlier version a build replaced, so a reviewer can always compare with it.
HISTORY_FOLDER = "history"


@dataclass(frozen=True)
class WriteOutcome:
    """What writing the report did."""

    path: Path
    """The report written."""
    sha256: str
    """The SHA-256 of what was written."""
    replaced: bool
    """True when an earlier build was replaced."""
    unchanged: bool
    """True when the earlier build had exactly the same bytes."""
    previous: Path | None = None
    """Where the earlier, different version was kept (in history/), if there was one."""


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def write_report(path: Path, data: bytes, *, force: bool = False) -> WriteOutcome:
    """Moves the finished report into place atomically, refusing to overwrite a hand-edited one unless forced."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise JtaiDocsError(message=f"could not create the folder {path.parent}: {exc.strerror or exc}") from exc
    record = read_record(path.parent)
    digest = sha256_of(data)
    replaced = path.exists()
    unchanged = False
    if replaced:
        current = sha256_of(path.read_bytes())
        unchanged = current == digest
        if not force and not unchanged and record.get(path.name) != current:
            why = ("was changed after jtai-docs built it" if path.name in record
                   else "was not built by jtai-docs")
            raise OutputProtectedError(message=(
                f"{path} {why}, so it has not been overwritten. Copy your edits into the template or report.toml, "
                f"then build again with --force to replace it (the edited version is then kept in "
                f"{path.parent / HISTORY_FOLDER})."))
    previous = None
    try:
        if replaced and not unchanged:
            previous = keep_in_history(path)
        write_atomically(path, data)
        record[path.name] = digest
        write_atomically(path.parent / RECORD_NAME, (json.dumps(record, indent=2, sort_keys=True) + "\n").encode())
    except OSError as exc:
        raise JtaiDocsError(message=f"could not write {path}: {exc.strerror or exc}. If the report is open in Word, "
                            "close it and build again; the earlier report is unchanged.") from exc
    return WriteOutcome(path=path, sha256=digest, replaced=replaced, unchanged=unchanged, previous=previous)


def save_file(path: Path, data: bytes) -> None:
    """Writes a file other than the report (a redline, a PDF) atomically, with a plain message if it fails."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(path, data)
    except OSError as exc:
        raise JtaiDocsError(message=f"could not write {path}: {exc.strerror or exc}. If it is open in another "
                            "program, close it and try again.") from exc


def keep_in_history(path: Path) -> Path:
    """Copies the current file into history/, named by when it was written and its content hash."""
    data = path.read_bytes()
    written = datetime.fromtimestamp(path.stat().st_mtime, tz=timezone.utc)
    target = path.parent / HISTORY_FOLDER / f"{path.stem}.{written:%Y-%m-%dT%H%M%SZ}.{sha256_of(data)[:8]}{path.suffix}"
    target.parent.mkdir(exist_ok=True)
    if not target.exists():
        write_atomically(target, data)
    return target


def read_record(folder: Path) -> dict[str, str]:
    try:
        record = json.loads((folder / RECORD_NAME).read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return {}
    return record if isinstance(record, dict) else {}


def write_atomically(path: Path, data: bytes) -> None:
    """Writes to a temporary file beside the target, then renames it over the target in one step."""
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, 0o644)  # mkstemp makes it private; a report is for sharing
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
