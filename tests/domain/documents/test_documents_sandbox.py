"""DOCX rendering is sandboxed, escapes XML and vets uploaded templates in French."""

import io
import os
import zipfile

import pytest
from docx import Document

from app.domain.documents.rendering import DocumentError, check_template, docx_text, render_docx, template_variables
from app.domain.documents.docx_safety import MAX_PART_BYTES, inspect_docx, strip_outside_references

ALLOWED = {"tender_name", "lots", "buyer_name"}
SAMPLE = {"tender_name": "Travaux", "buyer_name": "Ville", "lots": [{"number": "1", "hours": "833 heures"}]}


def make_docx(*paragraphs: str) -> bytes:
    document = Document()
    for text in paragraphs:
        document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def rewrite_zip(data: bytes, change) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            change(target, info.filename, source.read(info))
    return out.getvalue()


def test_render_docx_escapes_xml_special_characters():
    data = render_docx(make_docx("Marché {{ tender_name }}"), {"tender_name": "A & B <C> > D"})
    assert docx_text(data) == "Marché A & B <C> > D"


def test_render_docx_loops_and_line_breaks():
    template = make_docx("{%p for lot in lots %}", "Lot {{ lot.number }} : {{ lot.hours }}", "{%p endfor %}")
    assert docx_text(render_docx(template, SAMPLE)) == "Lot 1\u202f: 833\u00a0heures"


def test_render_docx_repeated_renders_give_identical_text():
    template = make_docx("{{ tender_name }}")
    first = docx_text(render_docx(template, {"tender_name": "x"}))
    second = docx_text(render_docx(template, {"tender_name": "y"}))
    assert (first, second) == ("x", "y")


def test_render_docx_missing_variable_raises_french_error():
    with pytest.raises(DocumentError, match="donnée absente : « tender_nme »"):
        render_docx(make_docx("{{ tender_nme }}"), SAMPLE)


def test_template_variables_lists_undeclared_names():
    template = make_docx("{{ buyer_name }}", "{%p for lot in lots %}", "{{ lot.number }}{{ loop.index }}",
                         "{%p endfor %}")
    assert template_variables(template) == {"buyer_name", "lots"}


SSTI_PAYLOADS = [
    "{{ ''.__class__.__mro__ }}",
    "{{ self._TemplateReference__context }}",
    "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
    "{{ joiner.__init__.__globals__ }}",
    "{{ namespace.__init__.__globals__ }}",
    "{{ lipsum.__globals__ }}",
    "{{ tender_name|attr('__class__') }}",
    "{{ '{0.__class__}'.format(tender_name) }}",
    "{{ tender_name.__class__.__base__.__subclasses__() }}",
    "{{ dict.mro() }}",
    "{{ 'x' * 100000000 }}",
    "{{ 9 ** 9999999 }}",
    "{% include 'secret.txt' %}",
]


@pytest.mark.parametrize("payload", SSTI_PAYLOADS)
def test_check_template_ssti_payload_is_reported(payload):
    problems = check_template(make_docx(f"Marché {payload}"), ALLOWED, SAMPLE)
    assert problems
    assert any(word in " ".join(problems) for word in ("interdit", "Nom réservé"))


@pytest.mark.parametrize("payload", SSTI_PAYLOADS)
def test_render_docx_ssti_payload_is_blocked_at_runtime(payload):
    # The static check is a courtesy; the sandbox is what stops a payload at render time.
    with pytest.raises(DocumentError, match="interdit|absente"):
        render_docx(make_docx(payload), SAMPLE)


def test_check_template_unknown_variable_suggests_closest_name():
    problems = check_template(make_docx("{{ tender_nme }}"), ALLOWED, SAMPLE)
    assert problems == ["Variable inconnue « tender_nme » (vouliez-vous dire « tender_name » ?)."]


def test_check_template_unknown_attribute_suggests_from_sample():
    problems = check_template(make_docx("{% for lot in lots %}{{ lot.hourz }}{% endfor %}"), ALLOWED, SAMPLE)
    assert len(problems) == 1
    assert "« hourz »" in problems[0] and "vouliez-vous dire « hours » ?" in problems[0]


def test_check_template_valid_template_has_no_problem():
    assert check_template(make_docx("{{ buyer_name }} – {{ tender_name }}"), ALLOWED, SAMPLE) == []


def test_check_template_syntax_error_quotes_the_paragraph():
    problems = check_template(make_docx("Intro {{ buyer_name }}", "Lot {% for lot in %}", "Fin"), ALLOWED, SAMPLE)
    assert problems[0].startswith("Erreur de syntaxe dans une balise du modèle près de « Lot {% for lot in %} »")


@pytest.mark.parametrize(("data", "message"), [
    (b"", "vide"),
    (b"Bonjour, ceci est du texte.", "n'est pas une archive ZIP"),
    (b"%PDF-1.7 ...", "est un PDF"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "Word 97-2003"),
])
def test_check_template_non_docx_is_refused(data, message):
    problems = check_template(data, ALLOWED, SAMPLE)
    assert len(problems) == 1 and message in problems[0]


def test_check_template_truncated_zip_is_refused():
    problems = check_template(make_docx("x")[:600], ALLOWED, SAMPLE)
    assert "archive ZIP" in problems[0]


def test_check_template_zip_without_document_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("hello.txt", "hi")
    assert "il manque [Content_Types].xml, word/document.xml" in check_template(out.getvalue(), ALLOWED, SAMPLE)[0]


def test_check_template_corrupt_part_is_reported():
    data = bytearray(make_docx("{{ tender_name }}" * 50))
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        info = archive.getinfo("word/document.xml")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    data[start + 10:start + 30] = b"\xff" * 20  # damage the compressed stream
    problems = check_template(bytes(data), ALLOWED, SAMPLE)
    assert problems and ("corrompue" in problems[0] or "XML valide" in problems[0])


def test_check_template_dtd_entities_are_refused():
    bomb = (b'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;">]>'
            b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">&b;</w:document>')

    def swap(target, name, blob):
        target.writestr(name, bomb if name == "word/document.xml" else blob)

    problems = check_template(rewrite_zip(make_docx("x"), swap), ALLOWED, SAMPLE)
    assert "DTD" in problems[0]


def test_inspect_docx_decompression_bomb_is_refused():
    def inflate(target, name, blob):
        target.writestr(name, blob)
        if name == "word/document.xml":
            target.writestr("word/padding.xml", b" " * (MAX_PART_BYTES + 1))

    problems = inspect_docx(rewrite_zip(make_docx("x"), inflate))
    assert "bombe de décompression" in problems[0]


def test_render_docx_path_cache_follows_file_changes(tmp_path):
    path = tmp_path / "modele.docx"
    path.write_bytes(make_docx("Version 1 {{ tender_name }}"))
    assert docx_text(render_docx(path, SAMPLE)) == "Version 1 Travaux"
    path.write_bytes(make_docx("Version 2 {{ tender_name }}"))
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    assert docx_text(render_docx(path, SAMPLE)) == "Version 2 Travaux"


def test_render_docx_missing_template_file_raises_french_error(tmp_path):
    with pytest.raises(DocumentError, match="Modèle de document introuvable : absent.docx"):
        render_docx(tmp_path / "absent.docx", SAMPLE)


IMAGE_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"
LINK_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"


def with_relationship(data: bytes, kind: str, target: str, mode: str = ' TargetMode="External"') -> bytes:
    """Add one relationship to word/_rels/document.xml.rels."""
    def add(target_zip, name, blob):
        if name == "word/_rels/document.xml.rels":
            blob = blob.replace(b"</Relationships>", f'<Relationship Id="rIdX" Type="{kind}" Target="{target}"{mode}/>'
                                .encode() + b"</Relationships>")
        target_zip.writestr(name, blob)

    return rewrite_zip(data, add)


@pytest.mark.parametrize("kind, target", [
    (IMAGE_REL, "http://127.0.0.1:8000/admin"),
    (IMAGE_REL, "file:///etc/passwd"),
    ("http://schemas.openxmlformats.org/officeDocument/2006/relationships/attachedTemplate", "file:///etc/hostname"),
    ("http://schemas.openxmlformats.org/officeDocument/2006/relationships/subDocument", "\\\\serveur\\partage\\a.docx"),
    ("http://schemas.openxmlformats.org/officeDocument/2006/relationships/frame", "http://169.254.169.254/latest"),
])
def test_check_template_external_relationship_is_refused(kind, target):
    problems = check_template(with_relationship(make_docx("{{ tender_name }}"), kind, target), ALLOWED, SAMPLE)
    assert problems and "extérieurs" in problems[0]


def test_check_template_external_hyperlink_is_accepted():
    data = with_relationship(make_docx("{{ tender_name }}"), LINK_REL, "https://www.inclusion.gouv.fr/")
    assert check_template(data, ALLOWED, SAMPLE) == []


def test_check_template_includepicture_field_split_over_runs_is_refused():
    def add_field(target, name, blob):
        if name == "word/document.xml":
            blob = blob.replace(b"</w:body>", b'<w:p><w:r><w:instrText>INCLUDE</w:instrText></w:r><w:r><w:instrText>'
                                b'PICTURE "http://127.0.0.1/x.png"</w:instrText></w:r></w:p></w:body>')
        target.writestr(name, blob)

    problems = check_template(rewrite_zip(make_docx("x"), add_field), ALLOWED, SAMPLE)
    assert problems and "INCLUDEPICTURE" in problems[0]


def test_strip_outside_references_keeps_hyperlinks_and_drops_the_rest():
    data = with_relationship(make_docx("x"), IMAGE_REL, "file:///etc/passwd")
    data = with_relationship(data, LINK_REL, "https://www.inclusion.gouv.fr/")
    cleaned = strip_outside_references(data)
    with zipfile.ZipFile(io.BytesIO(cleaned)) as archive:
        rels = archive.read("word/_rels/document.xml.rels")
    assert b"/etc/passwd" not in rels and b"inclusion.gouv.fr" in rels
    assert docx_text(cleaned) == "x"
    plain = make_docx("y")
    assert strip_outside_references(plain) is plain
