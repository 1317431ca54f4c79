"""The CCAP article, RC mention and AE annex per legal instrument: expected and forbidden phrases."""

from dataclasses import replace
from datetime import date

import pytest

from app.domain.clauses.pack import attention_points, render_clause_pack
from app.domain.clauses.request import parse_clause_input
from app.domain.documents.rendering import docx_text
from tests.domain.clauses.test_clause_documents import tender_input
from tests.domain.documents.readback import french_problems

CRITERION = {"weighting": 10}
FRAMEWORK = [{"number": "1", "label": "Voirie", "labour_share": 30, "rate": 5, "hourly_cost": 30,
              "method": {"type": "framework", "min_amount": 400_000, "max_amount": 2_000_000, "years": 4}}]
TRANCHE = [{"number": "1", "label": "Entretien", "method": {"type": "tranche", "invoiced": 2_702_000,
                                                           "euros_per_hour": 2000, "threshold": 2_700_000}}]

# instrument → (phrases the CCAP must hold, phrases it must not hold)
CCAP_TABLE = {
    "clause_execution": (
        ["article\u00a0L2112-2", "Salariés des régies de quartier", "Bénéficiaires du RSA",
         "validée par le facilitateur avant sa prise de poste", "Intérim classique"],
        ["L2152-7", "pondération", "réservé"]),
    "critere_attribution": (
        ["article\u00a0L2152-7", "pondération\u202f: 10\u00a0%", "valeur contractuelle",
         "selon les modalités du présent article"],
        ["Le volume minimal d’heures d’insertion à réaliser"]),
    "execution_et_critere": (
        ["article\u00a0L2112-2", "L2152-7", "au-delà du volume minimal"], ["réservé"]),
    "reserve_siae": (
        ["L2113-13", "sont réservés", "salariés en parcours d’insertion",
         "aucune validation supplémentaire n’est demandée"],
        ["Intérim classique", "ESAT", "EA ou un ESAT", "Bénéficiaires du RSA",
         "validée par le facilitateur avant sa prise de poste"]),
    "reserve_ea_esat": (
        ["L2113-12", "sont réservés", "travailleurs handicapés", "sans liste nominative"],
        ["Intérim classique", "RSA", "Demandeurs d’emploi de longue durée", "quartier prioritaire",
         "entreprise de travail temporaire d’insertion", "EI, un ACI"]),
    "marche_insertion": (
        ["R2123-1", "prestation d’insertion et de qualification"], ["L2152-7", "réservé"]),
}
ALWAYS = ["répercute l’obligation à ses sous-traitants", "le titulaire la remplace par une autre personne",
          "désigne pour chaque personne un tuteur", "chacun responsable de son traitement",
          "l’acheteur fait le point chaque année", "gratuit pour le titulaire",
          "ajusté dans la même proportion", "le facilitateur n’est pas partie au marché",
          "déroge à l’article\u00a019 du CCAG-Travaux 2021", "liste récapitulative du dernier article du CCAP",
          "appréciées par l’acheteur"]
NEVER = ["constatées par le facilitateur", "après accord du facilitateur", "—"]


def render(instrument: str, **overrides) -> dict[str, str]:
    if instrument in ("critere_attribution", "execution_et_critere"):
        overrides.setdefault("criterion", CRITERION)
    files = render_clause_pack(parse_clause_input(tender_input(instrument=instrument, **overrides)))
    return {name.removesuffix(".docx"): docx_text(data) for name, data in files.items()}


@pytest.mark.parametrize("instrument", list(CCAP_TABLE))
def test_ccap_article_per_instrument_has_its_sections(instrument):
    ccap = render(instrument)["ccap_article"]
    expected, forbidden = CCAP_TABLE[instrument]
    assert [p for p in expected + ALWAYS if p not in ccap] == []
    assert [p for p in forbidden + NEVER if p in ccap] == []


@pytest.mark.parametrize("instrument", list(CCAP_TABLE))
def test_every_pack_document_passes_the_french_readback(instrument):
    for name, text in render(instrument).items():
        assert french_problems(text) == [], name


# Penalties articles: 14 (FCS, PI, TIC), 15 (MI), 16 (MOE), 19 (Travaux, whose 19.2.1 holds the
# exemption of penalties up to 1 000 € HT).
@pytest.mark.parametrize(("ccag", "article", "waiver"), [
    ("CCAG-FCS 2021", "14", "14"), ("CCAG-PI 2021", "14", "14"), ("CCAG-TIC 2021", "14", "14"),
    ("CCAG-MI 2021", "15", "15"), ("CCAG-MOE 2021", "16", "16"), ("CCAG-Travaux 2021", "19", "19.2.1")])
def test_derogations_cite_the_article_of_the_chosen_ccag(ccag, article, waiver):
    ccap = render("clause_execution", ccag=ccag)["ccap_article"]
    assert f"déroge à l’article\u00a0{article} du {ccag}\u202f: les" in ccap
    assert f"déroge à l’article\u00a0{waiver} du {ccag}, en ce qu’il exonère le titulaire" in ccap
    assert f"Article\u00a07.9 du CCAP (clause sociale d’insertion)\u202f: déroge à l’article\u00a0{article} du {ccag}" in ccap


def test_unknown_ccag_without_derogations_is_refused():
    from app.domain.clauses.pack import ClauseInputError
    with pytest.raises(ClauseInputError) as caught:
        parse_clause_input(tender_input(ccag="CCAG maison"))
    assert "« ccag » : CCAG « CCAG maison » inconnu" in caught.value.problems[0]


def test_rc_mention_points_to_the_ccap_article():
    rc = render("critere_attribution")["rc_mention"]
    assert "selon les modalités de l’article\u00a07 du CCAP" in rc and "présent article" not in rc
    siae = render("reserve_siae")["rc_mention"]
    assert "dans les conditions de l’article\u00a07 du CCAP" in siae


@pytest.mark.parametrize(("instrument", "proposes"), [
    ("clause_execution", False), ("reserve_siae", False), ("reserve_ea_esat", False), ("marche_insertion", False),
    ("critere_attribution", True), ("execution_et_critere", True)])
def test_ae_annex_asks_for_proposed_hours_only_with_a_criterion(instrument, proposes):
    ae = render(instrument)["ae_annex"]
    assert ("Heures proposées par le candidat" in ae) is proposes


def test_framework_total_is_a_range_and_fte_is_per_year():
    ccap = render("clause_execution", lots=FRAMEWORK)["ccap_article"]
    assert "compris entre 200\u00a0heures et 1\u202f000\u00a0heures" in ccap
    assert "0,16\u00a0ETP par an" in ccap  # 1 000 h over 4 years, not 0,62 ETP
    assert "Le volume minimal est de" not in ccap


def test_tranche_lot_is_an_estimate_with_conditional_wording():
    ccap = render("clause_execution", lots=TRANCHE)["ccap_article"]
    assert "Le volume minimal est de" not in ccap
    assert "aucune heure n’est due au titre de ce lot" in ccap and "(estimation)" in ccap


def test_attention_points_stay_out_of_the_documents():
    request = parse_clause_input(tender_input(lots=[{"number": "1", "label": "Petit lot", "amount": 20_000,
                                                     "labour_share": 50, "clause_threshold_hours": 150}]))
    points = attention_points(request)
    # Every cited CCAG article has its source: nothing left to check on that side.
    assert not any("CCAG" in p for p in points)
    note = docx_text(render_clause_pack(request)["note_calcul.docx"])
    assert "Attention" not in note and "à vérifier" not in note


def test_attention_points_flag_a_default_reference_older_than_a_year():
    request = replace(parse_clause_input(tender_input()), generated_on=date(2026, 12, 1))
    points = attention_points(request)
    assert any(p.startswith("Lot 2 : Coût horaire chargé par défaut daté du 01/01/2025") for p in points)
    assert not any(p.startswith("Lot 1 : Coût horaire") for p in points)  # typed by the user
