"""Prints how fast the web pages answer beside the same work done by the command line.

    .venv/bin/python benchmarks/web_speed.py [--repeat 5]

The server runs in this process on a free loopback port over a private copy of inputs/ and templates/, as
`jtai-docs serve` would, with LibreOffice kept running (without python3-uno it falls back to starting
LibreOffice for each PDF, as the CLI does; the figures then show it); each CLI figure is a fresh `jtai-docs`
process, as an officer runs it. Figures are medians. The issue's targets on this machine: checking the default
workbook under 0.3 s, build + PDF under 1.5 s.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

from jtai_docs.web import WebConfig, name_reports
from jtai_docs.web.server import make_server

ROOT = Path(__file__).resolve().parents[1]
CLI = [sys.executable, "-m", "jtai_docs"]


def median_seconds(action, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


class Browser:
    """Just enough of a browser: keeps the session cookie and sends forms with their CSRF token."""

    def __init__(self, address: str) -> None:
        self.address = address
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        self.csrf = ""

    def get(self, path: str) -> bytes:
        with self.opener.open(self.address + path, timeout=300) as response:
            page = response.read()
        found = re.search(rb'name="csrf_token" value="([^"]+)"', page)
        self.csrf = found.group(1).decode() if found else self.csrf
        return page

    def post(self, path: str, *, files: dict[str, tuple[str, bytes]] | None = None) -> bytes:
        boundary = uuid.uuid4().hex
        parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n{self.csrf}\r\n'.encode()]
        for field, (name, data) in (files or {}).items():
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"; filename="{name}"\r\n'
                f"Content-Type: application/octet-stream\r\n\r\n".encode()
                + data
                + b"\r\n"
            )
        body = b"".join(parts) + f"--{boundary}--\r\n".encode()
        request = urllib.request.Request(
            self.address + path,
            data=body,
            method="POST",
            headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
        )
        with self.opener.open(request, timeout=300) as response:
            return response.read()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    repeat = parser.parse_args().repeat
    with tempfile.TemporaryDirectory(prefix="jtai-docs-web-bench-") as folder:
        project = Path(folder)
        for name in ("inputs", "templates"):
            shutil.copytree(ROOT / name, project / name)
        settings = project / "inputs" / "report.toml"
        workbook = (project / "inputs" / "action_plan.xlsx").read_bytes()
        server = make_server(WebConfig(reports=name_reports([settings])), host="127.0.0.1", port=0)
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        try:
            browser = Browser(f"http://127.0.0.1:{server.effective_port}")
            browser.get("/reports/inputs")  # the first request loads what the server then keeps loaded
            server.libreoffice.warm_up()  # as `jtai-docs serve` does when it starts
            figures = [
                (
                    "report page (check the report's workbook, Table 1)",
                    median_seconds(lambda: browser.get("/reports/inputs"), repeat),
                    median_seconds(lambda: subprocess.run([*CLI, "check", str(settings)], capture_output=True), repeat),
                ),
                (
                    "check an uploaded workbook",
                    median_seconds(
                        lambda: browser.post(
                            "/reports/inputs/check", files={"workbook": ("action_plan.xlsx", workbook)}
                        ),
                        repeat,
                    ),
                    None,
                ),
                (
                    "actions behind Table 1's Amber total",
                    median_seconds(lambda: browser.get("/reports/inputs/actions?status=Amber"), repeat),
                    median_seconds(
                        lambda: subprocess.run(
                            [*CLI, "actions", str(settings), "--status", "Amber"], capture_output=True
                        ),
                        repeat,
                    ),
                ),
                (
                    "build + accessible PDF",
                    median_seconds(lambda: browser.post("/reports/inputs/build"), repeat),
                    median_seconds(
                        lambda: subprocess.run([*CLI, "build", "--pdf", str(settings)], capture_output=True), repeat
                    ),
                ),
            ]
        finally:
            server.close()
    print(f"Median of {repeat} runs, in seconds (the CLI column is a fresh jtai-docs process each time):")
    print(f"{'operation':<55} {'web':>7} {'CLI':>7}")
    for name, web, cli in figures:
        print(f"{name:<55} {web:7.3f} {'' if cli is None else f'{cli:7.3f}':>7}")


if __name__ == "__main__":
    main()
