"""What a build works out from the Word template alone, kept on disk for the next build of the same template (#11).

Officers rebuild the same template again and again as statuses change: docxtpl's clean-up of its XML, Jinja's
compiled code and the template's checked tags are the same every time, and working them out is about a fifth of a
build. Each entry is keyed by a hash of exactly what it was worked out from (the XML, the Jinja source, the
template's bytes) and of the code that worked it out (these modules, the versions of Jinja, docxtpl and Python), so
a changed template or an upgrade never finds an old entry. Nothing read from the workbook is kept.

The folder is the user's cache folder (XDG_CACHE_HOME or ~/.cache on Linux, ~/Library/Caches on macOS,
%LOCALAPPDATA% on Windows) under jtai-docs, or the folder JTAI_DOCS_CACHE names. A cache that cannot be read or
written, or whose entries are damaged, is passed over: the build works everything out as it would without one.
Entries hold compiled Python code, so a folder that another user could write to is never read (as Python's own
__pycache__ trusts only what its user can write).
"""

from __future__ import annotations

import functools
import hashlib
import marshal
import os
import stat
import sys
from pathlib import Path

#: Where the cache is kept instead of the user's cache folder.
CACHE_VARIABLE = "JTAI_DOCS_CACHE"
#: The start of every entry: this marker, then the SHA-256 of the rest, then the rest.
_MAGIC = b"jtai-docs cache 1\n"
_DIGEST = hashlib.sha256().digest_size


def load_entry(kind: str, key: str | bytes) -> bytes | None:
    """The entry of this kind for this key, or None when there is none, or none that can be trusted."""
    path = _entry_path(kind, key)
    if path is None:
        return None
    try:
        # O_NONBLOCK and the check that it is an ordinary file: a pipe or device put in an entry's place is never
        # waited on or read without end.
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
        with open(descriptor, "rb") as entry:
            if not stat.S_ISREG(os.fstat(descriptor).st_mode):
                return None
            data = entry.read()
    except (OSError, ValueError):
        return None
    payload = data[len(_MAGIC) + _DIGEST :]
    if not data.startswith(_MAGIC) or data[len(_MAGIC) : len(_MAGIC) + _DIGEST] != hashlib.sha256(payload).digest():
        return None  # damaged, cut short, or not an entry: worked out again and written over
    return payload


def store_entry(kind: str, key: str | bytes, payload: bytes) -> None:
    """Keeps an entry, written whole under a temporary name and then renamed, so a build reading it at the same
    time sees the old entry, the new one or none, never half of one; a cache that cannot be written is passed over."""
    path = _entry_path(kind, key)
    if path is None:
        return
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{id(payload)}.tmp")
    try:
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
        try:
            with open(descriptor, "wb") as entry:
                entry.write(_MAGIC + hashlib.sha256(payload).digest() + payload)
            os.replace(temporary, path)
        finally:
            if os.path.lexists(temporary):
                os.unlink(temporary)
    except (OSError, ValueError):
        return


def _entry_path(kind: str, key: str | bytes) -> Path | None:
    folder, code = cache_folder(), _fingerprint()
    if folder is None or code is None:
        return None
    digest = hashlib.sha256(code + kind.encode() + b"\0")
    digest.update(key if isinstance(key, bytes) else key.encode("utf-8", "surrogatepass"))
    return folder / f"{kind}-{digest.hexdigest()[:48]}"


@functools.cache
def cache_folder() -> Path | None:
    """The cache folder, made if need be, or None when there is none this user alone can write to.

    The places are platformdirs' user_cache_path("jtai-docs", appauthor=False) on each system (tried on this
    machine: the same folders, XDG_CACHE_HOME honoured the same way). platformdirs is not used because importing it
    adds 4-14 ms to every build (measured after the build's own imports, 2 cores), several per cent of the warm
    rebuild whose budget this cache exists to meet, for a dozen lines."""
    try:
        configured = os.environ.get(CACHE_VARIABLE)
        if configured:
            folder = Path(configured)
        elif sys.platform == "win32":
            folder = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local") / "jtai-docs" / "Cache"
        elif sys.platform == "darwin":
            folder = Path.home() / "Library" / "Caches" / "jtai-docs"
        else:
            xdg = os.environ.get("XDG_CACHE_HOME", "")
            folder = (Path(xdg) if os.path.isabs(xdg) else Path.home() / ".cache") / "jtai-docs"
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        status = folder.stat()
    except (OSError, RuntimeError, ValueError):  # RuntimeError: no home folder to be found
        return None
    if hasattr(os, "getuid") and (status.st_uid != os.getuid() or status.st_mode & 0o022):
        return None
    return folder


@functools.cache
def _fingerprint() -> bytes | None:
    """What every entry was worked out by: the code of the modules that make entries (read, not their version
    number, which an editable install keeps while the code changes) and the versions of the libraries involved;
    None (no cache) when that code cannot be read."""
    import docx  # noqa: PLC0415 - loaded by the renderer before any entry is asked for
    import docxtpl  # noqa: PLC0415
    import jinja2  # noqa: PLC0415

    digest = hashlib.sha256(
        f"{sys.implementation.cache_tag} {sys.version} {marshal.version} jinja2 {jinja2.__version__} "
        f"docxtpl {docxtpl.__version__} python-docx {docx.__version__}".encode()
    )
    here = Path(__file__).parent
    for name in ("cache.py", "render.py", "context.py"):
        try:
            digest.update((here / name).read_bytes())
        except OSError:
            return None
    return digest.digest()
