"""The web application: configuration, sign-in, CSRF and the headers every page carries.

Flask is used (with waitress to serve it) because the pipeline is synchronous code that runs LibreOffice and
reads files: a threaded WSGI server runs it as it is, Flask's request stream enforces the upload limit while
the body arrives, and Flask-WTF gives tested CSRF tokens instead of hand-made ones.
"""

from __future__ import annotations

import hmac
import ipaddress
import os
import re
import secrets
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO
from urllib.parse import urlsplit

from flask import Flask, Request, Response, current_app, g, render_template, request
from flask.typing import ResponseReturnValue
from flask_wtf.csrf import CSRFError, CSRFProtect
from werkzeug.exceptions import HTTPException, InternalServerError

from ..context import FILTERS
from ..errors import JtaiDocsError, UsageError, counted
from ..libreoffice import RunningLibreOffice

#: The name of the cookie that carries the access token once a browser has signed in.
TOKEN_COOKIE = "jtai_docs_token"
#: Uploads larger than this are refused while they arrive (a workbook or report is a few hundred kilobytes).
DEFAULT_MAX_UPLOAD = 20 * 1024 * 1024

_SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'; object-src 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    # Within the site a form's POST carries its real Origin (checked below); no address goes to other sites.
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}


#: The names only this computer reaches itself by.
LOOPBACK_NAMES = frozenset({"127.0.0.1", "localhost", "::1"})


def is_loopback(host: str) -> bool:
    """True for addresses only this machine can reach (127.0.0.1, ::1, localhost)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True)
class WebReport:
    """One report the server offers, chosen in requests by its identifier only."""

    identifier: str
    """The short name in the page's address, such as inputs."""
    settings_path: Path
    """The report.toml, fixed when the server starts."""


@dataclass(frozen=True)
class WebConfig:
    """Everything the server is started with."""

    reports: tuple[WebReport, ...]
    """The reports offered, in the order given."""
    token: str | None = None
    """The access token every request must carry, or None when the server needs none (loopback, or --no-auth)."""
    max_upload: int = DEFAULT_MAX_UPLOAD
    """The largest request body accepted, in bytes."""
    secret_key: bytes = field(default_factory=lambda: secrets.token_bytes(32))
    """Signs the session cookie that holds the CSRF token; new each time the server starts."""
    host: str = "127.0.0.1"
    """The address the server listens on (--host)."""

    @property
    def allowed_hosts(self) -> frozenset[str] | None:
        """The names a request may address the server by, or None for any.

        A server on this computer alone answers only to its own names, so a web page elsewhere cannot reach it
        by pointing a name of its own at 127.0.0.1 (DNS rebinding). One that others reach is reached by names
        it cannot know; its access code (or the sign-in proxy) guards it.
        """
        if not is_loopback(self.host):
            return None
        return LOOPBACK_NAMES | {self.host.strip("[]").lower()}


def name_reports(settings_paths: list[Path]) -> tuple[WebReport, ...]:
    """Identifiers for the reports: each report.toml's folder name, made unique."""
    reports: list[WebReport] = []
    used: set[str] = set()
    for path in settings_paths:
        stem = path.parent.name if path.name == "report.toml" else path.stem
        base = "".join(c if c.isalnum() or c in "-_" else "-" for c in stem.lower()).strip("-") or "report"
        identifier, n = base, 1
        while identifier in used:
            n += 1
            identifier = f"{base}-{n}"
        used.add(identifier)
        reports.append(WebReport(identifier=identifier, settings_path=path.resolve()))
    return tuple(reports)


class _UploadRequest(Request):
    """Flask's request, closing every upload's temporary file when the request ends, including one whose reading
    was cut off at the size limit: werkzeug's parser drops that one unclosed, leaving an open file behind."""

    def _get_file_stream(
        self,
        total_content_length: int | None,
        content_type: str | None,
        filename: str | None = None,
        content_length: int | None = None,
    ) -> IO[bytes]:
        stream = super()._get_file_stream(total_content_length, content_type, filename, content_length)
        self.__dict__.setdefault("_upload_streams", []).append(stream)
        return stream

    def close(self) -> None:
        try:
            super().close()
        finally:
            for stream in self.__dict__.get("_upload_streams", ()):
                stream.close()


def create_app(config: WebConfig) -> Flask:
    """A new application for the given reports; tests make one per test."""
    if not config.reports:
        raise UsageError(message="give at least one report.toml to serve")
    app = Flask(__name__)
    app.request_class = _UploadRequest
    app.config.update(
        SECRET_KEY=config.secret_key,
        MAX_CONTENT_LENGTH=config.max_upload,
        # Forms other than uploads are small; a large form field is refused, not held in memory.
        MAX_FORM_MEMORY_SIZE=64 * 1024,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Strict",
        WTF_CSRF_TIME_LIMIT=None,
        WTF_CSRF_SSL_STRICT=False,
    )
    app.extensions["jtai_docs"] = Server(config)

    @app.before_request
    def refuse_other_sites() -> ResponseReturnValue | None:
        # Before the CSRF check, so that a page from another site is told so whatever it sends.
        allowed = config.allowed_hosts
        if allowed is None or "HTTP_HOST" not in request.environ:  # a browser always names the host
            return None
        scheme = "https" if request.is_secure else "http"
        reached = _site(f"{scheme}://{request.host}")
        port = request.environ.get("SERVER_PORT", "8000")
        if reached is None or reached[0] not in allowed:
            return _refusal(
                421,
                "Open the address jtai-docs gave",
                "These pages answer only at the address jtai-docs printed when it started, such as "
                f"http://127.0.0.1:{port}/ (localhost in place of 127.0.0.1 works too). The address in your "
                "browser names another site, so nothing was read or changed: type the address jtai-docs printed "
                "into your browser instead.",
            )
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return None
        # A form sent from a page of another site is refused, whichever name it reached the server by.
        sender = request.headers.get("Origin", request.headers.get("Referer"))
        if sender is not None and _site(sender) != reached:
            return _refusal(
                403,
                "This form did not come from this site",
                f"Forms are accepted only from these pages. Open http://127.0.0.1:{port}/, go to the form and "
                "send it again from there.",
            )
        return None

    CSRFProtect(app)
    app.jinja_env.filters.update(_filters())

    @app.before_request
    def require_token() -> ResponseReturnValue | None:
        g.signed_in = True
        if config.token is None or request.endpoint in ("static", "web.sign_in"):
            return None
        offered = request.cookies.get(TOKEN_COOKIE, "")
        header = request.headers.get("Authorization", "")
        if header.startswith("Bearer "):
            offered = header.removeprefix("Bearer ")
        if offered and hmac.compare_digest(offered.encode(), config.token.encode()):
            return None
        g.signed_in = False
        return render_template("sign_in.html", failed=False, next_page=request.path), 401

    @app.after_request
    def add_headers(response: Response) -> Response:
        for name, value in _SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response

    @app.errorhandler(CSRFError)
    def refuse_csrf(error: CSRFError) -> tuple[str, int]:
        return _refusal(
            400,
            "This form has expired or did not come from this site",
            "Go back, reload the page and send the form again.",
        )

    @app.errorhandler(413)
    def refuse_large(error: HTTPException) -> tuple[str, int]:
        limit = f"{config.max_upload / (1024 * 1024):.0f} MB"
        return _refusal(
            413,
            "The file is too large",
            f"Files sent to this page can be at most {limit}. An action-plan workbook or a report is "
            "usually well under 1 MB: check that you chose the right file.",
        )

    @app.errorhandler(404)
    def not_found(error: HTTPException) -> tuple[str, int]:
        return _refusal(
            404, "Page not found", "There is no such report or file here. Start again from the list of reports."
        )

    @app.errorhandler(405)
    def wrong_method(error: HTTPException) -> tuple[str, int]:
        return _refusal(405, "Page not found", "Start again from the list of reports.")

    @app.errorhandler(HTTPException)
    def refuse_request(error: HTTPException) -> tuple[str, int]:
        # Any other request the pages cannot answer (a damaged form, say), on this site's own page.
        return _refusal(
            error.code or 400,
            "This request could not be answered",
            "Your browser sent something these pages cannot read. Start again from the list of reports.",
        )

    @app.errorhandler(InternalServerError)
    def fault(error: InternalServerError) -> ResponseReturnValue:
        # Flask has already written the traceback to the server's log (standard error); the page shows none of it.
        try:
            return _refusal(
                500,
                "Something went wrong in jtai-docs",
                "This is a fault in jtai-docs, not in your files or in what you did. Go back and try again; if it "
                "happens again, tell whoever looks after jtai-docs what you were doing and when: the details are in "
                "the server's log.",
            )
        except Exception:
            current_app.logger.exception("The fault page could not be shown")
            return _FAULT_PAGE, 500

    @app.errorhandler(JtaiDocsError)
    def refuse_error(error: JtaiDocsError) -> tuple[str, int]:
        # Problems in an input are each listed with their place, as the command line lists them.
        problems = [problem.describe() for problem in getattr(error, "problems", ())]
        return _refusal(422, "This could not be done", error.message, problems)

    from .routes import blueprint

    app.register_blueprint(blueprint)
    return app


def _refusal(status: int, title: str, message: str, problems: Sequence[str] = ()) -> tuple[str, int]:
    server: Server = current_app.extensions["jtai_docs"]
    message, problems = server.without_folders(message), [server.without_folders(p) for p in problems]
    return render_template("refusal.html", title=title, message=message, problems=problems), status


#: The fault page should that page itself fail: still a page with a title, a main landmark and one heading.
_FAULT_PAGE = (
    '<!doctype html><html lang="en-GB"><head><meta charset="utf-8"><title>Something went wrong in jtai-docs'
    "</title></head><body><main><h1>Something went wrong in jtai-docs</h1><p>This is a fault in jtai-docs, not in "
    "your files or in what you did. Go back and try again; if it happens again, tell whoever looks after jtai-docs "
    "what you were doing and when: the details are in the server's log.</p></main></body></html>"
)


def _site(address: str) -> tuple[str, int] | None:
    """The host name and port of an address such as http://localhost:8000/page; None for anything else ("null")."""
    try:
        parts = urlsplit(address)
        port = parts.port or {"http": 80, "https": 443}.get(parts.scheme)
    except ValueError:
        return None
    if parts.hostname is None or port is None:
        return None
    return parts.hostname.lower(), port


_PLACE = re.compile(r"^'(?P<sheet>[^']+)'!(?P<cell>\$?[A-Z]{1,3}\$?[0-9]+)(?: \((?P<column>.*)\))?$")


def split_place(place: str) -> dict[str, str]:
    """A problem's place as the problem table's columns: sheet, cell and column for a cell, else the place whole."""
    match = _PLACE.match(place or "")
    if match:
        return {"sheet": match["sheet"], "cell": match["cell"], "column": match["column"] or ""}
    return {"sheet": "", "cell": place or "", "column": ""}


def _filters() -> dict[str, Callable[..., object]]:
    def without_folders(text: object) -> str:
        server: Server = current_app.extensions["jtai_docs"]
        return server.without_folders(str(text))

    return {**FILTERS, "split_place": split_place, "counted": counted, "without_folders": without_folders}


class Server:
    """What the running server keeps between requests: its reports and one build lock per report."""

    def __init__(self, config: WebConfig) -> None:
        self.config = config
        self.reports = {report.identifier: report for report in config.reports}
        # Builds of one report are serialised so there is never more than one writer of its outputs.
        self.build_locks = {report.identifier: threading.Lock() for report in config.reports}
        self.redlines = RecentFiles()
        # Each report's folder, and the one above it (report.toml's "../outputs"), longest first.
        folders = {f"{report.settings_path.parent}{os.sep}": "" for report in config.reports}
        above = {f"{report.settings_path.parent.parent}{os.sep}": f"..{os.sep}" for report in config.reports}
        self._folders = sorted({**above, **folders}.items(), key=lambda item: -len(item[0]))
        # Started at the first PDF (or by serve, at once) and kept running for the next ones.
        self.libreoffice = RunningLibreOffice()

    def without_folders(self, text: str) -> str:
        """The text with its paths relative to the report folder: files are named as the officer knows them, as
        report.toml names them (missing.xlsx, ../outputs/history), never by where this server keeps them."""
        for folder, relative in self._folders:
            text = text.replace(folder, relative)
        return text


class RecentFiles:
    """Redlines made from uploads, kept in memory for a while so the page can offer them for download.

    Looked up by a random identifier, never by anything a request names on disk.
    """

    LIMIT = 20

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._files: dict[str, tuple[str, bytes]] = {}

    def keep(self, name: str, data: bytes) -> str:
        key = secrets.token_urlsafe(16)
        with self._lock:
            self._files[key] = (name, data)
            while len(self._files) > self.LIMIT:
                self._files.pop(next(iter(self._files)))
        return key

    def get(self, key: str) -> tuple[str, bytes] | None:
        with self._lock:
            return self._files.get(key)
