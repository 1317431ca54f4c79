"""Fiche de liaison and convention templates rendered, opened with python-docx and read back."""

import io
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pdfplumber
import pytest
from docx import Document

from app.domain.liaison.convention import (
    STANDARD_CLAUSES,
    ConventionData,
    Party,
    PartyKind,
    ScopeItem,
    Signatory,
    build_convention_context,
    validate_convention,
)
from app.domain.documents.typography import typeset
from tests.domain.documents.readback import french_problems
from app.domain.documents.rendering import TEMPLATES_DIR, docx_text, render_docx
from app.domain.enums import ContractType, Modality
from app.domain.liaison.fiche import EMPTY, FicheData, build_fiche_context, missing_fields
from app.pdf import convert_to_pdf, pdf_available

COMPANY = "Dupont & Fils <Bâtiment> > Nord"
FACILITATOR = "Maison de l'emploi & de la formation"
FICHE = FicheData(
    company_name=COMPANY, company_siret="12345678200010", company_address="3 rue de l'Église, 62300 Lens",
    contact_name="Sophie Lefebvre", contact_phone="+33612345678", contact_email="s.lefebvre@dupont.example.fr",
    job_title="Coffreur·euse bancheur·euse", rome_code="F1701", posts=3, start_on=date(2026, 10, 2),
    activities="Coffrage des voiles\nFerraillage", skills="Lecture de plans", experience="6 mois",
    training="CAP maçon", driving_licence="Permis B", habilitation="", outdoor_work=True,
    other_requirements="Chaussures de sécurité", contract_type=ContractType.CONTRAT_CHANTIER,
    contract_length="Durée du chantier", weekly_hours=Decimal("37.5"), gross_monthly_salary=Decimal(1850),
    work_schedule="du lundi au vendredi, 8 h – 12 h et 13 h – 16 h", workplace="Lens",
    applications_close_on=date(2026, 9, 25), application_channel="CV par courriel à s.lefebvre@dupont.example.fr",
    requested_on=date(2026, 9, 1), tender_reference="2026-014", tender_object="Groupe scolaire", lot="2",
    hours_covered=Decimal(1350), modality=Modality.GEIQ, tutor_name="Karim Benali", tutor_role="Chef d'équipe",
)


def open_docx(data: bytes):
    return Document(io.BytesIO(data))


def full_text(data: bytes) -> str:
    document = open_docx(data)
    headers = "\n".join(p.text for s in document.sections for p in s.header.paragraphs + s.footer.paragraphs)
    return docx_text(data) + "\n" + headers


def table_fields(document) -> dict[str, str]:
    return {row.cells[0].text: row.cells[1].text for table in document.tables for row in table.rows
            if len(row.cells) == 2}


@pytest.fixture(scope="module")
def fiche_docx() -> bytes:
    context = build_fiche_context(FICHE, organisation_name="PLIE de Lens-Liévin", generated_on=date(2026, 9, 15))
    return render_docx(TEMPLATES_DIR / "fiche_liaison.docx", context)


def test_fiche_liaison_tables_hold_every_field_formatted(fiche_docx):
    fields = table_fields(open_docx(fiche_docx))
    assert fields == {
        "Raison sociale": COMPANY, "SIRET": "123 456 782 00010", "Adresse": "3 rue de l’Église, 62300 Lens",
        "Personne à contacter": "Sophie Lefebvre", "Téléphone": "06 12 34 56 78",
        "Courriel": "s.lefebvre@dupont.example.fr", "Intitulé du poste": "Coffreur·euse bancheur·euse",
        "Code ROME": "F1701", "Nombre de postes": "3", "Date de démarrage": "02/10/2026",
        "Activités principales": "Coffrage des voiles\nFerraillage", "Compétences attendues": "Lecture de plans",
        "Expérience": "6\u00a0mois", "Formation, diplôme": "CAP maçon", "Permis de conduire": "Permis B",
        "Habilitations": "Aucune", "Travail en extérieur": "Oui", "Autres exigences": "Chaussures de sécurité",
        "Type de contrat": "Contrat de chantier", "Durée du contrat": "Durée du chantier",
        "Durée hebdomadaire": "37,5\u00a0heures",
        "Horaires de travail": "du lundi au vendredi, 8\u00a0h – 12\u00a0h et 13\u00a0h – 16\u00a0h",
        "Salaire brut mensuel": "1\u202f850,00\u00a0€", "Lieu de travail": "Lens",
        "Date limite de candidature": "25/09/2026",
        "Comment candidater": "CV par courriel à s.lefebvre@dupont.example.fr",
        "Marché": "2026-014 – Groupe scolaire", "Lot": "2",
        # The lot's obligation, named as such; « durée du chantier » gives no estimate: a line to fill.
        "Obligation d’insertion du lot": "1\u202f350\u00a0heures",
        "Heures d’insertion prévues pour ce besoin (estimation)": EMPTY,
        "Modalité souhaitée": "Mise à disposition par un GEIQ", "Tuteur ou tutrice": "Karim Benali – Chef d’équipe",
        "Date et signature du représentant de l’entreprise": "",  # the signature is the last row
    }


def test_fiche_liaison_header_title_and_date(fiche_docx):
    document = open_docx(fiche_docx)
    assert document.paragraphs[0].text == "Fiche de liaison – besoin de recrutement"
    assert document.sections[0].header.paragraphs[0].text == "PLIE de Lens-Liévin – fiche de liaison"
    assert ("Demande de l’entreprise du 1er septembre 2026\u202f; fiche établie le 15 septembre 2026 par "
            "le PLIE de Lens-Liévin.") in docx_text(fiche_docx)
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 2"]
    assert headings == ["1. L’entreprise", "2. Le poste", "3. Les conditions d’emploi", "4. Les candidatures",
                        "5. La clause sociale"]


def test_fiche_liaison_leaves_no_tag_and_keeps_special_characters(fiche_docx):
    text = full_text(fiche_docx)
    assert "{{" not in text and "{%" not in text and "}}" not in text
    assert COMPANY in text and "&amp;" not in text and "&lt;" not in text


def test_fiche_liaison_empty_optional_fields_leave_a_line_to_write_on():
    context = build_fiche_context(FicheData(company_name="X"), organisation_name="PLIE", generated_on=date(2026, 1, 5))
    fields = table_fields(open_docx(render_docx(TEMPLATES_DIR / "fiche_liaison.docx", context)))
    assert fields["SIRET"] == fields["Date de démarrage"] == fields["Salaire brut mensuel"] == EMPTY
    for label in ("Code ROME", "Horaires de travail", "Date limite de candidature", "Comment candidater",
                  "Obligation d’insertion du lot", "Heures d’insertion prévues pour ce besoin (estimation)"):
        assert fields[label] == EMPTY, label
    text = docx_text(render_docx(TEMPLATES_DIR / "fiche_liaison.docx", context))
    assert "—" not in text and f"Demande de l’entreprise du {EMPTY}\u202f; fiche établie le 5 janvier 2026" in text
    assert (fields["Permis de conduire"], fields["Travail en extérieur"]) == ("Non requis", "Non")


def convention(kind=PartyKind.SIAE, **changes) -> ConventionData:
    data = ConventionData(
        facilitator_name=FACILITATOR, facilitator_signatory=Signatory("Marie Dubois", "Présidente"),
        facilitator_address="5 place Jean Jaurès, 62300 Lens", reference="2026-07",
        party=Party(kind, "Atelier <Vert> & Cie", "12345678200010", Signatory("Paul Leroy", "Directeur"),
                    "1 rue Basse, 62000 Arras"),
        object="Organiser la mise en œuvre des clauses sociales des marchés listés à l'article 2.",
        scope=(ScopeItem("2026-014", "Groupe scolaire", "2"), ScopeItem("OP-3", "Rénovation urbaine Sud")),
        starts_on=date(2026, 10, 2), ends_on=date(2027, 10, 1), committee_members=("Ville de Lens", "France Travail"),
        annexes=("Liste des marchés", "Modèle de fiche de suivi"), signed_at_place="Lens",
        data_protection_contact="dpo@mde.example.fr",
    )
    return replace(data, **changes)


def render_convention(data: ConventionData) -> bytes:
    return render_docx(TEMPLATES_DIR / "convention.docx", build_convention_context(data, date(2026, 9, 20)))


def article_headings(data: bytes) -> list[str]:
    return [p.text for p in open_docx(data).paragraphs if p.style.name == "Heading 2"]


BASE_ARTICLES = [typeset(title) for title in (
    "Article 1 – Objet", "Article 2 – Périmètre", "Article 3 – Durée", "Article 4 – Engagements des parties",
    "Article 5 – Calendrier de suivi", "Article 6 – Protection des données personnelles", "Article 7 – Gouvernance",
    "Article 8 – Dispositions financières", "Article 9 – Résiliation et litiges")]


def test_convention_fse_funded_has_cofinancing_article_and_mention():
    data = render_convention(convention(is_fse_funded=True, fse_operation="Clauses 2026"))
    assert article_headings(data) == BASE_ARTICLES + ["Article\u00a010 – Cofinancement", "Article\u00a011 – Annexes"]
    assert ("Cette action est cofinancée par l’Union européenne dans le cadre du programme FSE+ 2021-2027 "
            "(opération «\u202fClauses 2026\u202f»).") in docx_text(data)


def test_convention_without_fse_has_no_cofinancing_and_no_numbering_gap():
    data = render_convention(convention(is_fse_funded=False))
    assert article_headings(data) == BASE_ARTICLES + ["Article\u00a010 – Annexes"]
    assert "Union européenne" not in docx_text(data) and "FSE" not in docx_text(data)


def test_convention_parties_dates_scope_and_reporting_are_printed():
    data = render_convention(convention())
    text = full_text(data)
    # The name takes its article as a sentence starts; « ayant pour signataire » needs no agreement.
    assert typeset(f"La {FACILITATOR}, 5 place Jean Jaurès, 62300 Lens, ayant pour signataire Marie Dubois, "
                   "Présidente, ci-après « le facilitateur »,") in text
    assert typeset(f"La {FACILITATOR} est responsable du traitement") in text
    assert typeset(f"auprès du délégué à la protection des données de la {FACILITATOR}") in text
    assert ("et Atelier <Vert> & Cie (Structure d’insertion par l’activité économique (SIAE)), "
            "SIRET 123 456 782 00010, 1 rue Basse, 62000 Arras, ayant pour signataire Paul Leroy, Directeur, "
            "ci-après «\u202fla structure d’insertion\u202f»,") in text
    assert "prend effet le 2 octobre 2026 et s’achève le 1er octobre 2027" in text
    assert "représenté(e)" not in text
    assert typeset(f"{FACILITATOR} – convention n° 2026-07") in text
    tables = open_docx(data).tables
    assert [[c.text for c in row.cells] for row in tables[0].rows] == [
        ["Référence", "Intitulé", "Lot"], ["2026-014", "Groupe scolaire", "2"], ["OP-3", "Rénovation urbaine Sud", "sans objet"]]
    assert [c.text for c in tables[1].rows[1].cells] == [
        "Fiche de suivi mensuelle des heures par salarié en insertion", "au plus tard le 10 de chaque mois"]
    signatures = [c.text for c in tables[-1].rows[0].cells]
    assert signatures[0].startswith(typeset(f"Pour la {FACILITATOR}")+"\nMarie Dubois\nPrésidente")
    assert signatures[1].startswith("Pour Atelier <Vert> & Cie\nPaul Leroy\nDirecteur")
    assert "{{" not in text and "{%" not in text and "&amp;" not in text


@pytest.mark.parametrize("kind", list(PartyKind))
def test_convention_each_party_kind_gets_its_standard_commitments(kind):
    text = docx_text(render_convention(convention(kind)))
    for paragraph in STANDARD_CLAUSES["facilitateur"] + STANDARD_CLAUSES[kind.value]:
        assert typeset(paragraph) in text
    noun = {"acheteur": "l’acheteur", "entreprise": "l’entreprise", "siae": "la structure d’insertion"}[kind.value]
    assert f"4.2 – Engagements de {noun}" in text


def test_convention_data_protection_governance_and_annexes():
    text = docx_text(render_convention(convention()))
    assert "conservées deux ans après le dernier contact" in text
    assert "(RQTH) est une donnée de santé" in text
    assert typeset(f"délégué à la protection des données de la {FACILITATOR} (dpo@mde.example.fr)") in text
    assert ("Un comité de suivi se réunit au moins deux fois par an. Il est composé de\u202f:\n"
            "Ville de Lens\nFrance Travail") in text
    assert "Liste des marchés\nModèle de fiche de suivi\nFait à Lens, le" in text


def test_convention_custom_commitments_replace_the_defaults():
    text = docx_text(render_convention(convention(party_commitments=("Tenir un registre des heures.",))))
    assert "Tenir un registre des heures." in text
    assert STANDARD_CLAUSES["siae"][0] not in text


def test_validate_convention_reports_dates_siret_signatory_scope():
    data = convention(ends_on=date(2026, 1, 1), scope=(),
                      party=Party(PartyKind.ENTREPRISE, "Dupont", "123", Signatory("", "Gérant")))
    assert validate_convention(data) == [
        "La date de fin de la convention précède sa date de début.",
        "Le SIRET de Dupont est invalide : « 123 ».",
        "Indiquez le nom et la qualité du signataire pour Dupont.",
        "Indiquez au moins un marché ou une opération dans le périmètre.",
    ]
    assert validate_convention(convention()) == []


@pytest.mark.parametrize(("posts", "weekly", "length", "contract", "expected"), [
    (2, "35", "6 mois", ContractType.CDD, "1\u202f820\u00a0heures"),  # 2 × 35 × 26 weeks
    (1, "35", "12 semaines", ContractType.MISSION_INTERIM, "420\u00a0heures"),
    (1, "35", "3 mois", ContractType.CDD, "455\u00a0heures"),
    (1, "35", "", ContractType.CDI, EMPTY),
])
def test_fiche_liaison_prints_the_need_estimate_beside_the_lot_obligation(posts, weekly, length, contract, expected):
    data = replace(FICHE, posts=posts, weekly_hours=Decimal(weekly), contract_length=length, contract_type=contract,
                   hours_covered=Decimal(1000))
    context = build_fiche_context(data, organisation_name="PLIE", generated_on=date(2026, 9, 15))
    fields = table_fields(open_docx(render_docx(TEMPLATES_DIR / "fiche_liaison.docx", context)))
    assert fields["Obligation d’insertion du lot"] == "1\u202f000\u00a0heures"
    assert fields["Heures d’insertion prévues pour ce besoin (estimation)"] == expected
    assert "Heures d’insertion couvertes" not in fields


def test_fiche_liaison_rome_code_is_printed_upper_case():
    context = build_fiche_context(replace(FICHE, rome_code="f 1701"), organisation_name="PLIE",
                                  generated_on=date(2026, 9, 15))
    assert table_fields(open_docx(render_docx(TEMPLATES_DIR / "fiche_liaison.docx", context)))["Code ROME"] == "F1701"


def test_missing_fields_names_every_mandatory_field_left_empty():
    assert missing_fields(FicheData(company_name="X")) == [
        "le SIRET", "l'intitulé du poste", "la date de démarrage", "le type de contrat",
        "la durée hebdomadaire", "le lieu de travail", "un téléphone ou un courriel de contact"]
    assert missing_fields(FICHE) == []


def test_fiche_tutor_without_role_leaves_no_dash():
    context = build_fiche_context(replace(FICHE, tutor_role=""), organisation_name="PLIE", generated_on=date(2026, 9, 1))
    assert context["tutor"] == "Karim Benali"


def test_validate_convention_requires_number_and_facilitator_address():
    problems = validate_convention(replace(convention(), reference="", facilitator_address=""))
    assert "Indiquez le numéro de la convention." in problems
    assert typeset(f"Indiquez l'adresse de la {FACILITATOR}.") == typeset(problems[-1])


@pytest.mark.parametrize("kind", ["fiche", "convention"])
def test_liaison_documents_pass_the_french_readback(kind, fiche_docx):
    data = fiche_docx if kind == "fiche" else render_convention(convention(is_fse_funded=True))
    assert french_problems(full_text(data)) == []


@pytest.mark.parametrize(("kind", "expected"), [
    (PartyKind.ENTREPRISE, "sont responsables de traitement distincts"),
    (PartyKind.SIAE, "aucune des parties n’agit comme sous-traitant"),
    (PartyKind.ACHETEUR, "n’est destinataire d’aucune donnée nominative"),
])
def test_convention_has_visas_preamble_finance_termination_and_data_roles(kind, expected):
    text = docx_text(render_convention(convention(kind, is_fse_funded=True)))
    for phrase in ("Vu le Code de la commande publique", "Vu le règlement (UE) 2021/1057", "Préambule",
                   "conclue à titre gratuit", "moyennant un préavis d’un mois", "juridiction compétente", expected):
        assert phrase in text, phrase
    plain = docx_text(render_convention(convention(kind, is_fse_funded=False)))
    assert "2021/1057" not in plain


@pytest.mark.skipif(not pdf_available()[0], reason="LibreOffice absent")
@pytest.mark.parametrize("data", [FICHE, FicheData(company_name="X")], ids=["complete", "empty"])
def test_fiche_liaison_pdf_is_one_page_with_the_new_fields_and_the_signature(data):
    docx = render_docx(TEMPLATES_DIR / "fiche_liaison.docx",
                       build_fiche_context(data, organisation_name="PLIE de Lens-Liévin", generated_on=date(2026, 9, 15)))
    pdf = convert_to_pdf({"fiche.docx": docx})["fiche.docx"]
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        assert len(document.pages) == 1
        text = document.pages[0].extract_text()
    assert "Date et signature du représentant de" in text  # the signature row is on the only page
    for label in ("Code ROME", "Horaires de travail", "Date limite de candidature", "Comment candidater",
                  "Obligation d’insertion du lot", "Heures d’insertion prévues pour ce", "Demande de l’entreprise du"):
        assert label in text, label
    assert "—" not in text and "'" not in text and "Heures d’insertion couvertes" not in text
    if data is FICHE:  # the PDF's text layer turns no-break spaces into spaces (the DOCX tests check them)
        plain = text.replace("\u00a0", " ").replace("\u202f", " ")
        for value in ("F1701", "8 h – 12 h et 13 h – 16 h", "25/09/2026",
                      "CV par courriel à s.lefebvre@dupont.example.fr", "1er septembre 2026 ;"):
            assert value in plain, value
