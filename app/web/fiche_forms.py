"""Helpers shared by the fiche pages and the company link: selects, form data, problems on fields."""

from app.models import Company, Tender
from app.services import referential as ref
from forms.fields import select_choices


def referential_choices(form, session) -> None:
    """Fill the company, tender and lot selects with the rows the user may see."""
    form.company_id.choices = select_choices(ref.choices(session, Company, lambda c: c.name, (Company.name,),
                                                         optional="Aucune"))
    form.tender_id.choices = select_choices(ref.choices(session, Tender, lambda t: f"{t.reference} — {t.object}"[:120],
                                                        (Tender.reference,), optional="Aucun"))
    form.lot_id.choices = select_choices([("", "Aucun"), *ref.lot_choices(session)])


def form_data(form) -> dict:
    """Return the submitted values without the CSRF token."""
    return {name: value for name, value in form.data.items() if name != "csrf_token"}


def attach_problems(form, problems) -> list[str]:
    """Put blocking problems beside their fields; return the warnings (and orphan errors) as text."""
    notes = []
    for problem in problems:
        field = form._fields.get(problem.field)
        if problem.severity == "error" and field is not None:
            field.errors = [*field.errors, problem.message]
        else:
            notes.append(problem.message)
    return notes
