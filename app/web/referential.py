"""Referential pages: buyers, companies, SIAE, participants and placements."""

from sqlalchemy.orm import selectinload

from app.domain.enums import Criterion
from app.domain.formats import format_date_fr, format_siret
from app.models import Buyer, Company, Lot, Participant, Placement, Siae
from app.services import referential as svc
from app.services.reports.activity_log import recent_activities
from forms.fields import select_choices
from app.web.crud import Column, CrudSpec, make_blueprint
from app.web.export_links import participant_list_links
from app.web.mail import structure_mails
from forms.referential import (
    BuyerEditForm,
    CompanyEditForm,
    ParticipantEditForm,
    PlacementEditForm,
    SiaeEditForm,
)

def _recent_log(session, **about) -> dict:
    """Return the « Journal d'activité » section of a company's or a buyer's page."""
    return {"recent_log": recent_activities(session, **about), "log_filter": about,
            "detail_sections": ["activities/_recent.html"]}


def _structure_save(model):
    return lambda session, scope, data, obj: svc.save_structure(session, scope, model, data, obj)


BUYERS = CrudSpec(
    name="buyers", url="/acheteurs", model=Buyer, form=BuyerEditForm, title="Acheteurs",
    singular="acheteur", new_label="Nouvel acheteur",
    columns=[Column("Nom", lambda b: b.name), Column("Type", lambda b: b.kind.label), Column("Commune", lambda b: b.city)],
    search=(Buyer.name, Buyer.city), order_by=(Buyer.name,), save=svc.save_buyer,
    detail_context=lambda buyer, session: _recent_log(session, buyer_id=buyer.id),
)

COMPANIES = CrudSpec(
    name="companies", url="/entreprises", model=Company, form=CompanyEditForm, title="Entreprises",
    singular="entreprise", feminine=True, new_label="Nouvelle entreprise",
    columns=[Column("Raison sociale", lambda c: c.name), Column("SIRET", lambda c: format_siret(c.siret)), Column("Commune", lambda c: c.city)],
    search=(Company.name, Company.siret, Company.city), order_by=(Company.name,), save=_structure_save(Company),
    detail_context=lambda company, session: {"mails": structure_mails(session, company_id=company.id),
                                             **_recent_log(session, company_id=company.id)},
)

SIAES = CrudSpec(
    name="siaes", url="/siae", model=Siae, form=SiaeEditForm, title="Structures d'insertion (SIAE)",
    singular="structure", feminine=True, new_label="Nouvelle structure",
    columns=[Column("Nom", lambda s: s.name), Column("Type", lambda s: s.kind.value), Column("SIRET", lambda s: format_siret(s.siret)),
             Column("Commune", lambda s: s.city)],
    search=(Siae.name, Siae.siret, Siae.city), order_by=(Siae.name,), save=_structure_save(Siae),
    detail_context=lambda siae, session: {"mails": structure_mails(session, siae_id=siae.id)},
)


def _participant_data(form) -> dict:
    data = {name: value for name, value in form.data.items() if name != "csrf_token" and not name.startswith("proof_")}
    data["proofs"] = {c.value: form.proof_field(c).data for c in Criterion}
    return data


def _participant_fill(form, participant: Participant) -> None:
    form.process(obj=participant)
    form.sex.data = participant.sex.value if participant.sex else ""
    form.criteria.data = [item.criterion.value for item in participant.criteria]
    for item in participant.criteria:
        form.proof_field(item.criterion).data = item.proof_on


PARTICIPANTS = CrudSpec(
    name="participants", url="/participants", model=Participant, form=ParticipantEditForm, title="Participants",
    singular="participant", new_label="Nouveau participant",
    columns=[Column("Code", lambda p: p.code), Column("Nom", lambda p: p.display_name),
             Column("Code postal", lambda p: p.postcode, staff_only=True),
             Column("Critères", lambda p: ", ".join(item.criterion.label for item in p.criteria) or "—",
                    staff_only=True)],
    search=(Participant.last_name, Participant.first_name, Participant.code), staff_search=(Participant.postcode,),
    order_by=(Participant.last_name, Participant.first_name), save=svc.save_participant,
    form_data=_participant_data, fill_form=_participant_fill, detail_template="participants/detail.html",
    list_options=(selectinload(Participant.criteria),), audit_type="participant", list_links=participant_list_links,
)


def _placement_choices(form, session) -> None:
    form.participant_id.choices = select_choices(svc.choices(session, Participant, lambda p: f"{p.display_name} ({p.code})",
                                              (Participant.last_name, Participant.first_name)))
    form.lot_id.choices = select_choices(svc.lot_choices(session))
    form.company_id.choices = select_choices(svc.choices(session, Company, lambda c: c.name, (Company.name,), optional="Aucune"))
    form.siae_id.choices = select_choices(svc.choices(session, Siae, lambda s: f"{s.name} ({s.kind.value})", (Siae.name,), optional="Aucune"))


PLACEMENTS = CrudSpec(
    name="placements", url="/mises-en-situation", model=Placement, form=PlacementEditForm,
    title="Mises en situation de travail", singular="mise en situation", feminine=True, new_label="Nouvelle mise en situation",
    columns=[Column("Participant", lambda p: p.participant.display_name),
             Column("Marché / lot", lambda p: f"{p.lot.tender.reference} — lot {p.lot.number}"),
             Column("Employeur", lambda p: (p.siae.name if p.siae else p.company.name if p.company else "—")),
             Column("Contrat", lambda p: p.contract_type.label),
             Column("Période", lambda p: f"{format_date_fr(p.starts_on)} → {format_date_fr(p.ends_on) or '…'}")],
    search=(Participant.last_name, Participant.first_name, Participant.code), joins=(Placement.participant,),
    order_by=(Placement.starts_on.desc(),), save=svc.save_placement, prepare_form=_placement_choices,
    audit_type="placement",
    list_options=(selectinload(Placement.participant), selectinload(Placement.lot).selectinload(Lot.tender),
                  selectinload(Placement.siae), selectinload(Placement.company)),
)

BLUEPRINTS = [make_blueprint(spec) for spec in (BUYERS, COMPANIES, SIAES, PARTICIPANTS, PLACEMENTS)]
