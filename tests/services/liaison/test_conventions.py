"""Conventions: parties copied, status path with the signed scan, active count on a date, document."""

from datetime import date

import pytest
from sqlalchemy import func, select

from app.domain.liaison.convention import PartyKind
from app.domain.documents.rendering import docx_text
from app.domain.liaison.workflow import ConventionStatus, TransitionError
from app.models import Operation, StoredFile, Tender
from app.services.liaison import conventions as svc
from app.sandbox import SandboxRefusal
from app.services.referential import ServiceError
from tests.security.hostile_corpus import deep_page_tree
from tests.services.liaison.fiche_helpers import FACILITATOR, pdf_bytes, staff_scope

TODAY = date(2026, 11, 22)


def convention_data(world, **overrides) -> dict:
    data = {
        "party_kind": PartyKind.ENTREPRISE.value, "party_id": world.a.ids["companies"]["own"],
        "reference": "2026-07", "party_signatory_name": "Paul Leroy", "party_signatory_role": "Directeur",
        "facilitator_signatory_name": "Marie Dubois", "facilitator_signatory_role": "Présidente",
        "facilitator_address": "5 place Jean Jaurès, 62300 Lens", "object": "Mise en œuvre de la clause sociale.",
        "tender_ids": [world.a.ids["tenders"]["own"]], "operation_ids": [],
        "starts_on": date(2026, 10, 1), "ends_on": date(2027, 9, 30), "facilitator_commitments": [],
        "party_commitments": ["S’engager à accueillir deux personnes."], "reporting": [],
        "data_protection_contact": "dpo@plie.example.fr", "committee_members": ["Ville de Lens"],
        "committee_frequency": "tous les trimestres", "is_fse_funded": False, "fse_operation": "",
        "annexes": ["Fiche de liaison type"], "signed_at_place": "Lens",
    }
    data.update(overrides)
    return data


def make(session, world, **overrides):
    return svc.save_convention(session, staff_scope(world), convention_data(world, **overrides), FACILITATOR)


def sign(session, convention, signed_on=date(2026, 10, 5)):
    svc.change_status(session, convention, ConventionStatus.ENVOYEE, FACILITATOR, today=TODAY)
    svc.attach_signed_scan(session, convention, "scan.pdf", pdf_bytes(), FACILITATOR, signed_on=signed_on,
                           today=TODAY)


def test_save_convention_copies_the_party(session, world):
    convention = make(session, world)
    assert convention.status is ConventionStatus.BROUILLON
    assert (convention.party_name, convention.company_id, convention.buyer_id) == (
        "Entreprise ORG-A", world.a.ids["companies"]["own"], None)
    assert convention.party_siret and [t.id for t in convention.tenders] == [world.a.ids["tenders"]["own"]]
    assert convention.status_changes[0].to_status is ConventionStatus.BROUILLON


def test_save_convention_refuses_end_before_start(session, world):
    with pytest.raises(ServiceError, match="précède sa date de début"):
        make(session, world, ends_on=date(2026, 9, 1))


def test_send_incomplete_convention_refused_in_french(session, world):
    convention = make(session, world, party_signatory_name="")
    with pytest.raises(ServiceError, match="Indiquez le nom et la qualité du signataire pour Entreprise ORG-A"):
        svc.change_status(session, convention, ConventionStatus.ENVOYEE, FACILITATOR, today=TODAY)


def test_sign_needs_the_scan(session, world):
    convention = make(session, world)
    svc.change_status(session, convention, ConventionStatus.ENVOYEE, FACILITATOR, today=TODAY)
    with pytest.raises(TransitionError, match="Joignez le scan de la convention signée"):
        svc.change_status(session, convention, ConventionStatus.SIGNEE, FACILITATOR, today=TODAY)


@pytest.mark.parametrize(("data", "message"), [
    (b"", "Le fichier est vide."),
    (b"PK\x03\x04 un docx", "Ce fichier n'est pas un PDF"),
    (b"%PDF-1.7\n% tronque", "Ce PDF est illisible ou endommagé"),
    (b"%PDF-" + b"0" * (10 * 1024 * 1024), "Le scan dépasse 10 Mo"),
    (deep_page_tree(101), "Ce PDF est illisible ou endommagé"),  # a RecursionError and a 500 (issue #12)
])
def test_signed_scan_must_be_a_real_pdf(session, world, data, message):
    convention = make(session, world)
    svc.change_status(session, convention, ConventionStatus.ENVOYEE, FACILITATOR, today=TODAY)
    before = session.scalar(select(func.count(StoredFile.id)))
    with pytest.raises(ServiceError, match=message):
        svc.attach_signed_scan(session, convention, "scan.pdf", data, FACILITATOR, signed_on=TODAY, today=TODAY)
    assert session.scalar(select(func.count(StoredFile.id))) == before
    assert convention.status is ConventionStatus.ENVOYEE


def test_signed_scan_breaking_the_sandbox_limits_is_refused_in_french(session, world, monkeypatch):
    def killed(data):
        raise SandboxRefusal("memory")

    monkeypatch.setattr(svc, "scan_page_count", killed)
    convention = make(session, world)
    svc.change_status(session, convention, ConventionStatus.ENVOYEE, FACILITATOR, today=TODAY)
    with pytest.raises(ServiceError, match="sans danger"):
        svc.attach_signed_scan(session, convention, "scan.pdf", pdf_bytes(), FACILITATOR, signed_on=TODAY,
                               today=TODAY)
    assert convention.status is ConventionStatus.ENVOYEE


def test_signed_scan_marks_signed_and_keeps_history(session, world):
    convention = make(session, world)
    sign(session, convention)
    assert convention.status is ConventionStatus.SIGNEE and convention.signed_on == date(2026, 10, 5)
    scan = session.get(StoredFile, convention.signed_scan_file_id)
    assert (scan.owner_kind, scan.content_type) == ("convention_scan", "application/pdf")
    assert [c.to_status for c in convention.status_changes] == [
        ConventionStatus.BROUILLON, ConventionStatus.ENVOYEE, ConventionStatus.SIGNEE]
    assert "signée le 05/10/2026" in convention.status_changes[-1].note
    with pytest.raises(ServiceError, match="ne se modifie plus"):
        svc.save_convention(session, staff_scope(world), convention_data(world), FACILITATOR, convention)


def test_active_conventions_on_a_date(session, world):
    signed = make(session, world, reference="A")
    sign(session, signed)
    draft = make(session, world, reference="B")
    ended = make(session, world, reference="C", starts_on=date(2025, 1, 1), ends_on=date(2025, 12, 31))
    sign(session, ended, signed_on=date(2025, 1, 1))
    assert svc.expire_due(session, FACILITATOR, TODAY) == 1 and ended.status is ConventionStatus.ECHUE
    assert [c.reference for c in svc.active_conventions(session, TODAY)] == ["A"]
    # Counted on a past day, the convention now « échue » was active then.
    assert [c.reference for c in svc.active_conventions(session, date(2025, 6, 1))] == ["C"]
    assert svc.active_conventions(session, date(2027, 10, 1)) == []
    assert draft not in svc.active_conventions(session, date(2026, 11, 1))


def test_early_termination_moves_the_end_date(session, world):
    convention = make(session, world)
    sign(session, convention)
    svc.change_status(session, convention, ConventionStatus.ECHUE, FACILITATOR, today=TODAY, note="Fin du chantier")
    assert convention.ends_on == TODAY
    assert convention.status_changes[-1].note == "Résiliation anticipée au 22/11/2026. Fin du chantier"


def test_fse_mention_follows_funded_operation(session, world):
    operation = Operation(organisation_id=world.a.organisation_id, name="Renouvellement urbain", is_fse_funded=True)
    session.add(operation)
    session.flush()
    session.get(Tender, world.a.ids["tenders"]["own"]).operation_id = operation.id
    session.flush()
    convention = make(session, world, fse_operation="Clauses 2026")
    assert convention.is_fse_funded


def test_convention_document_french_and_complete(session, world):
    operation = Operation(organisation_id=world.a.organisation_id, name="Quartier des Prés", is_fse_funded=True)
    session.add(operation)
    session.flush()
    convention = make(session, world, operation_ids=[operation.id], fse_operation="Clauses 2026")
    svc.generate_documents(session, convention, today=TODAY, with_pdf=False)
    text = docx_text(session.get(StoredFile, convention.docx_file_id).data)
    for expected in ("PLIE A", "Entreprise ORG-A", "732 829 320 00074", "1er octobre 2026", "30 septembre 2027", "REF ORG-A",
                     "Quartier des Prés", "S’engager à accueillir deux personnes.", "Marie Dubois",
                     "cofinancée par l’Union européenne", "Clauses 2026", "Fiche de liaison type",
                     "dpo@plie.example.fr", "tous les trimestres", "Ville de Lens"):
        assert expected in text, expected
    assert convention.template_label == "modèle par défaut"


def test_incomplete_convention_document_refused(session, world):
    convention = make(session, world, tender_ids=[], operation_ids=[])
    with pytest.raises(ServiceError, match="Indiquez au moins un marché ou une opération"):
        svc.generate_documents(session, convention, today=TODAY, with_pdf=False)


def test_standard_clauses_edited_by_organisation(session, world):
    org = world.a.organisation_id
    svc.save_clause_set(session, org, "entreprise", ["Engagement type maison."], None)
    assert svc.standard_clauses(session, org)["entreprise"] == ("Engagement type maison.",)
    convention = make(session, world, party_commitments=[])
    assert svc.convention_data(session, convention).party_commitments == ("Engagement type maison.",)
    svc.save_clause_set(session, org, "entreprise", [], None)
    assert svc.standard_clauses(session, org)["entreprise"][0].startswith("Transmettre au facilitateur")
