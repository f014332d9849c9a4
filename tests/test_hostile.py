"""Hostile inputs and faults (#7): every case gives the right report or a located refusal, never exit 70,
a hang, a damaged or replaced report, a stale temporary file or altered text. Every case is made in code."""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import socket
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import openpyxl
import pytest
from lxml import etree

from helpers import errors_of, run, snapshot
from jtai_docs import output, pipeline

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"
COMMITTEE = "Children and Young People's Overview and Scrutiny Committee"


def run_process(*args, env=None, timeout=120):
    """The command as a separate process, as an officer runs it (and as a kill can stop it)."""
    result = subprocess.run(
        [sys.executable, "-m", "jtai_docs", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, **(env or {})},
    )
    assert "Traceback" not in result.stderr
    return result


def vary(project: Path, text: str = "Revised papers") -> Path:
    """report.toml changed so the next build makes a different report."""
    path = project / "inputs" / "report.toml"
    path.write_text(
        path.read_text(encoding="utf-8").replace('background_papers = "None"', f'background_papers = "{text}"'),
        encoding="utf-8",
    )
    return path


def settings(project: Path, **changes: str) -> Path:
    """report.toml with top-level `key = value` lines replaced (values in TOML syntax)."""
    path = project / "inputs" / "report.toml"
    text = path.read_text(encoding="utf-8")
    for key, value in changes.items():
        lines = text.splitlines(keepends=True)
        hits = [i for i, line in enumerate(lines) if line.startswith(f"{key} = ")]
        assert hits, key
        lines[hits[0]] = f"{key} = {value}\n"
        text = "".join(lines)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def built(project):
    """A project with a good report already built from it, and the folder's state at that moment."""
    report = project / "inputs" / "report.toml"
    result = run("build", report)
    assert result.exit_code == 0, result.output
    return report, project / "outputs", snapshot(project / "outputs")


# -- bad paths: folders, pipes, devices, sockets, links ---------------------------------------------------


def _make_special(path: Path, kind: str) -> Path:
    if path.exists() or path.is_symlink():
        path.unlink()
    if kind == "folder":
        path.mkdir()
    elif kind == "pipe":
        os.mkfifo(path)
    elif kind == "device":
        path.symlink_to("/dev/zero")
    elif kind == "socket":
        server = socket.socket(socket.AF_UNIX)
        # A socket's path is limited to about 100 bytes, less than a temporary folder (under pytest-xdist) can
        # take: bind it by its name from its own folder.
        with contextlib.chdir(path.parent):
            server.bind(path.name)
        server.close()
    elif kind == "dangling link":
        path.symlink_to(path.with_name("nowhere.bin"))
    return path


EXPECTED = {
    "folder": "is a folder, not a file",
    "pipe": "is a pipe (FIFO), not an ordinary file",
    "device": "is a device, not an ordinary file",
    "socket": "is a socket, not an ordinary file",
    "dangling link": "is a link to a file that does not exist",
}


@pytest.mark.parametrize("kind", list(EXPECTED))
@pytest.mark.parametrize(
    ("what", "relative"), [("workbook", "inputs/action_plan.xlsx"), ("template", "templates/committee_report.docx")]
)
def test_a_special_file_as_an_input_is_a_located_refusal_without_hanging(project, what, relative, kind):
    target = _make_special(project / relative, kind)
    # A separate process with a timeout: a pipe that is opened would hang for ever.
    result = run_process("check", project / "inputs" / "report.toml", timeout=60)
    assert result.returncode == 1, result.stderr
    # The message names the file report.toml names (a link is followed to read it, not to name it).
    target = project / relative
    message = "is a link to a file that does not exist" if kind == "dangling link" else EXPECTED[kind]
    assert f"Error: {target.name}: the {what} {message} (looked for {target})" in errors_of(result.stderr)
    assert not (project / "outputs").exists()


@pytest.mark.parametrize("kind", ["folder", "pipe", "socket"])
def test_a_special_file_where_the_report_goes_is_refused_and_nothing_is_written(built, kind):
    report, outputs, _ = built
    target = _make_special(outputs / "committee_report.docx", kind)
    before = snapshot(outputs)
    result = run_process("build", report, timeout=60)
    assert result.returncode == 1, result.stderr
    assert errors_of(result.stderr) == [
        f"Error: {target.name}: the report {EXPECTED[kind]}; give the path of a .docx file to write "
        f"(looked for {target})"
    ]
    assert snapshot(outputs) == before


def test_a_report_toml_as_a_pipe_is_refused_without_hanging(project):
    path = project / "inputs" / "piped.toml"
    os.mkfifo(path)
    result = run_process("build", path, timeout=60)
    assert result.returncode == 1
    assert errors_of(result.stderr) == [
        f"Error: piped.toml: the report settings file is a pipe (FIFO), not an ordinary file (looked for {path})"
    ]


def test_links_to_ordinary_files_are_followed(project):
    (project / "real").mkdir()
    for relative in ("inputs/action_plan.xlsx", "templates/committee_report.docx"):
        real = project / "real" / Path(relative).name
        (project / relative).rename(real)
        (project / relative).symlink_to(real)
    result = run("build", project / "inputs" / "report.toml")
    assert result.exit_code == 0, result.output
    assert (project / "outputs" / "committee_report.docx").is_file()


def test_a_link_to_a_built_report_is_rebuilt_through_the_link(built, project):
    report, outputs, _ = built
    elsewhere = project / "shared-drive"
    elsewhere.mkdir()
    # The officer keeps the report on a shared drive and a link to it where report.toml writes it.
    first = run("build", report)
    assert first.exit_code == 0
    (outputs / "committee_report.docx").rename(elsewhere / "committee_report.docx")
    (outputs / output.RECORD_NAME).rename(elsewhere / output.RECORD_NAME)
    (outputs / "committee_report.docx").symlink_to(elsewhere / "committee_report.docx")
    vary(project)
    result = run("build", report)
    assert result.exit_code == 0, result.output
    assert (outputs / "committee_report.docx").is_symlink()  # the link is kept; its target is replaced
    assert list((elsewhere / "history").iterdir())


# -- report.toml ------------------------------------------------------------------------------------------


def test_report_toml_with_a_byte_order_mark_is_read(project):
    path = project / "inputs" / "report.toml"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    result = run("build", path)
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(("key", "value"), [("cutoff", "1899-12-31"), ("cutoff", "0001-01-01")])
def test_a_date_before_1900_is_refused_with_its_key(project, key, value):
    path = settings(project, **{key: value})
    result = run("build", path)
    assert result.exit_code == 1
    assert errors_of(result.stderr) == [
        f"Error: report.toml, key {key} (line 9): the date must be between 1900-01-01 and 9999-12-31 (Word and "
        f"Excel dates start in 1900); check the year (found '{value}')"
    ]
    assert not (project / "outputs").exists()


def test_a_meeting_date_far_in_the_past_is_refused_before_it_reaches_the_properties(project):
    path = project / "inputs" / "report.toml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("date = 2019-02-11", "date = 0999-02-11"), encoding="utf-8"
    )
    result = run("build", path)
    assert result.exit_code == 1
    [error] = errors_of(result.stderr)
    assert error.startswith("Error: report.toml, key [meeting] date (line 13): the date must be between")


def test_the_latest_possible_date_builds_a_valid_core_xml(project):
    path = project / "inputs" / "report.toml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("date = 2019-02-11", "date = 9999-12-31"), encoding="utf-8"
    )
    result = run("build", path)
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(project / "outputs" / "committee_report.docx") as package:
        core = etree.fromstring(package.read("docProps/core.xml"))
    created = core.find("{http://purl.org/dc/terms/}created").text
    assert created == "9999-12-31T00:00:00Z"


@pytest.mark.parametrize(
    ("cutoff", "expected"),
    [
        (
            "2000-01-31",
            "Warning: report.toml, key cutoff: the cutoff 31 January 2000 is before every timescale in "
            "action_plan.xlsx (the earliest is {earliest}), so no action is due and Table 1 is all zeros; "
            "check the cutoff's year",
        ),
        (
            "2099-01-31",
            "Warning: report.toml, key cutoff: the cutoff 31 January 2099 is on or after every timescale in "
            "action_plan.xlsx (the latest is {latest}), so every action counts as due; check the cutoff's "
            "year",
        ),
    ],
)
def test_a_cutoff_outside_every_timescale_is_a_warning(project, cutoff, expected):
    from jtai_docs import workbook

    # Every action in a Table 1 status, so a late cutoff counts them all rather than raising errors.
    book = openpyxl.load_workbook(project / "inputs" / "action_plan.xlsx")
    for row in book["Action Plan"].iter_rows():
        for cell in row:
            if cell.value == "Not yet due":
                cell.value = "Amber"
    book.save(project / "inputs" / "action_plan.xlsx")
    plan, _ = workbook.read_workbook(project / "inputs" / "action_plan.xlsx")
    dates = sorted(action.timescale for action in plan.actions)
    path = settings(project, cutoff=cutoff)
    result = run("check", path)
    assert result.exit_code == 0, result.output
    assert expected.format(earliest=f"{dates[0]:%d %B %Y}", latest=f"{dates[-1]:%d %B %Y}") in result.stderr


# -- text exactly as typed ---------------------------------------------------------------------------------

ESCAPES = "a {_{ b }_} c {_% d %_} e {{ f }} g"


def test_docxtpl_escape_syntax_in_data_is_printed_as_typed(project):
    path = project / "inputs" / "report.toml"
    path.write_text(
        path.read_text(encoding="utf-8").replace('background_papers = "None"', f'background_papers = "{ESCAPES}"'),
        encoding="utf-8",
    )
    plan = project / "inputs" / "action_plan.xlsx"
    book = openpyxl.load_workbook(plan)
    book["Themes"]["B2"] = ESCAPES
    book.save(plan)
    result = run("build", path)
    assert result.exit_code == 0, result.output
    document = docx.Document(str(project / "outputs" / "committee_report.docx"))
    assert ESCAPES in [p.text for p in document.paragraphs]
    assert ESCAPES in [cell.text for row in document.tables[0].rows for cell in row.cells]


def test_document_properties_hold_plain_text(project):
    template = project / "templates" / "committee_report.docx"
    document = docx.Document(str(template))
    document.core_properties.subject = "{{ committee }} – {{ title }}"
    document.save(str(template))
    result = run("build", project / "inputs" / "report.toml")
    assert result.exit_code == 0, result.output
    built = docx.Document(str(project / "outputs" / "committee_report.docx"))
    assert built.core_properties.subject.startswith(f"{COMMITTEE} – Joint targeted area inspection")
    assert "&#39;" not in built.core_properties.subject and "&amp;" not in built.core_properties.subject


# -- every part the renderer fills -------------------------------------------------------------------------


def edit_package(
    path: Path,
    *,
    body: str | None = None,
    parts: dict[str, tuple[str, str, str]] | None = None,
    replace: dict[str, bytes] | None = None,
) -> None:
    """Rewrites a .docx: body XML appended before the section properties, new parts (name -> (content type,
    relationship type, xml)) related from the document, or parts replaced byte for byte."""
    source = zipfile.ZipFile(io.BytesIO(path.read_bytes()))
    entries = {name: source.read(name) for name in source.namelist()}
    if body is not None:
        root = etree.fromstring(entries["word/document.xml"])
        wrapper = etree.fromstring(
            f'<w:wrap xmlns:w="{W}" xmlns:r="{REL}" xmlns:v="urn:schemas-microsoft-com:vml">{body}</w:wrap>'
        )
        sect = root.find(f"{{{W}}}body/{{{W}}}sectPr")
        for element in wrapper:
            sect.addprevious(element)
        entries["word/document.xml"] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    for name, (content_type, reltype, xml) in (parts or {}).items():
        types = etree.fromstring(entries["[Content_Types].xml"])
        etree.SubElement(types, f"{{{TYPES}}}Override", PartName=f"/{name}", ContentType=content_type)
        entries["[Content_Types].xml"] = etree.tostring(types, xml_declaration=True, encoding="UTF-8", standalone=True)
        rels = etree.fromstring(entries["word/_rels/document.xml.rels"])
        etree.SubElement(
            rels,
            "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship",
            Id=f"rIdTest{len(rels)}",
            Type=reltype,
            Target=name.removeprefix("word/"),
        )
        entries["word/_rels/document.xml.rels"] = etree.tostring(
            rels, xml_declaration=True, encoding="UTF-8", standalone=True
        )
        entries[name] = xml.encode("utf-8")
    entries.update(replace or {})
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in entries.items():
            target.writestr(name, data)
    path.write_bytes(buffer.getvalue())


def paragraph(inner: str) -> str:
    return f"<w:p>{inner}</w:p>"


def run_text(text: str) -> str:
    return f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r>'


NOTES = {
    "footnotes": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml",
        f"{REL}/footnotes",
        "footnote",
    ),
    "endnotes": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.endnotes+xml",
        f"{REL}/endnotes",
        "endnote",
    ),
    "comments": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml",
        f"{REL}/comments",
        "comment",
    ),
}


def note_part(kind: str, inner: str) -> dict[str, tuple[str, str, str]]:
    content_type, reltype, element = NOTES[kind]
    extra = ' w:author="Officer"' if kind == "comments" else ""
    xml = (
        f'<w:{kind} xmlns:w="{W}" xmlns:r="{REL}"><w:{element} w:id="1"{extra}>{paragraph(inner)}'
        f"</w:{element}></w:{kind}>"
    )
    return {f"word/{kind}.xml": (content_type, reltype, xml)}


MISSPELT = run_text("Seen by the {{ comittee }} today")
PLACES = {
    "a text box": dict(
        body=paragraph(
            "<w:r><w:pict><v:shape><v:textbox><w:txbxContent>"
            f"{paragraph(MISSPELT)}</w:txbxContent></v:textbox></v:shape></w:pict></w:r>"
        )
    ),
    "a content control": dict(body=f"<w:sdt><w:sdtContent>{paragraph(MISSPELT)}</w:sdtContent></w:sdt>"),
    "the footnotes": dict(parts=note_part("footnotes", MISSPELT)),
    "the endnotes": dict(parts=note_part("endnotes", MISSPELT)),
}


@pytest.mark.parametrize("where", list(PLACES))
def test_a_misspelt_tag_in_any_filled_part_is_located(project, where):
    template = project / "templates" / "committee_report.docx"
    edit_package(template, **PLACES[where])
    for command in ("check", "build"):
        result = run(command, project / "inputs" / "report.toml")
        assert result.exit_code == 1, result.output
        assert errors_of(result.stderr) == [
            f"Error: committee_report.docx, in the paragraph 'Seen by the {{{{ comittee }}}} today' in {where}: "
            "the template uses the variable 'comittee', which jtai-docs does not provide; did you mean 'committee'?"
        ]
    assert not (project / "outputs").exists()


def test_a_misspelt_tag_in_the_document_properties_is_located(project):
    template = project / "templates" / "committee_report.docx"
    document = docx.Document(str(template))
    document.core_properties.subject = "For the {{ comittee }}"
    document.save(str(template))
    result = run("check", project / "inputs" / "report.toml")
    assert result.exit_code == 1
    assert errors_of(result.stderr) == [
        "Error: committee_report.docx, the document property Subject (File > Properties): 'For the {{ comittee }}': "
        "the template uses the variable 'comittee', which jtai-docs does not provide; did you mean 'committee'?"
    ]


@pytest.mark.parametrize("kind", ["footnotes", "endnotes"])
def test_tags_in_notes_are_filled_in(project, kind):
    edit_package(
        project / "templates" / "committee_report.docx", parts=note_part(kind, run_text("Seen by the {{ committee }}."))
    )
    result = run("build", project / "inputs" / "report.toml")
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(project / "outputs" / "committee_report.docx") as package:
        notes = etree.fromstring(package.read(f"word/{kind}.xml"))
    assert "".join(notes.itertext()) == f"Seen by the {COMMITTEE}."


def test_a_tag_in_a_comment_is_a_warning(project):
    edit_package(
        project / "templates" / "committee_report.docx",
        parts=note_part("comments", run_text("Check {{ committee }} here")),
    )
    result = run("check", project / "inputs" / "report.toml")
    assert result.exit_code == 0, result.output
    assert (
        "Warning: committee_report.docx, the comment 'Check {{ committee }} here': a template tag in a Word "
        "comment is not filled in; comments reach the report as typed (delete the comment, or move the tag "
        "into the text)"
    ) in result.stderr


def test_tags_in_tracked_deletions_are_ignored_and_insertions_are_text(project):
    change = 'w:author="Officer" w:date="2019-01-01T00:00:00Z"'
    edit_package(
        project / "templates" / "committee_report.docx",
        body=paragraph(
            run_text("Seen by the ")
            + f'<w:del w:id="901" {change}><w:r><w:delText>{{{{ comittee }}}}</w:delText></w:r></w:del>'
            + f'<w:ins w:id="902" {change}>{run_text("{{ committee }}")}</w:ins>'
        ),
    )
    result = run("build", project / "inputs" / "report.toml")
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(project / "outputs" / "committee_report.docx") as package:
        body = etree.fromstring(package.read("word/document.xml"))
    [deleted] = [e.text for e in body.iter(f"{{{W}}}delText")]
    [inserted] = ["".join(e.itertext()) for e in body.iter(f"{{{W}}}ins")]
    assert deleted == "{{ comittee }}"  # kept as typed, still a tracked deletion
    assert inserted == COMMITTEE


@pytest.mark.parametrize("where", ["the body", "the footnotes"])
def test_a_tag_split_across_a_hyperlink_is_refused_and_the_earlier_report_kept(built, project, where):
    report, outputs, before = built
    split = '<w:hyperlink w:anchor="top">' + run_text("{{ comm") + "</w:hyperlink>" + run_text("ittee }} met.")
    template = project / "templates" / "committee_report.docx"
    if where == "the body":
        edit_package(template, body=paragraph(split))
    else:
        edit_package(template, parts=note_part("footnotes", split))
    for command in ("check", "build"):
        result = run(command, report)
        assert result.exit_code == 1, result.output
        [error] = errors_of(result.stderr)
        assert error.startswith("Error: committee_report.docx, near the text ")
        if where != "the body":
            assert f" in {where}: " in error
        assert "template tags cut across paragraphs, table cells or other Word content (a hyperlink" in error
    assert snapshot(outputs) == before


def test_a_template_with_malformed_xml_is_located(built, project):
    report, outputs, before = built
    template = project / "templates" / "committee_report.docx"
    with zipfile.ZipFile(template) as package:
        body = package.read("word/document.xml").decode("utf-8")
    broken = body.replace("</w:body>", "<w:p><w:r><w:t>Broken here</w:t></w:r></w:body>")
    edit_package(template, replace={"word/document.xml": broken.encode("utf-8")})
    result = run("build", report)
    assert result.exit_code == 1
    [error] = errors_of(result.stderr)
    assert error.startswith("Error: committee_report.docx, part word/document.xml, after the text '")
    assert "Broken here'" in error
    assert "the template is damaged (a tag in it is closed by another tag's end); open it" in error  # plain words
    assert snapshot(outputs) == before


# -- the build record ---------------------------------------------------------------------------------------


def test_a_damaged_build_record_is_a_located_message(built):
    report, outputs, _ = built
    record = outputs / output.RECORD_NAME
    record.write_text('{"committee_report.docx": "abc",', encoding="utf-8")
    before = snapshot(outputs)
    result = run("build", report)
    assert result.exit_code == 1
    [error] = errors_of(result.stderr)
    assert error.startswith(
        f"Error: {output.RECORD_NAME}, line 1, column 33: jtai-docs's record of the reports it "
        f"built in {outputs} is damaged (it is not valid JSON); delete {record}"
    )
    assert snapshot(outputs) == before


def test_a_build_record_that_is_a_folder_is_a_located_message(built):
    report, outputs, _ = built
    record = outputs / output.RECORD_NAME
    record.unlink()
    record.mkdir()
    result = run("build", report)
    assert result.exit_code == 1
    assert errors_of(result.stderr) == [
        f"Error: {output.RECORD_NAME}: the record of built reports is a folder, not a file (looked for {record})"
    ]


# -- kills and concurrency ----------------------------------------------------------------------------------

FAULT_POINTS = [
    f"{label}:{stage}"
    for label in ("history", "record-pending", "report", "record")
    for stage in ("writing", "before-fsync", "after-fsync", "after-rename", "after-folder-sync")
]


def consistent(outputs: Path) -> None:
    """The report is one the record accepts, its earlier versions are whole, and no temporary file is left
    once the next build has run."""
    record = json.loads((outputs / output.RECORD_NAME).read_text(encoding="utf-8"))
    accepted = record["committee_report.docx"]
    accepted = [accepted] if isinstance(accepted, str) else accepted
    assert hashlib.sha256((outputs / "committee_report.docx").read_bytes()).hexdigest() in accepted
    for kept in (outputs / "history").glob("*.docx"):
        assert hashlib.sha256(kept.read_bytes()).hexdigest()[:8] == kept.stem.rsplit(".", 1)[1]


@pytest.mark.parametrize("point", FAULT_POINTS)
def test_a_build_killed_at_any_write_leaves_a_consistent_pair_and_the_next_build_works(built, project, point):
    report, outputs, _ = built
    vary(project)  # a different report, so the earlier one is replaced
    killed = run_process("build", report, env={output.FAULT_VARIABLE: point})
    assert killed.returncode == 86, (point, killed.stderr)  # it really stopped at the point
    consistent(outputs)
    again = run("build", report)
    assert again.exit_code == 0, (point, again.output)
    consistent(outputs)
    assert not [p for p in outputs.rglob("*.part")]
    assert (
        hashlib.sha256((outputs / "committee_report.docx").read_bytes()).hexdigest()
        == json.loads((outputs / output.RECORD_NAME).read_text())["committee_report.docx"]
    )


def test_simultaneous_builds_take_turns_and_leave_a_consistent_pair(built, project):
    report, outputs, _ = built
    variants = []
    for index in range(3):
        folder = project / "inputs" / f"v{index}"
        folder.mkdir()
        text = report.read_text(encoding="utf-8").replace(
            'background_papers = "None"', f'background_papers = "Version {index}"'
        )
        text = text.replace('"../', '"../../').replace('workbook = "', 'workbook = "../')
        (folder / "report.toml").write_text(text, encoding="utf-8")
        variants.append(folder / "report.toml")
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "jtai_docs", "build", str(path)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for path in variants * 2
    ]
    # communicate reads and closes each process's pipes (a full pipe would stall the build; an open one leaks).
    results = [(process.communicate(timeout=300)[1], process.returncode)[::-1] for process in processes]
    for status, stderr in results:
        assert status == 0, stderr
    consistent(outputs)
    assert run("build", report).exit_code == 0
    consistent(outputs)
    assert not [p for p in outputs.rglob("*.part")]


def test_a_build_waits_a_bounded_time_then_names_who_holds_the_lock(built, project):
    report, outputs, _ = built
    vary(project)
    before = snapshot(outputs)
    with output.build_lock(outputs):
        result = run_process("build", report, env={"JTAI_DOCS_LOCK_WAIT": "0.5"})
    assert result.returncode == 1
    [error] = errors_of(result.stderr)
    assert error.startswith(
        f"Error: another build is writing into {outputs} (process {os.getpid()} on {socket.gethostname()}, since "
    )
    assert error.endswith(
        f"and has not finished after 0.5 seconds; wait for it to finish and build again. If no "
        f"build is running, delete {outputs / output.LOCK_NAME}."
    )
    assert snapshot(outputs) == before


def test_a_redline_into_a_folder_a_build_is_writing_waits_for_it_and_elsewhere_leaves_no_lock_file(built, project):
    report, outputs, _ = built
    old = outputs / "committee_report.docx"
    before = snapshot(outputs)
    with output.build_lock(outputs):
        result = run_process("diff", old, old, "-o", outputs / "redline.docx", env={"JTAI_DOCS_LOCK_WAIT": "0.5"})
    assert result.returncode == 2, result.stderr  # diff's status for "could not compare"
    [error] = errors_of(result.stderr)
    assert error.startswith(f"Error: another build is writing into {outputs} (process {os.getpid()} on ")
    assert snapshot(outputs) == before
    elsewhere = project / "review"
    elsewhere.mkdir()
    result = run_process("diff", old, old, "-o", elsewhere / "redline.docx")
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in elsewhere.iterdir()) == ["redline.docx"]


def test_the_reopening_check_reads_every_part_not_only_the_body(built, project):
    """The last gate before a report replaces another: a damaged part anywhere stops it, located."""
    from jtai_docs import package
    from jtai_docs.errors import InvalidInputError

    report, outputs, before = built
    good = (outputs / "committee_report.docx").read_bytes()
    package.verify_report(good)  # the report built is sound in every part
    damaged = project / "damaged.docx"
    damaged.write_bytes(good)
    edit_package(
        damaged,
        parts=note_part("footnotes", run_text("Seen by the committee")),
        replace={
            "word/footnotes.xml": f'<w:footnotes xmlns:w="{W}"><w:footnote><w:p><w:r><w:t>Seen by '
            f"the committee</w:t></w:r></w:hyperlink></w:p>".encode()
        },
    )
    with pytest.raises(InvalidInputError) as caught:
        package.verify_report(damaged.read_bytes(), template=project / "templates" / "committee_report.docx")
    [problem] = caught.value.problems
    assert problem.file == "committee_report.docx"
    assert problem.place == "part word/footnotes.xml, after the text 'Seen by the committee'"
    assert "filling in the template committee_report.docx gave a damaged Word part" in problem.message
    assert snapshot(outputs) == before


def test_a_pdf_of_the_earlier_version_never_stays_beside_a_new_report(project, monkeypatch):
    report = project / "inputs" / "report.toml"
    built = pipeline.build_report(report).written.path
    earlier_pdf = built.with_suffix(".pdf")
    made_earlier = b"%PDF-1.7 the PDF made with the earlier version"
    earlier_pdf.write_bytes(made_earlier)
    # Rebuilt unchanged, the report still matches its PDF, which stays.
    assert run("build", report).exit_code == 0
    assert earlier_pdf.read_bytes() == made_earlier
    # A changed report whose PDF cannot be made: the earlier PDF goes to history, never left looking current.
    vary(project)
    monkeypatch.setenv("JTAI_DOCS_SOFFICE", "false")  # LibreOffice failing
    result = run("build", "--pdf", report)
    assert result.exit_code == 1
    assert "no PDF was made" in result.stderr
    assert not earlier_pdf.exists()
    [kept] = (built.parent / "history").glob("*.pdf")
    assert kept.read_bytes() == made_earlier
    assert f"The PDF of the earlier version no longer matches the report, so it was moved to {kept}" in result.stdout
    # A build without --pdf retires it the same way.
    earlier_pdf.write_bytes(made_earlier + b" again")
    report.write_text(report.read_text(encoding="utf-8").replace("Revised papers", "Papers revised again"), "utf-8")
    result = run("build", report)
    assert result.exit_code == 0 and not earlier_pdf.exists()
    assert len(list((built.parent / "history").glob("*.pdf"))) == 2
