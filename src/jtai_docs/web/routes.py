"""The pages: each parses the request, calls the pipeline as the CLI does, and renders a template.

No rule of the report lives here. Reports are looked up by identifier in the server's own list, earlier builds
by name in the list the pipeline gives; uploads go into a private temporary folder under fixed names, so
nothing a request says ever becomes a path.
"""

from __future__ import annotations

import dataclasses
import hmac
import io
import tempfile
from collections.abc import Sequence
from pathlib import Path, PurePath
from typing import Any, TypeGuard
from urllib.parse import urlsplit

from flask import Blueprint, abort, current_app, redirect, render_template, request, send_file, url_for
from flask.typing import ResponseReturnValue
from werkzeug.datastructures import FileStorage

from .. import pipeline
from ..display import ACTION_COLUMNS, action_fields
from ..errors import InvalidInputError, OutputProtectedError, Problem, Severity
from .app import TOKEN_COOKIE, Server, WebReport

blueprint = Blueprint("web", __name__)

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
#: How long a build waits for another build of the same report to finish before saying so.
BUILD_WAIT_SECONDS = 600


def _server() -> Server:
    server: Server = current_app.extensions["jtai_docs"]
    return server


def _report(identifier: str) -> WebReport:
    report = _server().reports.get(identifier)
    if report is None:
        abort(404)
    return report


@blueprint.route("/")
def index() -> ResponseReturnValue:
    return render_template("index.html", reports=_server().config.reports)


@blueprint.route("/sign-in", methods=["GET", "POST"])
def sign_in() -> ResponseReturnValue:
    token = _server().config.token
    if token is None:
        return redirect(url_for("web.index"))
    next_page = _page_of_this_site(request.values.get("next", "/"))
    if request.method == "GET":
        return render_template("sign_in.html", failed=False, next_page=next_page)
    offered = request.form.get("token", "").strip()
    if not hmac.compare_digest(offered.encode(), token.encode()):
        return render_template("sign_in.html", failed=True, next_page=next_page), 401
    response = redirect(next_page, code=303)
    response.set_cookie(TOKEN_COOKIE, token, httponly=True, samesite="Strict", secure=request.is_secure)
    return response


@blueprint.route("/reports/<identifier>")
def report_page(identifier: str) -> ResponseReturnValue:
    report = _report(identifier)
    checked, problems = _check(report.settings_path)
    return _render_report(report, checked=checked, problems=problems, status=200)


@blueprint.post("/reports/<identifier>/check")
def check_upload(identifier: str) -> ResponseReturnValue:
    report = _report(identifier)
    upload = request.files.get("workbook")
    if not _chosen(upload):
        return _render_report(report, checked=None, problems=(), status=422, upload_missing=True)
    name = _display_name(upload, "workbook.xlsx")
    use = request.form.get("action") == "use"
    with tempfile.TemporaryDirectory(prefix="jtai-docs-upload-") as folder:
        saved = Path(folder) / "workbook.xlsx"
        upload.save(saved)
        if not use:
            checked, problems = _check(report.settings_path, workbook_file=saved)
        else:
            # Not while a build of this report is reading the workbook.
            with _server().build_locks[identifier]:
                try:
                    checked, kept = pipeline.install_workbook(report.settings_path, saved)
                    problems = checked.warnings
                except InvalidInputError as exc:
                    checked, problems = None, exc.problems
    problems = tuple(_rename(problem, saved.name, name) for problem in problems)
    if use and checked is not None:
        return _render_report(
            report, checked=checked, problems=problems, status=200, installed=name, kept=kept.name if kept else None
        )
    return _render_report(report, checked=checked, problems=problems, status=200 if checked else 422, uploaded=name)


@blueprint.get("/reports/<identifier>/actions")
def actions_page(identifier: str) -> ResponseReturnValue:
    report = _report(identifier)
    theme = request.args.get("theme") or None
    status = request.args.get("status") or None
    due_only = request.args.get("scope", "due") != "all"
    checked, found = pipeline.list_actions(report.settings_path, theme=theme, status=status, due_only=due_only)
    return render_template(
        "actions.html",
        report=report,
        checked=checked,
        actions=found,
        theme=theme,
        status=status,
        due_only=due_only,
        columns=[c for c, _ in ACTION_COLUMNS],
        rows=[action_fields(action) for action in found],
    )


@blueprint.post("/reports/<identifier>/build")
def build(identifier: str) -> ResponseReturnValue:
    report = _report(identifier)
    force = request.form.get("force") == "yes"
    lock = _server().build_locks[identifier]
    waited = not lock.acquire(blocking=False)
    if waited and not lock.acquire(timeout=BUILD_WAIT_SECONDS):
        return render_template(
            "refusal.html",
            title="Another build is still running",
            message="Another build of this report has not finished. Wait a minute, then open "
            "the report page again to see the report it built.",
        ), 503
    try:
        # The PDF as `build --pdf` makes and checks it, but from the LibreOffice the server keeps running.
        result = pipeline.build_report(report.settings_path, force=force, pdf=True, running=_server().libreoffice)
    except InvalidInputError as exc:
        return _render_report(report, checked=None, problems=exc.problems, status=422)
    except OutputProtectedError as exc:
        return _render_report(report, checked=None, problems=(), status=409, protected=_protected(report, exc))
    finally:
        lock.release()
    return render_template(
        "built.html",
        report=report,
        result=result,
        waited=waited,
        previous=result.written.previous.name if result.written.previous else None,
        files=pipeline.report_files(report.settings_path),
    )


@blueprint.get("/reports/<identifier>/files/report.docx")
def download_report(identifier: str) -> ResponseReturnValue:
    files = _files(_report(identifier))
    if files.report is None:
        abort(404)
    return send_file(
        io.BytesIO(files.report.read_bytes()), mimetype=DOCX, as_attachment=True, download_name=files.report.name
    )


@blueprint.get("/reports/<identifier>/files/report.pdf")
def download_pdf(identifier: str) -> ResponseReturnValue:
    files = _files(_report(identifier))
    if files.pdf is None:
        abort(404)
    return send_file(
        io.BytesIO(files.pdf.read_bytes()), mimetype="application/pdf", as_attachment=True, download_name=files.pdf.name
    )


@blueprint.get("/reports/<identifier>/history/<name>")
def download_earlier(identifier: str, name: str) -> ResponseReturnValue:
    earlier = _earlier(_report(identifier), name)
    return send_file(io.BytesIO(earlier.read_bytes()), mimetype=DOCX, as_attachment=True, download_name=earlier.name)


@blueprint.get("/reports/<identifier>/history/<name>/compare")
def compare_earlier(identifier: str, name: str) -> ResponseReturnValue:
    report = _report(identifier)
    earlier, current = _earlier(report, name), _files(report).report
    if current is None:
        abort(404)
    changes = pipeline.compare_reports(earlier, current)
    return render_template(
        "compared.html",
        report=report,
        changes=changes,
        old=earlier.name,
        new=current.name,
        redline_url=url_for("web.redline_earlier", identifier=identifier, name=earlier.name),
    )


@blueprint.get("/reports/<identifier>/history/<name>/redline.docx")
def redline_earlier(identifier: str, name: str) -> ResponseReturnValue:
    report = _report(identifier)
    earlier, current = _earlier(report, name), _files(report).report
    if current is None:
        abort(404)
    _, data = pipeline.compare_reports_to_bytes(earlier, current)
    return send_file(io.BytesIO(data), mimetype=DOCX, as_attachment=True, download_name=f"{current.stem}.redline.docx")


@blueprint.route("/compare", methods=["GET", "POST"])
def compare_page() -> ResponseReturnValue:
    reports = _server().config.reports
    if request.method == "GET":
        return render_template("compare.html", reports=reports, missing=(), changes=None)
    old, new = request.files.get("old"), request.files.get("new")
    missing = tuple(field for field, upload in (("old", old), ("new", new)) if not _chosen(upload))
    if missing or old is None or new is None:
        return render_template("compare.html", reports=reports, missing=missing, changes=None), 422
    old_name, new_name = _display_name(old, "old"), _display_name(new, "new")
    kinds = {PurePath(old_name).suffix.lower(), PurePath(new_name).suffix.lower()}
    if kinds not in ({".docx"}, {".xlsx"}):
        return render_template("compare.html", reports=reports, missing=(), changes=None, wrong_kinds=True), 422
    kind = kinds.pop()
    redline_key = None
    # Messages about either file name it as uploaded, never by the server's temporary file.
    with (
        pipeline.file_from_bytes(old.read(), suffix=kind, shown_as=old_name) as old_path,
        pipeline.file_from_bytes(new.read(), suffix=kind, shown_as=new_name) as new_path,
        tempfile.TemporaryDirectory(prefix="jtai-docs-compare-") as folder,
    ):
        if kind == ".docx":
            target = Path(folder) / "redline.docx"
            changes = pipeline.compare_reports(old_path, new_path, redline_path=target)
            redline_name = f"{PurePath(new_name).stem}.redline.docx"
            redline_key = _server().redlines.keep(redline_name, target.read_bytes())
        else:
            chosen = _server().reports.get(request.form.get("report", ""), reports[0])
            changes = pipeline.compare_workbooks(old_path, new_path, cutoff=None, settings_path=chosen.settings_path)
    return render_template(
        "compare.html",
        reports=reports,
        missing=(),
        changes=changes,
        old=old_name,
        new=new_name,
        redline_key=redline_key,
    )


@blueprint.get("/compare/redline/<key>")
def download_redline(key: str) -> ResponseReturnValue:
    kept = _server().redlines.get(key)
    if kept is None:
        abort(404)
    name, data = kept
    return send_file(io.BytesIO(data), mimetype=DOCX, as_attachment=True, download_name=name)


def _page_of_this_site(address: str) -> str:
    """The page to go to after signing in: a path of this site only ("/reports/inputs"), otherwise the first page.

    Browsers drop tabs and line breaks from addresses and read a backslash as a slash, so "/<tab>/evil.example"
    would lead to another site; and a line break cannot go in a header at all.
    """
    if (
        not address.startswith("/")
        or address.startswith("//")
        or "\\" in address
        or any(ord(c) < 32 or ord(c) == 127 for c in address)
    ):
        return "/"
    parts = urlsplit(address)
    return "/" if parts.scheme or parts.netloc else address


def _protected(report: WebReport, exc: OutputProtectedError) -> str:
    """Why a hand-edited report was not replaced, with the box on this page that replaces it as the remedy."""
    files = pipeline.report_files(report.settings_path)
    name = files.report.name if files and files.report else "The report"
    not_ours = "was not built by jtai-docs"
    why = not_ours if not_ours in exc.message else "was changed after jtai-docs built it"
    return (
        f"{name} {why}, so it has not been overwritten. Copy any edits you want to keep into the template or "
        'report.toml; then tick "Replace the report" below and build again (the edited version is then kept '
        'under "Earlier builds").'
    )


def _check(settings_path: Path, **kwargs: Any) -> tuple[pipeline.CheckedReport | None, tuple[Problem, ...]]:
    try:
        checked = pipeline.check_report(settings_path, **kwargs)
    except InvalidInputError as exc:
        return None, exc.problems
    return checked, checked.warnings


def _files(report: WebReport) -> pipeline.ReportFiles:
    files = pipeline.report_files(report.settings_path)
    if files is None:
        abort(404)
    return files


def _earlier(report: WebReport, name: str) -> Path:
    """An earlier build, found by its name in the history the pipeline lists; anything else is not found."""
    for path in _files(report).history:
        if path.name == name:
            return path
    abort(404)


def _chosen(upload: FileStorage | None) -> TypeGuard[FileStorage]:
    return upload is not None and bool(upload.filename)


def _display_name(upload: FileStorage, default: str) -> str:
    """The file's own name, for messages only; it never becomes a path here."""
    name = PurePath((upload.filename or "").replace("\\", "/")).name
    return name[:120] or default


def _without_folders(problem: Problem) -> Problem:
    server = _server()
    suggestion = problem.suggestion and server.without_folders(problem.suggestion)
    message = server.without_folders(problem.message)
    return dataclasses.replace(
        problem, file=server.without_folders(problem.file), message=message, suggestion=suggestion
    )


def _rename(problem: Problem, saved: str, name: str) -> Problem:
    return dataclasses.replace(problem, file=name) if problem.file == saved else problem


def _render_report(
    report: WebReport, *, checked: pipeline.CheckedReport | None, problems: Sequence[Problem], status: int, **extra: Any
) -> tuple[str, int]:
    extra.setdefault("files", pipeline.report_files(report.settings_path))
    problems = [_without_folders(problem) for problem in problems]
    errors = [p for p in problems if p.severity is Severity.ERROR]
    warnings = [p for p in problems if p.severity is Severity.WARNING]
    return render_template(
        "report.html", report=report, checked=checked, errors=errors, warnings=warnings, **extra
    ), status
