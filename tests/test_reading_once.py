"""Each part of a document is read once in a comparison, and the redline's check still reads every part (#11)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
import pytest

from jtai_docs import package
from jtai_docs.errors import InvalidInputError, ProgramFailedError


def _report_bytes() -> bytes:
    document = docx.Document()
    document.add_paragraph("Seen by the committee on 12 March.")
    data = io.BytesIO()
    document.save(data)
    return data.getvalue()


def _damaged(data: bytes, name: str) -> bytes:
    """The package with the part name cut off half way, as a failed write would leave it."""
    source = zipfile.ZipFile(io.BytesIO(data))
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as target:
        for entry in source.infolist():
            content = source.read(entry)
            if entry.filename == name:
                content = content[: len(content) // 2]
            target.writestr(entry, content)
    return output.getvalue()


@pytest.mark.parametrize("name", ["word/document.xml", "word/styles.xml", "word/stylesWithEffects.xml"])
def test_a_damaged_part_is_named_whether_or_not_python_docx_reads_it(name):
    """python-docx reads the body and the styles itself, and Word 2010's copy of the styles only as bytes: a fault in
    any of them stops the report, and the message names the part, as before each part was parsed only once."""
    good = _report_bytes()
    assert package.verify_report(good).paragraphs[0].text == "Seen by the committee on 12 March."
    data = _damaged(good, name)
    with pytest.raises(ProgramFailedError) as caught:
        package.verify_report(data)
    assert f"the document made has a damaged Word part (part {name}" in caught.value.message
    assert "nothing was written" in caught.value.message
    with pytest.raises(InvalidInputError) as refused:
        package.verify_report(data, template=Path("committee_report.docx"))
    [problem] = refused.value.problems
    assert problem.file == "committee_report.docx"
    assert problem.place.startswith(f"part {name}")
    assert "filling in the template committee_report.docx gave a damaged Word part" in problem.message
