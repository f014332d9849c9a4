"""Opens the files an officer names, refusing anything that is not an ordinary file before reading it.

Folders, pipes (FIFOs), devices such as /dev/zero and sockets are refused from os.stat alone, so nothing
ever blocks waiting on a pipe or reads an endless device; symbolic links are followed to what they name;
sizes are bounded before a byte is read. The standard library has no "open only if a regular file"
helper, hence this small module.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import stat
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from .errors import InvalidInputError, Problem

#: Upper bounds on what each input may weigh; each is far above any real file of its kind.
SETTINGS_LIMIT = 1 * 1024 * 1024
TEMPLATE_LIMIT = 100 * 1024 * 1024
WORKBOOK_LIMIT = 200 * 1024 * 1024
RECORD_LIMIT = 16 * 1024 * 1024

_KINDS = (
    (stat.S_ISDIR, "is a folder, not a file"),
    (stat.S_ISFIFO, "is a pipe (FIFO), not an ordinary file"),
    (stat.S_ISCHR, "is a device, not an ordinary file"),
    (stat.S_ISBLK, "is a device, not an ordinary file"),
    (stat.S_ISSOCK, "is a socket, not an ordinary file"),
)


def _refusal(path: Path, what: str, message: str, *, blocked: str = "the report can be built") -> InvalidInputError:
    return InvalidInputError(
        problems=[Problem(file=path.name or str(path), place="", message=f"the {what} {message} (looked for {path})")],
        blocked=blocked,
    )


def _what_it_is(mode: int) -> str | None:
    """Why a file of this mode cannot be read as an input, or None for an ordinary file."""
    for test, message in _KINDS:
        if test(mode):
            return message
    return None if stat.S_ISREG(mode) else "is not an ordinary file"


def check_input_file(path: Path, *, what: str, limit: int) -> os.stat_result:
    """The file's status if it is an ordinary file (links followed) no larger than limit; else a located refusal."""
    try:
        status = os.stat(path)
    except FileNotFoundError as exc:
        dangling = os.path.islink(path)
        raise _refusal(path, what, "is a link to a file that does not exist" if dangling else "does not exist") from exc
    except OSError as exc:
        raise _refusal(path, what, f"cannot be read ({exc.strerror or exc})") from exc
    why = _what_it_is(status.st_mode)
    if why:
        raise _refusal(path, what, why)
    if status.st_size > limit:
        raise _refusal(
            path,
            what,
            f"is {_megabytes(status.st_size, beside=limit)}, larger than the "
            f"{_megabytes(limit, beside=status.st_size)} a {what} can reasonably be",
        )
    return status


def _megabytes(size: int, *, beside: int) -> str:
    """size in MB, with as many decimals as it takes to tell it from beside (a size just over a limit must not
    read as the limit), and in bytes where MB cannot tell them apart."""
    for decimals in range(4):
        shown, other = f"{size / 2**20:,.{decimals}f}", f"{beside / 2**20:,.{decimals}f}"
        if shown != other:
            return f"{shown} MB"
    return f"{size:,} bytes"


def read_input_file(path: Path, *, what: str, limit: int) -> bytes:
    """The bytes of an ordinary file no larger than limit, read without ever blocking on a pipe or device."""
    check_input_file(path, what=what, limit=limit)
    try:
        # O_NONBLOCK: if the path was swapped for a pipe after the check, open returns at once.
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise _refusal(path, what, f"cannot be read ({exc.strerror or exc})") from exc
    try:
        why = _what_it_is(os.fstat(descriptor).st_mode)
        if why:
            raise _refusal(path, what, why)
        chunks = []
        remaining = limit + 1
        while remaining > 0:
            chunk = os.read(descriptor, min(remaining, 1024 * 1024))
            if not chunk:
                break
            chunks.append(chunk)
            remaining -= len(chunk)
    except OSError as exc:
        raise _refusal(path, what, f"cannot be read ({exc.strerror or exc})") from exc
    finally:
        os.close(descriptor)
    data = b"".join(chunks)
    if len(data) > limit:
        raise _refusal(
            path,
            what,
            f"grew beyond the {limit / 1024 / 1024:.0f} MB a {what} can reasonably be while it was being read",
        )
    return data


def resolve_output_file(path: Path, *, what: str) -> Path:
    """Where a file to be written really goes: a link is followed to the file it names, so the link stays.

    A folder, pipe, device or socket in the way is a located refusal rather than an error half-way through.
    """
    kind = path.suffix.lower() or ".docx"
    target = Path(os.path.realpath(path)) if os.path.islink(path) else path
    if target is not path and not os.path.lexists(target):
        # A link to nothing may point anywhere, outside the output folder too: never create what it names.
        raise _refusal(
            path,
            what,
            f"is a link to a file that does not exist; delete the link, or give the path of a {kind} file to write",
            blocked=f"{path.name} can be written",
        )
    if target is not path and target.suffix.lower() != path.suffix.lower():
        # x.pdf linked to x.docx: writing through it would put a PDF in place of the Word document.
        raise _refusal(
            path,
            what,
            f"is a link to {target}, which is not a {kind} file, so writing here would replace it; delete the "
            f"link, or give the path of a {kind} file to write",
            blocked=f"{path.name} can be written",
        )
    try:
        status = os.stat(target)
    except FileNotFoundError:
        return target
    except OSError as exc:
        raise _refusal(
            path, what, f"cannot be written ({exc.strerror or exc})", blocked=f"{path.name} can be written"
        ) from exc
    why = _what_it_is(status.st_mode)
    if why:
        raise _refusal(
            path, what, f"{why}; give the path of a {kind} file to write", blocked=f"{path.name} can be written"
        )
    return target


#: In each working folder jtai-docs makes: which process made it, so a later run can tell one whose process was
#: killed (and so never removed it) from one still in use.
OWNER_FILE = ".jtai-docs-owner"
#: A working folder without an owner file (made before they had one) is removed once this old, in seconds.
ABANDONED_AFTER = 24 * 60 * 60


@contextlib.contextmanager
def work_folder(prefix: str) -> Iterator[str]:
    """A private temporary folder, removed afterwards, as tempfile.TemporaryDirectory gives; first removes the
    folders with the same prefix that a killed jtai-docs (or its LibreOffice) left behind."""
    remove_abandoned(prefix)
    with tempfile.TemporaryDirectory(prefix=prefix) as work:
        claim(Path(work))
        yield work


def host_name() -> str:
    """This machine's name, as socket.gethostname() gives it (both read uname on Linux and macOS), without
    importing socket into every build (#11); Windows has no os.uname."""
    if hasattr(os, "uname"):
        return os.uname().nodename
    import socket

    return socket.gethostname()


def claim(folder: Path) -> None:
    """Marks the working folder as this process's, so a later run can tell whether it was abandoned."""
    (folder / OWNER_FILE).write_text(f"{os.getpid()} {host_name()}\n", encoding="utf-8")


def remove_abandoned(prefix: str, folder: str | None = None) -> list[Path]:
    """Removes this user's working folders named with the prefix whose process has ended; the ones removed."""
    if os.name == "nt":  # pragma: no cover - Windows: os.kill cannot ask whether a process is alive without ending it
        return []
    removed = []
    try:
        entries = list(os.scandir(folder or tempfile.gettempdir()))
    except OSError:
        return []
    for entry in entries:
        try:
            if (
                not entry.name.startswith(prefix)
                or not entry.is_dir(follow_symlinks=False)
                or entry.stat(follow_symlinks=False).st_uid != os.getuid()
            ):
                continue
            if _abandoned(Path(entry.path)):
                _end_processes_using(entry.path)  # a LibreOffice that outlived the jtai-docs that started it
                shutil.rmtree(entry.path, ignore_errors=True)
                removed.append(Path(entry.path))
        except OSError:
            continue  # removed meanwhile, or not ours to look into
    return removed


def _end_processes_using(folder: str) -> None:
    """Ends this user's processes whose command line names the folder (on Linux, where /proc lists them): only
    a LibreOffice started with its profile there does, so no other process can be hit, whatever its number."""
    proc = Path("/proc")
    if not proc.is_dir():
        return
    for entry in proc.iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            if entry.stat().st_uid == os.getuid() and folder.encode() in (entry / "cmdline").read_bytes():
                os.kill(int(entry.name), signal.SIGKILL)
        except OSError:
            continue  # ended meanwhile, or not ours


def _abandoned(path: Path) -> bool:
    try:
        pid_text, host = (path / OWNER_FILE).read_text(encoding="utf-8").split()
    except FileNotFoundError:
        return time.time() - path.stat().st_mtime > ABANDONED_AFTER
    except ValueError:
        return False
    if host != host_name() or not pid_text.isdigit():
        return False  # made on another machine sharing this folder: it cannot be asked
    try:
        os.kill(int(pid_text), 0)
    except ProcessLookupError:
        return True
    except OSError:
        return False  # alive, under another user
    return False
