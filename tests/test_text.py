"""jtai-docs text: list numbers as Word shows them (LibreOffice as the referee), stable output, git textconv."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

from helpers import libreoffice_lines
from jtai_docs import pipeline, wordfile
from jtai_docs.cli import main
from jtai_docs.model import Paragraph

W = nsdecls("w")


def normalise(line: str) -> str:
    return " ".join(line.split())


@pytest.mark.libreoffice
def test_default_report_numbers_match_libreoffice(project):
    built = pipeline.build_report(project / "inputs" / "report.toml").written.path
    document = wordfile.read_word_document(built)
    numbered = [f"{b.number} {b.text}" for b in document.blocks if isinstance(b, Paragraph) and b.number]
    assert [line.split(" ")[0] for line in numbered] == [str(n) for n in range(1, 14)]
    theirs = [normalise(line) for line in libreoffice_lines(built)]
    ours = [normalise(line) for line in pipeline.document_text(built).splitlines()]
    for line in map(normalise, numbered):
        assert line in theirs and line in ours


LEVELS = [("decimal", "%1."), ("lowerLetter", "%2)"), ("lowerRoman", "(%3)")]


def numbering_document(path: Path) -> Path:
    """Three-level lists in several formats, a second list restarting at 5, and a bulleted list."""
    document = docx.Document()
    levels = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/><w:lvlText w:val="{text}"/>'
        f'<w:pPr><w:ind w:left="{720 * (i + 1)}" w:hanging="360"/></w:pPr></w:lvl>'
        for i, (fmt, text) in enumerate(LEVELS)
    )
    numbering = parse_xml(
        f"<w:numbering {W}>"
        f'<w:abstractNum w:abstractNumId="10"><w:multiLevelType w:val="multilevel"/>{levels}</w:abstractNum>'
        f'<w:abstractNum w:abstractNumId="11"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="upperRoman"/>'
        f'<w:lvlText w:val="%1."/></w:lvl></w:abstractNum>'
        f'<w:abstractNum w:abstractNumId="12"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="bullet"/>'
        f'<w:lvlText w:val="•"/></w:lvl></w:abstractNum>'
        f'<w:num w:numId="20"><w:abstractNumId w:val="10"/></w:num>'
        f'<w:num w:numId="21"><w:abstractNumId w:val="11"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="5"/>'
        f"</w:lvlOverride></w:num>"
        f'<w:num w:numId="22"><w:abstractNumId w:val="12"/></w:num>'
        f"</w:numbering>"
    )
    document.part.numbering_part._element = numbering
    items = [
        (20, 0, "Alpha"),
        (20, 1, "Alpha one"),
        (20, 1, "Alpha two"),
        (20, 2, "Deep one"),
        (20, 2, "Deep two"),
        (20, 1, "Alpha three"),
        (20, 0, "Beta"),
        (20, 1, "Beta one"),
        (21, 0, "Roman five"),
        (21, 0, "Roman six"),
        (22, 0, "A bullet"),
        (20, 0, "Gamma"),
    ]
    for num_id, level, text in items:
        paragraph = document.add_paragraph(text)
        paragraph._p.get_or_add_pPr().append(
            parse_xml(f'<w:numPr {W}><w:ilvl w:val="{level}"/><w:numId w:val="{num_id}"/></w:numPr>')
        )
    document.save(str(path))
    return path


@pytest.mark.libreoffice
def test_list_numbers_in_every_format_match_libreoffice(tmp_path):
    path = numbering_document(tmp_path / "lists.docx")
    ours = [normalise(line) for line in pipeline.document_text(path).splitlines() if line.strip()]
    theirs = [normalise(line) for line in libreoffice_lines(path) if line.strip()]
    assert ours == theirs
    assert "c) Alpha three" in ours and "(ii) Deep two" in ours and "VI. Roman six" in ours and "3. Gamma" in ours


def test_text_output_is_stable_and_shows_tables_as_rows(project):
    built = pipeline.build_report(project / "inputs" / "report.toml").written.path
    result = CliRunner().invoke(main, ["text", str(built)])
    assert result.exit_code == 0
    assert result.stdout == CliRunner().invoke(main, ["text", str(built)]).stdout
    lines = result.stdout.splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("| NO "))
    assert set(lines[header + 1]) == {"|", "-"}
    end = next(i for i in range(header, len(lines)) if not lines[i].startswith("|"))
    rows = lines[header + 2 : end]  # Table 1's rows (Appendix 2's table follows later)
    assert len(rows) >= 6 and all(len(row) == len(lines[header]) for row in rows), "columns line up"
    assert "## Background" in lines and "# Appendix 1: Implications" in lines


def test_text_works_as_a_git_textconv_driver(project, tmp_path):
    git = shutil.which("git")
    assert git, "git is needed for this test"
    repo = tmp_path / "repo"
    repo.mkdir()
    textconv = f"{sys.executable} -m jtai_docs text"

    def git_run(*args):
        return subprocess.run([git, *args], cwd=repo, check=True, capture_output=True, text=True).stdout

    git_run("init", "-q")
    git_run("config", "user.email", "officer@example.org")
    git_run("config", "user.name", "Officer")
    git_run("config", "diff.jtai-docs.textconv", textconv)
    (repo / ".gitattributes").write_text("*.docx diff=jtai-docs\n")
    report = project / "inputs" / "report.toml"
    built = pipeline.build_report(report).written.path
    shutil.copy(built, repo / "report.docx")
    git_run("add", ".")
    git_run("commit", "-qm", "first")
    text = report.read_text(encoding="utf-8").replace(
        'background_papers = "None"', 'background_papers = "The inspection report"'
    )
    report.write_text(text, encoding="utf-8")
    shutil.copy(pipeline.build_report(report, force=True).written.path, repo / "report.docx")
    diff = git_run("diff", "--", "report.docx")
    changed = [line for line in diff.splitlines() if line[:1] in "+-" and line[:3] not in ("+++", "---")]
    assert changed == ["-None", "+The inspection report"]


GOLDEN = Path(__file__).parent / "golden" / "committee_report.txt"


def test_text_view_of_the_default_report_matches_the_golden_file(project):
    """The text view is what reviewers read in git; any change to it must be deliberate.

    After an intended change, regenerate with: JTAI_DOCS_REGENERATE=1 .venv/bin/python -m pytest tests/test_text.py
    and review the golden file's diff before committing it.
    """
    built = pipeline.build_report(project / "inputs" / "report.toml").written.path
    text = pipeline.document_text(built)
    if os.environ.get("JTAI_DOCS_REGENERATE"):
        GOLDEN.write_text(text, encoding="utf-8")
    assert text == GOLDEN.read_text(encoding="utf-8")


def test_a_style_whose_name_has_no_value_is_shown_by_its_id(tmp_path):
    """A hand-made styles part may give <w:name/> without w:val; the paragraph is still read."""
    document = docx.Document()
    document.add_paragraph("Under a heading", style="Heading 1")
    style = document.styles["Heading 1"].element
    name = style.find(qn("w:name"))
    del name.attrib[qn("w:val")]
    path = tmp_path / "nameless.docx"
    document.save(path)
    [paragraph] = [block for block in wordfile.read_word_document(path).blocks if block.text]
    assert (paragraph.text, paragraph.style) == ("Under a heading", style.get(qn("w:styleId")))
