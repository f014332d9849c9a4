"""Redlines of documents holding what Word documents hold: nothing is lost whether every change is accepted or
rejected, and the words around notes, comments, pictures, links, fields, content controls, text boxes,
equations and bookmarks are compared word by word."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

from helpers import body_texts, corpus_tools, libreoffice_lines, run, violations
from helpers.worddocs import structure, write_document
from jtai_docs import pipeline, revisions
from jtai_docs.wordfile import paragraph_text

OLD = [
    ["Introduction to the plan."],
    [
        "The council agreed",
        ("fn", "Minute 12 of March."),
        " the plan",
        ("bookmark", "_GoBack"),
        " with its ",
        ("comment", "partners", "Which partners?"),
        " in May.",
    ],
    [
        "A chart ",
        ("pic", "red"),
        " shows progress; see ",
        ("link", "https://example.org/a", "the report"),
        " on page ",
        ("field", "PAGE", "3"),
        " of the pack.",
    ],
    [
        "Owner: ",
        ("sdt", "Owner", "Jane Smith"),
        " and box ",
        ("textbox", "Box text here"),
        " and sum ",
        ("math", "x=1"),
        " done.",
    ],
    [
        "A whole paragraph",
        ("fn", "A note that goes."),
        " that is removed with its ",
        ("pic", "blue"),
        ("link", "https://example.org/gone", "link"),
        ("comment", "comment", "Gone comment"),
        ".",
    ],
    ["Closing words."],
]
NEW = [
    ["Introduction to the plan."],
    [
        "The committee agreed",
        ("fn", "Minute 12 of March."),
        " the revised plan",
        " with its ",
        ("comment", "partners", "Which partners?"),
        " in June.",
    ],
    [
        "A new chart ",
        ("pic", "green"),
        " shows progress; see ",
        ("link", "https://example.org/b", "the new report"),
        " on page ",
        ("field", "PAGE", "4"),
        " of the pack.",
    ],
    [
        "Owner: ",
        ("sdt", "Owner", "John Smith"),
        " and box ",
        ("textbox", "Box text edited here"),
        " and sum ",
        ("math", "x=2"),
        " done.",
        ("bookmark", "_GoBack"),
    ],
    ["Closing words, with one added.", ("fn", "A new note.")],
]


@pytest.fixture(scope="module")
def redlined(tmp_path_factory):
    folder = tmp_path_factory.mktemp("objects")
    old, new = write_document(folder / "old.docx", OLD), write_document(folder / "new.docx", NEW)
    redline = folder / "redline.docx"
    changes = pipeline.compare_reports(old, new, redline_path=redline)
    return old, new, redline, changes


def test_accepting_gives_new_and_rejecting_gives_old_in_text(redlined):
    old, new, redline, _ = redlined
    body = docx.Document(str(redline)).element.body
    assert body_texts(revisions.accept_all(body)) == body_texts(docx.Document(str(new)).element.body)
    assert body_texts(revisions.reject_all(body)) == body_texts(docx.Document(str(old)).element.body)


@pytest.mark.parametrize(
    "kind",
    [
        "footnotes",
        "comments",
        "comment ranges",
        "pictures",
        "links",
        "bookmarks",
        "content controls",
        "equations",
        "text boxes",
        "fields",
    ],
)
def test_nothing_is_lost_either_way(redlined, kind):
    old, new, redline, _ = redlined
    assert structure(redline, accept=True)[kind] == structure(new)[kind]
    assert structure(redline, accept=False)[kind] == structure(old)[kind]


def test_words_around_objects_are_tracked_word_by_word(redlined):
    *_, redline = redlined[:3]
    body = docx.Document(str(redline)).element.body
    paragraph = list(body.iter(qn("w:p")))[1]
    deleted = ["".join(t.text for t in d.iter(qn("w:delText"))) for d in paragraph.iter(qn("w:del"))]
    inserted = [
        "".join(t.text for t in i.iter(qn("w:t")))
        for i in paragraph.iter(qn("w:ins"))
        if i.getparent().tag != qn("w:rPr")
    ]
    assert [d for d in deleted if d] == ["council", "May"]
    assert [i for i in inserted if i] == ["committee", "revised ", "June"]
    # The footnote reference and the comment, unchanged, are kept once and not tracked.
    assert len(list(paragraph.iter(qn("w:footnoteReference")))) == 1
    assert len(list(paragraph.iter(qn("w:commentReference")))) == 1


def test_every_changed_object_is_reported(redlined):
    *_, changes = redlined
    places = [change.where for change in changes]
    assert len(changes) >= 4, places


def test_the_redline_is_valid_and_libreoffice_opens_it(redlined):
    old, new, redline, _ = redlined
    # python-docx's own comments refer to a style its default template lacks: nothing worse than the inputs.
    assert set(violations(redline)) <= set(violations(old)) | set(violations(new))
    lines = libreoffice_lines(redline)
    assert any("committee" in line for line in lines)


# -- tracked changes already in a version ----------------------------------------------------------------


def with_tracked_insertion(path, *, author: str):
    """The document with " Added." inserted as a tracked change by author at the end of its first paragraph."""
    from lxml import etree

    document = docx.Document(str(path))
    paragraph = document.paragraphs[0]._p
    inserted = etree.SubElement(
        paragraph, qn("w:ins"), {qn("w:id"): "901", qn("w:author"): author, qn("w:date"): "2024-05-01T09:00:00Z"}
    )
    etree.SubElement(etree.SubElement(inserted, qn("w:r")), qn("w:t")).text = " Added."
    document.save(str(path))
    return path


def test_existing_tracked_changes_are_refused_with_a_message_offering_the_choice(tmp_path):
    from click.testing import CliRunner

    from jtai_docs.cli import main

    old = write_document(tmp_path / "old.docx", [["Introduction."], ["Closing words."]])
    new = with_tracked_insertion(
        write_document(tmp_path / "new.docx", [["Introduction."], ["Closing."]]), author="Jane Officer"
    )
    result = CliRunner().invoke(main, ["diff", str(old), str(new), "-o", str(tmp_path / "r.docx")])
    assert result.exit_code == 2, result.output
    assert "already holds tracked changes (1 by Jane Officer)" in result.output
    assert "--accept-existing" in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "r.docx").exists()


def test_accept_existing_compares_the_accepted_text_under_the_named_reviewer(tmp_path):
    from click.testing import CliRunner

    from jtai_docs.cli import main

    old = write_document(tmp_path / "old.docx", [["Introduction."], ["Closing words."]])
    new = with_tracked_insertion(
        write_document(tmp_path / "new.docx", [["Introduction."], ["Closing."]]), author="Jane Officer"
    )
    redline = tmp_path / "r.docx"
    result = CliRunner().invoke(
        main, ["diff", str(old), str(new), "-o", str(redline), "--accept-existing", "--author", "Democratic Services"]
    )
    assert result.exit_code == 1, result.output
    body = docx.Document(str(redline)).element.body
    authors = {node.get(qn("w:author")) for node in body.iter(qn("w:ins"), qn("w:del"))}
    assert authors == {"Democratic Services"}
    assert body_texts(revisions.accept_all(body)) == ["Introduction. Added.", "Closing."]
    assert body_texts(revisions.reject_all(body)) == ["Introduction.", "Closing words."]


def test_a_replaced_picture_alone_is_a_difference_and_a_tracked_change(tmp_path):
    old = write_document(tmp_path / "old.docx", [["Intro."], ["Chart: ", ("pic", "red")]])
    new = write_document(tmp_path / "new.docx", [["Intro."], ["Chart: ", ("pic", "blue")]])
    redline = tmp_path / "r.docx"
    changes = pipeline.compare_reports(old, new, redline_path=redline)
    assert [c.old.split(" ")[0] for c in changes] == ["picture"]
    assert changes[0].old != changes[0].new
    assert structure(redline, accept=True)["pictures"] == structure(new)["pictures"]
    assert structure(redline, accept=False)["pictures"] == structure(old)["pictures"]


def test_an_edited_footnote_or_equation_alone_is_a_difference(tmp_path):
    old = write_document(tmp_path / "old.docx", [["Agreed", ("fn", "Minute 12.")], ["Sum ", ("math", "x=1")]])
    new = write_document(tmp_path / "new.docx", [["Agreed", ("fn", "Minute 13.")], ["Sum ", ("math", "x=2")]])
    redline = tmp_path / "r.docx"
    changes = pipeline.compare_reports(old, new, redline_path=redline)
    # The note is compared word by word where it stands; notes are told after the body, as `text` shows them.
    assert [(c.where, c.old, c.new) for c in changes] == [
        ('the paragraph "Sum"', "equation x=1", "equation x=2"),
        ('footnote 1 (after "Agreed")', "Minute 12.", "Minute 13."),
    ]
    for kind in ("footnotes", "equations"):
        assert structure(redline, accept=True)[kind] == structure(new)[kind]
        assert structure(redline, accept=False)[kind] == structure(old)[kind]


@pytest.mark.parametrize(
    ("old_texts", "new_texts"),
    [
        (["Keep.", "Last paragraph goes."], ["Keep."]),
        (["Keep."], ["Keep.", "A last paragraph is added."]),
        (["Keep.", "Old ending one.", "Old ending two."], ["Keep.", "New ending."]),
        (["Old first.", "Old last."], ["New first.", "New last entirely different."]),
    ],
)
def test_no_extra_paragraph_is_left_at_the_end_either_way(tmp_path, old_texts, new_texts):
    old = write_document(tmp_path / "old.docx", [[t] for t in old_texts])
    new = write_document(tmp_path / "new.docx", [[t] for t in new_texts])
    redline = tmp_path / "r.docx"
    pipeline.compare_reports(old, new, redline_path=redline)
    body = docx.Document(str(redline)).element.body
    assert body_texts(revisions.accept_all(body)) == new_texts
    assert body_texts(revisions.reject_all(body)) == old_texts
    # The last paragraph mark itself is never tracked: Word keeps it whatever is accepted or rejected.
    last = list(body.iter(qn("w:p")))[-1]
    assert last.find(f"{qn('w:pPr')}/{qn('w:rPr')}/{qn('w:ins')}") is None
    assert last.find(f"{qn('w:pPr')}/{qn('w:rPr')}/{qn('w:del')}") is None
    # python-docx's default template has its own complaints; the redline adds none.
    assert set(violations(redline)) <= set(violations(old)) | set(violations(new))


def test_body_level_content_controls_and_bookmarks_of_new_are_kept(tmp_path):
    from docx.oxml import parse_xml

    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    old = write_document(tmp_path / "old.docx", [["Contents entry."], ["Body text here."], ["Closing."]])
    new = write_document(tmp_path / "new.docx", [["Contents entry."], ["Body text changed here."], ["Closing."]])
    document = docx.Document(str(new))
    body = document.element.body
    first = body[0]
    control = parse_xml(
        f'<w:sdt {w}><w:sdtPr><w:docPartObj><w:docPartGallery w:val="Table of Contents"/>'
        f"</w:docPartObj></w:sdtPr><w:sdtContent/></w:sdt>"
    )
    first.addprevious(control)
    control[1].append(first)
    body[1].addprevious(parse_xml(f'<w:bookmarkStart {w} w:id="77" w:name="_Toc1"/>'))
    document.save(str(new))
    redline = tmp_path / "r.docx"
    pipeline.compare_reports(old, new, redline_path=redline)
    result = docx.Document(str(redline)).element.body
    assert [e.tag for e in result.iter(qn("w:sdt"))] == [qn("w:sdt")]
    assert [paragraph_text(p) for p in result.find(qn("w:sdt")).iter(qn("w:p"))] == ["Contents entry."]
    assert [b.get(qn("w:name")) for b in result.iter(qn("w:bookmarkStart"))] == ["_Toc1"]
    assert body_texts(revisions.accept_all(result)) == body_texts(docx.Document(str(new)).element.body)
    assert body_texts(revisions.reject_all(result)) == body_texts(docx.Document(str(old)).element.body)


def test_headers_and_footers_are_compared_and_tracked(tmp_path):
    def version(path, header, footer):
        document = docx.Document()
        document.add_paragraph("Body text.")
        document.sections[0].header.paragraphs[0].text = header
        document.sections[0].footer.paragraphs[0].text = footer
        document.save(str(path))
        return path

    old = version(tmp_path / "old.docx", "Cabinet, March meeting", "Page footer, draft")
    new = version(tmp_path / "new.docx", "Cabinet, April meeting", "Page footer, final")
    redline = tmp_path / "r.docx"
    changes = pipeline.compare_reports(old, new, redline_path=redline)
    assert [(c.where.split(",")[0], c.old, c.new) for c in changes] == [
        ("header of section 1", "Cabinet, March meeting", "Cabinet, April meeting"),
        ("footer of section 1", "Page footer, draft", "Page footer, final"),
    ]
    section = docx.Document(str(redline)).sections[0]
    for story, old_text, new_text in (
        (section.header, "Cabinet, March meeting", "Cabinet, April meeting"),
        (section.footer, "Page footer, draft", "Page footer, final"),
    ):
        element = story._element
        assert body_texts(revisions.accept_all(element)) == [new_text]
        assert body_texts(revisions.reject_all(element)) == [old_text]
    assert set(violations(redline)) <= set(violations(old)) | set(violations(new))


def test_formatting_changes_are_tracked_and_listed_apart_unless_text_only(tmp_path):
    from click.testing import CliRunner

    from jtai_docs.cli import main

    def version(path, *, bold: bool, style: str):
        document = docx.Document()
        paragraph = document.add_paragraph("The plan was ")
        paragraph.add_run("agreed").bold = bold
        paragraph.add_run(" by members.")
        document.add_paragraph("Next steps", style=style)
        document.save(str(path))
        return path

    old = version(tmp_path / "old.docx", bold=False, style="Normal")
    new = version(tmp_path / "new.docx", bold=True, style="Heading 1")
    redline = tmp_path / "r.docx"
    result = CliRunner().invoke(main, ["diff", str(old), str(new), "-o", str(redline)])
    assert result.exit_code == 1, result.output
    assert '  heading "Next steps": formatting: "style Normal" -> "style Heading 1"' in result.stdout
    body = docx.Document(str(redline)).element.body
    assert len(list(body.iter(qn("w:rPrChange")))) == 1 and len(list(body.iter(qn("w:pPrChange")))) == 1
    rejected = revisions.reject_all(body)

    def bold(root):
        return [b for b in root.iter(qn("w:b")) if b.get(qn("w:val")) not in ("0", "false", "off")]

    assert bold(rejected) == [], "Reject All takes the bold off again"
    assert [s.get(qn("w:val")) for s in rejected.iter(qn("w:pStyle"))] == []
    accepted = revisions.accept_all(body)
    assert len(bold(accepted)) == 1
    assert body_texts(rejected) == body_texts(accepted) == ["The plan was agreed by members.", "Next steps"]
    assert set(violations(redline)) <= set(violations(old)) | set(violations(new))
    text_only = tmp_path / "t.docx"
    result = CliRunner().invoke(main, ["diff", str(old), str(new), "-o", str(text_only), "--text-only"])
    assert result.exit_code == 0, result.output
    body = docx.Document(str(text_only)).element.body
    assert not list(body.iter(qn("w:rPrChange"))) and not list(body.iter(qn("w:pPrChange")))


def test_a_note_reference_without_its_id_in_a_removed_paragraph_is_kept_in_the_redline(tmp_path):
    """A hand-made document may leave a note reference's id out; removing its paragraph still gives a redline."""
    old = docx.Document()
    old.add_paragraph("Introduction to the plan.")
    removed = old.add_paragraph("A paragraph that goes")
    reference = removed.add_run()._r
    reference.append(reference.makeelement(qn("w:footnoteReference"), {}))
    old.add_paragraph("Closing words.")
    new = docx.Document()
    new.add_paragraph("Introduction to the plan.")
    new.add_paragraph("Closing words.")
    old.save(tmp_path / "old.docx")
    new.save(tmp_path / "new.docx")
    changes = pipeline.compare_reports(
        tmp_path / "old.docx", tmp_path / "new.docx", redline_path=tmp_path / "redline.docx"
    )
    assert [change.kind for change in changes] == ["removed"]
    body = docx.Document(str(tmp_path / "redline.docx")).element.body
    assert body_texts(revisions.reject_all(body)) == body_texts(docx.Document(str(tmp_path / "old.docx")).element.body)
    assert body_texts(revisions.accept_all(body)) == body_texts(docx.Document(str(tmp_path / "new.docx")).element.body)


def test_a_deleted_simple_field_leaves_no_field_behind_and_comes_back_whole_on_reject(tmp_path):
    """A paragraph holding a simple field (w:fldSimple, as LibreOffice and generators write a date or page number)
    deleted: accepting leaves no empty field for Word to fill in again, rejecting gives the field back with its
    instruction and its shown result."""

    def with_field(path: Path, texts: list[str]) -> Path:
        document = docx.Document()
        for text in texts:
            document.add_paragraph(text)
        paragraph = document.add_paragraph("Printed on ")
        paragraph._p.append(
            parse_xml(
                f'<w:fldSimple {nsdecls("w")} w:instr=" DATE \\@ &quot;d MMMM yyyy&quot; ">'
                "<w:r><w:rPr><w:b/></w:rPr><w:t>24 April 2016</w:t></w:r></w:fldSimple>"
            )
        )
        document.save(str(path))
        return path

    old = with_field(tmp_path / "old.docx", ["Minutes."])
    new = tmp_path / "new.docx"
    document = docx.Document()
    document.add_paragraph("Minutes.")
    document.save(str(new))
    redline = tmp_path / "redline.docx"
    changes = pipeline.compare_reports(old, new, redline_path=redline)
    assert [c.old for c in changes] == ["Printed on 24 April 2016"]
    accepted = corpus_tools.read_version(redline, mode="accept")
    rejected = corpus_tools.read_version(redline, mode="reject")
    assert corpus_tools.differences(accepted, corpus_tools.read_version(new)) == []
    assert corpus_tools.differences(rejected, corpus_tools.read_version(old)) == []
    body = revisions.reject_all(docx.Document(str(redline)).element.body)
    instruction = "".join(t.text or "" for t in body.iter(qn("w:instrText")))
    assert instruction.strip() == 'DATE \\@ "d MMMM yyyy"'
    assert body_texts(body)[-1] == "Printed on 24 April 2016"
    assert not list(revisions.accept_all(docx.Document(str(redline)).element.body).iter(qn("w:fldChar")))


def test_an_edited_comment_in_a_table_cell_is_a_difference_tracked_both_ways(tmp_path):
    """A row whose words are the same but whose comment changed is not skipped as unchanged."""

    def with_commented_cell(path: Path, comment: str) -> Path:
        document = docx.Document()
        document.add_paragraph("Budget lines.")
        table = document.add_table(rows=2, cols=2)
        table.cell(0, 0).text, table.cell(0, 1).text = "Line", "Amount"
        table.cell(1, 0).text = "Parks"
        run = table.cell(1, 1).paragraphs[0].add_run("1,200")
        document.add_comment(run, text=comment, author="Officer", initials="O")
        document.save(str(path))
        return path

    old = with_commented_cell(tmp_path / "old.docx", "Check with finance.")
    new = with_commented_cell(tmp_path / "new.docx", "Agreed with finance.")
    redline = tmp_path / "redline.docx"
    changes = pipeline.compare_reports(old, new, redline_path=redline)
    assert changes, "an edited comment reported as no difference"
    for mode, version in (("accept", new), ("reject", old)):
        got = corpus_tools.read_version(redline, mode=mode)
        assert corpus_tools.differences(got, corpus_tools.read_version(version)) == [], mode


def test_notes_brought_from_the_old_version_keep_bookmark_ids_unique(tmp_path):
    """An endnote of OLD copied into the redline (its reference deleted) holds a bookmark: its id is fresh, so no two
    bookmarks of the document share one (Word's rule: ids are unique across the body and the notes)."""
    name = "powertools_RC007-Endnotes-Before.docx"
    case = corpus_tools.run_case(corpus_tools.CORPUS / name, tmp_path, compare=pipeline.compare_reports)
    assert (case.accept_problems, case.reject_problems) == ([], [])
    package = corpus_tools.Package.read(case.redline)
    ids = [
        node.get(qn("w:id"))
        for part in (package.main_part, "word/endnotes.xml", "word/footnotes.xml")
        if part in package.entries
        for node in package.xml(part).iter(qn("w:bookmarkStart"))
    ]
    assert ids and len(ids) == len(set(ids))


@pytest.mark.parametrize("name", ["powertools_WC067-Textbox-Image-Mod.docx", "pythondocx_having-images.docx"])
def test_shapes_and_pictures_brought_from_the_old_version_keep_their_ids_unique(tmp_path, name):
    """Text boxes (VML shapes) and pictures of OLD copied into the redline get ids NEW does not already use, across
    the body, headers and footers; a shape type NEW already defines is not defined twice."""
    case = corpus_tools.run_case(corpus_tools.CORPUS / name, tmp_path, compare=pipeline.compare_reports)
    assert (case.accept_problems, case.reject_problems) == ([], [])
    package = corpus_tools.Package.read(case.redline)
    stories = [part for kind, part in package.stories() if kind in ("body", "header", "footer")]
    vml = "{urn:schemas-microsoft-com:vml}"
    shapes = [
        node.get("id")
        for part in stories
        for node in package.xml(part).iter(f"{vml}shape", f"{vml}shapetype", f"{vml}rect", f"{vml}group")
        if node.get("id")
    ]
    pictures = [
        node.get("id")
        for part in stories
        for node in package.xml(part).iter(
            "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr"
        )
    ]
    assert len(shapes) == len(set(shapes)), shapes
    assert len(pictures) == len(set(pictures)), pictures


def test_a_changed_chart_is_a_difference_and_the_old_chart_comes_back_whole_on_reject(tmp_path):
    """A chart whose figures changed (its part holds them as last drawn) is reported and tracked; the old chart is
    brought into the redline with its own embedded workbook, colours and style, so Reject All shows it as it was."""
    import zipfile

    source = corpus_tools.CORPUS / "powertools_CU014-Chart-Embedded-Xlsx-06.docx"
    old, new, redline = tmp_path / "old.docx", tmp_path / "new.docx", tmp_path / "redline.docx"
    old.write_bytes(source.read_bytes())
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(new, "w") as edited:
        for item in original.infolist():
            data = original.read(item)
            if item.filename == "word/charts/chart1.xml":
                assert b"<c:v>3.2</c:v>" in data
                data = data.replace(b"<c:v>3.2</c:v>", b"<c:v>5.1</c:v>", 1)
            edited.writestr(item, data)
    changes = pipeline.compare_reports(old, new, redline_path=redline)
    assert [(c.where, c.old.split()[0], c.new.split()[0]) for c in changes] == [
        ("a paragraph without text", "chart", "chart")
    ]
    package = corpus_tools.Package.read(redline)
    main = package.main_part
    rels = package.relationships(main)
    for mode, version in (("accept", new), ("reject", old)):
        root = corpus_tools.resolve(package.xml(main), accept=(mode == "accept"))
        charts = [e for e in root.iter("{http://schemas.openxmlformats.org/drawingml/2006/chart}chart")]
        assert len(charts) == 1, mode
        chart_part = rels[charts[0].get(f"{{{corpus_tools.REL}}}id")][1]
        with zipfile.ZipFile(version) as wanted:
            assert package.entries[chart_part] == wanted.read("word/charts/chart1.xml"), mode
            # The chart's own parts come along under the same relationship ids.
            own = package.relationships(chart_part)
            for rid, (kind, target, _mode) in (
                corpus_tools.Package.read(version).relationships("word/charts/chart1.xml").items()
            ):
                assert own[rid][0] == kind
                assert package.entries[own[rid][1]] == wanted.read(target), (mode, kind)
    assert set(violations(redline)) <= set(violations(new))
    assert libreoffice_lines(redline) is not None


@pytest.mark.parametrize("change", ["deleted", "replaced"])
def test_a_picture_in_a_header_deleted_or_replaced_is_tracked_and_comes_back_on_reject(tmp_path, change):
    """A header names its pictures by its own relationships, not the body's: a logo replaced in the header is a
    difference (not "No differences"), and a deleted one comes back whole when every change is rejected."""
    pictures = {}
    for number in (1, 2):
        pictures[number] = tmp_path / f"logo{number}.png"
        pictures[number].write_bytes(corpus_tools._tiny_png(number))

    def version(path: Path, logos: list[Path]) -> Path:
        document = docx.Document()
        document.add_paragraph("The committee is asked to note the plan.")
        paragraph = document.sections[0].header.paragraphs[0]
        paragraph.text = "Cabinet "
        for logo in logos:
            paragraph.add_run().add_picture(str(logo))
        document.save(str(path))
        return path

    old = version(tmp_path / "old.docx", [pictures[1]])
    new = version(tmp_path / "new.docx", [] if change == "deleted" else [pictures[2]])
    redline = tmp_path / "redline.docx"
    changes = pipeline.compare_reports(old, new, redline_path=redline)
    assert [c.where.split(",")[0] for c in changes] == ["header of section 1"]
    assert "picture" in changes[0].old and ("picture" in changes[0].new) == (change == "replaced")
    for mode, version_path in (("accept", new), ("reject", old)):
        got = corpus_tools.read_version(redline, mode=mode)
        assert corpus_tools.differences(got, corpus_tools.read_version(version_path)) == [], mode
    assert set(violations(redline)) <= set(violations(new))
    assert "The committee is asked to note the plan." in libreoffice_lines(redline)  # LibreOffice opens it


CHARTEX = "http://schemas.microsoft.com/office/drawing/2014/chartex"


def _picture_version(path: Path, tmp_path: Path, *, alt: str = "", link: str = "", chartex: str = "") -> Path:
    """A document with one picture (embedded with alt text, or linked to an address) or an Office 2016 chart
    (chartex, such as a waterfall) whose one figure is chartex."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part

    document = docx.Document()
    document.add_paragraph("Figures for the year.")
    paragraph = document.add_paragraph()
    if chartex:
        space = (
            f'<cx:chartSpace xmlns:cx="{CHARTEX}"><cx:chartData><cx:data id="0"><cx:numDim type="val"><cx:lvl '
            f'ptCount="1"><cx:pt idx="0">{chartex}</cx:pt></cx:lvl></cx:numDim></cx:data></cx:chartData><cx:chart>'
            "<cx:title><cx:tx><cx:txData><cx:v>Budget bridge</cx:v></cx:txData></cx:tx></cx:title></cx:chart>"
            "</cx:chartSpace>"
        ).encode()
        part = Part(
            PackURI("/word/charts/chartEx1.xml"), "application/vnd.ms-office.chartex+xml", space, document.part.package
        )
        rid = document.part.relate_to(part, "http://schemas.microsoft.com/office/2014/relationships/chartEx")
        paragraph._p.append(
            parse_xml(
                f'<w:r {nsdecls("w", "wp", "a", "r")}><w:drawing><wp:inline><wp:extent cx="5486400" cy="3200400"/>'
                f'<wp:docPr id="2" name="Chart 2"/><a:graphic><a:graphicData uri="{CHARTEX}"><cx:chart '
                f'xmlns:cx="{CHARTEX}" r:id="{rid}"/></a:graphicData></a:graphic></wp:inline></w:drawing></w:r>'
            )
        )
    else:
        (tmp_path / "logo.png").write_bytes(corpus_tools._tiny_png(1))
        paragraph.add_run().add_picture(str(tmp_path / "logo.png"))
        inline = document.inline_shapes[-1]._inline
        inline.docPr.set("descr", alt)
        if link:
            blip = next(inline.iter(qn("a:blip")))
            blip.set(qn("r:link"), document.part.relate_to(link, RT.IMAGE, is_external=True))
            del blip.attrib[qn("r:embed")]
    document.save(str(path))
    return path


@pytest.mark.parametrize(
    ("before", "after", "summary"),
    [
        (
            {"alt": "Council logo"},
            {"alt": "Map of ward boundaries"},
            ("picture: Council logo", "picture: Map of ward boundaries"),
        ),
        (
            {"link": "file:///C:/logos/old.png"},
            {"link": "file:///C:/logos/new.png"},
            ("picture linked to file:///C:/logos/old.png", "picture linked to file:///C:/logos/new.png"),
        ),
        # The chart is named by its own title; its figures changed, not its name.
        ({"chartex": "10"}, {"chartex": "99"}, ("chart: Budget bridge", "chart (changed): Budget bridge")),
    ],
    ids=["alt text", "linked picture", "Office 2016 chart"],
)
def test_alt_text_linked_pictures_and_office_2016_charts_are_compared(tmp_path, before, after, summary):
    """A screen reader announces alt text, a linked picture shows what its address holds, and a waterfall chart
    shows its figures: a change in any of them is a difference, and Reject All gives the old one back."""
    old = _picture_version(tmp_path / "old.docx", tmp_path, **before)
    new = _picture_version(tmp_path / "new.docx", tmp_path, **after)
    redline = tmp_path / "redline.docx"
    changes = pipeline.compare_reports(old, new, redline_path=redline)
    # Named as the text view shows them, never by a content hash.
    assert [(c.where, c.old, c.new) for c in changes] == [("a paragraph without text", *summary)]
    root = docx.Document(str(redline)).element.body
    for mode, version in (("accept", new), ("reject", old)):
        got = docx.Document(str(version)).element.body
        shown = revisions.accept_all(root) if mode == "accept" else revisions.reject_all(root)
        # The one drawing left is the version's own: its alt text and what it points at.
        want = [(d.get("descr"), d.getparent().tag) for d in got.iter(qn("wp:docPr"))]
        assert [(d.get("descr"), d.getparent().tag) for d in shown.iter(qn("wp:docPr"))] == want, mode
        assert (
            corpus_tools.differences(corpus_tools.read_version(redline, mode=mode), corpus_tools.read_version(version))
            == []
        ), mode


def test_a_tracked_change_kept_in_a_text_box_is_counted_once(tmp_path):
    """Word saves a text box twice, as drawn and as the copy older applications show instead (mc:Fallback):
    one insertion typed in the box is one tracked change kept, not two."""
    namespaces = nsdecls("w", "wp", "a") + (
        ' xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"'
        ' xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"'
        ' xmlns:v="urn:schemas-microsoft-com:vml"'
    )
    inserted = (
        '<w:ins w:id="5" w:author="Carol" w:date="2026-01-01T00:00:00Z"><w:r><w:t xml:space="preserve">not </w:t>'
        "</w:r></w:ins>"
    )

    def box(inner: str) -> str:
        words = f'<w:p><w:r><w:t xml:space="preserve">Budget </w:t></w:r>{inner}<w:r><w:t>agreed.</w:t></w:r></w:p>'
        return (
            f'<w:r {namespaces}><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wp:inline>'
            '<wp:extent cx="914400" cy="914400"/><wp:docPr id="3" name="Text Box 3"/><a:graphic><a:graphicData '
            'uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"><wps:wsp>'
            f'<wps:cNvSpPr txBox="1"/><wps:spPr/><wps:txbx><w:txbxContent>{words}</w:txbxContent></wps:txbx>'
            "<wps:bodyPr/></wps:wsp></a:graphicData></a:graphic></wp:inline></w:drawing></mc:Choice><mc:Fallback>"
            '<w:pict><v:shape id="tb3" style="width:72pt;height:72pt" type="#_x0000_t202"><v:textbox>'
            f"<w:txbxContent>{words}</w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback>"
            "</mc:AlternateContent></w:r>"
        )

    versions = {}
    for name, inner, closing in (("old", "", "End text here."), ("new", inserted, "Final text here.")):
        document = docx.Document()
        document.add_paragraph("Intro text here.")
        document.add_paragraph("Box: ")._p.append(parse_xml(box(inner)))
        document.add_paragraph(closing)
        versions[name] = tmp_path / f"{name}.docx"
        document.save(str(versions[name]))
    redline = tmp_path / "redline.docx"
    result = run("diff", str(versions["old"]), str(versions["new"]), "-o", str(redline), "--keep-existing")
    assert result.exit_code == 1, result.output
    assert "Kept 1 tracked change already in" in result.output and "(1 by Carol)" in result.output
    for mode, version in (("accept", versions["new"]), ("reject", versions["old"])):
        got = corpus_tools.read_version(redline, mode=mode)
        want = corpus_tools.read_version(version, mode=mode)
        assert corpus_tools.differences(got, want) == [], mode
