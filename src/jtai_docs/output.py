"""Writes reports so that a failure never leaves a half-written file and a hand-edited report is never lost."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from . import files
from .errors import BuildLockedError, InvalidInputError, OutputProtectedError, OutputWriteError, Problem

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows has no fcntl
    fcntl = None  # type: ignore[assignment]

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
    earlier_pdf: Path | None = None
    """Where the earlier version's PDF was moved (in history/), so that no PDF beside the new report shows the old."""


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def write_report(path: Path, data: bytes, *, force: bool = False) -> WriteOutcome:
    """Moves the finished report into place atomically, refusing to overwrite a hand-edited one unless forced.

    Builds into one folder take turns (a lock file), and the record is written so that a build killed at
    any moment leaves a report the record accepts: the record first accepts both the old and the new
    report, then the report is replaced, then the record accepts only the new one.
    """
    path = files.resolve_output_file(path, what="report")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputWriteError(message=f"could not create the folder {path.parent}: {exc.strerror or exc}") from exc
    with build_lock(path.parent):
        remove_stale_parts(path)
        return _replace_report(path, data, force=force)


def _replace_report(path: Path, data: bytes, *, force: bool) -> WriteOutcome:
    record = read_record(path.parent)
    digest = sha256_of(data)
    replaced = path.exists()
    unchanged = False
    accepted = _accepted(record.get(path.name))
    if replaced:
        current = sha256_of(files.read_input_file(path, what="report", limit=files.TEMPLATE_LIMIT * 4))
        unchanged = current == digest
        if not force and not unchanged and current not in accepted:
            why = "was changed after jtai-docs built it" if accepted else "was not built by jtai-docs"
            raise OutputProtectedError(
                message=(
                    f"{path} {why}, so it has not been overwritten. Copy your edits into the template or report.toml, "
                    f"then build again with --force to replace it (the edited version is then kept in "
                    f"{path.parent / HISTORY_FOLDER})."
                )
            )
    previous = None
    record_path = path.parent / RECORD_NAME
    try:
        if unchanged:
            if accepted != [digest]:
                record[path.name] = digest
                write_atomically(record_path, _record_bytes(record), label="record")
            return WriteOutcome(path=path, sha256=digest, replaced=True, unchanged=True)
        earlier_pdf = None
        if replaced:
            try:
                previous = keep_in_history(path)
                # The PDF beside the report shows the earlier version: it goes to history before the report is
                # replaced, so however this build ends (a PDF that fails, a kill), no PDF beside the report is stale.
                earlier_pdf = _retire(path.with_suffix(".pdf"))
            except OSError as exc:
                raise _history_failed(path, exc) from exc
        # While the report is being replaced, the record accepts the report as last built and the new one.
        record[path.name] = [digest] + [value for value in accepted if value != digest][:1]
        write_atomically(record_path, _record_bytes(record), label="record-pending")
        write_atomically(path, data, label="report")
        record[path.name] = digest
        write_atomically(record_path, _record_bytes(record), label="record")
    except OSError as exc:
        raise OutputWriteError(
            message=f"could not write {path}: {exc.strerror or exc}. If the report is open in Word, "
            "close it and build again; the earlier report is unchanged."
        ) from exc
    return WriteOutcome(
        path=path, sha256=digest, replaced=replaced, unchanged=unchanged, previous=previous, earlier_pdf=earlier_pdf
    )


def _history_failed(path: Path, exc: OSError) -> OutputWriteError:
    """The earlier report could not be kept in history/: the folder and the real cause, not Word's usual one."""
    history = path.parent / HISTORY_FOLDER
    if history.exists() and not history.is_dir():
        why = "it is a file, not a folder; rename or move that file and build again"
    elif isinstance(exc, PermissionError):
        why = f"{exc.strerror or exc}; check that you may save files in that folder and build again"
    else:
        why = str(exc.strerror or exc)
    return OutputWriteError(
        message=f"could not keep the earlier report in the history folder {history}: {why}. "
        "The earlier report is unchanged."
    )


def _retire(path: Path) -> Path | None:
    """Moves a file into history/ (kept there by content), if it is a file; where it was kept."""
    if os.path.islink(path) or not path.is_file():
        return None
    kept = keep_in_history(path)
    path.unlink()
    return kept


def _accepted(entry: object) -> list[str]:
    """The digests the record accepts for a report: one, or two while a build is replacing it."""
    if isinstance(entry, str):
        return [entry]
    if isinstance(entry, list):
        return [value for value in entry if isinstance(value, str)]
    return []


def _record_bytes(record: dict[str, Any]) -> bytes:
    return (json.dumps(record, indent=2, sort_keys=True) + "\n").encode()


def save_file(path: Path, data: bytes) -> None:
    """Writes a file other than the report (a redline, a PDF) atomically, with a plain message if it fails."""
    path = files.resolve_output_file(path, what="file to write")  # never a device, pipe or folder
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if (path.parent / LOCK_NAME).exists():
            # A folder builds write into: wait for a build that is writing there (a PDF is not replaced while its
            # report is), as builds wait for each other. Elsewhere no lock file is left behind: two writers of
            # one file each replace it whole, never a mixture.
            with build_lock(path.parent):
                write_atomically(path, data)
        else:
            write_atomically(path, data)
    except OSError as exc:
        raise OutputWriteError(
            message=f"could not write {path}: {exc.strerror or exc}. If it is open in another "
            "program, close it and try again."
        ) from exc


def keep_in_history(path: Path) -> Path:
    """Copies the current file into history/, named by when it was written and its content hash."""
    data = path.read_bytes()
    written = datetime.fromtimestamp(path.stat().st_mtime, tz=UTC)
    target = path.parent / HISTORY_FOLDER / f"{path.stem}.{written:%Y-%m-%dT%H%M%SZ}.{sha256_of(data)[:8]}{path.suffix}"
    target.parent.mkdir(exist_ok=True)
    if not target.exists():
        write_atomically(target, data, label="history")
    return target


def read_record(folder: Path) -> dict[str, Any]:
    """jtai-docs's record of the reports it built in a folder; a located refusal if it is damaged."""
    path = folder / RECORD_NAME
    if not os.path.lexists(path):
        return {}
    data = files.read_input_file(path, what="record of built reports", limit=files.RECORD_LIMIT)
    try:
        record = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        where = f"line {exc.lineno}, column {exc.colno}" if isinstance(exc, json.JSONDecodeError) else ""
        raise _damaged_record(path, where, "it is not valid JSON") from exc
    if not isinstance(record, dict):
        raise _damaged_record(path, "", "it does not list reports by name")
    return record


def _damaged_record(path: Path, place: str, why: str) -> InvalidInputError:
    return InvalidInputError(
        problems=[
            Problem(
                file=path.name,
                place=place,
                message=f"jtai-docs's record of the reports it built in {path.parent} is damaged ({why}); delete "
                f"{path}, then build again with --force (the report it replaces is kept in {HISTORY_FOLDER}/)",
            )
        ]
    )


#: Set only by the fault-injection tests: the name of a point where the build stops dead, as a kill would.
FAULT_VARIABLE = "JTAI_DOCS_FAULT_POINT"
#: How long a build waits for another build into the same folder to finish, in seconds.
LOCK_WAIT = 120.0
LOCK_NAME = ".jtai-docs.lock"


def _fault_point(name: str) -> None:
    if os.environ.get(FAULT_VARIABLE) == name:
        os._exit(86)


def write_atomically(path: Path, data: bytes, *, label: str = "file") -> None:
    """Writes to a temporary file beside the target, syncs it, renames it over the target, syncs the folder."""
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            half = len(data) // 2
            stream.write(data[:half])
            stream.flush()
            _fault_point(f"{label}:writing")
            stream.write(data[half:])
            stream.flush()
            _fault_point(f"{label}:before-fsync")
            os.fsync(stream.fileno())
            _fault_point(f"{label}:after-fsync")
        os.chmod(temporary, 0o644)  # mkstemp makes it private; a report is for sharing
        os.replace(temporary, path)
        _fault_point(f"{label}:after-rename")
        sync_folder(path.parent)
        _fault_point(f"{label}:after-folder-sync")
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def sync_folder(folder: Path) -> None:
    """Makes a rename in the folder durable: without it, a power cut can bring the old name back."""
    try:
        descriptor = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return  # some systems (Windows) cannot open a folder; their renames are durable on their own
    try:
        os.fsync(descriptor)
    except OSError:
        pass  # some file systems refuse fsync on a folder; the rename itself has happened
    finally:
        os.close(descriptor)


def remove_stale_parts(report: Path) -> None:
    """Removes temporary files a killed build left behind; called with the folder's lock held."""
    folder = report.parent
    stale = list(folder.glob(f".{glob_escape(report.name)}.*.part")) + list(folder.glob(f".{RECORD_NAME}.*.part"))
    if (folder / HISTORY_FOLDER).is_dir():
        stale += list((folder / HISTORY_FOLDER).glob(".*.part"))
    for path in stale:
        with contextlib.suppress(OSError):  # another program's file, or already gone: never a reason to stop a build
            path.unlink()


def glob_escape(name: str) -> str:
    return "".join(f"[{c}]" if c in "*?[" else c for c in name)


@contextlib.contextmanager
def build_lock(folder: Path, *, wait: float | None = None) -> Iterator[None]:
    """Holds the folder's lock file, so builds into one folder take turns; waits a bounded time for it."""
    if wait is None:
        wait = float(os.environ.get("JTAI_DOCS_LOCK_WAIT", LOCK_WAIT))
    path = folder / LOCK_NAME
    try:
        descriptor = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o644)
    except OSError as exc:
        raise OutputWriteError(message=f"could not create the lock file {path}: {exc.strerror or exc}") from exc
    try:
        deadline = time.monotonic() + wait
        while not _try_lock(descriptor):
            if time.monotonic() >= deadline:
                holder = os.pread(descriptor, 500, 0).decode("utf-8", "replace").strip() or "another build"
                raise BuildLockedError(
                    message=(
                        f"another build is writing into {folder} ({holder}) and has not finished after {wait:g} "
                        f"seconds; wait for it to finish and build again. If no build is running, delete {path}."
                    )
                )
            time.sleep(0.05)
        os.ftruncate(descriptor, 0)
        os.pwrite(
            descriptor,
            f"process {os.getpid()} on {files.host_name()}, since {datetime.now(UTC):%Y-%m-%d %H:%M:%S} UTC".encode(),
            0,
        )
        try:
            yield
        finally:
            os.ftruncate(descriptor, 0)  # no holder any more; an empty lock file leaves nothing to compare
    finally:
        os.close(descriptor)  # closing releases the lock


def _try_lock(descriptor: int) -> bool:
    if fcntl is None:  # pragma: no cover - Windows: lock the first byte instead
        import msvcrt

        try:
            msvcrt.locking(descriptor, msvcrt.LK_NBLCK, 1)
            return True
        except OSError:
            return False
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except BlockingIOError:
        return False
