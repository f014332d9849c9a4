"""The published PDF: checked after LibreOffice writes it, byte-identical across builds, made in batches."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import docx
import pikepdf
import pypdf
import pytest
from click.testing import CliRunner
from docx.oxml.ns import qn

from jtai_docs import libreoffice, pdffile, pipeline, wordfile
from jtai_docs.cli import main

APPENDIX2 = "Appendix 2: JTAI Improvement Action Plan"


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def run_cli(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None) -> subprocess.Popen:
    """jtai-docs in a process of its own, as a second officer (or a second time zone) would run it."""
    return subprocess.Popen(
        [sys.executable, "-m", "jtai_docs", *args],
        cwd=cwd,
        env={**os.environ, **(env or {})},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def finish(process: subprocess.Popen, timeout: int = 300) -> tuple[int, str]:
    """Waits for a run_cli process, reading (and closing) its output; its exit status and standard error."""
    _, errors = process.communicate(timeout=timeout)
    return process.returncode, errors


def test_build_pdf_passes_every_check_with_appendix_2_on_landscape_pages(project):
    result = pipeline.build_report(project / "inputs" / "report.toml", pdf=True)
    assert result.pdf_problems == () and result.pdf_error is None
    # The checks again, by hand, from the file: what a screen-reader user and the website rely on.
    document = wordfile.read_word_document(result.written.path)
    assert pdffile.check_pdf(result.pdf, document=document, title=result.checked.settings.title) == []
    with pikepdf.open(result.pdf) as pdf:
        assert str(pdf.Root.Lang) == "en-GB" and bool(pdf.Root.ViewerPreferences.DisplayDocTitle)
        assert str(pdf.docinfo["/Title"]) == result.checked.settings.title
        with pdf.open_outline() as outline:
            top = [item.title for item in outline.root]
        assert "Appendix 1: Implications" in top and APPENDIX2 in top
        sizes = [(float(page.mediabox[2]), float(page.mediabox[3])) for page in pdf.pages]
    reader = pypdf.PdfReader(str(result.pdf))
    texts = [page.extract_text() for page in reader.pages]
    first = next(number for number, text in enumerate(texts) if APPENDIX2 in text)
    assert all(width < height for width, height in sizes[:first]), "the report is portrait"
    assert all(width > height for width, height in sizes[first:]), "Appendix 2 is landscape"
    appendix = " ".join(texts[first:])
    for group in result.checked.context.action_plan:
        assert f"{group.number}. {group.theme}" in appendix
        for action in group.actions:
            assert action.reference in appendix
    # The header row repeats: the column headings are on every Appendix 2 page.
    assert all("Progress update" in text for text in texts[first:])


def test_two_builds_apart_in_time_and_time_zone_give_identical_docx_and_pdf(project):
    report = project / "inputs" / "report.toml"
    outputs = project / "outputs"
    first = run_cli("build", "--pdf", str(report), env={"TZ": "Europe/London"})
    status, errors = finish(first)
    assert status == 0, errors
    digests = sha256(outputs / "committee_report.docx"), sha256(outputs / "committee_report.pdf")
    made_at = (outputs / "committee_report.pdf").stat().st_mtime_ns
    (outputs / "committee_report.pdf").unlink()
    second = run_cli("build", "--pdf", str(report), env={"TZ": "Pacific/Auckland"})
    status, errors = finish(second)
    assert status == 0, errors
    assert (outputs / "committee_report.pdf").stat().st_mtime_ns > made_at
    assert (sha256(outputs / "committee_report.docx"), sha256(outputs / "committee_report.pdf")) == digests
    with pikepdf.open(outputs / "committee_report.pdf") as pdf:
        assert str(pdf.docinfo["/CreationDate"]) == str(pdf.docinfo["/ModDate"]) == "D:20190211000000Z"


def test_a_pdf_that_fails_the_checks_is_reported(project, tmp_path):
    result = pipeline.build_report(project / "inputs" / "report.toml", pdf=True)
    document = wordfile.read_word_document(result.written.path)
    broken = tmp_path / "broken.pdf"
    with pikepdf.open(result.pdf) as pdf:
        del pdf.Root["/Lang"]
        pdf.Root.ViewerPreferences.DisplayDocTitle = False
        del pdf.Root["/Outlines"]
        pdf.docinfo["/Title"] = "committee_report"
        font = next(f for page in pdf.pages for _k, f in page.Resources.Font.items())
        target = font.DescendantFonts[0] if "/DescendantFonts" in font else font
        for key in ("/FontFile", "/FontFile2", "/FontFile3"):
            if key in target.FontDescriptor:
                del target.FontDescriptor[key]
        pdf.save(broken)
    found = [p.describe() for p in pdffile.check_pdf(broken, document=document, title=result.checked.settings.title)]
    assert (
        "broken.pdf, document language: the PDF's language must be en-GB (found 'none'); in Word select all the "
        "text, then Review > Language > Set Proofing Language > English (United Kingdom), and set the Normal style's "
        "language to it too"
    ) in found
    assert any("title must be the report's title (found 'committee_report')" in f for f in found)
    assert any("viewer preferences: the PDF must show its title" in f for f in found)
    assert any("heading 'Appendix 2: JTAI Improvement Action Plan': the heading has no bookmark" in f for f in found)
    assert any("page 1: the font is not embedded" in f for f in found)


def test_an_untagged_pdf_or_missing_text_is_reported(project, tmp_path):
    built = pipeline.build_report(project / "inputs" / "report.toml").written.path
    plain = tmp_path / "plain.pdf"
    libreoffice.convert_document(built, plain, filter_name="pdf")  # LibreOffice's default export: no tags
    document = wordfile.read_word_document(built)
    found = [p.describe() for p in pdffile.check_pdf(plain, document=document, title="x")]
    assert any("not tagged (no structure tree)" in f for f in found)
    assert any("the report has 2 tables but the PDF tags 0 as tables" in f for f in found)
    # A PDF of an older version of the report lacks the current wording and figures.
    edited = docx.Document(str(built))
    paragraph = next(p for p in edited.paragraphs if p.text.startswith("The finalised Action Plan"))
    paragraph.runs[-1].text += " A sentence the PDF does not have."
    edited.save(tmp_path / "edited.docx")
    tagged = pipeline.make_pdfs([built])[0].pdf
    found = [
        p.describe()
        for p in pdffile.check_pdf(
            tagged, document=wordfile.read_word_document(tmp_path / "edited.docx"), title=edited.core_properties.title
        )
    ]
    assert len(found) == 1 and "paragraph 8: the paragraph's text is missing from the PDF" in found[0]


def test_words_broken_across_lines_at_optional_hyphens_are_still_found_in_the_pdf(project, tmp_path):
    """An officer's optional hyphens (Ctrl+-) let LibreOffice break words at line ends; the text check joins them."""
    built = pipeline.build_report(project / "inputs" / "report.toml").written.path
    edited = docx.Document(str(built))
    paragraph = next(p for p in edited.paragraphs if p.text.startswith("The finalised Action Plan"))
    run = paragraph.runs[-1]._r
    for _ in range(40):
        for part in (" multi", "agency", "safeguarding"):
            text = run.makeelement(qn("w:t"), {"{http://www.w3.org/XML/1998/namespace}space": "preserve"})
            text.text = part
            run.append(text)
            if part != "safeguarding":
                run.append(run.makeelement(qn("w:softHyphen"), {}))
    edited.save(tmp_path / "hyphens.docx")
    result = pipeline.make_pdfs([tmp_path / "hyphens.docx"])[0]
    assert result.problems == ()
    # The lines really did break at optional hyphens (PDFium marks each such break).
    assert pdffile._raw_text(result.pdf).count("\ufffe") >= 5
    # A paragraph that is really missing is still found missing.
    paragraph.runs[-1].text += " A sentence the PDF does not have."
    edited.save(tmp_path / "later.docx")
    found = pdffile.check_pdf(
        result.pdf, document=wordfile.read_word_document(tmp_path / "later.docx"), title=edited.core_properties.title
    )
    assert [p.place for p in found] == ["paragraph 8"]


def test_without_libreoffice_the_report_is_still_written_and_the_package_named(project):
    result = CliRunner().invoke(
        main,
        ["build", "--pdf", str(project / "inputs" / "report.toml")],
        env={"PATH": str(project), "JTAI_DOCS_SOFFICE": ""},
    )
    assert result.exit_code == 1
    assert (project / "outputs" / "committee_report.docx").is_file()
    assert not (project / "outputs" / "committee_report.pdf").exists()
    assert "Wrote " in result.stdout
    assert "no PDF was made" in result.stderr and "libreoffice-writer-nogui" in result.stderr


def test_a_table_too_long_for_libreoffice_is_refused_before_it_starts(project, monkeypatch):
    # The threshold is lowered to the default report's Appendix 2 (113 rows) rather than building a 2,500-row
    # report; PATH has no LibreOffice, so the refusal cannot come from LibreOffice having started.
    built = pipeline.build_report(project / "inputs" / "report.toml").written.path
    rows = libreoffice.largest_table_rows(built)
    assert rows == 1 + 5 + 108
    monkeypatch.setattr(libreoffice, "MAX_TABLE_ROWS", rows - 1)
    result = CliRunner().invoke(main, ["pdf", str(built)], env={"PATH": str(project), "JTAI_DOCS_SOFFICE": ""})
    assert result.exit_code == 1
    assert (
        f"committee_report.docx, its longest table: a table of {rows} rows is too long to make into a PDF"
        in result.stderr
    )
    assert "[appendices] action_plan = false" in result.stderr


def test_many_documents_in_one_command_and_two_commands_at_once(tmp_path):
    papers = []
    for folder, word in (("one", "Alpha"), ("two", "Bravo"), ("three", "Charlie"), ("four", "Delta")):
        document = docx.Document()
        document.core_properties.title = f"Paper {word}"
        document.core_properties.language = "en-GB"
        for language in document.styles.element.iter(qn("w:lang")):
            language.set(qn("w:val"), "en-GB")
        document.add_paragraph(f"Paper {word}", style="Heading 1")
        document.add_paragraph(f"The {word} paper's only paragraph.")
        (tmp_path / folder).mkdir()
        document.save(tmp_path / folder / "paper.docx")  # the same name in each folder
        papers.append((tmp_path / folder / "paper.docx", word))
    # Two officers converting at once, each two documents in one command: no shared profile, no lost file.
    first = run_cli("pdf", str(papers[0][0]), str(papers[1][0]))
    second = run_cli("pdf", str(papers[2][0]), str(papers[3][0]))
    for process in (first, second):
        status, errors = finish(process)
        assert status == 0, errors
    for path, word in papers:
        text = pdffile.extract_text(path.with_suffix(".pdf"))
        assert text == f"Paper {word} The {word} paper's only paragraph."


def test_the_readme_shows_the_page_images_the_script_makes():
    root = Path(__file__).resolve().parents[1]
    readme = (root / "README.md").read_text(encoding="utf-8")
    assert "scripts/page_images.py" in readme
    for name in ("table1-page", "appendix2-page"):
        image = root / "docs" / "images" / f"{name}.png"
        assert f'src="docs/images/{name}.png"' in readme
        assert image.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
        assert name in (root / "scripts" / "page_images.py").read_text(encoding="utf-8")


def test_a_redline_for_the_record_makes_a_pdf_that_passes_its_checks(project):
    report = project / "inputs" / "report.toml"
    first = pipeline.build_report(report)
    old = project / "old.docx"
    old.write_bytes(first.written.path.read_bytes())
    report.write_text(
        report.read_text(encoding="utf-8").replace("cutoff = 2018-12-31", "cutoff = 2018-11-30"), encoding="utf-8"
    )
    second = pipeline.build_report(report)
    redline = project / "redline.docx"
    pipeline.compare_reports(old, second.written.path, redline_path=redline)
    result = CliRunner().invoke(main, ["pdf", str(redline)])
    assert result.exit_code == 0, result.output
    # The PDF shows the change as tracked: the old and the new total of due actions, side by side.
    text = pdffile.extract_text(redline.with_suffix(".pdf"))
    assert f"Of these {first.checked.table1.total}{second.checked.table1.total} had" in text


@pytest.mark.libreoffice
def test_a_killed_conversion_leaves_working_folders_that_the_next_run_removes(project, tmp_path):
    import signal
    import time

    built = pipeline.build_report(project / "inputs" / "report.toml").written.path
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    env = {"TMPDIR": str(temporary)}
    process = run_cli("pdf", str(built), env=env)
    deadline = time.monotonic() + 120
    while not list(temporary.glob("jtai-docs-lo-*/worker*")) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert list(temporary.glob("jtai-docs-lo-*")), "the conversion never started"
    process.send_signal(signal.SIGKILL)  # as a power cut or `kill -9` would end it: no clean-up runs
    finish(process)
    left = sorted(p.name for p in temporary.glob("jtai-docs-*"))
    assert left, "a killed run leaves its working folders"
    # LibreOffice itself outlives a killed jtai-docs for a moment; the next run must not need it gone.
    status, errors = finish(run_cli("pdf", str(built), env=env))
    assert status == 0, errors
    # Nothing of either run is left: not jtai-docs's folders, nor LibreOffice's own lu*.tmp files.
    assert list(temporary.iterdir()) == []
    assert built.with_suffix(".pdf").is_file()


def test_a_table_1_figure_missing_from_the_pdf_is_reported(project, tmp_path):
    """The PDF of an older Table 1 lacks the current wording of a row: its check names the row and the text."""
    built = pipeline.build_report(project / "inputs" / "report.toml", pdf=True)
    edited = docx.Document(str(built.written.path))
    table = edited.tables[0]  # Table 1: a title row, the column headings, then a row per theme
    row = next(r for r in table.rows if "Strategy Meetings" in r.cells[1].text)
    row.cells[1].paragraphs[0].runs[-1].text += " and reviews"
    edited.save(tmp_path / "edited.docx")
    found = pdffile.check_pdf(
        built.pdf, document=wordfile.read_word_document(tmp_path / "edited.docx"), title=edited.core_properties.title
    )
    assert [(p.place, p.message, p.found) for p in found] == [
        (
            f"Table 1, row {row.cells[0].text.strip()!r}",
            "a figure of Table 1 is missing from the PDF's text",
            row.cells[1].text,
        )
    ]
