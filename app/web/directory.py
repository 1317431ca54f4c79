"""The partners directory and the programmes (« opérations et chantiers »): staff pages only."""

from app.domain.formats import format_date_fr
from app.models import Buyer, Operation, Partner, Siae
from app.services import programmes
from app.services import referential as ref
from app.services.liaison import partners
from app.web.crud import Column, CrudSpec, make_blueprint
from forms.activities import PartnerEditForm, ProgrammeEditForm
from forms.fields import select_choices

STAFF = ("read",)


def _partner_choices(form, session) -> None:
    form.siae_id.choices = select_choices(ref.choices(session, Siae, lambda s: s.name, (Siae.name,), optional="Aucune"))


def _partner_fill(form, partner: Partner) -> None:
    form.process(obj=partner)
    form.kind.data = partner.kind.value


PARTNERS = CrudSpec(
    name="partners", url="/partenaires", model=Partner, form=PartnerEditForm, title="Partenaires et prescripteurs",
    singular="partenaire", new_label="Nouveau partenaire",
    columns=[Column("Nom", lambda p: p.name), Column("Type", lambda p: p.kind.label),
             Column("Contact", lambda p: p.contact_name or "—"), Column("Commune", lambda p: p.city or "—"),
             Column("Actif", lambda p: "Oui" if p.is_active else "Non")],
    search=(Partner.name, Partner.city, Partner.contact_name), order_by=(Partner.name,), save=partners.save_partner,
    prepare_form=_partner_choices, fill_form=_partner_fill, read_permissions=STAFF,
    # The activity log and fiche diffusions both use the directory: the facilitator and the FSE+ manager keep it.
    write_permissions=("write", "manage_fse"),
)


def _programme_choices(form, session) -> None:
    form.buyer_id.choices = select_choices(ref.choices(session, Buyer, lambda b: b.name, (Buyer.name,), optional="Aucun"))


def _programme_detail(programme: Operation, session) -> dict:
    return {"programme_tenders": programmes.programme_tenders(session, programme),
            "detail_sections": ["programmes/_tenders.html"]}


def _dates(programme: Operation) -> str:
    if programme.starts_on is None and programme.ends_on is None:
        return "—"
    return f"{format_date_fr(programme.starts_on) or '…'} → {format_date_fr(programme.ends_on) or '…'}"


PROGRAMMES = CrudSpec(
    name="programmes", url="/operations-chantiers", model=Operation, form=ProgrammeEditForm,
    title="Opérations et chantiers", singular="opération", feminine=True, new_label="Nouvelle opération",
    columns=[Column("Nom", lambda o: o.name), Column("Donneur d'ordre", lambda o: o.buyer.name if o.buyer else "—"),
             Column("Dates", _dates), Column("FSE+", lambda o: "Oui" if o.is_fse_funded else "Non")],
    search=(Operation.name,), order_by=(Operation.name,), save=programmes.save_programme,
    prepare_form=_programme_choices, detail_context=_programme_detail, read_permissions=STAFF,
)

BLUEPRINTS = [make_blueprint(spec) for spec in (PARTNERS, PROGRAMMES)]
