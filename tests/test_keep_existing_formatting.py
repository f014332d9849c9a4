"""diff --keep-existing with formatting changes already tracked in NEW (Word's "Formatted"), one rule for words,
paragraphs and paragraph marks alike: a kept change recording OLD's formatting stands as its author left it; one
recording other formatting is replaced by the redline's own, recording OLD's, and the summary says so. Word holds
one formatting change on a run, paragraph or mark, so the two cannot stand side by side.

Accept All must give NEW and Reject All OLD, read by the independent reader (tests/helpers/corpus_tools.py) with
formatting; the summary's counts must be those of the redline's own w:rPrChange and w:pPrChange by author; and the
redline must break no rule of the schema that NEW does not break already.
"""

from __future__ import annotations

import collections
import re
from pathlib import Path

import docx
import pytest
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

from helpers import corpus_tools, run, violations

BOB = 'w:author="Bob" w:date="2026-01-01T00:00:00Z"'
REVIEWER = "Democratic Services"


def document(path: Path, *paragraphs: str) -> Path:
    """A .docx whose body is the given w:p elements (XML text in the w namespace)."""
    made = docx.Document()
    body = made.element.body
    for paragraph in list(body.iterchildren(qn("w:p"))):
        body.remove(paragraph)
    section = body.find(qn("w:sectPr"))
    for xml in paragraphs:
        section.addprevious(parse_xml(xml.replace("<w:p>", f"<w:p {nsdecls('w')}>", 1)))
    made.save(str(path))
    return path


def p(*runs: str, ppr: str = "") -> str:
    return f"<w:p>{f'<w:pPr>{ppr}</w:pPr>' if ppr else ''}{''.join(runs)}</w:p>"


def r(text: str, rpr: str = "") -> str:
    return f'<w:r>{f"<w:rPr>{rpr}</w:rPr>" if rpr else ""}<w:t xml:space="preserve">{text}</w:t></w:r>'


def rpr_change(before: str = "") -> str:
    return f'<w:rPrChange w:id="9" {BOB}><w:rPr>{before}</w:rPr></w:rPrChange>'


UNDERLINE = '<w:u w:val="single"/>'

# (kind, OLD's paragraph, NEW's paragraph): Bob made the words, the paragraph or its mark italic or centred with
# Track Changes on; in "matches" his change recorded OLD's formatting, in "differs" OLD had other formatting.
CASES = {
    ("words", "matches"): (p(r("Text of the decision.")), p(r("Text of the decision.", "<w:i/>" + rpr_change()))),
    ("words", "differs"): (
        p(r("Text of the decision.", UNDERLINE)),
        p(r("Text of the decision.", "<w:i/>" + rpr_change())),
    ),
    ("paragraph", "matches"): (
        p(r("Text of the decision."), ppr='<w:jc w:val="right"/>'),
        p(
            r("Text of the decision."),
            ppr=f'<w:jc w:val="center"/><w:pPrChange w:id="9" {BOB}><w:pPr><w:jc w:val="right"/></w:pPr></w:pPrChange>',
        ),
    ),
    ("paragraph", "differs"): (
        p(r("Text of the decision."), ppr='<w:jc w:val="right"/>'),
        p(r("Text of the decision."), ppr=f'<w:jc w:val="center"/><w:pPrChange w:id="9" {BOB}><w:pPr/></w:pPrChange>'),
    ),
    ("mark", "matches"): (
        p(r("Text of the decision."), ppr=f"<w:rPr>{UNDERLINE}</w:rPr>"),
        p(r("Text of the decision."), ppr=f"<w:rPr><w:i/>{rpr_change(UNDERLINE)}</w:rPr>"),
    ),
    ("mark", "differs"): (
        p(r("Text of the decision."), ppr=f"<w:rPr>{UNDERLINE}</w:rPr>"),
        p(r("Text of the decision."), ppr=f"<w:rPr><w:i/>{rpr_change()}</w:rPr>"),
    ),
}


# Bob's change recorded other formatting than OLD's, and OLD already has the formatting he made: there is no
# difference, and nothing for a change to record.
ALREADY = {
    "words": (p(r("Text of the decision.", "<w:i/>")), p(r("Text of the decision.", "<w:i/>" + rpr_change("<w:b/>")))),
    "paragraph": (
        p(r("Text of the decision."), ppr='<w:jc w:val="center"/>'),
        p(r("Text of the decision."), ppr=f'<w:jc w:val="center"/><w:pPrChange w:id="9" {BOB}><w:pPr/></w:pPrChange>'),
    ),
    "mark": (
        p(r("Text of the decision."), ppr="<w:rPr><w:i/></w:rPr>"),
        p(r("Text of the decision."), ppr=f"<w:rPr><w:i/>{rpr_change()}</w:rPr>"),
    ),
}


def formatting_changes_by_author(redline: Path) -> collections.Counter[str]:
    body = corpus_tools.Package.read(redline).xml("word/document.xml")
    return collections.Counter(change.get(qn("w:author")) for change in body.iter(qn("w:rPrChange"), qn("w:pPrChange")))


def said_counts(output: str, word: str) -> dict[str, int]:
    """The "(1 by Bob, 2 by Carol)" of the summary's "Kept ..." or "Replaced ..." line, by author."""
    line = next((line for line in output.splitlines() if line.startswith(word)), None)
    if line is None:
        return {}
    who = re.search(r"\(([^()]* by [^()]*)\)", line)
    assert who is not None, line
    return {name: int(count) for count, name in (part.split(" by ", 1) for part in who.group(1).split(", "))}


def assert_exact(redline: Path, old: Path, new: Path) -> None:
    """Accept All gives NEW and Reject All gives OLD, formatting included; no schema error beyond NEW's own."""
    for mode, version in (("accept", new), ("reject", old)):
        got = corpus_tools.read_version(redline, mode=mode, formatting=True)
        want = corpus_tools.read_version(version, mode="accept", formatting=True)
        assert corpus_tools.differences(got, want) == [], mode
    assert set(violations(redline)) <= set(violations(new))


@pytest.mark.parametrize(("kind", "recorded"), list(CASES), ids=[f"{k}-{v}" for k, v in CASES])
def test_a_kept_formatting_change_stands_where_it_records_old_and_is_replaced_and_said_where_not(
    tmp_path, kind, recorded
):
    old_xml, new_xml = CASES[kind, recorded]
    old, new = document(tmp_path / "old.docx", old_xml), document(tmp_path / "new.docx", new_xml)
    redline = tmp_path / "redline.docx"
    result = run("diff", old, new, "-o", redline, "--keep-existing", "--author", REVIEWER)
    assert result.exit_code == 1, result.output
    assert_exact(redline, old, new)
    # The formatting difference is listed as any is, whoever's change records it.
    assert 'the paragraph "Text of the decision.": formatting: ' in result.stdout, result.stdout
    found = formatting_changes_by_author(redline)
    if recorded == "matches":
        assert found == {"Bob": 1}
        assert said_counts(result.stdout, "Kept") == {"Bob": 1}
        assert "Replaced" not in result.stdout
    else:
        # Bob's change is gone, not re-attributed silently: the redline's own records OLD's, and the summary says so.
        assert found == {REVIEWER: 1}
        assert "Kept" not in result.stdout
        assert said_counts(result.stdout, "Replaced") == {"Bob": 1}
        assert f"by one under {REVIEWER}: the old version's formatting differs from what it recorded" in (
            result.stdout.replace("\n", " ")
        )


def test_words_edited_beside_kept_formatting_are_exact_and_counted_as_the_redline_holds_them(tmp_path):
    """Our word changes next to Bob's formatting in one paragraph: in a run Bob made italic from OLD's plain, a
    word replaced (his change is then on the words either side), and in a run whose OLD was underlined, a word
    replaced too (his change is replaced there). The summary counts what the redline holds."""
    old = document(
        tmp_path / "old.docx",
        p(r("The quick red fox "), r("met in May.", UNDERLINE)),
    )
    new = document(
        tmp_path / "new.docx",
        p(r("The quick brown fox ", "<w:i/>" + rpr_change()), r("met in June.", "<w:b/>" + rpr_change())),
    )
    redline = tmp_path / "redline.docx"
    result = run("diff", old, new, "-o", redline, "--keep-existing", "--author", REVIEWER)
    assert result.exit_code == 1, result.output
    assert_exact(redline, old, new)
    assert '"The quick red fox met in May." -> "The quick brown fox met in June."' in result.stdout
    found = formatting_changes_by_author(redline)
    # His first change is on each piece of its run the redline writes ("The quick ", "brown", " fox "), his second
    # on the inserted "June" only: "met in " and "." record OLD's underline under the reviewer's name.
    assert found == {"Bob": 4, REVIEWER: 2}
    assert said_counts(result.stdout, "Kept") == {"Bob": 4}
    assert said_counts(result.stdout, "Replaced") == {"Bob": 1}


def test_with_nothing_to_keep_the_summary_is_that_without_the_option(tmp_path):
    old = document(tmp_path / "old.docx", p(r("Text of the decision.")))
    new = document(tmp_path / "new.docx", p(r("Text of the decision.", "<w:i/>")))
    plain = run("diff", old, new, "-o", tmp_path / "plain.docx")
    kept = run("diff", old, new, "-o", tmp_path / "kept.docx", "--keep-existing")
    assert kept.exit_code == plain.exit_code == 1
    assert kept.stdout.replace("kept.docx", "plain.docx") == plain.stdout
    assert "Kept" not in kept.stdout and "Replaced" not in kept.stdout


def test_accept_existing_makes_every_formatting_change_the_reviewers(tmp_path):
    old_xml, new_xml = CASES["words", "differs"]
    old, new = document(tmp_path / "old.docx", old_xml), document(tmp_path / "new.docx", new_xml)
    redline = tmp_path / "redline.docx"
    result = run("diff", old, new, "-o", redline, "--accept-existing", "--author", REVIEWER)
    assert result.exit_code == 1, result.output
    assert "Kept" not in result.stdout and "Replaced" not in result.stdout
    assert formatting_changes_by_author(redline) == {REVIEWER: 1}
    assert_exact(redline, old, new)


@pytest.mark.parametrize("kind", list(ALREADY))
def test_a_kept_formatting_change_of_what_old_already_has_is_taken_away_and_said(tmp_path, kind):
    old_xml, new_xml = ALREADY[kind]
    old, new = document(tmp_path / "old.docx", old_xml), document(tmp_path / "new.docx", new_xml)
    redline = tmp_path / "redline.docx"
    result = run("diff", old, new, "-o", redline, "--keep-existing", "--author", REVIEWER)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("No differences between")
    assert_exact(redline, old, new)
    assert formatting_changes_by_author(redline) == {}
    assert "Kept" not in result.stdout
    assert said_counts(result.stdout, "Took away") == {"Bob": 1}
    assert "the old version already has the formatting it made" in result.stdout.replace("\n", " ")


def sectioned(path: Path, top: int, recorded: int | None = None) -> Path:
    """One paragraph in a section whose top margin is top (in twentieths of a point); with recorded, Bob changed
    it from that one with Track Changes on."""
    margins = 'w:right="1440" w:bottom="1440" w:left="1440" w:header="708" w:footer="708" w:gutter="0"'
    layout = f'<w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="{{}}" {margins}/>'
    made = docx.Document()
    made.add_paragraph("Text of the decision.")
    body = made.element.body
    body.remove(body.find(qn("w:sectPr")))
    change = f'<w:sectPrChange w:id="8" {BOB}><w:sectPr>{layout.format(recorded)}</w:sectPr></w:sectPrChange>'
    body.append(parse_xml(f"<w:sectPr {nsdecls('w')}>{layout.format(top)}{change if recorded else ''}</w:sectPr>"))
    made.save(str(path))
    return path


@pytest.mark.parametrize(("old_top", "said"), [(1000, "Kept"), (1200, "Replaced"), (1440, "Took away")])
def test_a_kept_section_layout_change_follows_the_same_rule(tmp_path, old_top, said):
    """Bob moved the top margin from 1000 to 1440 with Track Changes on; OLD had 1000 (his change stands), 1200
    (the redline's own records it instead) or 1440 already (his change goes, with nothing to record)."""
    old, new = sectioned(tmp_path / "old.docx", old_top), sectioned(tmp_path / "new.docx", 1440, recorded=1000)
    redline = tmp_path / "redline.docx"
    result = run("diff", old, new, "-o", redline, "--keep-existing", "--author", REVIEWER)
    assert result.exit_code == (0 if old_top == 1440 else 1), result.output
    assert said_counts(result.stdout, said) == {"Bob": 1}
    body = corpus_tools.Package.read(redline).xml("word/document.xml")
    changes = list(body.iter(qn("w:sectPrChange")))
    assert [c.get(qn("w:author")) for c in changes] == {"Kept": ["Bob"], "Replaced": [REVIEWER], "Took away": []}[said]
    # Rejected, the section has OLD's top margin: the one a change records, or the section's own where none.
    margin = changes[0].find(f".//{qn('w:pgMar')}") if changes else body.find(f".//{qn('w:pgMar')}")
    assert margin.get(qn("w:top")) == str(old_top)
    assert set(violations(redline)) <= set(violations(new))


KEPT_INSERTION = f'<w:ins w:id="7" {BOB}>' + r("very ") + "</w:ins>"
KEPT_DELETION = f'<w:del w:id="8" {BOB}><w:r><w:delText xml:space="preserve">old </w:delText></w:r></w:del>'


@pytest.mark.parametrize("beside", [KEPT_INSERTION, KEPT_DELETION], ids=["insertion", "deletion"])
@pytest.mark.parametrize(
    ("old_formatting", "recorded", "kept_by_bob"),
    [
        ("", "", 2),  # his change records OLD's (plain): it stands beside his insertion or deletion
        (UNDERLINE, "", 1),  # OLD was underlined, his change says plain: replaced by one recording the underline
        ("", "<w:i/>", 1),  # his change says italic where OLD was plain: replaced
    ],
    ids=["records-old", "old-underlined", "records-italic"],
)
def test_a_kept_formatting_change_beside_kept_words_follows_the_same_rule(
    tmp_path, beside, old_formatting, recorded, kept_by_bob
):
    """Bob inserted or deleted a word and made other words bold in one paragraph, Track Changes on: his words stay
    his, and his formatting change stands only where it records OLD's formatting (before, it always stood, so
    Reject All gave what he recorded rather than OLD's)."""
    old = document(tmp_path / "old.docx", p(r("The quick red fox "), r("met in May.", old_formatting)))
    new = document(
        tmp_path / "new.docx",
        p(r("The quick "), beside, r("red fox "), r("met in May.", "<w:b/>" + rpr_change(recorded))),
    )
    redline = tmp_path / "redline.docx"
    result = run("diff", old, new, "-o", redline, "--keep-existing", "--author", REVIEWER)
    assert result.exit_code == 1, result.output
    assert_exact(redline, old, new)
    assert said_counts(result.stdout, "Kept") == {"Bob": kept_by_bob}
    formatting = formatting_changes_by_author(redline)
    if kept_by_bob == 2:
        assert formatting == {"Bob": 1} and "Replaced" not in result.stdout
    else:
        assert formatting == {REVIEWER: 1}
        assert said_counts(result.stdout, "Replaced") == {"Bob": 1}


def test_a_kept_formatting_change_over_words_old_formatted_two_ways_records_each(tmp_path):
    """OLD had "met in" plain and "May." underlined; Bob made the whole run bold beside his inserted word,
    recording plain: Reject All gives each part OLD's formatting back."""
    old = document(tmp_path / "old.docx", p(r("The quick red fox met in "), r("May.", UNDERLINE)))
    new = document(
        tmp_path / "new.docx",
        p(r("The quick "), KEPT_INSERTION, r("red fox "), r("met in May.", "<w:b/>" + rpr_change())),
    )
    redline = tmp_path / "redline.docx"
    result = run("diff", old, new, "-o", redline, "--keep-existing", "--author", REVIEWER)
    assert result.exit_code == 1, result.output
    assert_exact(redline, old, new)
    # "met in " keeps Bob's change (it recorded plain, as OLD had); "May." has the reviewer's, recording underline.
    assert formatting_changes_by_author(redline) == {"Bob": 1, REVIEWER: 1}
    assert said_counts(result.stdout, "Replaced") == {"Bob": 1}


@pytest.mark.parametrize("beside", [KEPT_INSERTION, KEPT_DELETION], ids=["insertion", "deletion"])
def test_words_formatted_without_track_changes_beside_kept_words_are_recorded_as_a_formatting_change(tmp_path, beside):
    """Bob's inserted or deleted word was tracked, but the words he made bold were not: the redline records that as
    its own formatting change, so Reject All gives OLD's plain words (before, NEW's bold stood)."""
    old = document(tmp_path / "old.docx", p(r("The quick red fox met in May.")))
    new = document(tmp_path / "new.docx", p(r("The quick "), beside, r("red fox "), r("met in May.", "<w:b/>")))
    redline = tmp_path / "redline.docx"
    result = run("diff", old, new, "-o", redline, "--keep-existing", "--author", REVIEWER)
    assert result.exit_code == 1, result.output
    assert_exact(redline, old, new)
    assert formatting_changes_by_author(redline) == {REVIEWER: 1}
    assert said_counts(result.stdout, "Kept") == {"Bob": 1}
    assert 'formatting: "met in May.: not bold" -> "met in May.: bold"' in result.stdout, result.stdout
