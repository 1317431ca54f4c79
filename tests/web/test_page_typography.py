"""Typographic apostrophes on pages: text nodes only, form values and scripts untouched."""

import time

import pytest

from app.web.page_typography import curl_apostrophes


@pytest.mark.parametrize("page, expected", [
    ("<p>L'eau d&#39;ici</p>", "<p>L’eau d’ici</p>"),
    ('<a title="l\'aide" href="/x?a=\'b\'">aujourd\'hui</a>', '<a title="l\'aide" href="/x?a=\'b\'">aujourd’hui</a>'),
    ("<script>var a = 'l'eau';</script><style>a{content:'l'a'}</style>", None),
    ("<textarea name=t>l'eau</textarea><pre>l'eau</pre><code>d'x</code>", None),
    ("<option>Feuil'1</option><option value=\"a\">C'est</option>", "<option>Feuil'1</option><option value=\"a\">C’est</option>"),
    ("<!-- l'aide --><p>o'neil@exemple.fr, 3'4</p>", None),
    ("<div class=\"flash\">Marché d'essai enregistré.</div>", "<div class=\"flash\">Marché d’essai enregistré.</div>"),
])
def test_curl_apostrophes_changes_text_nodes_only(page, expected):
    assert curl_apostrophes(page) == (page if expected is None else expected)


def test_curl_apostrophes_is_fast_on_a_large_page():
    row = "<tr><td title=\"l'x\">Clause d&#39;exécution</td><td><input value=\"l'eau\"> 1 203 h</td></tr>\n"
    page = "<table>" + row * 5000 + "</table>"  # about 400 kB, four times the largest demo page
    started = time.perf_counter()
    fixed = curl_apostrophes(page)
    assert time.perf_counter() - started < 0.5
    assert fixed.count("d’exécution") == 5000 and fixed.count("value=\"l'eau\"") == 5000


def test_pages_and_flash_messages_get_curly_apostrophes(login):
    from app.domain.enums import Role

    browser = login(Role.ADMIN)
    page = browser.get("/").get_data(as_text=True)
    assert "Relevés d’heures" in page and "d&#39;heures" not in page
    saved = browser.post("/referentiel/parts-main-oeuvre/nouveau", data={"label": "Taille d'arbres", "share_pct": "55"},
                         follow_redirects=True)
    text = saved.get_data(as_text=True)
    assert "Part de main-d’œuvre enregistrée." in text and "Taille d’arbres" in text
    edit = browser.get(saved.request.path + "/modifier").get_data(as_text=True)
    assert 'value="Taille d&#39;arbres"' in edit  # the form posts back what was typed


def test_files_are_left_alone(login):
    from pathlib import Path

    from app.domain.enums import Role

    browser = login(Role.ADMIN)
    script = Path(__file__).resolve().parents[2] / "app" / "static" / "clausier.js"
    assert "'" in script.read_text()
    response = browser.get("/static/clausier.js")
    try:
        assert response.get_data() == script.read_bytes()
    finally:
        response.close()


def test_a_fragment_typeset_once_is_skipped_by_the_page_pass():
    from app.web.page_typography import typeset_fragment

    fragment = typeset_fragment("<p>L'heure d'insertion</p><a title=\"l'acheteur\">voir</a>")
    assert "<p>L’heure d’insertion</p>" in fragment and 'title="l\'acheteur"' in fragment
    page = f"<main><p>Aujourd'hui</p>{fragment}<p>C'est tout</p></main>"
    assert curl_apostrophes(page) == page.replace("Aujourd'hui", "Aujourd’hui").replace("C'est", "C’est")
