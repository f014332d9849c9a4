"""Starting the web application: who may connect, and the WSGI server (waitress) that serves it."""

from __future__ import annotations

import errno
import signal
import threading
from collections.abc import Callable
from pathlib import Path

import waitress
from waitress.task import ThreadedTaskDispatcher

from .. import files
from ..errors import InvalidInputError, UsageError
from .app import DEFAULT_MAX_UPLOAD, WebConfig, create_app, is_loopback, name_reports

#: A shorter access code is too easy to guess.
MIN_TOKEN_LENGTH = 16
#: Requests answered at once.
WORKER_THREADS = 4
#: waitress stops reading a request this many times the upload limit (see make_server).
WAITRESS_BODY_FACTOR = 4
NO_AUTH_WARNING = (
    "Warning: --no-auth: anyone who can reach this address can read and build these reports. "
    "Run it like this only behind the council's sign-in proxy."
)


def read_token(token_file: Path) -> str:
    """The access code in the file (its first line), refusing one that is missing or short."""
    try:
        text = files.read_input_file(token_file, what="token file", limit=64 * 1024).decode("utf-8")
    except InvalidInputError as exc:
        raise UsageError(message=exc.problems[0].message) from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(message=f"could not read the token file {token_file}: {exc}") from exc
    token = text.strip().splitlines()[0].strip() if text.strip() else ""
    if len(token) < MIN_TOKEN_LENGTH:
        raise UsageError(
            message=f"the token file {token_file} must hold an access code of at least "
            f"{MIN_TOKEN_LENGTH} characters on its first line (found {len(token)}); for example "
            "python3 -c 'import secrets; print(secrets.token_urlsafe(24))' > token.txt"
        )
    return token


def configure(
    *, reports: list[Path], host: str, token_file: Path | None, no_auth: bool, max_upload: int = DEFAULT_MAX_UPLOAD
) -> WebConfig:
    """The server's configuration, refusing to listen beyond this machine without a token or --no-auth."""
    if token_file is not None and no_auth:
        raise UsageError(message="give either --token-file or --no-auth, not both")
    token = read_token(token_file) if token_file is not None else None
    if token is None and not no_auth and not is_loopback(host):
        raise UsageError(
            message=f"--host {host} lets other computers connect, so every request must carry an "
            "access code: give --token-file FILE, or --no-auth if the council's sign-in proxy "
            "stands in front of this server"
        )
    return WebConfig(reports=name_reports(reports), token=token, max_upload=max_upload, host=host)


class WebServer:
    """The application served by waitress, with the LibreOffice it keeps running; close() stops both."""

    def __init__(self, config: WebConfig, *, host: str, port: int) -> None:
        app = create_app(config)
        self._closing = False
        self.libreoffice = app.extensions["jtai_docs"].libreoffice
        # waitress opens a wake-up pipe, a socket per address and four worker threads before it binds; when binding
        # fails it leaves them all open. Handing it the channel map and the dispatcher lets them be closed here.
        channels: dict[int, object] = {}
        workers = ThreadedTaskDispatcher()
        workers.set_thread_count(WORKER_THREADS)
        try:
            self.wsgi = waitress.create_server(
                app,
                map=channels,
                _dispatcher=workers,
                host=host,
                port=port,
                ident="jtai-docs",
                # waitress reads a whole request before Flask sees it, so it stops reading at a bound of its own:
                # past it the refusal is waitress's short one ("Request Entity Too Large"); below it Flask refuses
                # anything over the limit with the page's message, however the body is sent.
                max_request_body_size=WAITRESS_BODY_FACTOR * config.max_upload,
            )
        except (OSError, ValueError) as exc:  # waitress: ValueError for a name it cannot look up
            for channel in list(channels.values()):
                channel.close()  # type: ignore[attr-defined]
            workers.shutdown(cancel_pending=True, timeout=5)
            self.libreoffice.close()
            raise UsageError(message=_cannot_listen(exc, host, port)) from exc

    @property
    def effective_port(self) -> int:
        return int(self.wsgi.effective_port)

    def run(self) -> None:
        try:
            self.wsgi.run()
        except OSError:
            # close() from another thread takes the sockets away under the loop's select: that is how it stops.
            if not self._closing:
                raise

    def close(self) -> None:
        self._closing = True
        # Let requests still being answered finish (or be cancelled) before the sockets they write to go away.
        self.wsgi.task_dispatcher.shutdown(cancel_pending=True, timeout=5)
        self.wsgi.close()
        self.libreoffice.close()


def _cannot_listen(exc: OSError | ValueError, host: str, port: int) -> str:
    """Why the server could not start listening, and what to give instead."""
    other = port + 1 if 0 < port < 65535 else 8000
    code = getattr(exc, "errno", None)
    if code == errno.EADDRINUSE:
        return (
            f"port {port} is already in use on this computer (perhaps by another jtai-docs serve): stop that "
            f"program, or give another port, for example --port {other}"
        )
    if code == errno.EACCES:
        return f"this account may not listen on port {port}: give a port above 1023, for example --port {other}"
    return f"could not listen on {host} port {port}: --host must be a name or address of this computer"


def make_server(config: WebConfig, *, host: str, port: int) -> WebServer:
    """A server for the application, not yet running (port 0 picks a free port)."""
    return WebServer(config, host=host, port=port)


def run(config: WebConfig, *, host: str, port: int, announce: Callable[[str], None]) -> None:
    """Serves until interrupted, after saying where; LibreOffice starts at once, ready for the first PDF."""
    server = make_server(config, host=host, port=port)
    threading.Thread(target=server.libreoffice.warm_up, daemon=True).start()
    shown = f"[{host}]" if ":" in host else host
    for report in config.reports:
        announce(f"Serving {report.settings_path}")
    announce(f"Open http://{shown}:{server.effective_port}/ in a browser (press Ctrl+C to stop).")
    # Stopped by the service manager (SIGTERM) as by Ctrl+C: the LibreOffice it keeps running is stopped too.
    main = threading.current_thread() is threading.main_thread()  # only there can a signal be handled
    previous = signal.signal(signal.SIGTERM, _stop_on_terminate) if main else None
    try:
        server.run()
    except (KeyboardInterrupt, SystemExit):
        pass
    finally:
        if main:
            signal.signal(signal.SIGTERM, previous)
        server.close()


def _stop_on_terminate(signum: int, frame: object) -> None:
    raise SystemExit(0)
