"""What the web pages refuse, as the officer (or a page of another site) meets it: other host names, forms from
other sites, sign-in links that lead elsewhere, a port already in use; and a fault in jtai-docs shown on the
site's own page, with no traceback and no server path. Every page named here is checked with axe-core."""

from __future__ import annotations

import gc
import shutil
import socket
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from test_web import csrf_of, text_of
from test_web_browser import CHROMIUM_FLAGS, check_page, follow, serve

from helpers import snapshot
from jtai_docs import pipeline
from jtai_docs.cli import main
from jtai_docs.web import WebConfig, create_app, name_reports

TOKEN = "a-long-enough-access-code-for-tests"


@pytest.fixture
def make_client(project: Path):
    apps = []

    def make(**config):
        app = create_app(WebConfig(reports=name_reports([project / "inputs" / "report.toml"]), **config))
        apps.append(app)
        client = app.test_client()
        client.project = project
        return client

    yield make
    for app in apps:
        app.extensions["jtai_docs"].libreoffice.close()


def test_a_page_of_another_site_pointing_its_own_name_here_reads_and_changes_nothing(make_client):
    """DNS rebinding: a page at attacker.example re-points that name to 127.0.0.1 and sends the officer's
    browser to this server; the Host it sends is its own name, and is refused."""
    web = make_client()
    attacker = {"Host": "attacker.example:8000", "Origin": "http://attacker.example:8000"}
    before = snapshot(web.project)
    for path in ("/", "/reports/inputs", "/reports/inputs/actions?scope=all", "/static/style.css"):
        page = web.get(path, headers={"Host": "attacker.example:8000"})
        assert page.status_code == 421, path
        text = text_of(page.data)
        assert "Open the address jtai-docs gave" in text
        assert "type the address jtai-docs printed into your browser instead" in text
        assert "table1" not in page.get_data(as_text=True) and "csrf_token" not in page.get_data(as_text=True)
    built = web.post("/reports/inputs/build", headers=attacker, data={"force": "yes"})
    assert built.status_code == 421
    assert snapshot(web.project) == before
    # The names this computer reaches itself by are served.
    for host in ("127.0.0.1:8000", "localhost:8000", "[::1]:8000", "LOCALHOST:8000"):
        assert web.get("/reports/inputs", headers={"Host": host}).status_code == 200, host


def test_the_address_given_to_host_is_served_and_a_shared_server_answers_every_name_with_its_sign_in(make_client):
    assert make_client(host="127.0.0.2").get("/", headers={"Host": "127.0.0.2:8000"}).status_code == 200
    # Listening beyond this computer, the names it is reached by cannot be known: the access code guards it.
    shared = make_client(host="0.0.0.0", token=TOKEN).get("/reports/inputs", headers={"Host": "council-server"})
    assert shared.status_code == 401 and "Sign in" in text_of(shared.data)


def test_a_form_sent_from_a_page_of_another_site_is_refused_and_changes_nothing(make_client):
    web = make_client()
    csrf = csrf_of(web.get("/reports/inputs").data)
    before = snapshot(web.project)
    for sender in (
        {"Origin": "http://evil.example"},
        {"Origin": "null"},
        {"Origin": "http://localhost:9999"},
        {"Referer": "http://evil.example/page"},
    ):
        refused = web.post("/reports/inputs/build", headers=sender, data={"csrf_token": csrf, "force": "yes"})
        assert refused.status_code == 403, sender
        assert "This form did not come from this site" in text_of(refused.data)
    assert snapshot(web.project) == before
    # From this site's own page (the Origin a browser sends), the form is taken.
    web.post("/reports/inputs/build", headers={"Origin": "http://localhost"}, data={"csrf_token": csrf})
    assert pipeline.report_files(web.project / "inputs" / "report.toml").report is not None


@pytest.mark.parametrize(
    ("next_page", "goes_to"),
    [
        ("/\t/evil.example", "/"),
        ("/\r\nSet-Cookie: x=1", "/"),
        ("/\\evil.example", "/"),
        ("\\\\evil.example", "/"),
        ("//evil.example", "/"),
        ("https://evil.example/", "/"),
        ("/reports/inputs", "/reports/inputs"),
    ],
)
def test_signing_in_goes_only_to_a_page_of_this_site(make_client, next_page, goes_to):
    web = make_client(token=TOKEN)
    form = web.get("/sign-in", query_string={"next": next_page})
    assert form.status_code == 200
    assert f'name="next" value="{goes_to}"' in form.get_data(as_text=True)
    signed_in = web.post("/sign-in", data={"csrf_token": csrf_of(form.data), "token": TOKEN, "next": next_page})
    assert signed_in.status_code == 303
    assert signed_in.headers["Location"] == goes_to


def test_a_fault_in_jtai_docs_shows_the_sites_own_page_without_details_and_logs_them(make_client, monkeypatch, caplog):
    """The server log (its standard error when served) has the traceback to report; the page has none."""

    def broken(*args, **kwargs):
        raise RuntimeError("broken at /srv/secret/place")

    monkeypatch.setattr(pipeline, "check_report", broken)
    web = make_client()
    page = web.get("/reports/inputs")
    assert page.status_code == 500
    text = text_of(page.data)
    assert text.startswith("Something went wrong in jtai-docs – jtai-docs")
    assert "This is a fault in jtai-docs, not in your files or in what you did." in text
    assert "Traceback" not in text and "/srv/secret" not in text and "RuntimeError" not in text
    assert '<main id="main"' in page.get_data(as_text=True)
    assert "Traceback" in caplog.text and "RuntimeError: broken at /srv/secret/place" in caplog.text


def test_serve_on_a_port_already_in_use_says_so_and_which_option_to_change(project):
    threads_before = set(threading.enumerate())
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(main, ["serve", str(project / "inputs" / "report.toml"), "--port", str(port)])
    assert result.exit_code == 2
    assert result.stderr == (
        f"Error: port {port} is already in use on this computer (perhaps by another jtai-docs serve): stop that "
        f"program, or give another port, for example --port {port + 1}\n"
    )
    assert "Traceback" not in result.output and "fault in jtai-docs" not in result.stderr
    # Nothing the failed start opened is left open: a pipe or socket left for the garbage collector warns here
    # (warnings are errors in this suite), and no worker thread is left waiting.
    del result
    gc.collect()
    assert not [thread.name for thread in set(threading.enumerate()) - threads_before if thread.is_alive()]


def test_serve_on_an_address_of_another_computer_says_host_must_be_this_computers(project):
    threads_before = set(threading.enumerate())
    # 192.0.2.1 is kept for documentation (RFC 5737): no computer has it, so none can listen on it.
    result = CliRunner().invoke(
        main, ["serve", str(project / "inputs" / "report.toml"), "--host", "192.0.2.1", "--no-auth", "--port", "0"]
    )
    assert result.exit_code == 2
    assert result.stderr.endswith(
        "Error: could not listen on 192.0.2.1 port 0: --host must be a name or address of this computer\n"
    )
    assert "Traceback" not in result.output and "fault in jtai-docs" not in result.stderr
    del result
    gc.collect()
    assert not [thread.name for thread in set(threading.enumerate()) - threads_before if thread.is_alive()]


def test_pages_name_files_as_report_toml_does_and_offer_the_pages_own_controls(make_client):
    web = make_client()
    settings = web.project / "inputs" / "report.toml"
    pipeline.build_report(settings)
    report = web.project / "outputs" / "committee_report.docx"
    report.write_bytes(report.read_bytes() + b"\0")
    refused = web.post("/reports/inputs/build", data={"csrf_token": csrf_of(web.get("/reports/inputs").data)})
    assert refused.status_code == 409
    text = text_of(refused.data)
    assert (
        "committee_report.docx was changed after jtai-docs built it, so it has not been overwritten. Copy any "
        'edits you want to keep into the template or report.toml; then tick "Replace the report" below and build '
        'again (the edited version is then kept under "Earlier builds").'
    ) in text
    assert str(web.project) not in text and "--force" not in text
    # A report.toml naming a workbook that is not there: named as report.toml names it.
    settings.write_text(settings.read_text().replace('workbook = "action_plan.xlsx"', 'workbook = "missing.xlsx"'))
    page = web.get("/reports/inputs")
    text = text_of(page.data)
    assert "missing.xlsx" in text and str(web.project) not in text


@pytest.fixture(scope="module")
def rebinding_browser(tmp_path_factory):
    """Chromium where attacker.example leads to this computer, as DNS rebinding makes it."""
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for flag in [*CHROMIUM_FLAGS, "--host-resolver-rules=MAP attacker.example 127.0.0.1"]:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}")
    driver = webdriver.Chrome(options=options, service=Service(shutil.which("chromedriver") or "/usr/bin/chromedriver"))
    driver.set_page_load_timeout(300)
    yield driver
    driver.quit()


def test_the_refusal_and_fault_pages_pass_axe_in_a_browser(rebinding_browser, project, monkeypatch):
    browser = rebinding_browser
    address, stop = serve(project)
    try:
        port = address.rsplit(":", 1)[1]
        browser.get(f"http://attacker.example:{port}/reports/inputs")
        assert browser.find_element(By.TAG_NAME, "h1").text == "Open the address jtai-docs gave"
        check_page(browser)
        monkeypatch.setattr(pipeline, "check_report", lambda *args, **kwargs: 1 / 0)
        browser.get(f"{address}/reports/inputs")
        assert browser.find_element(By.TAG_NAME, "h1").text == "Something went wrong in jtai-docs"
        check_page(browser)
        monkeypatch.undo()
        # A form from this site's own page is taken: the browser sends its real Origin.
        browser.get(f"{address}/reports/inputs")
        follow(browser, browser.find_element(By.CSS_SELECTOR, "form.build button"))
        assert browser.find_element(By.TAG_NAME, "h1").text == "Report built"
    finally:
        stop()
