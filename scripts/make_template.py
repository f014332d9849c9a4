"""Writes templates/committee_report.docx, the council-style Word template, from scratch.

The template is meant to be edited in Word from then on; this script records how the first version was
made (styles, Word numbering, the table with a repeating header row) and can rebuild it:

    python scripts/make_template.py templates/committee_report.docx

The paragraph text below is wording, not data: every figure and date is a Jinja tag filled from the inputs.
"""

from __future__ import annotations

import io
import sys
from datetime import datetime
from pathlib import Path

import docx
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Twips

from jtai_docs.package import repack

W = nsdecls("w")
TEXT_WIDTH = 9026  # A4 less two 2.54 cm margins, in twentieths of a point
INDENT = 567  # 1 cm: where numbered paragraph text starts

STYLES = f"""<w:styles {W}>
  <w:docDefaults>
    <w:rPrDefault><w:rPr>
      <w:rFonts w:ascii="Arial" w:hAnsi="Arial" w:eastAsia="Arial" w:cs="Arial"/>
      <w:sz w:val="24"/><w:szCs w:val="24"/><w:lang w:val="en-GB" w:eastAsia="en-GB" w:bidi="ar-SA"/>
    </w:rPr></w:rPrDefault>
    <w:pPrDefault><w:pPr><w:spacing w:after="240" w:line="240" w:lineRule="auto"/></w:pPr></w:pPrDefault>
  </w:docDefaults>
  <w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/></w:style>
  <w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont">
    <w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/><w:unhideWhenUsed/></w:style>
  <w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/><w:semiHidden/>
    <w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/>
    <w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/>
    </w:tblCellMar></w:tblPr></w:style>
  <w:style w:type="numbering" w:default="1" w:styleId="NoList"><w:name w:val="No List"/><w:semiHidden/></w:style>
  <w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/>
    <w:next w:val="Normal"/><w:qFormat/>
    <w:pPr><w:keepNext/><w:keepLines/><w:spacing w:before="240" w:after="240"/><w:outlineLvl w:val="0"/></w:pPr>
    <w:rPr><w:b/><w:bCs/><w:sz w:val="28"/><w:szCs w:val="28"/></w:rPr></w:style>
  <w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/><w:basedOn w:val="Normal"/>
    <w:next w:val="Normal"/><w:qFormat/>
    <w:pPr><w:keepNext/><w:keepLines/><w:spacing w:before="240" w:after="120"/><w:outlineLvl w:val="1"/></w:pPr>
    <w:rPr><w:b/><w:bCs/></w:rPr></w:style>
  <w:style w:type="paragraph" w:customStyle="1" w:styleId="NumberedParagraph">
    <w:name w:val="Numbered Paragraph"/><w:basedOn w:val="Normal"/><w:qFormat/>
    <w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr>
    <w:ind w:left="{INDENT}" w:hanging="{INDENT}"/></w:pPr></w:style>
  <w:style w:type="paragraph" w:customStyle="1" w:styleId="CommitteeName"><w:name w:val="Committee Name"/>
    <w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/>
    <w:rPr><w:b/><w:bCs/><w:sz w:val="28"/><w:szCs w:val="28"/></w:rPr></w:style>
  <w:style w:type="paragraph" w:styleId="Caption"><w:name w:val="caption"/><w:basedOn w:val="Normal"/>
    <w:next w:val="Normal"/><w:qFormat/><w:pPr><w:keepNext/><w:spacing w:after="120"/></w:pPr>
    <w:rPr><w:b/><w:bCs/></w:rPr></w:style>
  <w:style w:type="paragraph" w:customStyle="1" w:styleId="TableText"><w:name w:val="Table Text"/>
    <w:basedOn w:val="Normal"/><w:qFormat/><w:pPr><w:spacing w:before="60" w:after="60"/></w:pPr>
    <w:rPr><w:sz w:val="22"/><w:szCs w:val="22"/></w:rPr></w:style>
  <w:style w:type="paragraph" w:customStyle="1" w:styleId="TableHeading"><w:name w:val="Table Heading"/>
    <w:basedOn w:val="TableText"/><w:qFormat/><w:pPr><w:keepNext/></w:pPr><w:rPr><w:b/><w:bCs/></w:rPr></w:style>
  <w:style w:type="paragraph" w:customStyle="1" w:styleId="TableKey"><w:name w:val="Table Key"/>
    <w:basedOn w:val="Normal"/><w:qFormat/><w:pPr><w:spacing w:after="60"/></w:pPr>
    <w:rPr><w:sz w:val="22"/><w:szCs w:val="22"/></w:rPr></w:style>
  <w:style w:type="paragraph" w:customStyle="1" w:styleId="ContactBlock"><w:name w:val="Contact Block"/>
    <w:basedOn w:val="Normal"/><w:qFormat/><w:pPr><w:spacing w:after="0"/></w:pPr></w:style>
  <w:style w:type="paragraph" w:styleId="Footer"><w:name w:val="footer"/><w:basedOn w:val="Normal"/>
    <w:pPr><w:spacing w:after="0"/><w:jc w:val="center"/></w:pPr><w:rPr><w:sz w:val="20"/><w:szCs w:val="20"/></w:rPr></w:style>
  <w:style w:type="character" w:styleId="Strong"><w:name w:val="Strong"/><w:basedOn w:val="DefaultParagraphFont"/>
    <w:qFormat/><w:rPr><w:b/><w:bCs/></w:rPr></w:style>
  <w:style w:type="table" w:styleId="TableGrid"><w:name w:val="Table Grid"/><w:basedOn w:val="TableNormal"/>
    <w:tblPr><w:tblBorders>
      <w:top w:val="single" w:sz="4" w:space="0" w:color="auto"/><w:left w:val="single" w:sz="4" w:space="0" w:color="auto"/>
      <w:bottom w:val="single" w:sz="4" w:space="0" w:color="auto"/><w:right w:val="single" w:sz="4" w:space="0" w:color="auto"/>
      <w:insideH w:val="single" w:sz="4" w:space="0" w:color="auto"/><w:insideV w:val="single" w:sz="4" w:space="0" w:color="auto"/>
    </w:tblBorders></w:tblPr></w:style>
</w:styles>"""

# One list for the whole report: every Numbered Paragraph continues it, across headings and the table.
NUMBERING = f"""<w:numbering {W}>
  <w:abstractNum w:abstractNumId="0">
    <w:multiLevelType w:val="singleLevel"/>
    <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:pStyle w:val="NumberedParagraph"/>
      <w:suff w:val="tab"/><w:lvlText w:val="%1"/><w:lvlJc w:val="left"/>
      <w:pPr><w:tabs><w:tab w:val="num" w:pos="{INDENT}"/></w:tabs><w:ind w:left="{INDENT}" w:hanging="{INDENT}"/></w:pPr>
    </w:lvl>
  </w:abstractNum>
  <w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>
</w:numbering>"""

# The report's wording. Each entry is (style, text); "**...**" marks text in the Strong style.
FRONT = [
    ("Committee Name", "{{ committee }}"),
    ("Normal", "{{ meeting_date|long_date }}"),
    ("Heading 1", "{{ title }}"),
    ("Normal", "**Report of {{ report_of }}**"),
    ("Normal", "**Electoral division(s) affected:**"),
    ("Normal", "{{ electoral_divisions }}"),
]
BODY_BEFORE_TABLE = [
    ("Heading 2", "Purpose of the Report"),
    (
        "Numbered Paragraph",
        "Further to the presentation of the JTAI Action Plan to Members of the Joint Overview & "
        "Scrutiny Committee on {{ dates.previous_presentation|long_date }}, this report provides Members with "
        "supporting information in advance "
        "of a further presentation which will provide an update on progress against the improvement actions "
        "contained within the plan.",
    ),
    (
        "Numbered Paragraph",
        "The presentation will be given by {{ presenter }} and will seek comment from Members on "
        "progress achieved to date.",
    ),
    ("Heading 2", "Executive summary"),
    (
        "Numbered Paragraph",
        "Between {{ dates.inspection_start.day }} and {{ dates.inspection_end|long_date }}, "
        "Ofsted, the Care Quality Commission, Her Majesty's "
        "Inspectorate of Constabulary and Fire and Rescue Services (HMICFRS) and HMI Probation undertook a joint "
        "inspection of the multi-agency response to domestic abuse in Durham. This inspection included a 'deep "
        "dive' focus on the response to children of all ages living with domestic abuse.",
    ),
    (
        "Numbered Paragraph",
        "The subsequent JTAI Improvement Action Plan (**Appendix 2**) was developed by partners "
        "and submitted to the joint inspectorate on {{ dates.plan_submitted|ordinal_date }}.",
    ),
    ("Numbered Paragraph", "The Durham Local Safeguarding Children's Board provides governance and oversight."),
    ("Heading 2", "Recommendations"),
    (
        "Numbered Paragraph",
        "Members of the {{ committee }} are requested to receive this report and consider and "
        "comment on the presentation.",
    ),
    ("Heading 2", "Background"),
    (
        "Numbered Paragraph",
        "On {{ dates.previous_presentation|long_date }} Members were provided with a detailed "
        "presentation which outlined "
        "the areas of improvement identified within the inspection report, together with a copy of the JTAI "
        "Improvement Action Plan that was in the process of being prepared submission to the joint inspectorate and "
        "which was duly submitted on {{ dates.plan_submitted|long_date }} and endorsed by Council’s Cabinet on "
        "{{ dates.cabinet_endorsed|long_date }}.",
    ),
    (
        "Numbered Paragraph",
        "The finalised Action Plan is attached at **Appendix 2**. In summary the plan covers "
        "{{ theme_count }} thematic improvement areas and contains a total of {{ action_count }} actions. Of these "
        "{{ due_count }} had a completion timescale on or before {{ cutoff|month_year }}.",
    ),
    (
        "Numbered Paragraph",
        "The presentation will provide Members with further detail in relation to progress "
        "against the actions that were to be completed within the period from the date of inspection to "
        "{{ cutoff|month_year }}.",
    ),
    (
        "Numbered Paragraph",
        "In summary, good overall progress has been made against the majority of the actions "
        "required within the timescales. A summary is presented in Table 1 below:-",
    ),
    ("Caption", "Table 1:"),
]
KEY = [
    ("Table Key", "{%p for status in table1.statuses %}"),
    ("Table Key", "{{ status.marker }} Key: {{ status.label }}: {{ status.meaning }}"),
    ("Table Key", "{%p endfor %}"),
]
BODY_AFTER_TABLE = [
    (
        "Numbered Paragraph",
        "Of the {{ due_count }} actions, {{ status_totals['Green'] }} have been completed, "
        "{{ status_totals['Amber'] }} have commenced and require further time for the action to be fully embedded, "
        "{{ status_totals['Yellow'] }} have had the timescale reviewed to a later date. None of the "
        "{{ status_totals['Yellow'] }} actions are considered to be a risk to the overall progress of improvement.",
    ),
    (
        "Numbered Paragraph",
        "Since the JTAI inspection, Children's Services has been subject of an Ofsted \"Focussed "
        'Visit" inspection which took place on {{ dates.focused_visit_start.day }}-'
        "{{ dates.focused_visit_end|long_date }}. This inspection ran over two days and considered "
        "the Authority's arrangements for Children in Need and Children in Need of Protection. The final report will "
        "be published on {{ dates.focused_visit_report|long_date }}. The initial feedback confirmed there was "
        "evidence of progress following "
        "the JTAI inspection.",
    ),
    ("Heading 2", "Conclusion"),
    (
        "Numbered Paragraph",
        "Members are asked to note information contained within the report and presentation and comment accordingly.",
    ),
    ("Heading 2", "Background papers"),
    ("Normal", "{{ background_papers }}"),
    ("Contact Block", "Contact: {{ contact.name }}, {{ contact.role }}"),
    ("Contact Block", "Tel. {{ contact.telephone }}"),
]
APPENDIX = [
    ("Heading 1", "Appendix 1: Implications"),
    ("Normal", "{%p for implication in implications %}"),
    ("Heading 2", "{{ implication.heading }}"),
    ("Normal", "{{ implication.text }}"),
    ("Normal", "{%p endfor %}"),
]

# Table 1 as docxtpl lays it out: {%tc %} cells repeat per status, {%tr %} rows per theme.
TABLE_WIDTHS = [1300, 2826, 1250, 1250, 1250, 1150]  # twips; they add up to TEXT_WIDTH
TABLE_ROWS = [
    [
        "{% colspan table1.column_count %}JTAI Improvement Action Plan: Progress against actions with a "
        "{{ cutoff|month_year }} timescale"
    ],
    [
        "NO",
        "THEME",
        "{%tc for status in table1.statuses %}",
        "“{{ status.label }}”{{ status.marker }}",
        "{%tc endfor %}",
        "TOTAL",
    ],
    ["{%tr for row in table1.rows %}"],
    [
        "{{ row.number }}.",
        "{{ row.theme }}",
        "{%tc for count in row.counts %}",
        "{{ count }}",
        "{%tc endfor %}",
        "{{ row.total }}",
    ],
    ["{%tr endfor %}"],
    ["TOTALS:", "", "{%tc for count in table1.totals %}", "{{ count }}", "{%tc endfor %}", "{{ table1.total }}"],
]
HEADER_ROWS = 2  # the title and the column headers repeat at the top of every page the table runs onto

# Appendix 2, the whole action plan, in a landscape section of its own. The section break is an empty paragraph
# ending Appendix 1's (portrait) section; when report.toml switches the appendix off, the empty landscape section
# left behind is dropped when the report is filled in.
APPENDIX2_BEFORE = [
    ("Normal", "{%p if action_plan_appendix %}"),
    ("Heading 1", "Appendix 2: JTAI Improvement Action Plan"),
    (
        "Normal",
        "The plan's {{ action_count }} actions under its {{ theme_count }} themes, with each action's lead, "
        "timescale, status and latest progress update. The status is written in words; the shading repeats it.",
    ),
]
APPENDIX2_AFTER = [
    ("Normal", "End of Appendix 2."),
    ("Normal", "{%p endif %}"),
]
LANDSCAPE_TEXT_WIDTH = 13958  # A4 landscape less two 2.54 cm margins, in twips
APPENDIX2_WIDTHS = [850, 3200, 2100, 1900, 1300, 4608]  # twips; they add up to LANDSCAPE_TEXT_WIDTH
APPENDIX2_HEADER = ["Ref", "Action", "Lead", "Timescale", "Status", "Progress update"]
# {%tr %} rows repeat: a theme heading row per theme, then one row per action of that theme. The status cell's
# shading comes from the status ({% cellbg %}); an officer restyles the rest in Word.
APPENDIX2_ROWS = [
    ["{%tr for group in action_plan %}"],
    ["{{ group.number }}. {{ group.theme }}"],
    ["{%tr for action in group.actions %}"],
    [
        "{{ action.reference }}",
        "{{ action.action }}",
        "{{ action.lead }}",
        "{{ action.timescale|long_date }}",
        "{% cellbg action.shading %}{{ action.status }}",
        "{{ action.progress }}",
    ],
    ["{%tr endfor %}"],
    ["{%tr endfor %}"],
]


def add_paragraph(container, style: str, text: str):
    paragraph = container.add_paragraph(style=style)
    for index, piece in enumerate(text.split("**")):
        if piece:
            run = paragraph.add_run(piece)
            if index % 2:
                run.style = "Strong"
    return paragraph


def add_table(document):
    table = document.add_table(rows=len(TABLE_ROWS), cols=len(TABLE_WIDTHS))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    # Alt text for screen readers and Word's accessibility checker (Table Properties > Alt Text).
    properties = table._tbl.tblPr
    properties.append(parse_xml(f'<w:tblCaption {W} w:val="Table 1"/>'))
    properties.append(
        parse_xml(
            f'<w:tblDescription {W} w:val="Progress against JTAI improvement actions with a {{{{ cutoff|month_year }}}} '
            f'timescale: actions due, by theme and status, with totals"/>'
        )
    )
    for column, width in zip(table.columns, TABLE_WIDTHS, strict=True):
        column.width = Twips(width)
    title = table.rows[0].cells[0].merge(table.rows[0].cells[-1])
    title.text = ""
    for row_index, texts in enumerate(TABLE_ROWS):
        row = table.rows[row_index]
        if len(texts) == 1 and row_index != 0:
            row.cells[0].merge(row.cells[-1])
        for column, (cell, text) in enumerate(zip(row.cells, texts, strict=False)):
            cell.width = Twips(TABLE_WIDTHS[column] if len(texts) > 1 else sum(TABLE_WIDTHS))
            paragraph = cell.paragraphs[0]
            paragraph.style = "Table Heading" if row_index < HEADER_ROWS or text == "TOTALS:" else "Table Text"
            paragraph.add_run(text)
        if row_index < HEADER_ROWS:
            row._tr.get_or_add_trPr().append(parse_xml(f"<w:tblHeader {W}/>"))
        row._tr.get_or_add_trPr().append(parse_xml(f"<w:cantSplit {W}/>"))
    return table


def add_action_plan_table(document):
    """Appendix 2's table: a repeating header row, theme heading rows, rows that do not split across pages."""
    rows = [APPENDIX2_HEADER] + APPENDIX2_ROWS
    table = document.add_table(rows=len(rows), cols=len(APPENDIX2_WIDTHS))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    properties = table._tbl.tblPr
    properties.append(parse_xml(f'<w:tblCaption {W} w:val="Appendix 2: JTAI Improvement Action Plan"/>'))
    properties.append(
        parse_xml(
            f'<w:tblDescription {W} w:val="Every action of the plan grouped by theme: reference, action, lead, '
            f'timescale, status in words and progress update"/>'
        )
    )
    for column, width in zip(table.columns, APPENDIX2_WIDTHS, strict=True):
        column.width = Twips(width)
    for row_index, texts in enumerate(rows):
        row = table.rows[row_index]
        if len(texts) == 1:
            row.cells[0].merge(row.cells[-1])
        heading = row_index == 0 or texts[0].startswith("{{ group.")
        for column, (cell, text) in enumerate(zip(row.cells, texts, strict=False)):
            cell.width = Twips(APPENDIX2_WIDTHS[column] if len(texts) > 1 else LANDSCAPE_TEXT_WIDTH)
            paragraph = cell.paragraphs[0]
            paragraph.style = "Table Heading" if heading else "Table Text"
            paragraph.add_run(text)
        if row_index == 0:
            row._tr.get_or_add_trPr().append(parse_xml(f"<w:tblHeader {W}/>"))
        row._tr.get_or_add_trPr().append(parse_xml(f"<w:cantSplit {W}/>"))
    return table


def add_page_number_footer(section) -> None:
    paragraph = section.footer.paragraphs[0]
    paragraph.style = "Footer"
    paragraph._p.append(parse_xml(f'<w:fldSimple {W} w:instr=" PAGE "><w:r><w:t>1</w:t></w:r></w:fldSimple>'))


def build_template(path: Path) -> None:
    document = docx.Document()
    document.part._styles_part._element = parse_xml(STYLES)
    document.part.numbering_part._element = parse_xml(NUMBERING)
    # The stock package carries a thumbnail, custom XML and a second styles part; a council template needs none.
    for rels in (document.part.package.rels, document.part.rels):
        for key, rel in list(rels.items()):
            if rel.reltype.endswith(("/thumbnail", "/customXml", "/stylesWithEffects")):
                del rels[key]
    # The stock settings already name the theme fonts' language (US English); the report is British English.
    document.settings.element.find(qn("w:themeFontLang")).set(qn("w:val"), "en-GB")

    body = document.element.body
    for paragraph in list(body.iterchildren(qn("w:p"))):
        body.remove(paragraph)
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Twips(1440))
    add_page_number_footer(section)

    for style, text in FRONT + BODY_BEFORE_TABLE:
        add_paragraph(document, style, text)
    add_table(document)
    for style, text in KEY + BODY_AFTER_TABLE:
        add_paragraph(document, style, text)
    for index, (style, text) in enumerate(APPENDIX):
        paragraph = add_paragraph(document, style, text)
        if index == 0:
            paragraph.paragraph_format.page_break_before = True
    # The break into the landscape section: Appendix 1 keeps the portrait page, Appendix 2 is landscape.
    landscape = document.add_section(WD_SECTION.NEW_PAGE)
    landscape.orientation = WD_ORIENT.LANDSCAPE
    landscape.page_width, landscape.page_height = Mm(297), Mm(210)
    for style, text in APPENDIX2_BEFORE:
        add_paragraph(document, style, text)
    add_action_plan_table(document)
    for style, text in APPENDIX2_AFTER:
        add_paragraph(document, style, text)

    core = document.core_properties
    core.title, core.author, core.language = "Committee report template", "jtai-docs", "en-GB"
    # No note for whoever fills the template in: its properties are carried into every report.
    core.comments = ""
    # A fixed date, not the clock, so rebuilding the template gives the same bytes.
    core.created = core.modified = core.last_printed = datetime(2019, 1, 1)
    core.revision, core.last_modified_by = 1, "jtai-docs"
    buffer = io.BytesIO()
    document.save(buffer)
    path.write_bytes(repack(buffer.getvalue()))


if __name__ == "__main__":
    build_template(Path(sys.argv[1] if len(sys.argv) > 1 else "templates/committee_report.docx"))
