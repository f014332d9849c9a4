"""Shared test helpers, the one module tests import from: workbooks and report settings built in code, so each
test states the data it relies on; LibreOffice's view of a report; the seed document; Word validity.

The one home for shared test code: this package. Its submodules hold the larger families, imported as
`from helpers.worddocs import ...` (Word documents built in code) and `from helpers import corpus_tools`
(the real-document corpus, also used by scripts/ and benchmarks/)."""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import docx
import openpyxl
from click.testing import CliRunner, Result
from docx.oxml.ns import qn
from lxml import etree
from openxml_audit import OpenXmlValidator

from jtai_docs import libreoffice, pipeline
from jtai_docs.cli import main
from jtai_docs.wordfile import paragraph_text

ROOT = Path(__file__).resolve().parents[2]

THEMES = [(1, "Strategy Meetings", 1), (2, "Front Door & MASH", 2)]
STATUSES = [
    ("Green", "Action Complete", 1, "Yes"),
    ("Amber", "Commenced, not yet embedded", 2, "Yes"),
    ("Yellow", "Revised timescale approved", 3, "Yes"),
    ("Not yet due", "Timescale not yet reached", 4, "No"),
]
ACTION_HEADERS = ["Ref", "Theme", "Action", "Lead", "Timescale", "Status", "Progress Update"]


@dataclass
class Row:
    """One Action Plan row; any field may be set to any cell value, good or bad."""

    ref: Any = "1.01"
    theme: Any = 1
    action: Any = "Hold a strategy meeting for every referral."
    lead: Any = "Police – Detective Inspector"
    timescale: Any = field(default_factory=lambda: datetime(2018, 11, 30))
    status: Any = "Green"
    progress: Any = "Complete."

    def cells(self) -> list[Any]:
        return [self.ref, self.theme, self.action, self.lead, self.timescale, self.status, self.progress]


def make_workbook(
    path: Path, rows: list[Row], *, themes=THEMES, statuses=STATUSES, headers=ACTION_HEADERS, title_rows: int = 0
) -> Path:
    """Writes an action-plan workbook with the three sheets jtai-docs reads."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Action Plan"
    for _ in range(title_rows):
        sheet.append(["JTAI Improvement Action Plan"])
    sheet.append(headers)
    for row in rows:
        sheet.append(row.cells())
    theme_sheet = workbook.create_sheet("Themes")
    theme_sheet.append(["Number", "Theme", "Order"])
    for theme in themes:
        theme_sheet.append(list(theme))
    key = workbook.create_sheet("Status Key")
    key.append(["Status", "Meaning", "Order", "In Table 1"])
    for status in statuses:
        key.append(list(status))
    workbook.save(path)
    return path


def write_settings(folder: Path, *, source: Path, changes: dict[str, str]) -> Path:
    """A copy of the report.toml at source with some `key = value` lines replaced (values in TOML syntax)."""
    text = source.read_text(encoding="utf-8")
    for key, value in changes.items():
        text, count = re.subn(rf"(?m)^{re.escape(key)} = .*$", f"{key} = {value}", text)
        assert count == 1, f"{key} is not a line of {source}"
    path = folder / "report.toml"
    path.write_text(text, encoding="utf-8")
    return path


def due_counts(
    rows: list[Row], cutoff: date, *, text_dates: dict[str, date] | None = None
) -> dict[tuple[int, str], int]:
    """The Table 1 figure for each (theme, status), counted straight from the fixture's own rows.

    text_dates says what each timescale typed as text means, as the README documents it.
    """
    counts: dict[tuple[int, str], int] = {}
    for row in rows:
        timescale = row.timescale.date() if isinstance(row.timescale, datetime) else (text_dates or {})[row.timescale]
        if timescale <= cutoff:
            counts[(row.theme, row.status)] = counts.get((row.theme, row.status), 0) + 1
    return counts


def libreoffice_lines(docx_path: Path) -> list[str]:
    """The report's text as LibreOffice renders it (list numbers included), one line per paragraph or cell."""
    return libreoffice_lines_of([docx_path])[0]


def libreoffice_lines_of(docx_paths: Sequence[Path]) -> list[list[str]]:
    """Each document's text as libreoffice_lines gives it, all converted by one LibreOffice start (about two
    seconds each, which four conversions a test made the larger part of its time)."""
    conversions = [libreoffice.Conversion(source=p, target=p.with_name(p.stem + ".lo.txt")) for p in docx_paths]
    libreoffice.convert_documents(conversions, filter_name="txt:Text (encoded):UTF8,LF,,,", workers=1)
    return [conversion.target.read_text(encoding="utf-8-sig").splitlines() for conversion in conversions]


SEED_NAME = "000_38d8b89d6beb7b93.txt"
QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "‘": "'", "’": "'"})


def find_seed() -> Path:
    """Where the seed document should be: $JTAI_SEED, or the shared seed folder beside the project checkout."""
    configured = os.environ.get("JTAI_SEED")
    return Path(configured) if configured else ROOT.parent / "shared" / "seed" / SEED_NAME


def seed_path() -> Path:
    """The seed document (tests that read it are marked `seed`, so they are skipped when it is missing)."""
    path = find_seed()
    assert path.is_file(), (
        f"the seed document {SEED_NAME} was not found at {path}; set JTAI_SEED to its path to run this comparison"
    )
    return path


def normalise(text: str) -> str:
    """Whitespace collapsed and typographic quotes made plain; nothing else changes."""
    return " ".join(text.translate(QUOTES).split())


def ordinary_report(path, *, paragraphs, rows, link: bool = False):
    """A Word report made with python-docx's own template: headings, a numbered list, a table, a picture-free link."""
    document = docx.Document()
    document.add_heading("Quarterly performance", 1)
    for text in paragraphs:
        style = "List Number" if text.startswith("#") else "Normal"
        document.add_paragraph(text.lstrip("# "), style=style)
    table = document.add_table(rows=0, cols=3)
    table.style = "Table Grid"
    for row in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=False):
            cell.text = text
    if link:
        paragraph = document.add_paragraph("See ")
        part = document.part
        rel = part.relate_to(
            "https://example.org/report", docx.opc.constants.RELATIONSHIP_TYPE.HYPERLINK, is_external=True
        )
        hyperlink = etree.SubElement(paragraph._p, qn("w:hyperlink"), {qn("r:id"): rel})
        run_element = etree.SubElement(hyperlink, qn("w:r"))
        etree.SubElement(run_element, qn("w:t")).text = "the full report"
    document.save(str(path))
    return path


def violations(path) -> list[str]:
    """What the Open XML SDK's rules find wrong in a .docx (empty when Word will open it)."""

    result = OpenXmlValidator(max_errors=50).validate(str(path))
    return [str(error) for error in result.errors]


# -- running the command and reading what it says ---------------------------------------------------------------


def run(*args: object, env: dict[str, str] | None = None, input: str | bytes | None = None) -> Result:
    """The command in-process, as the officer types it; never a traceback, never the internal-fault status (70)."""
    result = CliRunner(env=env).invoke(main, [str(arg) for arg in args], input=input)
    assert "Traceback" not in result.output and "Traceback" not in result.stderr, result.output
    assert result.exit_code != 70, result.output
    return result


def errors_of(text: str) -> list[str]:
    """The `Error: ` lines of what a command printed (pass result.stderr)."""
    return [line for line in text.splitlines() if line.startswith("Error: ")]


def snapshot(folder: Path) -> dict[str, str]:
    """Every file under the folder with its SHA-256, hidden files and history included."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def edit_workbook(path: Path, change: Callable[[Any], None]) -> None:
    """Opens the workbook, lets change() alter it and saves it in place."""
    book = openpyxl.load_workbook(path)
    change(book)
    book.save(path)


def beside_workbook(folder: Path, **changes: str) -> Path:
    """report.toml in folder reading folder/plan.xlsx with the project's template (and any other `key = value`)."""
    return write_settings(
        folder,
        source=ROOT / "inputs" / "report.toml",
        changes={
            "workbook": '"plan.xlsx"',
            "template": f'"{(ROOT / "templates" / "committee_report.docx").as_posix()}"',
            **changes,
        },
    )


def two_versions(report: Path, folder: Path) -> tuple[Path, Path]:
    """Two built versions of the report: the old one copied into folder, the new one naming a background paper."""
    old = folder / "old.docx"
    old.write_bytes(pipeline.build_report(report).written.path.read_bytes())
    report.write_text(
        report.read_text(encoding="utf-8").replace('background_papers = "None"', 'background_papers = "Letter"'),
        encoding="utf-8",
    )
    return old, pipeline.build_report(report).written.path


def paragraphs_document(path: Path, texts: list[str]) -> Path:
    """A plain Word document with one paragraph per text."""
    document = docx.Document()
    for text in texts:
        document.add_paragraph(text)
    document.save(str(path))
    return path


def body_texts(body: Any) -> list[str]:
    """Every paragraph's text in document order, table cells included."""
    return [paragraph_text(p) for p in body.iter(qn("w:p"))]
