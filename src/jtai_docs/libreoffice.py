"""LibreOffice, run headless: the only module that starts an external program."""

from __future__ import annotations

import atexit
import contextlib
import os
import platform
import queue
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
import zipfile
import zlib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeAlias

from lxml import etree

from . import files
from .errors import InvalidInputError, Problem, ProgramFailedError, ProgramMissingError

#: Seconds a single conversion may take before it is abandoned.
TIMEOUT = 180
_CANDIDATES = ("soffice", "libreoffice")
_INSTALL_HINT = (
    "LibreOffice is needed for this step but is not installed. On Debian or Ubuntu: "
    "sudo apt-get install libreoffice-writer-nogui fonts-liberation2; elsewhere install LibreOffice from "
    "libreoffice.org, or set JTAI_DOCS_SOFFICE to the path of its soffice program"
)


#: LibreOffice's PDF export as a tagged, PDF/UA-compliant file: headings, tables and reading order for screen
#: readers, the document language and title, as the public sector accessibility regulations expect.
ACCESSIBLE_PDF = (
    'pdf:writer_pdf_Export:{"UseTaggedPDF":{"type":"boolean","value":"true"},'
    '"PDFUACompliance":{"type":"boolean","value":"true"},'
    '"ExportBookmarks":{"type":"boolean","value":"true"}}'
)


def find_soffice() -> str:
    """The soffice program to run, or ProgramMissingError saying how to install it."""
    configured = os.environ.get("JTAI_DOCS_SOFFICE")
    if configured:
        found = shutil.which(configured)
        if found:
            return found
        raise ProgramMissingError(message=f"JTAI_DOCS_SOFFICE is set to {configured}, which is not a program")
    for name in _CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    if installed := find_installed_soffice():
        return installed  # pragma: no cover - Windows and macOS, where installers leave soffice off PATH
    raise ProgramMissingError(message=_INSTALL_HINT)


def _conversion_command(soffice: str, folder: Path, filter_name: str, sources: Sequence[Path]) -> list[str]:
    """soffice converting the sources with filter_name into folder/out, with a private profile in folder/profile: a
    second LibreOffice (or one the officer has open) cannot block this one."""
    return [
        soffice,
        f"-env:UserInstallation={(folder / 'profile').as_uri()}",
        "--headless",
        "--norestore",
        "--nolockcheck",
        "--convert-to",
        filter_name,
        "--outdir",
        str(folder / "out"),
        *map(str, sources),
    ]


def convert_document(source: Path, target: Path, *, filter_name: str) -> Path:
    """Converts source into target with a LibreOffice export filter (such as 'txt:Text' or a PDF filter)."""
    soffice = find_soffice()
    with files.work_folder("jtai-docs-lo-") as work:
        work_path = Path(work)
        out_dir = work_path / "out"
        command = _conversion_command(soffice, work_path, filter_name, [source])
        process = _start_conversion(command, work_path)
        try:
            said, _ = process.communicate(timeout=TIMEOUT)
        except subprocess.TimeoutExpired as exc:
            said = _stopped_output(process)
            raise ProgramFailedError(
                message=f"LibreOffice did not finish converting {source.name} within "
                f"{TIMEOUT} seconds; output so far: {said or 'nothing'}"
            ) from exc
        finally:
            _stop_group(process)  # even on Ctrl+C, no LibreOffice of ours is left running
        produced = sorted(out_dir.glob(f"{source.stem}.*")) if out_dir.exists() else []
        if process.returncode != 0 or not produced:
            raise ProgramFailedError(
                message=(
                    f"LibreOffice could not convert {source.name} (exit status {process.returncode}). "
                    f"It said: {said.strip() or 'nothing'}"
                )
            )
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(produced[0]), target)
    return target


#: The most rows one table may have for LibreOffice to lay it out as a PDF. LibreOffice's table layout grows
#: faster than the table (scripts/measure_pdf_rows.py measures it: see the README's "PDFs" section), so a
#: longer table is refused before LibreOffice starts instead of leaving it running for many minutes.
MAX_TABLE_ROWS = 2500
#: Seconds allowed for starting LibreOffice, and then for each document of a batch.
START_SECONDS = 60
SECONDS_PER_DOCUMENT = 120
_W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_MAX_DOCUMENT_XML = 512 * 1024 * 1024


@dataclass(frozen=True)
class Conversion:
    """One document to convert, and where its result goes."""

    source: Path
    """The document LibreOffice opens."""
    target: Path
    """Where the converted file is written (only once LibreOffice has finished it)."""


def largest_table_rows(docx: Path) -> int:
    """The row count of the longest table in a .docx (nested tables counted in their own right).

    Read with a streaming parser and a cap on the unpacked size, so a huge or hostile file costs little.
    """
    try:
        with zipfile.ZipFile(docx) as package:
            info = package.getinfo("word/document.xml")
            if info.file_size > _MAX_DOCUMENT_XML:
                return MAX_TABLE_ROWS + 1
            largest, open_tables = 0, []
            with package.open(info) as stream:
                for event, element in etree.iterparse(
                    stream, events=("start", "end"), resolve_entities=False, no_network=True, huge_tree=True
                ):
                    if element.tag == f"{{{_W_NS}}}tbl":
                        if event == "start":
                            open_tables.append(0)
                        else:
                            largest = max(largest, open_tables.pop())
                    elif element.tag == f"{{{_W_NS}}}tr" and event == "end" and open_tables:
                        open_tables[-1] += 1
                    if event == "end" and not open_tables:
                        element.clear()
            return largest
    except (zipfile.BadZipFile, KeyError, etree.XMLSyntaxError):
        return 0  # not a Word document LibreOffice's table layout would choke on; LibreOffice says what it is


#: A table row's start tag, with or without a prefix: `<tr` or `<prefix:tr`, then a space, `>` or `/` (not `</w:tr>`,
#: nor `<w:trPr>`). It holds no `<` but its first.
_ROW_TAG = re.compile(rb"<(?:[^\s<>/:]+:)?tr[\s>/]")
#: The longest unfinished tag carried from one piece of the XML to the next before the quick count gives up.
_LONGEST_TAG = 1 << 16


def fits_layout(docx: Path) -> bool:
    """True when no table of the .docx is too long for LibreOffice to lay out (largest_table_rows is at most
    MAX_TABLE_ROWS).

    The rows' start tags are counted first, without parsing: the count is at least the longest table's rows (a
    tag in a comment can only add to it), so a document with no more than MAX_TABLE_ROWS of them in all, such as
    the example report with its appendix, is settled in a fraction of the time parsing takes. Only one with more
    is parsed (largest_table_rows).
    """
    return _row_tags_at_most(docx, MAX_TABLE_ROWS) or largest_table_rows(docx) <= MAX_TABLE_ROWS


def _row_tags_at_most(docx: Path, limit: int) -> bool:
    """True when word/document.xml, in UTF-8, holds at most `limit` row start tags; False when it holds more, or
    when it cannot be told this way (another encoding, a damaged file)."""
    try:
        with zipfile.ZipFile(docx) as package:
            info = package.getinfo("word/document.xml")
            if info.file_size > _MAX_DOCUMENT_XML:
                return False
            with package.open(info) as stream:
                chunk = stream.read(1 << 16)
                if not chunk.lstrip(b"\xef\xbb\xbf").startswith(b"<"):
                    return False  # UTF-16, say: its tags are not these bytes
                count, pending = 0, b""
                while chunk:
                    text = pending + chunk
                    cut = text.rfind(b"<")
                    if cut < 0 or text.find(b">", cut) >= 0:  # every tag begun in this piece ends in it
                        count += len(_ROW_TAG.findall(text))
                        pending = b""
                    else:  # the last tag ends in the next piece: counted with it, and only then
                        count += len(_ROW_TAG.findall(text, 0, cut))
                        pending = text[cut:]
                    if count > limit or len(pending) > _LONGEST_TAG:
                        return False
                    chunk = stream.read(1 << 16)
                return count + len(_ROW_TAG.findall(pending)) <= limit
    except (zipfile.BadZipFile, KeyError, OSError, EOFError, zlib.error):
        return False  # largest_table_rows says what it is


def check_layout_size(sources: Sequence[Path]) -> None:
    """Refuses, before LibreOffice starts, documents with a table too long to lay out in reasonable time."""
    problems = []
    for source in sources:
        if fits_layout(source):
            continue
        rows = largest_table_rows(source)
        if rows > MAX_TABLE_ROWS:
            problems.append(
                Problem(
                    file=source.name,
                    place="its longest table",
                    message=f"a table of {rows} rows is too long to make into a PDF: LibreOffice needs many minutes "
                    f"to lay out more than {MAX_TABLE_ROWS} rows",
                    suggestion="switch the action plan appendix off in report.toml ([appendices] action_plan = false) "
                    "and publish the plan separately, or split the table in Word",
                )
            )
    if problems:
        raise InvalidInputError(problems=problems)


def convert_documents(conversions: Sequence[Conversion], *, filter_name: str, workers: int | None = None) -> None:
    """Converts many documents with as few LibreOffice starts as possible.

    The documents are shared among `workers` LibreOffice processes (one per processor by default), each started
    once with a profile of its own and given its whole share on one command line, so starting LibreOffice
    (about a second) is paid once per worker, not once per document. Each result is moved to its target only
    once its worker has finished. Two calls at once, in one process or two, never share a profile.
    """
    if not conversions:
        return
    check_layout_size([item.source for item in conversions])
    soffice = find_soffice()
    count = max(1, min(workers or os.cpu_count() or 1, len(conversions)))
    shares = [list(conversions[index::count]) for index in range(count)]
    with files.work_folder("jtai-docs-lo-") as work:
        running: list[_Worker] = []
        try:
            _start_workers(soffice, shares, Path(work), filter_name, running)
            failures = _collect(running)
        finally:
            # Whatever happened (even Ctrl+C), no LibreOffice of ours is left running.
            for process, *_rest in running:
                _stop_group(process)
        if failures:
            raise ProgramFailedError(message="; ".join(failures))


#: A started LibreOffice worker: its process, its folder, its share of the documents and their numbered copies.
_Worker: TypeAlias = "tuple[subprocess.Popen[str], Path, list[Conversion], list[Path]]"


def _start_workers(
    soffice: str, shares: list[list[Conversion]], work: Path, filter_name: str, running: list[_Worker]
) -> None:
    """Starts one LibreOffice per share of the documents, each with its own profile and folders."""
    for number, share in enumerate(shares):
        folder = work / f"worker{number}"
        inputs = folder / "in"
        inputs.mkdir(parents=True)
        # Numbered copies: two documents with the same name from different folders cannot collide.
        copies = []
        for index, item in enumerate(share):
            copy = inputs / f"{index:05d}{item.source.suffix}"
            shutil.copyfile(item.source, copy)
            copies.append(copy)
        command = _conversion_command(soffice, folder, filter_name, copies)
        running.append((_start_conversion(command, folder), folder, share, copies))


def _start_conversion(command: list[str], folder: Path) -> subprocess.Popen[str]:
    """LibreOffice started on a conversion with its own profile and folders, in a session of its own: its launcher
    and LibreOffice itself (soffice.bin, which holds the output pipe too) are stopped together at the time limit;
    stopping only the launcher would leave the pipe open for ever."""
    return subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        text=True,
        env=_environment(folder),
        start_new_session=os.name != "nt",
    )


def _stopped_output(process: subprocess.Popen[str]) -> str:
    """Stops a conversion past its time limit, with all it started, and gives what it said so far."""
    _stop_group(process)
    try:
        said, _ = process.communicate(timeout=10)
    except subprocess.TimeoutExpired:  # a process outside the group still holds the pipe: say so anyway
        return ""
    return said or ""


def _collect(running: list[_Worker]) -> list[str]:
    """Waits for each worker and moves its results into place; what went wrong, in the officer's words."""
    failures = []
    for process, folder, share, copies in running:
        limit = START_SECONDS + SECONDS_PER_DOCUMENT * len(share)
        try:
            said, _ = process.communicate(timeout=limit)
        except subprocess.TimeoutExpired:
            said = _stopped_output(process)
            failures.append(
                f"LibreOffice did not finish converting {', '.join(i.source.name for i in share)} "
                f"within {limit} seconds; output so far: {said or 'nothing'}"
            )
            continue
        for item, copy in zip(share, copies, strict=True):
            produced = sorted((folder / "out").glob(f"{copy.stem}.*"))
            if not produced:
                failures.append(
                    f"LibreOffice could not convert {item.source.name} (exit status "
                    f"{process.returncode}). It said: {said.strip() or 'nothing'}"
                )
                continue
            item.target.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(str(produced[0]), item.target)
    return failures


def _stop_group(process: subprocess.Popen[str]) -> None:
    """Kills a worker started in a session of its own, with every process it started (LibreOffice's launcher
    starts soffice.bin, which outlives it), and waits for the worker itself."""
    if os.name == "nt":  # pragma: no cover - no process groups on Windows
        if process.poll() is None:
            process.kill()
    else:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signal.SIGKILL)
    process.wait()


class EarlyWorkers:
    """LibreOffice workers started before the documents they convert are written, each document handed over as soon
    as it is (#11): starting LibreOffice (about two seconds of processor time per worker) overlaps the work that
    makes the documents, and each result is given as soon as its worker has finished it, while the workers go on.

    Each of `places` documents has its place fixed at the start: place n is a numbered file in the input folder of
    worker n % workers (one worker per processor by default, each with a profile of its own, started once).
    LibreOffice takes its documents in order, so a document put in its place (whole, by renaming) before its worker
    reaches it is converted; one that is late, or that LibreOffice cannot convert, is given by `finished` without a
    result, for the caller to convert another way. Raises ProgramMissingError when there is no LibreOffice.
    """

    def __init__(self, places: int, *, filter_name: str, suffix: str = ".docx", workers: int | None = None) -> None:
        soffice = find_soffice()
        self._count = max(1, min(workers or os.cpu_count() or 1, places))
        self._suffix = suffix
        self._closing = contextlib.ExitStack()
        self._work = Path(self._closing.enter_context(files.work_folder("jtai-docs-lo-")))
        self._events: queue.SimpleQueue[tuple[int, bool]] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._put: set[int] = set()
        self._reached = [-1] * self._count  # the place each worker last said it was converting
        self._ended = [False] * self._count
        self._stopped = [False] * self._count
        self._workers: list[subprocess.Popen[str]] = []
        self._threads: list[threading.Thread] = []
        self._deadlines: list[float] = []
        try:
            for worker in range(self._count):
                folder = self._work / f"worker{worker}"
                (folder / "in").mkdir(parents=True)
                own = list(range(worker, places, self._count))
                command = _conversion_command(soffice, folder, filter_name, [self._place(n) for n in own])
                self._workers.append(
                    subprocess.Popen(
                        command,
                        stdout=subprocess.PIPE,
                        stderr=subprocess.STDOUT,
                        stdin=subprocess.DEVNULL,
                        text=True,
                        errors="replace",
                        env=_environment(folder),
                        start_new_session=True,  # its launcher and LibreOffice itself are stopped together
                    )
                )
                self._deadlines.append(time.monotonic() + START_SECONDS + SECONDS_PER_DOCUMENT * len(own))
                thread = threading.Thread(target=self._follow, args=(worker, own), daemon=True)
                thread.start()
                self._threads.append(thread)
        except BaseException:
            self.close()
            raise

    def put(self, number: int, source: Path) -> bool:
        """Puts a copy of source in place `number`; False when its worker has already passed that place or ended,
        and the caller converts the document another way."""
        worker = number % self._count
        with self._lock:
            if self._ended[worker] or self._reached[worker] >= number:
                return False
            target = self._place(number)
            partial = target.with_name(f"{target.stem}.part")
            shutil.copyfile(source, partial)
            os.replace(partial, target)  # whole or not at all: LibreOffice never reads half a document
            self._put.add(number)
            return True

    def finished(self) -> Iterator[tuple[int, Path | None]]:
        """Each place a document was put in, with what LibreOffice made of it (None when nothing), as each is
        finished; used once every document has been put. A worker with nothing of ours left to convert is
        stopped at once, and one that takes longer than allowed is stopped, its documents given without a
        result."""
        waiting = set(self._put)
        live = set(range(self._count))
        while live:
            for worker in sorted(live):
                if time.monotonic() > self._deadlines[worker] or not any(n % self._count == worker for n in waiting):
                    self._stop(worker)
            deadline = min(self._deadlines[worker] for worker in live)
            try:
                number, converted = self._events.get(timeout=max(0.0, deadline - time.monotonic()) + 0.05)
            except queue.Empty:
                continue
            if number < 0:  # a worker has ended, having said what became of each of its places
                live.discard(-number - 1)
            elif number in waiting:
                waiting.discard(number)
                yield number, self._result(number) if converted else None

    def close(self) -> None:
        """Stops every worker (whatever happened, even Ctrl+C) and removes the working folder."""
        for worker in range(len(self._workers)):
            self._stop(worker)
        for thread in self._threads:
            thread.join(timeout=5)  # it ends with its worker; never wait long for one that does not
        self._closing.close()

    def __enter__(self) -> EarlyWorkers:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _place(self, number: int) -> Path:
        return self._work / f"worker{number % self._count}" / "in" / f"{number:05d}{self._suffix}"

    def _result(self, number: int) -> Path | None:
        produced = sorted((self._work / f"worker{number % self._count}" / "out").glob(f"{number:05d}.*"))
        return produced[0] if produced else None

    def _follow(self, worker: int, own: list[int]) -> None:
        """Reads what a worker says as it goes: LibreOffice names each document once it has opened it, after it
        has written the one before, so a place is finished once a later one is named or the worker has ended."""
        process = self._workers[worker]
        assert process.stdout is not None
        places = [str(self._place(number)) for number in own]
        pending = 0  # own[pending:] are not finished yet
        for line in process.stdout:
            named = next((index for index, path in enumerate(places) if path in line), None)
            if named is None or named < pending:
                continue
            with self._lock:
                self._reached[worker] = own[named]
            for number in own[pending:named]:
                self._events.put((number, True))
            pending = named
        process.stdout.close()
        process.wait()
        with self._lock:
            self._ended[worker] = True
        # A worker that ended by itself has finished the rest; one that was stopped may have left one half-made.
        whole = process.returncode == 0 and not self._stopped[worker]
        for number in own[pending:]:
            self._events.put((number, whole))
        self._events.put((-worker - 1, False))

    def _stop(self, worker: int) -> None:
        process = self._workers[worker]
        if process.poll() is None:
            self._stopped[worker] = True
            if os.name == "nt":  # pragma: no cover - no process groups on Windows
                process.kill()
            else:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
            process.wait()


#: The accessible PDF's export settings (ACCESSIBLE_PDF's), as a running LibreOffice takes them.
ACCESSIBLE_PDF_FILTER = "writer_pdf_Export"
ACCESSIBLE_PDF_OPTIONS = ("UseTaggedPDF=true", "PDFUACompliance=true", "ExportBookmarks=true")
#: Seconds a kept-running LibreOffice may take to start and answer before it is given up on.
_START_TIMEOUT = 60


class RunningLibreOffice:
    """One LibreOffice kept running between conversions, for the web server, so a PDF does not wait for it to start.

    It runs under unoserver with a private profile, listening only on loopback ports; it is restarted when it has
    died or a conversion hangs. It needs LibreOffice's Python bridge (Debian: python3-uno) in the Python given by
    $JTAI_DOCS_UNO_PYTHON (default /usr/bin/python3); where that is missing, or it fails, each conversion is a
    one-off convert_document as on the command line. unoserver is a maintained package for exactly this.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._process: subprocess.Popen[bytes] | None = None
        self._work: tempfile.TemporaryDirectory[str] | None = None
        self._port = 0
        self.available = True

    def convert_to_pdf(self, source: Path, target: Path) -> Path:
        """source as an accessible PDF at target, through the running LibreOffice when it can be had."""
        with self._lock:
            if self.available and self._ensure_running():
                try:
                    return self._convert(source, target)
                except Exception:  # a hung or dead LibreOffice: start afresh next time, convert the slow way now
                    self._stop()
        return convert_document(source, target, filter_name=ACCESSIBLE_PDF)

    def warm_up(self) -> None:
        """Starts LibreOffice now, so the first PDF does not wait for it."""
        with self._lock:
            if self.available:
                self._ensure_running()

    def close(self) -> None:
        with self._lock:
            self._stop()

    def _convert(self, source: Path, target: Path) -> Path:
        from unoserver.client import UnoClient

        client = UnoClient(server="127.0.0.1", port=str(self._port), host_location="local")
        partial = target.with_name(f".{target.name}.part")
        client.convert(
            inpath=str(source),
            outpath=str(partial),
            convert_to="pdf",
            filtername=ACCESSIBLE_PDF_FILTER,
            filter_options=list(ACCESSIBLE_PDF_OPTIONS),
        )
        if not partial.is_file() or partial.stat().st_size == 0:
            raise ProgramFailedError(message=f"LibreOffice did not make a PDF of {source.name}")
        os.replace(partial, target)
        return target

    def _ensure_running(self) -> bool:
        if self._process is not None and self._process.poll() is None:
            return True
        self._stop()
        python = os.environ.get("JTAI_DOCS_UNO_PYTHON", "/usr/bin/python3")
        try:
            import importlib.metadata
            import importlib.util

            soffice = find_soffice()
            spec = importlib.util.find_spec("unoserver")
            distribution = importlib.metadata.distribution("unoserver")
        except (ProgramMissingError, ImportError, importlib.metadata.PackageNotFoundError):
            self.available = False
            return False
        if spec is None or spec.origin is None or not isinstance(distribution, importlib.metadata.PathDistribution):
            self.available = False  # its metadata without the package itself, or not installed as files
            return False
        files.remove_abandoned("jtai-docs-uno-")  # left by a server that was killed
        self._work = tempfile.TemporaryDirectory(prefix="jtai-docs-uno-")
        work = Path(self._work.name)
        files.claim(work)
        # Only unoserver itself (and its metadata) is put on that Python's path, not this environment's packages.
        (work / "path").mkdir()
        (work / "path" / "unoserver").symlink_to(Path(spec.origin).parent)
        info = Path(str(distribution._path))  # the .dist-info folder, for unoserver's own version lookup
        (work / "path" / info.name).symlink_to(info)
        self._port, uno_port = _free_port(), _free_port()
        command = [
            python,
            "-m",
            "unoserver.server",
            "--interface",
            "127.0.0.1",
            "--uno-interface",
            "127.0.0.1",
            "--port",
            str(self._port),
            "--uno-port",
            str(uno_port),
            "--executable",
            soffice,
            "--user-installation",
            str(work / "profile"),
            "--conversion-timeout",
            str(TIMEOUT),
            "--temp-dir",
            str(work),
            "--quiet",
        ]
        environment = {**_environment(work), "PYTHONPATH": str(work / "path")}
        atexit.register(self.close)  # never leave a LibreOffice behind when this program ends
        try:
            self._process = subprocess.Popen(
                command,
                env=environment,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
            )
        except OSError:
            self.available = False
            self._stop()
            return False
        from xmlrpc.client import ServerProxy

        deadline = time.monotonic() + _START_TIMEOUT
        while time.monotonic() < deadline and self._process.poll() is None:
            try:
                ServerProxy(f"http://127.0.0.1:{self._port}").info()
                return True
            except OSError:
                time.sleep(0.2)
        # It would not start (no python3-uno, say): stop trying for the life of this server.
        self.available = False
        self._stop()
        return False

    def _stop(self) -> None:
        if self._process is not None:
            # unoserver, LibreOffice's launcher and LibreOffice share the session started for them: ask them all
            # to stop, then make sure, so nothing is left behind.
            for stop_signal in (signal.SIGTERM, signal.SIGKILL):
                try:
                    os.killpg(self._process.pid, stop_signal)
                except ProcessLookupError:
                    break
                with contextlib.suppress(subprocess.TimeoutExpired):
                    self._process.wait(timeout=3)  # unoserver has nothing to save; do not keep a stop waiting
            self._process.poll()
            self._process = None
        if self._work is not None:
            self._work.cleanup()
            self._work = None


def _environment(folder: Path) -> dict[str, str]:
    """LibreOffice's environment: its own temporary files (lu*.tmp) go in the folder removed after it, not in the
    machine's temporary folder, where a LibreOffice that is stopped or killed leaves them for ever."""
    temporary = folder / "tmp"
    temporary.mkdir(exist_ok=True)
    return {**os.environ, "TMPDIR": str(temporary)}


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


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
