"""A .docx as a package: packed so the same content gives the same bytes, and reopened before it is trusted.

Shared by the report (render), the redline and the scripts that write templates; it knows zip and XML, and
python-docx only to reopen a document as Word would, never docxtpl or Jinja, so diff and text do not load them.
The workbook's reader shares its rule for a declared document type (declares_document_type), so python-docx is
loaded only where a document is packed or reopened.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from collections.abc import Container
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lxml import etree

from .errors import InvalidInputError, Problem, ProgramFailedError, damaged_xml_in_plain_words, in_plain_words

if TYPE_CHECKING:  # python-docx is loaded only where a document is, not by the workbook's reader
    from docx.document import Document as DocxDocument

#: Every entry is dated this (the earliest a zip can record), so a package's bytes never depend on the clock.
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
#: Word and other readers expect these first.
_FIRST_ENTRIES = ("[Content_Types].xml", "_rels/.rels")


def repack(docx: bytes, *, compresslevel: int = 9) -> bytes:
    """The same package with fixed entry times and order, so identical content gives identical bytes.

    compresslevel 6 (zlib's default) takes a third of the time of 9 for a tenth more bytes: the redline of a
    long document, written on every comparison, uses it."""
    source = zipfile.ZipFile(io.BytesIO(docx))
    return _zip({name: source.read(name) for name in source.namelist()}, compresslevel)


def pack_document(document: DocxDocument, *, compresslevel: int = 9, mirror_styles: bool = True) -> bytes:
    """A python-docx document as .docx bytes, packed as repack() packs them, each part compressed once.

    Saving with python-docx compresses every part, and repack() then inflated and compressed them all again: for
    the redline of a 200-page document that second pass was 0.1 s of every diff. python-docx's own package
    writer is used here (the same part names, content types and relationships as its save), with a collector in
    place of its zip file; the tests run against the lowest python-docx allowed, whose writer has the same steps.
    mirror_styles=False keeps a stylesWithEffects.xml as its producer wrote it, as a python-docx save does.
    """
    from docx.opc.pkgwriter import PackageWriter

    package = document.part.package
    for part in package.parts:
        part.before_marshal()
        if mirror_styles and str(part.partname).endswith(_MIRROR) and not hasattr(part, "element"):
            part._blob = _as_python_docx_writes(part.blob)
    collector = _Collector()
    writer: Any = PackageWriter  # its steps are untyped, and typed to take its own zip writer
    writer._write_content_types_stream(collector, package.parts)
    writer._write_pkg_rels(collector, package.rels)
    writer._write_parts(collector, package.parts)
    return _zip(collector.entries, compresslevel)


#: Word 2010's copy of styles.xml with effects, which Word expects to say the same as styles.xml. python-docx
#: writes styles.xml again without the layout whitespace its producer put between the elements, and keeps this
#: copy's bytes as they were; the copy is written as python-docx writes styles.xml, so the two agree.
_MIRROR = "/stylesWithEffects.xml"
_LAYOUT_PARSER = etree.XMLParser(remove_blank_text=True, resolve_entities=False, no_network=True)


def _as_python_docx_writes(xml: bytes) -> bytes:
    """An XML part as python-docx writes the parts it reads (no layout whitespace), unchanged when damaged."""
    try:
        root = etree.fromstring(xml, _LAYOUT_PARSER)
    except etree.XMLSyntaxError:
        return xml
    return etree.tostring(root, encoding="UTF-8", standalone=True)


class _Collector:
    """Stands in for python-docx's zip writer: keeps each entry's bytes by name."""

    def __init__(self) -> None:
        self.entries: dict[str, bytes] = {}

    def write(self, pack_uri: Any, blob: bytes) -> None:
        self.entries[pack_uri.membername] = blob


def _zip(entries: dict[str, bytes], compresslevel: int) -> bytes:
    names = list(entries)
    ordered = [n for n in _FIRST_ENTRIES if n in names] + sorted(n for n in names if n not in _FIRST_ENTRIES)
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as target:
        for name in ordered:
            info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            info.external_attr = 0
            target.writestr(info, entries[name], compresslevel=compresslevel)
    return output.getvalue()


def xml_offset(text: str, position: tuple[int, int]) -> int:
    """The character offset of an lxml (line, column) position."""
    line, column = position
    lines = text.split("\n")
    return sum(len(item) + 1 for item in lines[: max(line - 1, 0)]) + max(column - 1, 0)


#: "<!DOCTYPE" as UTF-8 (or ASCII), and as UTF-16 in either byte order (less its last byte, so one pattern does).
_DOCTYPE_FORMS = (b"<!DOCTYPE", "<!DOCTYPE".encode("utf-16-le")[:-1])


def declares_document_type(xml: bytes) -> bool:
    """Whether an XML part declares a document type (<!DOCTYPE>, perhaps with entities of its own). Word and
    Excel never write one and will not open such a file; its entities, left unexpanded here (XML_PARSER), would
    be read as nothing, silently dropping the text after them. The one rule for .docx and .xlsx parts alike."""
    return any(form in xml for form in _DOCTYPE_FORMS)


#: How Word and Excel keep a password-protected file: an OLE2 compound file holding a stream named EncryptedPackage.
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")


def password_protected(data: bytes) -> bool:
    """Whether the file is an Office file encrypted with a password (File > Info > Protect ... > Encrypt)."""
    return data.startswith(OLE2_MAGIC) and _ENCRYPTED_STREAM in data


def password_message(app: str, what: str, protect: str) -> str:
    """What to do with a password-protected file, the same words for the workbook and the template."""
    return (
        f"the {what} is protected with a password, so it cannot be read; in {app} remove the "
        f"password (File > Info > {protect} > Encrypt with Password) and save it"
    )


def opendocument_kind(data: bytes) -> str | None:
    """'spreadsheet' or 'text' (and so on) for an OpenDocument file (.ods, .odt) whatever its name, else None."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            if "mimetype" not in package.NameToInfo or package.getinfo("mimetype").file_size > 100:
                return None
            mimetype = package.read("mimetype").decode("ascii", "replace")
    except (zipfile.BadZipFile, ValueError, OSError, EOFError, zlib.error):
        return None
    prefix = "application/vnd.oasis.opendocument."
    return mimetype[len(prefix) :] if mimetype.startswith(prefix) else None


_WORD_TEMPLATE_TYPES = (b"wordprocessingml.template.main+xml", b"ms-word.template.macroEnabledTemplate.main+xml")


def not_a_word_document(data: bytes, *, what: str) -> str | None:
    """Why a file that python-docx cannot open as a .docx is not one, when that can be told precisely: it is
    password-protected, a Word template (.dotx, .dotm), an OpenDocument file or an old Word file (.doc); else None."""
    if password_protected(data):
        return password_message("Word", what, "Protect Document")
    if data.startswith(OLE2_MAGIC):
        return "this is an old-format Word file (.doc); open it in Word and save it as a Word Document (.docx)"
    kind = opendocument_kind(data)
    if kind is not None:
        return (
            f"this is an OpenDocument {'text' if kind == 'text' else kind} file, not a Word document (.docx); "
            "open it in Word or LibreOffice and save it as a Word Document (.docx)"
        )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            types = package.read("[Content_Types].xml") if "[Content_Types].xml" in package.NameToInfo else b""
    except (zipfile.BadZipFile, ValueError, OSError, EOFError, zlib.error):
        return None
    if any(kind in types for kind in _WORD_TEMPLATE_TYPES):
        return (
            "this is a Word template (.dotx or .dotm), not a Word document; open it in Word and save it as a "
            "Word Document (.docx), then give that file"
        )
    if b"ms-word.document.macroEnabled.main+xml" in types:
        return (
            "this is a Word document with macros (.docm); open it in Word and save it as a Word Document "
            "(.docx), then give that file"
        )
    return None


# A package's parts unpack to at most this much; far above any real template, far below a zip bomb.
_UNPACKED_LIMIT = 1024 * 1024 * 1024
XML_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False)


@dataclass(frozen=True)
class _Damage:
    part: str
    """The package part, such as word/footnotes.xml."""
    around: str
    """The document text just before the fault."""
    detail: str
    """What the XML parser found."""


def find_damage(data: bytes, *, parsed: Container[str] = (), parse: bool = True) -> _Damage | None:
    """The first XML part of a package that does not parse, or None when every part does.

    parsed names parts known to parse already (python-docx parsed them), which are not parsed again; parse=False
    looks only at the size the package unpacks to, without unpacking it."""
    try:
        package = zipfile.ZipFile(io.BytesIO(data))
        entries = package.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        return None  # not a package at all: reported as such where it is opened
    if sum(entry.file_size for entry in entries) > _UNPACKED_LIMIT:
        return _Damage(part="", around="", detail="it unpacks to more than 1 GB")
    for entry in entries if parse else ():
        if not entry.filename.endswith((".xml", ".rels")) or entry.filename in parsed:
            continue
        try:
            xml = package.read(entry)
            etree.fromstring(xml, XML_PARSER)
        except etree.XMLSyntaxError as exc:
            text = xml.decode("utf-8", "replace")
            offset = xml_offset(text, exc.position) if exc.position else 0
            around = re.sub(r"<[^>]*>|<[^>]*$|^[^<]*>", " ", text[max(offset - 400, 0) : offset])
            return _Damage(part=entry.filename, around=" ".join(around.split())[-120:], detail=exc.msg)
        except (zipfile.BadZipFile, OSError, ValueError, EOFError, zlib.error) as exc:
            return _Damage(part=entry.filename, around="", detail=f"the part cannot be unpacked: {in_plain_words(exc)}")
    return None


def place_of_damage(damage: _Damage) -> str:
    place = f"part {damage.part}" if damage.part else ""
    if damage.around:
        place += f", after the text {damage.around!r}"
    return place


def verify_report(data: bytes, *, template: Path | None = None) -> DocxDocument:
    """Reopens the built report as Word would, every part of it, so a broken file is never moved into place.

    Returns the reopened document, so the accessibility check reads it without parsing the report again. Each XML
    part is parsed once: python-docx parses those it reads, and the others are parsed after it (#11)."""
    from docx import Document
    from docx.opc.part import XmlPart

    _refuse_damage(find_damage(data, parse=False), template)
    try:
        document = Document(io.BytesIO(data))
        document.element.body  # noqa: B018 - parsing the body is the check
    except Exception as exc:  # any failure here means the report is not a sound .docx
        _refuse_damage(find_damage(data), template)  # the damaged part named, where it is one
        raise ProgramFailedError(
            message=f"the built report could not be reopened ({type(exc).__name__}: {exc}); nothing was written"
        ) from exc
    read = {part.partname.membername for part in document.part.package.iter_parts() if isinstance(part, XmlPart)}
    _refuse_damage(find_damage(data, parsed=read), template)
    return document


def _refuse_damage(damage: _Damage | None, template: Path | None) -> None:
    """Refuses a built report with a damaged part: a fault of this program's, or of the template being filled in."""
    if damage is not None and template is None:
        raise ProgramFailedError(
            message=f"the document made has a damaged Word part ({place_of_damage(damage)}: "
            f"{damaged_xml_in_plain_words(damage.detail)}); nothing was written"
        )
    if damage is not None and template is not None:
        source = f" {template.name}"
        raise InvalidInputError(
            problems=[
                Problem(
                    file=template.name,
                    place=place_of_damage(damage),
                    message=f"filling in the template{source} gave a damaged Word part "
                    f"({damaged_xml_in_plain_words(damage.detail)}), so nothing was "
                    "written and the earlier report is unchanged; the usual cause is a tag split by other Word "
                    "content (a hyperlink, a comment, a field): retype the tag there in one piece",
                )
            ]
        )
