"""`jtai-docs serve` as an officer starts it: it says where to open the pages, serves them, and Ctrl+C stops it
cleanly; addresses beyond this machine need an access code, and a token file that cannot be used is refused."""

from __future__ import annotations

import ipaddress
import os
import re
import signal
import subprocess
import sys
import urllib.request

import pytest
from click.testing import CliRunner

from jtai_docs.cli import main
from jtai_docs.web.server import NO_AUTH_WARNING


def start_serve(report, **env: str) -> subprocess.Popen:
    """`jtai-docs serve` as its own process, as an officer or a service manager starts it."""
    return subprocess.Popen(
        [sys.executable, "-m", "jtai_docs", "serve", str(report), "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1", **env},
    )


def stop_serve(process: subprocess.Popen, stop_signal: int) -> str:
    """Sends the signal, waits for serve to end, and gives what it wrote to standard error."""
    process.send_signal(stop_signal)
    try:
        _, errors = process.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        raise
    return errors


def listening_addresses(port: int) -> set[str]:
    """The addresses this computer accepts connections on at the port, as the kernel lists them."""
    found = set()
    for table, width in (("/proc/net/tcp", 4), ("/proc/net/tcp6", 16)):
        with open(table) as rows:
            for row in list(rows)[1:]:
                local, state = row.split()[1], row.split()[3]
                address, local_port = local.split(":")
                if state == "0A" and int(local_port, 16) == port:  # 0A: listening
                    raw = bytes.fromhex(address)
                    # The kernel writes each 32-bit word of the address in this machine's byte order.
                    words = [
                        raw[i : i + 4][::-1] if sys.byteorder == "little" else raw[i : i + 4] for i in (0, 4, 8, 12)
                    ]
                    found.add(str(ipaddress.ip_address(b"".join(words[: width // 4]))))
    return found


@pytest.mark.libreoffice
def test_serve_says_where_to_open_the_pages_serves_them_and_stops_on_ctrl_c(project):
    report = project / "inputs" / "report.toml"
    process = start_serve(report)
    try:
        assert process.stdout is not None
        serving = process.stdout.readline()
        assert serving == f"Serving {report}\n"
        opened = re.fullmatch(
            r"Open http://127\.0\.0\.1:(\d+)/ in a browser \(press Ctrl\+C to stop\)\.\n", process.stdout.readline()
        )
        assert opened, "serve did not say where to open the pages"
        # It listens on this computer's own address only, at the port it names.
        assert listening_addresses(int(opened.group(1))) == {"127.0.0.1"}
        with urllib.request.urlopen(f"http://127.0.0.1:{opened.group(1)}/", timeout=60) as response:
            page = response.read().decode("utf-8")
        assert response.status == 200
        assert "report.toml" in page or "inputs" in page
    finally:
        errors = stop_serve(process, signal.SIGINT)
    assert process.returncode == 0, errors
    assert "Traceback" not in errors


def processes_naming(folder) -> list[str]:
    """Command lines of running processes that name the folder (a LibreOffice with its profile there)."""
    found = []
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                with open(os.path.join(entry.path, "cmdline"), "rb") as cmdline:
                    line = cmdline.read()
            except OSError:
                continue
            if str(folder).encode() in line:
                found.append(line.replace(b"\0", b" ").decode(errors="replace"))
    return found


@pytest.mark.libreoffice
def test_serve_stopped_by_the_service_manager_stops_the_libreoffice_it_kept_running(project, tmp_path):
    import time

    temporary = tmp_path / "tmp"
    temporary.mkdir()
    process = start_serve(project / "inputs" / "report.toml", TMPDIR=str(temporary))
    try:
        assert process.stdout is not None
        process.stdout.readline()
        assert "in a browser" in process.stdout.readline()
        deadline = time.monotonic() + 120
        # LibreOffice is started at once, ready for the first PDF: wait until it runs.
        while not any("soffice" in line for line in processes_naming(temporary)) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert any("soffice" in line for line in processes_naming(temporary)), "LibreOffice never started"
    finally:
        errors = stop_serve(process, signal.SIGTERM)  # what systemd, Docker or `kill` sends
    assert process.returncode == 0, errors
    assert "Traceback" not in errors
    assert processes_naming(temporary) == []
    assert list(temporary.iterdir()) == []


@pytest.mark.parametrize("host", ["council-server", "example.invalid", "10.0.0.5"])
def test_serve_refuses_a_name_or_address_other_computers_reach_without_an_access_code(project, host):
    result = CliRunner().invoke(main, ["serve", str(project / "inputs" / "report.toml"), "--host", host])
    assert result.exit_code == 2
    assert f"--host {host} lets other computers connect" in result.stderr
    assert "Traceback" not in result.output


def test_serve_refuses_a_token_file_and_no_auth_together(project, tmp_path):
    token = tmp_path / "token.txt"
    token.write_text("a-long-enough-access-code-1234\n")
    result = CliRunner().invoke(
        main,
        [
            "serve",
            str(project / "inputs" / "report.toml"),
            "--host",
            "0.0.0.0",
            "--token-file",
            str(token),
            "--no-auth",
        ],
    )
    assert result.exit_code == 2
    assert "give either --token-file or --no-auth, not both" in result.stderr
    assert NO_AUTH_WARNING not in result.stderr


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"\xff\xfe\x00 not text", "could not read the token file"),
        (b"", "must hold an access code of at least 16 characters on its first line (found 0)"),
        (b"   \n\n", "must hold an access code of at least 16 characters on its first line (found 0)"),
    ],
)
def test_serve_refuses_a_token_file_it_cannot_use(project, tmp_path, content, expected):
    token = tmp_path / "token.txt"
    token.write_bytes(content)
    result = CliRunner().invoke(
        main, ["serve", str(project / "inputs" / "report.toml"), "--host", "0.0.0.0", "--token-file", str(token)]
    )
    assert result.exit_code == 2
    assert expected in result.stderr
    assert str(token) in result.stderr
    assert "Traceback" not in result.output


def test_serve_refuses_a_missing_token_file_naming_it(project, tmp_path):
    result = CliRunner().invoke(
        main,
        [
            "serve",
            str(project / "inputs" / "report.toml"),
            "--host",
            "0.0.0.0",
            "--token-file",
            str(tmp_path / "absent.txt"),
        ],
    )
    assert result.exit_code == 2
    assert "the token file does not exist" in result.stderr
