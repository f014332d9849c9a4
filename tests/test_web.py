"""The web pages through Flask's test client: the same answers as the CLI, and refusals that leave outputs alone.

The real-browser tests (Chromium, keyboard, axe-core) are in test_web_browser.py.
"""

from __future__ import annotations

import gc
import http.client
import io
import re
import threading
import zipfile
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from helpers import Row, make_workbook, snapshot
from jtai_docs import pipeline
from jtai_docs.cli import main
from jtai_docs.display import format_changes
from jtai_docs.web import WebConfig, create_app, name_reports
from jtai_docs.web.server import configure, make_server

TOKEN = "a-long-enough-access-code-for-tests"


def csrf_of(page: bytes) -> str:
    return re.search(rb'name="csrf_token" value="([^"]+)"', page).group(1).decode()


def text_of(page: bytes) -> str:
    """The page's text without tags, whitespace collapsed, entities decoded as a browser would."""
    import html

    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page.decode())).split())


@pytest.fixture
def web(project: Path):
    """A test client for an app serving the project's default report, with a CSRF token at hand."""
    app = create_app(WebConfig(reports=name_reports([project / "inputs" / "report.toml"]), max_upload=2 * 1024 * 1024))
    client = app.test_client()
    page = client.get("/reports/inputs")
    client.csrf = csrf_of(page.data)
    client.app_ = app
    client.project = project
    yield client
    app.extensions["jtai_docs"].libreoffice.close()  # the LibreOffice a build started


def upload(web, url: str, **files: tuple[str, bytes]):
    data = {"csrf_token": web.csrf}
    data.update({field: FileStorage(io.BytesIO(content), filename=name) for field, (name, content) in files.items()})
    # Encoded in memory: left to the test client, a body over 500 KB goes into a temporary file that nothing
    # closes when the page refuses it unread (a ResourceWarning later in the run).
    boundary, body = encode_multipart(data)
    return web.post(url, data=body, content_type=f"multipart/form-data; boundary={boundary}")


def built_outputs(project: Path) -> dict[str, str]:
    assert CliRunner().invoke(main, ["build", str(project / "inputs" / "report.toml")]).exit_code == 0
    return snapshot(project / "outputs")


def test_the_report_page_shows_table1_as_the_cli_counts_it_with_links_to_its_actions(web):
    page = web.get("/reports/inputs")
    assert page.status_code == 200
    table1 = pipeline.check_report(web.project / "inputs" / "report.toml").table1
    text = text_of(page.data)
    for row in table1.rows:
        cells = " ".join(
            str(count) + f" {status.label} actions in {row.theme.name}"
            for status, count in zip(table1.statuses, row.counts, strict=True)
        )
        assert f"{row.theme.number}. {row.theme.name} {cells} {row.total} due actions in {row.theme.name}" in text
    amber = table1.statuses.index(next(s for s in table1.statuses if s.label == "Amber"))
    assert (
        f'href="/reports/inputs/actions?status=Amber">{table1.totals[amber]}'
        f'<span class="visually-hidden"> Amber actions in all themes'
    ) in page.data.decode()
    actions = web.get("/reports/inputs/actions?status=Amber")
    _, expected = pipeline.list_actions(web.project / "inputs" / "report.toml", status="Amber")
    refs = re.findall(r'<th scope="row">([^<]+)</th>', actions.data.decode())
    assert refs == [action.reference for action in expected] and len(refs) == table1.count("Amber")


def test_a_web_build_is_byte_identical_to_the_cli_build(web, tmp_path):
    cli_copy = tmp_path / "cli"
    for folder in ("inputs", "templates"):
        __import__("shutil").copytree(web.project / folder, cli_copy / folder)
    assert CliRunner().invoke(main, ["build", str(cli_copy / "inputs" / "report.toml")]).exit_code == 0
    page = web.post("/reports/inputs/build", data={"csrf_token": web.csrf})
    assert page.status_code == 200, text_of(page.data)
    assert "Wrote committee_report.docx and its accessible PDF, committee_report.pdf." in text_of(page.data)
    download = web.get("/reports/inputs/files/report.docx")
    assert download.headers["Content-Disposition"] == "attachment; filename=committee_report.docx"
    assert download.data == (cli_copy / "outputs" / "committee_report.docx").read_bytes()
    pdf = web.get("/reports/inputs/files/report.pdf")
    assert pdf.data.startswith(b"%PDF") and pdf.data == (web.project / "outputs" / "committee_report.pdf").read_bytes()


def test_uploaded_workbook_problems_are_the_clis_located_and_nothing_is_written(web, tmp_path):
    before = built_outputs(web.project)
    rows = [
        Row(ref="1.01", status="Gren"),
        Row(ref="1.02", lead=None),
        Row(ref="2.01", theme=2, timescale="31/02/2019"),
    ]
    plan = make_workbook(tmp_path / "my plan.xlsx", rows)
    page = upload(web, "/reports/inputs/check", workbook=("my plan.xlsx", plan.read_bytes()))
    assert page.status_code == 422
    # The CLI's own messages for the same file, with the officer's file name.
    settings = web.project / "inputs" / "report.toml"
    try:
        pipeline.check_report(settings, workbook_file=plan)
    except pipeline.InvalidInputError as exc:
        expected = [p for p in exc.problems if p.severity.value == "error"]
    text = text_of(page.data)
    assert f"{len(expected)} problems must be fixed" in text and len(expected) == 3
    for number, problem in enumerate(expected, start=1):
        assert f'<a href="#problem-{number}">' in page.data.decode()
        assert problem.describe() in text
    assert "'Action Plan'!F2 (Status)" in text
    assert re.search(
        r'<tr id="problem-1">\s*<td>my plan.xlsx</td>\s*<td>Action Plan</td>\s*<td>F2</td>'
        r"\s*<td>Status</td>",
        page.data.decode(),
    )
    assert "Nothing was written" in text
    assert snapshot(web.project / "outputs") == before


def test_workbook_text_is_escaped_never_run(web, tmp_path):
    rows = [Row(ref="1.01", action="<script>alert(1)</script>", progress="{{ 7*7 }} & {% raw %}")]
    plan = make_workbook(tmp_path / "plan.xlsx", rows, themes=[(1, "<b>Bold</b> {{ 7*7 }}", 1), (2, "Other", 2)])
    page = upload(web, "/reports/inputs/check", workbook=("plan.xlsx", plan.read_bytes()))
    body = page.data.decode()
    assert page.status_code == 200, text_of(page.data)
    assert '<th scope="row">&lt;b&gt;Bold&lt;/b&gt; {{ 7*7 }}</th>' in body
    assert "<b>Bold" not in body and "Bold&lt;/b&gt; 49" not in body
    # The actions page prints the action's text literally too, from the report's own workbook.
    plan.replace(web.project / "inputs" / "action_plan.xlsx")
    actions = web.get("/reports/inputs/actions?scope=all").data.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in actions and "<script>alert" not in actions
    assert "{{ 7*7 }} &amp; {% raw %}" in actions


def test_every_response_carries_the_security_headers(web):
    for response in (web.get("/"), web.get("/reports/inputs"), web.get("/no/such/page"), web.get("/compare")):
        assert response.headers["Content-Security-Policy"].startswith("default-src 'self'")
        assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
        assert response.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    "path",
    [
        "/reports/..%2Finputs",
        "/reports/inputs/history/..%2F..%2Finputs%2Freport.toml",
        "/reports/inputs/history/../../inputs/report.toml",
        "/reports/inputs/history/%2Fetc%2Fpasswd",
        "/reports/inputs/history/committee_report.docx/redline.docx",
        "/reports/%2Fetc%2Fpasswd/files/report.docx",
        "/compare/redline/..%2F..%2Finputs%2Freport.toml",
    ],
)
def test_a_path_in_the_request_is_refused_and_outputs_are_untouched(web, path):
    before = built_outputs(web.project)
    response = web.get(path)
    assert response.status_code == 404
    assert "There is no such report or file here" in text_of(response.data)
    assert snapshot(web.project / "outputs") == before


def test_an_uploaded_file_name_with_a_path_is_only_a_name(web, tmp_path):
    before = built_outputs(web.project)
    plan = (web.project / "inputs" / "action_plan.xlsx").read_bytes()
    page = upload(web, "/reports/inputs/check", workbook=("../../outputs/committee_report.docx", plan))
    assert page.status_code == 200
    assert "you chose, <strong>committee_report.docx</strong>: no errors were found" in page.data.decode()
    assert snapshot(web.project / "outputs") == before


def test_an_oversized_upload_is_refused_with_the_limit_and_outputs_are_untouched(web):
    before = built_outputs(web.project)
    page = upload(web, "/reports/inputs/check", workbook=("big.xlsx", b"x" * (3 * 1024 * 1024)))
    assert page.status_code == 413
    assert "Files sent to this page can be at most 2 MB" in text_of(page.data)
    assert snapshot(web.project / "outputs") == before


# Werkzeug abandons the spooled temporary file of an upload it stops reading part-way; the garbage collector
# closes it, and the warning that it was left open is werkzeug's, not a leak of the page's own.
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_an_oversized_upload_without_a_length_is_cut_off_while_it_streams(project):
    """Sent in chunks with no declared length, through the real server: refused once past the limit."""
    before = built_outputs(project)
    config = WebConfig(reports=name_reports([project / "inputs" / "report.toml"]), max_upload=1024 * 1024)
    server = make_server(config, host="127.0.0.1", port=0)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        connection = http.client.HTTPConnection("127.0.0.1", server.effective_port, timeout=60)
        chunks = (b"y" * 65536 for _ in range(48))  # 3 MB
        connection.request(
            "POST",
            "/reports/inputs/check",
            body=chunks,
            encode_chunked=True,
            headers={"Content-Type": "multipart/form-data; boundary=x"},
        )
        response = connection.getresponse()
        status, body = response.status, response.read()
        connection.close()
    finally:
        server.close()
        thread.join(timeout=10)
        # Collected here, while its warning is expected: left for later, it would fail whichever test ran then.
        gc.collect()
    assert status == 413 and b"Files sent to this page can be at most 1 MB" in body, body
    assert snapshot(project / "outputs") == before


def test_a_zip_bomb_upload_is_refused_as_the_cli_refuses_it_and_outputs_are_untouched(web):
    before = built_outputs(web.project)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"<a>" + b" " * (60 * 1024 * 1024) + b"</a>")
    assert len(buffer.getvalue()) < 1024 * 1024
    page = upload(web, "/reports/inputs/check", workbook=("plan.xlsx", buffer.getvalue()))
    assert page.status_code == 422
    assert "so it is refused as damaged or malicious" in text_of(page.data)
    assert snapshot(web.project / "outputs") == before


def test_a_form_without_its_csrf_token_is_refused(web):
    before = built_outputs(web.project)
    response = web.post("/reports/inputs/build", data={})
    assert response.status_code == 400
    assert "This form has expired or did not come from this site" in text_of(response.data)
    assert snapshot(web.project / "outputs") == before


def test_with_a_token_every_request_needs_it_and_a_browser_signs_in_once(project):
    before = built_outputs(project)
    app = create_app(WebConfig(reports=name_reports([project / "inputs" / "report.toml"]), token=TOKEN))
    client = app.test_client()
    for path in ("/", "/reports/inputs", "/reports/inputs/files/report.docx", "/compare"):
        refused = client.get(path)
        assert refused.status_code == 401
        assert "Enter the access code you were given" in text_of(refused.data)
    refused = client.post("/reports/inputs/build", data={"csrf_token": csrf_of(client.get("/sign-in").data)})
    assert refused.status_code == 401
    assert snapshot(project / "outputs") == before
    assert client.get("/", headers={"Authorization": "Bearer wrong"}).status_code == 401
    assert client.get("/", headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 200

    form = csrf_of(client.get("/sign-in").data)
    wrong = client.post("/sign-in", data={"csrf_token": form, "token": "guess", "next": "/reports/inputs"})
    assert wrong.status_code == 401 and "That access code is not right" in text_of(wrong.data)
    signed = client.post("/sign-in", data={"csrf_token": form, "token": TOKEN, "next": "/reports/inputs"})
    assert signed.status_code == 303 and signed.headers["Location"] == "/reports/inputs"
    cookie = signed.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
    assert client.get("/reports/inputs").status_code == 200
    offsite = client.post("/sign-in", data={"csrf_token": form, "token": TOKEN, "next": "//evil.example/"})
    assert offsite.headers["Location"] == "/"


def test_serve_refuses_another_host_without_a_token_or_no_auth(project, tmp_path):
    report = str(project / "inputs" / "report.toml")
    result = CliRunner().invoke(main, ["serve", report, "--host", "0.0.0.0"])
    assert result.exit_code == 2
    assert "needs" not in result.stderr and "--token-file FILE, or --no-auth" in result.stderr
    short = tmp_path / "token.txt"
    short.write_text("1234\n")
    result = CliRunner().invoke(main, ["serve", report, "--host", "0.0.0.0", "--token-file", str(short)])
    assert result.exit_code == 2 and "at least 16 characters" in result.stderr
    good = tmp_path / "good.txt"
    good.write_text(TOKEN + "\n")
    assert configure(reports=[Path(report)], host="0.0.0.0", token_file=good, no_auth=False).token == TOKEN
    assert configure(reports=[Path(report)], host="::1", token_file=None, no_auth=False).token is None
    assert configure(reports=[Path(report)], host="0.0.0.0", token_file=None, no_auth=True).token is None


def test_two_builds_at_once_are_serialised_and_both_answers_are_true(web):
    answers: list[str] = []

    def build():
        client = web.app_.test_client()
        token = csrf_of(client.get("/reports/inputs").data)
        answers.append(text_of(client.post("/reports/inputs/build", data={"csrf_token": token}).data))

    threads = [threading.Thread(target=build) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # Unserialised, both would find no report and both would write one; one after the other, the second
    # finds the first's report and says it is unchanged.
    assert sorted("is unchanged" in answer for answer in answers) == [False, True]
    assert any("this one waited for it to finish" in answer for answer in answers)
    assert snapshot(web.project / "outputs").keys() == {
        ".jtai-docs-builds.json",
        ".jtai-docs.lock",
        "committee_report.docx",
        "committee_report.pdf",
    }


def test_a_rebuild_shows_what_changed_and_offers_the_redline_and_history(web):
    settings = web.project / "inputs" / "report.toml"
    assert CliRunner().invoke(main, ["build", str(settings)]).exit_code == 0
    plan = web.project / "inputs" / "action_plan.xlsx"
    book = openpyxl.load_workbook(plan)
    sheet = book["Action Plan"]
    amber = next(row for row in sheet.iter_rows() if row[5].value == "Amber")
    amber[5].value = "Green"
    book.save(plan)
    page = web.post("/reports/inputs/build", data={"csrf_token": web.csrf})
    files = pipeline.report_files(settings)
    [earlier] = files.history
    changes = pipeline.compare_reports(earlier, files.report)
    text = text_of(page.data)
    assert changes and f"The earlier version is kept in history as {earlier.name}" in text
    for change in changes:
        assert change.where in text
    assert format_changes(changes, old="a", new="b").count("\n") == len(changes)
    redline = web.get(f"/reports/inputs/history/{earlier.name}/redline.docx")
    assert redline.status_code == 200
    with zipfile.ZipFile(io.BytesIO(redline.data)) as package:
        assert b"<w:ins " in package.read("word/document.xml")
    compared = web.get(f"/reports/inputs/history/{earlier.name}/compare")
    assert f"{len(changes)} differences between the earlier build {earlier.name}" in text_of(compared.data)


def test_compare_page_summarises_two_workbooks_and_two_reports(web, tmp_path):
    settings = web.project / "inputs" / "report.toml"
    old_plan = (web.project / "inputs" / "action_plan.xlsx").read_bytes()
    built_outputs(web.project)
    old_report = (web.project / "outputs" / "committee_report.docx").read_bytes()
    book = openpyxl.load_workbook(web.project / "inputs" / "action_plan.xlsx")
    next(r for r in book["Action Plan"].iter_rows() if r[5].value == "Amber")[5].value = "Green"
    book.save(web.project / "inputs" / "action_plan.xlsx")
    pipeline.build_report(settings)
    new_report = (web.project / "outputs" / "committee_report.docx").read_bytes()

    page = upload(web, "/compare", old=("jan.docx", old_report), new=("feb.docx", new_report))
    text = text_of(page.data)
    (tmp_path / "a.docx").write_bytes(old_report)
    (tmp_path / "b.docx").write_bytes(new_report)
    changes = pipeline.compare_reports(tmp_path / "a.docx", tmp_path / "b.docx")
    assert f"{len(changes)} differences" in text and len(changes) > 1
    key = re.search(r'href="/compare/redline/([^"]+)"', page.data.decode()).group(1)
    redline = web.get(f"/compare/redline/{key}")
    assert redline.headers["Content-Disposition"] == "attachment; filename=feb.redline.docx"
    with zipfile.ZipFile(io.BytesIO(redline.data)) as package:
        assert b"<w:del " in package.read("word/document.xml")

    workbooks = upload(
        web,
        "/compare",
        old=("jan.xlsx", old_plan),
        new=("feb.xlsx", (web.project / "inputs" / "action_plan.xlsx").read_bytes()),
    )
    (tmp_path / "a.xlsx").write_bytes(old_plan)
    plan_changes = pipeline.compare_workbooks(
        tmp_path / "a.xlsx", web.project / "inputs" / "action_plan.xlsx", cutoff=None, settings_path=settings
    )
    assert f"{len(plan_changes)} differences" in text_of(workbooks.data) and len(plan_changes) > 1
    assert "/compare/redline/" not in workbooks.data.decode()

    mixed = upload(web, "/compare", old=("jan.docx", old_report), new=("feb.xlsx", old_plan))
    assert mixed.status_code == 422
    assert "Choose two Word reports (.docx) or two workbooks (.xlsx)" in text_of(mixed.data)
    missing = upload(web, "/compare", old=("jan.docx", old_report))
    assert missing.status_code == 422 and '<a href="#new">Choose the new version</a>' in missing.data.decode()


def test_check_and_use_makes_a_good_workbook_the_reports_own_and_keeps_the_earlier_one(web, tmp_path):
    settings = web.project / "inputs" / "report.toml"
    workbook = web.project / "inputs" / "action_plan.xlsx"
    earlier = workbook.read_bytes()
    book = openpyxl.load_workbook(workbook)
    next(r for r in book["Action Plan"].iter_rows() if r[5].value == "Amber")[5].value = "Green"
    book.save(tmp_path / "february.xlsx")
    latest = (tmp_path / "february.xlsx").read_bytes()
    page = web.post(
        "/reports/inputs/check",
        content_type="multipart/form-data",
        data={"csrf_token": web.csrf, "action": "use", "workbook": (io.BytesIO(latest), "february.xlsx")},
    )
    assert page.status_code == 200
    assert workbook.read_bytes() == latest
    [kept] = (web.project / "inputs" / "history").iterdir()
    assert kept.read_bytes() == earlier
    assert f"is now the report's workbook; the earlier one is kept as {kept.name}" in text_of(page.data)
    table1 = pipeline.check_report(settings).table1
    assert f'href="/reports/inputs/actions?status=Amber">{table1.count("Amber")}<' in page.data.decode()
    assert 'action="/reports/inputs/build"' in page.data.decode()


def test_check_and_use_refuses_a_workbook_with_errors_and_writes_nothing(web, tmp_path):
    built_outputs(web.project)
    plan = make_workbook(tmp_path / "plan.xlsx", [Row(ref="1.01", status="Gren")])
    before = snapshot(web.project)
    page = web.post(
        "/reports/inputs/check",
        content_type="multipart/form-data",
        data={"csrf_token": web.csrf, "action": "use", "workbook": (io.BytesIO(plan.read_bytes()), "plan.xlsx")},
    )
    assert page.status_code == 422
    assert "1 problem must be fixed" in text_of(page.data) and "Nothing was written" in text_of(page.data)
    assert snapshot(web.project) == before


def test_a_report_edited_by_hand_is_kept_unless_the_officer_ticks_replace(web):
    settings = web.project / "inputs" / "report.toml"
    assert CliRunner().invoke(main, ["build", str(settings)]).exit_code == 0
    report = web.project / "outputs" / "committee_report.docx"
    edited = report.read_bytes() + b"\0"  # any change counts as a hand edit
    report.write_bytes(edited)
    before = snapshot(web.project / "outputs")
    refused = web.post("/reports/inputs/build", data={"csrf_token": web.csrf})
    assert refused.status_code == 409
    text = text_of(refused.data)
    assert "was changed after jtai-docs built it, so it has not been overwritten" in text
    assert '<a href="#force">' in refused.data.decode() and 'aria-describedby="force-error"' in refused.data.decode()
    assert snapshot(web.project / "outputs") == before
    forced = web.post("/reports/inputs/build", data={"csrf_token": web.csrf, "force": "yes"})
    assert forced.status_code == 200
    kept = pipeline.report_files(settings).history
    assert [path.read_bytes() for path in kept] == [edited]
    assert f"The earlier version is kept in history as {kept[0].name}" in text_of(forced.data)


def test_compare_page_names_a_damaged_upload_as_uploaded_never_by_a_server_path(web):
    built_outputs(web.project)
    report = (web.project / "outputs" / "committee_report.docx").read_bytes()
    for damaged in (b"not a Word document at all", report[: len(report) // 2]):
        page = upload(web, "/compare", old=("January paper.docx", damaged), new=("feb.docx", report))
        text = text_of(page.data)
        assert page.status_code == 422
        assert "January paper.docx" in text
        assert "/tmp" not in text and "jtai-docs-" not in text and "upload-" not in text
    workbook = (web.project / "inputs" / "action_plan.xlsx").read_bytes()
    page = upload(web, "/compare", old=("plan (old).xlsx", b"PK\x03\x04 broken"), new=("plan.xlsx", workbook))
    text = text_of(page.data)
    assert page.status_code == 422 and "plan (old).xlsx" in text
    assert "/tmp" not in text and "jtai-docs-" not in text and "upload-" not in text
