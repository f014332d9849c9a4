"""Random text in every workbook field and random workbook shapes: a report with the text exactly, or a located message.

Never a traceback, never silently altered text. `--hypothesis-profile=thorough` runs many more examples (see
conftest.py).
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import docx
import openpyxl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.utils.escape import unescape

from helpers import ACTION_HEADERS, ROOT, STATUSES, Row, write_settings
from jtai_docs import pipeline
from jtai_docs.errors import InvalidInputError, Severity

# Characters an .xlsx can carry in a cell: openpyxl refuses the XML-illegal ones, as Excel never writes them raw.
CELL_CHARACTERS = st.characters(
    blacklist_categories=("Cs",),
    blacklist_characters=[
        *map(chr, range(0x00, 0x09)),
        "\x0b",
        "\x0c",
        *map(chr, range(0x0E, 0x20)),
        "\ufffe",
        "\uffff",
    ],
)
# Pieces officers' text really contains, including Excel's own escapes for characters XML cannot hold.
FRAGMENTS = st.sampled_from(
    [
        "&",
        "<",
        ">",
        '"',
        "'",
        "“",
        "’",
        "–",
        "é",
        "🚀",
        "{{ 7*7 }}",
        "{%",
        "\n",
        "\r\n",
        "\t",
        " ",
        "_x000B_",
        "_x000D_",
        "_x0007_",
        "_x005F_x0007_",
        "<w:t>",
        "]]>",
        "\u00a0",
    ]
)
TEXT = st.lists(st.one_of(st.text(CELL_CHARACTERS, max_size=12), FRAGMENTS), max_size=6).map("".join)
ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def as_read(typed: str) -> str:
    """The text a cell holds once Excel's _xHHHH_ escapes are undone; line breaks of any kind are line breaks."""
    return re.sub("\r\n|\r|\x0b", "\n", unescape(typed))


def acceptable(typed: str) -> bool:
    """What the README promises to accept: not blank, and no control character a Word document cannot hold."""
    text = as_read(typed)
    return bool(text.strip()) and not ILLEGAL.search(text)


@st.composite
def workbooks(draw):
    theme_names = draw(st.lists(TEXT, min_size=1, max_size=3))
    meanings = draw(st.lists(TEXT, min_size=len(STATUSES), max_size=len(STATUSES)))
    rows = [
        Row(
            ref=f"{n}.{i:02d}",
            theme=n,
            action=draw(TEXT),
            lead=draw(TEXT),
            progress=draw(TEXT),
            status=draw(st.sampled_from([s[0] for s in STATUSES[:3]])),
        )
        for n in range(1, len(theme_names) + 1)
        for i in range(draw(st.integers(int(n == 1), 2)))
    ]
    # The sheet's shape: column order, partners' own extra columns, title rows, blank rows between actions.
    shape = {
        "order": draw(st.permutations(range(len(ACTION_HEADERS) + 1))),  # the extra index is a notes column
        "title_rows": draw(st.integers(0, 3)),
        "blank_after": draw(st.sets(st.integers(0, len(rows)), max_size=3)),
        "notes": draw(TEXT),
    }
    return theme_names, meanings, rows, shape


def write(path: Path, theme_names, meanings, rows, shape) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Action Plan"
    for _ in range(shape["title_rows"]):
        sheet.append(["Action plan"])
    headers = [*ACTION_HEADERS, "Partner notes"]
    sheet.append([headers[i] for i in shape["order"]])
    for index, row in enumerate(rows):
        cells = [*row.cells(), shape["notes"]]
        sheet.append([cells[i] for i in shape["order"]])
        if index in shape["blank_after"]:
            sheet.append([])
    themes = book.create_sheet("Themes")
    themes.append(["Number", "Theme", "Order"])
    for number, name in enumerate(theme_names, start=1):
        themes.append([number, name, number])
    key = book.create_sheet("Status Key")
    key.append(["Status", "Meaning", "Order", "In Table 1"])
    for (label, _meaning, position, shown), meaning in zip(STATUSES, meanings, strict=False):
        key.append([label, meaning, position, shown])
    book.save(path)


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(workbooks())
def test_random_workbook_text_is_printed_exactly_or_refused_with_a_located_message(example):
    theme_names, meanings, rows, _shape = example
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        write(folder / "plan.xlsx", *example)
        report = write_settings(
            folder,
            source=ROOT / "inputs" / "report.toml",
            changes={
                "template": f'"{(ROOT / "templates" / "committee_report.docx").as_posix()}"',
                "workbook": '"plan.xlsx"',
                "output": '"report.docx"',
            },
        )
        typed = [*theme_names, *meanings, *(t for r in rows for t in (r.action, r.lead))]
        try:
            result = pipeline.build_report(report)
        except InvalidInputError as exc:
            errors = [p for p in exc.problems if p.severity is Severity.ERROR]
            assert errors and all(p.file == "plan.xlsx" and p.place for p in errors)
            assert not all(map(acceptable, typed)), [p.describe() for p in errors]
            return
        assert all(map(acceptable, typed))
        document = docx.Document(str(result.written.path))
        table = document.tables[0]
        assert [row.cells[1].text for row in table.rows[2:-1]] == [as_read(name) for name in theme_names]
        keys = [p.text for p in document.paragraphs if p.style.name == "Table Key"]
        assert [k.split(": ", 2)[2] for k in keys] == [as_read(m) for m in meanings[:3]]
        read = {a.reference: a for a in result.checked.plan.actions}
        for row in rows:
            assert (read[row.ref].text, read[row.ref].lead, read[row.ref].progress) == (
                as_read(row.action),
                as_read(row.lead),
                as_read(row.progress) if as_read(row.progress).strip() else "",
            )
