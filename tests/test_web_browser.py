"""The web pages in a real browser: Debian's Chromium through chromedriver, with axe-core run in every page.

Each test starts the server on a free loopback port over a private copy of the project. axe-core is the npm
package pinned in package.json, installed into node_modules/ by `npm ci` (.ci/run does it); it is not copied
into this repository.

Screenshots for the README: JTAI_DOCS_SCREENSHOTS=1 .venv/bin/python -m pytest tests/test_web_browser.py
writes docs/screenshots/*.png.
"""

from __future__ import annotations

import os
import shutil
import threading
import time
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from selenium import webdriver
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.expected_conditions import staleness_of
from selenium.webdriver.support.ui import WebDriverWait

from helpers import Row, make_workbook
from jtai_docs import pipeline
from jtai_docs.cli import main
from jtai_docs.web import WebConfig, name_reports
from jtai_docs.web.server import make_server

ROOT = Path(__file__).resolve().parents[1]
#: axe-core from npm (package.json pins it; `npm ci` installs it, as .ci/run does).
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "docs" / "screenshots"
#: The WCAG 2.1 A and AA rules, and axe's best practices (landmarks, one h1, headings in order).
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1280,1400",
]


@pytest.fixture(scope="module")
def downloads(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("downloads")


@pytest.fixture(scope="module")
def browser(tmp_path_factory, downloads):
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}")
    options.add_experimental_option(
        "prefs",
        {
            "download.default_directory": str(downloads),
            "download.prompt_for_download": False,
            "safebrowsing.enabled": False,
        },
    )
    service = Service(executable_path=shutil.which("chromedriver") or "/usr/bin/chromedriver")
    driver = webdriver.Chrome(options=options, service=service)
    driver.implicitly_wait(0)
    driver.set_page_load_timeout(300)
    yield driver
    driver.quit()


def serve(project: Path, **config) -> tuple[str, callable]:
    server = make_server(
        WebConfig(reports=name_reports([project / "inputs" / "report.toml"]), **config), host="127.0.0.1", port=0
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()

    def stop():
        server.close()  # and the LibreOffice a build started
        thread.join(timeout=10)

    return f"http://127.0.0.1:{server.effective_port}", stop


@pytest.fixture
def site(project):
    address, stop = serve(project)
    yield address
    stop()


def check_page(browser, name: str | None = None) -> None:
    """Runs axe-core in the page and fails on any violation; saves a screenshot when asked to."""
    assert AXE.is_file(), f"{AXE} is missing: run `npm ci` in {ROOT} once to install axe-core"
    browser.execute_script(AXE.read_text(encoding="utf-8"))
    violations = browser.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}})"
        ".then(result => done(result.violations.map(v => [v.id, v.help, v.nodes.map(n => n.html)])))"
        ".catch(error => done([['axe-failed', String(error), []]]));",
        AXE_TAGS,
    )
    assert violations == [], f"{browser.current_url}: {violations}"
    if name and os.environ.get("JTAI_DOCS_SCREENSHOTS"):
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        height = browser.execute_script("return document.documentElement.scrollHeight")
        browser.set_window_size(1280, min(max(height, 800), 4000))
        browser.save_screenshot(str(SCREENSHOTS / f"{name}.png"))
        browser.set_window_size(1280, 1400)


def wait_for(condition, *, seconds: float = 120):
    """Waits for the page (a build runs LibreOffice for its PDF); a deadline, not a timing assertion."""
    deadline = time.monotonic() + seconds
    while True:
        value = condition()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(0.2)


def downloaded(folder: Path, name: str) -> Path:
    path = folder / name
    wait_for(lambda: path.exists() and not list(folder.glob("*.crdownload")), seconds=60)
    assert path.exists(), sorted(p.name for p in folder.iterdir())
    return path


def follow(browser, element) -> None:
    """Clicks a link or button and waits until the next page has replaced this one."""
    page = browser.find_element(By.TAG_NAME, "html")
    element.click()
    WebDriverWait(browser, 300).until(lambda _: replaced(page))


def replaced(page) -> bool:
    """True once the page's root element is gone (Chromium says so in more than one way while it navigates)."""
    try:
        return staleness_of(page)(None)
    except WebDriverException as error:
        if "does not belong to the document" in str(error):
            return True
        raise


def press(browser, *keys: str) -> None:
    """Types keys into whatever has the focus, as a keyboard would (send_keys on a file input would choose a file)."""
    ActionChains(browser).send_keys(*keys).perform()


def text(browser, css: str) -> str:
    return browser.find_element(By.CSS_SELECTOR, css).text


def test_a_workbook_with_three_mistakes_shows_three_located_problems_linked_from_a_summary(browser, site, tmp_path):
    rows = [
        Row(ref="1.01", status="Gren"),
        Row(ref="1.02", lead=None),
        Row(ref="2.01", theme=2, timescale="31/02/2019"),
    ]
    plan = make_workbook(tmp_path / "action_plan.xlsx", rows)
    browser.get(f"{site}/reports/inputs")
    check_page(browser, "report")
    browser.find_element(By.ID, "workbook").send_keys(str(plan))
    follow(browser, browser.find_element(By.CSS_SELECTOR, "form.upload button"))
    assert text(browser, "#error-summary-title") == "3 problems must be fixed before the report can be built"
    problems = browser.find_elements(By.CSS_SELECTOR, "table.problems tbody tr")
    assert [[cell.text for cell in row.find_elements(By.TAG_NAME, "td")][:4] for row in problems] == [
        ["action_plan.xlsx", "Action Plan", "F2", "Status"],
        ["action_plan.xlsx", "Action Plan", "D3", "Lead"],
        ["action_plan.xlsx", "Action Plan", "E4", "Timescale"],
    ]
    assert "did you mean 'Green'?" in problems[0].text
    check_page(browser, "report-problems")
    browser.find_elements(By.CSS_SELECTOR, ".error-summary a")[2].click()  # same page: a fragment
    assert browser.current_url.endswith("#problem-3")


def test_check_a_good_workbook_follow_table1_to_its_actions_build_and_download(
    browser, site, project, downloads, tmp_path
):
    settings = project / "inputs" / "report.toml"
    table1 = pipeline.check_report(settings).table1
    good = shutil.copy(project / "inputs" / "action_plan.xlsx", tmp_path / "latest.xlsx")
    browser.get(f"{site}/reports/inputs")
    browser.find_element(By.ID, "workbook").send_keys(str(good))
    follow(browser, browser.find_element(By.CSS_SELECTOR, "form.upload button"))
    assert "latest.xlsx: no errors were found. Nothing was written." in text(browser, ".notice")
    assert not (project / "outputs").exists()
    check_page(browser, "report-checked")

    browser.get(f"{site}/reports/inputs")
    amber = [s.label for s in table1.statuses].index("Amber")
    link = browser.find_elements(By.CSS_SELECTOR, "table.table1 tfoot td.figure a")[amber]
    assert link.text.split()[0] == str(table1.totals[amber])
    follow(browser, link)
    refs = [cell.text for cell in browser.find_elements(By.CSS_SELECTOR, "table.actions tbody th")]
    _, expected = pipeline.list_actions(settings, status="Amber")
    assert refs == [action.reference for action in expected] and len(refs) == table1.count("Amber")
    check_page(browser, "actions")

    browser.back()
    follow(browser, browser.find_element(By.CSS_SELECTOR, "form.build button"))
    assert browser.find_element(By.TAG_NAME, "h1").text == "Report built"
    check_page(browser, "built")
    browser.find_element(By.PARTIAL_LINK_TEXT, "Download the report (Word").click()
    docx = downloaded(downloads, "committee_report.docx")
    cli_copy = tmp_path / "cli"
    for folder in ("inputs", "templates"):
        shutil.copytree(project / folder, cli_copy / folder)
    assert CliRunner().invoke(main, ["build", str(cli_copy / "inputs" / "report.toml")]).exit_code == 0
    assert docx.read_bytes() == (cli_copy / "outputs" / "committee_report.docx").read_bytes()
    browser.find_element(By.PARTIAL_LINK_TEXT, "Download the accessible PDF").click()
    assert downloaded(downloads, "committee_report.pdf").read_bytes().startswith(b"%PDF")


def test_compare_two_versions_and_download_the_redline(browser, site, project, downloads, tmp_path):
    settings = project / "inputs" / "report.toml"
    pipeline.build_report(settings)
    old = shutil.copy(project / "outputs" / "committee_report.docx", tmp_path / "january.docx")
    book = openpyxl.load_workbook(project / "inputs" / "action_plan.xlsx")
    next(r for r in book["Action Plan"].iter_rows() if r[5].value == "Amber")[5].value = "Green"
    book.save(project / "inputs" / "action_plan.xlsx")
    pipeline.build_report(settings)
    new = shutil.copy(project / "outputs" / "committee_report.docx", tmp_path / "february.docx")
    changes = pipeline.compare_reports(old, new)

    browser.get(f"{site}/compare")
    check_page(browser, "compare")
    browser.find_element(By.ID, "old").send_keys(str(old))
    browser.find_element(By.ID, "new").send_keys(str(new))
    follow(browser, browser.find_element(By.CSS_SELECTOR, "form.upload button"))
    rows = browser.find_elements(By.CSS_SELECTOR, "table.changes tbody tr")
    assert [row.find_element(By.TAG_NAME, "td").text for row in rows] == [change.where for change in changes], text(
        browser, "main"
    )
    check_page(browser, "compare-result")
    browser.find_element(By.PARTIAL_LINK_TEXT, "Download the redline").click()
    redline = downloaded(downloads, "february.redline.docx")
    assert [c.where for c in pipeline.compare_reports(old, redline, existing="accept")] == [c.where for c in changes]

    # The report page now offers its history, each earlier build comparable with the current report.
    browser.get(f"{site}/reports/inputs")
    check_page(browser, "report-history")
    follow(browser, browser.find_element(By.PARTIAL_LINK_TEXT, "Compare with the current report"))
    assert f"{len(changes)} differences" in text(browser, "main p")
    check_page(browser, "history-compare")


def test_usable_by_keyboard_alone_with_visible_focus(browser, site):
    browser.get(f"{site}/reports/inputs")
    press(browser, Keys.TAB)
    skip = browser.switch_to.active_element
    assert skip.text == "Skip to main content" and skip.is_displayed()
    press(browser, Keys.ENTER)
    assert browser.switch_to.active_element.get_attribute("id") == "main"
    reached = []
    for _ in range(12):
        press(browser, Keys.TAB)
        element = browser.switch_to.active_element
        outline = browser.execute_script(
            "const s = getComputedStyle(arguments[0]);return [s.outlineStyle, s.outlineWidth];", element
        )
        assert outline[0] != "none" and outline[1] != "0px", (element.get_attribute("outerHTML"), outline)
        reached.append(element.get_attribute("id") or element.text)
        if element.text == "Check the workbook":
            break
    assert "workbook" in reached and reached[-1] == "Check the workbook"
    # Sending the form without a file, by keyboard: the summary names the mistake and links to the field.
    page = browser.find_element(By.TAG_NAME, "html")
    press(browser, Keys.ENTER)
    WebDriverWait(browser, 60).until(lambda _: replaced(page))
    summary = browser.find_element(By.CSS_SELECTOR, ".error-summary a")
    assert summary.text == "Choose the workbook to check"
    summary_link_focused = False
    for _ in range(8):
        press(browser, Keys.TAB)
        if browser.switch_to.active_element == summary:
            summary_link_focused = True
            break
    assert summary_link_focused
    press(browser, Keys.ENTER)
    assert browser.current_url.endswith("#workbook")
    check_page(browser)


def test_the_other_pages_have_no_accessibility_failures(browser, site, project):
    for path, name in (("/", "index"), ("/reports/inputs/actions?scope=all", None), ("/no/such/page", None)):
        browser.get(site + path)
        check_page(browser, name)
    browser.get(f"{site}/compare")
    follow(browser, browser.find_element(By.CSS_SELECTOR, "form.upload button"))
    assert [a.text for a in browser.find_elements(By.CSS_SELECTOR, ".error-summary a")] == [
        "Choose the earlier version",
        "Choose the new version",
    ]
    check_page(browser)
    # A report edited by hand: the build is refused, and the page says why and how to replace it.
    pipeline.build_report(project / "inputs" / "report.toml")
    report = project / "outputs" / "committee_report.docx"
    report.write_bytes(report.read_bytes() + b"\0")
    browser.get(f"{site}/reports/inputs")
    follow(browser, browser.find_element(By.CSS_SELECTOR, "form.build button"))
    assert "so it has not been overwritten" in text(browser, ".error-summary")
    check_page(browser)


def test_with_an_access_code_the_sign_in_page_lets_a_browser_in(browser, project):
    token = "a-long-enough-access-code-for-tests"
    address, stop = serve(project, token=token)
    try:
        browser.get(f"{address}/reports/inputs")
        assert browser.find_element(By.TAG_NAME, "h1").text == "Sign in"
        check_page(browser, "sign-in")
        browser.find_element(By.ID, "token").send_keys("wrong")
        follow(browser, browser.find_element(By.CSS_SELECTOR, "form button"))
        assert "That access code is not right" in text(browser, ".error-summary")
        check_page(browser)
        page = browser.find_element(By.TAG_NAME, "html")
        browser.find_element(By.ID, "token").send_keys(token + Keys.ENTER)
        WebDriverWait(browser, 60).until(lambda _: replaced(page))
        assert browser.current_url == f"{address}/reports/inputs"
        assert browser.find_elements(By.CSS_SELECTOR, "table.table1")
        cookie = browser.get_cookie("jtai_docs_token")
        assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"
    finally:
        stop()
