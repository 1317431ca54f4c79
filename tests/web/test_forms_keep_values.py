"""Every main create/edit form comes back with every typed or selected value when the server refuses it.

One harness for all forms: read the empty form as a browser would, fill every field (a value
different from the default), break one field so the submission is refused, post it, and read
the form back. A refusal by the service after validation is checked form by form below.
"""

import lxml.html
import pytest

from app.domain.enums import Role
from app.models import Company

# (url, field to break, the broken value); {ids} is filled from the test world.
FORMS = {
    "marché": ("/marches/nouveau", "amount", "douze mille"),
    "lot": ("/marches/{tender}/lots/nouveau", "amount", "douze mille"),
    "participant": ("/participants/nouveau", "birth_on", "31/02/1990"),
    "mise en situation": ("/mises-en-situation/nouveau", "starts_on", "31/02/2026"),
    "convention": ("/conventions/nouvelle/entreprise", "starts_on", "31/02/2026"),
    "action collective": ("/actions/nouvelle", "day", "31/02/2026"),
    "opération FSE+": ("/fse/operations/nouvelle", "ends_on", "31/02/2026"),
    "entreprise": ("/entreprises/nouveau", "siret", "123"),
    "sortie": ("/tableaux-de-bord/mises-en-situation/{placement}/sortie", "exit_on", "31/02/2026"),
    "fiche de liaison": ("/fiches/nouvelle", "applications_close_on", "31/02/2026"),
    "acheteur": ("/acheteurs/nouveau", "name", ""),
    "SIAE": ("/siae/nouveau", "postcode", "123"),
    # The bilan's texts are offered on one page and posted to another.
    "bilan (texte trop long)": ("/exports/bilans/nouveau -> /exports/bilans", "bilan-highlights", "x" * 4001),
}
# Plausible values by field name; others get a text, a number or a date by their input type.
TYPED = {"email": "contact@exemple.fr", "contact_email": "contact@exemple.fr", "siret": "73282932000074",
         "postcode": "59140", "cpv": "45262522-6", "number": "7", "year": "2026", "phone": "03 21 00 00 00",
         "contact_phone": "03 21 00 00 00", "headcount": "45", "start_time": "09:00", "end_time": "12:00", "capacity": "12",
         "hours_required": "120", "hours_max": "150", "reporting": "Relevé mensuel des heures | chaque mois"}


def read_form(html: str, url_path: str):
    """Return the form posting to the page itself: its fields as (name, kind, options, value)."""
    page = lxml.html.fromstring(html)
    forms = [f for f in page.xpath("//main//form[@method='post']") if (f.get("action") or url_path) == url_path]
    form = max(forms, key=lambda f: len(f.xpath(".//*[@name]")))
    return form


def form_values(form) -> dict[str, list[str]]:
    """Return what the form would send back: inputs, checked boxes, textareas, selected options."""
    values: dict[str, list[str]] = {}
    for element in form.xpath(".//*[@name]"):
        name, kind = element.get("name"), element.get("type")
        if element.tag == "textarea":
            values.setdefault(name, []).append((element.text or "").lstrip("\r\n"))
        elif element.tag == "select":
            chosen = element.xpath("./option[@selected]")
            values.setdefault(name, []).extend(option.get("value") for option in chosen)
        elif kind in ("checkbox", "radio"):
            if element.get("checked") is not None:
                values.setdefault(name, []).append(element.get("value") or "y")
        elif kind not in ("submit", "hidden", "file", "password", "button"):
            values.setdefault(name, []).append(element.get("value") or "")
    return values


def fill(form) -> dict[str, list[str]]:
    """Give every field a value: the last option of each select, every box checked, texts typed."""
    sent: dict[str, list[str]] = {}
    for element in form.xpath(".//*[@name]"):
        name, kind = element.get("name"), element.get("type")
        if element.tag == "select":
            options = [o.get("value") for o in element.xpath("./option") if o.get("value")]
            if options:
                sent[name] = options[-2:] if element.get("multiple") is not None else [options[-1]]
        elif element.tag == "textarea":
            sent[name] = [TYPED.get(name, f"Texte de {name}\nsur deux lignes")]
        elif kind == "checkbox":
            sent.setdefault(name, []).append(element.get("value") or "y")
        elif kind == "radio":
            sent[name] = [element.get("value")]
        elif kind == "date":
            sent[name] = ["2026-03-16"]
        elif kind == "time":
            sent[name] = [TYPED.get(name, "10:30")]
        elif kind not in ("submit", "hidden", "file", "password", "button"):
            numeric = element.get("inputmode") in ("decimal", "numeric") or kind == "number"
            sent[name] = [TYPED.get(name, "12,5" if numeric else f"Valeur {name}")]
    return sent


def post_and_read_back(browser, url: str, changes: dict[str, str]):
    """Fill the form at ``url``, apply ``changes``, post it; return (sent, response, values read back).

    ``url`` may read « page -> target » when the form posts elsewhere than its page.
    """
    url, _, target = url.partition(" -> ")
    target = target or url
    empty = browser.get(url)
    assert empty.status_code == 200, url
    sent = fill(read_form(empty.get_data(as_text=True), target))
    assert set(changes) <= set(sent), sorted(sent)
    sent.update({name: [value] for name, value in changes.items()})
    # Hidden fields (the bilan's subject and period) go back as they came; the user never typed them.
    hidden = {field.get("name"): field.get("value") or "" for field in read_form(empty.get_data(as_text=True), target)
              .xpath(".//input[@type='hidden']") if field.get("name") != "csrf_token"}
    payload = {**hidden, **{name: values if len(values) > 1 else values[0] for name, values in sent.items()}}
    response = browser.post(target, payload)
    assert response.status_code in (200, 400), (url, response.status_code)
    return sent, response, form_values(read_form(response.get_data(as_text=True), target))


def assert_kept(sent, kept) -> None:
    lost = {name: (values, kept.get(name)) for name, values in sent.items()
            if [v.replace("\r\n", "\n") for v in values] != kept.get(name)}
    assert not lost, lost


@pytest.mark.parametrize("which", FORMS, ids=list(FORMS))
def test_refused_form_comes_back_with_every_value(login, world, which):
    template, broken, value = FORMS[which]
    url = template.format(tender=world.a.ids["tenders"]["own"], placement=world.a.ids["placements"]["own"])
    sent, _response, kept = post_and_read_back(login(Role.FACILITATEUR), url, {broken: value})
    assert_kept(sent, kept)


# Forms the validation accepts and the service then refuses (the refusal is shown, nothing is lost).
SERVICE_REFUSALS = {
    "lot": ("/marches/{tender}/lots/nouveau", {"number": "1"}, "Le lot n° 1 existe déjà dans ce marché."),
    "marché": ("/marches/nouveau", {"status": "abandonne", "abandon_reason": ""},
               "Indiquez pourquoi le marché est abandonné."),
    "action collective": ("/actions/nouvelle", {"start_time": "14:00", "end_time": "12:00"},
                          "L'heure de fin doit suivre l'heure de début."),
    "entreprise": ("/entreprises/nouveau", {"siret": "{siret}"}, "porte déjà ce SIRET"),
}


@pytest.mark.parametrize("which", SERVICE_REFUSALS, ids=list(SERVICE_REFUSALS))
def test_form_refused_by_the_service_comes_back_with_every_value(login, world, session, which):
    template, changes, message = SERVICE_REFUSALS[which]
    url = template.format(tender=world.a.ids["tenders"]["own"])
    siret = session.get(Company, world.a.ids["companies"]["own"]).siret
    changes = {name: value.format(siret=siret) for name, value in changes.items()}
    sent, response, kept = post_and_read_back(login(Role.FACILITATEUR), url, changes)
    html = lxml.html.fromstring(response.get_data(as_text=True))
    field_errors = " ".join(html.xpath("//p[@class='error']//text()"))
    assert message in field_errors.replace("’", "'"), (field_errors, " ".join(html.xpath("//p[contains(@class,'flash')]//text()")))
    assert_kept(sent, kept)
