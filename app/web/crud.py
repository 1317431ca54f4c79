"""List, search, create, edit and show one kind of row: one blueprint per CrudSpec."""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for

from app.services.referential import ServiceError, list_page
from app.web.context import audit_here, current_scope, get_or_404, get_session, require

READ = ("read", "read_own")


@dataclass(frozen=True)
class Column:
    """A column of a list page."""

    label: str
    value: Callable[[Any], Any]
    # Shown to staff only: SIAE and company accounts never see a participant's criteria or address.
    staff_only: bool = False


def _form_data(form) -> dict:
    return {name: value for name, value in form.data.items() if name != "csrf_token"}


@dataclass
class CrudSpec:
    """What a referential page shows and which service saves it."""

    name: str
    url: str
    model: type
    form: type
    title: str
    singular: str
    new_label: str
    columns: list[Column]
    search: tuple
    order_by: tuple
    save: Callable
    prepare_form: Callable = lambda form, session: None
    form_data: Callable = _form_data
    fill_form: Callable = lambda form, obj: form.process(obj=obj)
    detail_template: str | None = None
    detail_context: Callable = lambda obj, session: {}
    list_options: tuple = field(default_factory=tuple)
    joins: tuple = field(default_factory=tuple)
    read_permissions: tuple = READ
    # Exports of the listed data, as (label, url) for a scope (app/web/export_links.py).
    list_links: Callable = lambda scope: []
    write_permissions: tuple = ("write",)
    # Run before the list is read (e.g. copy default reference rows on first use); caller commits.
    on_index: Callable | None = None
    # Rows holding personal data name their kind here: reads and changes go to the audit trail.
    audit_type: str | None = None
    # Searched for staff only (a company must not find people by postcode).
    staff_search: tuple = field(default_factory=tuple)
    # French agrees the participle with the noun: « Marché enregistré », « Entreprise enregistrée ».
    feminine: bool = False

    @property
    def saved_message(self) -> str:
        """Return the flash shown after a save, agreed with the noun's gender."""
        return f"{self.singular[:1].upper()}{self.singular[1:]} enregistré{'e' if self.feminine else ''}."

    def columns_for(self, scope) -> list[Column]:
        """Return the list columns ``scope`` may see."""
        return [column for column in self.columns if not (column.staff_only and scope.is_structure)]

    def search_for(self, scope) -> tuple:
        """Return the columns a search of ``scope`` may look into."""
        return self.search if scope.is_structure else self.search + self.staff_search


def make_blueprint(spec: CrudSpec) -> Blueprint:
    """Build the blueprint ``spec.name`` with index, new, edit and detail views."""
    bp = Blueprint(spec.name, __name__, url_prefix=spec.url)

    @bp.route("/")
    @require(*spec.read_permissions)
    def index():
        if spec.on_index is not None:
            spec.on_index(get_session(), current_scope())
            get_session().commit()
        query = request.args.get("q", "").strip()[:100]
        page = list_page(get_session(), spec.model, search_columns=spec.search_for(current_scope()), query=query,
                         order_by=spec.order_by, page=request.args.get("page", 1, type=int),
                         options=spec.list_options, joins=spec.joins)
        if spec.audit_type:
            # A list of people is a read of each of them; the search text may be a name: never recorded.
            audit_here("read", spec.audit_type, None, f"liste, page {page.page}" + (", avec recherche" if query else ""))
            get_session().commit()
        return render_template("crud/list.html", spec=spec, page=page, query=query,
                               columns=spec.columns_for(current_scope()), links=spec.list_links(current_scope()))

    @bp.route("/nouveau", methods=["GET", "POST"])
    @require(*spec.write_permissions)
    def new():
        return _edit(spec, None)

    @bp.route("/<int:row_id>/modifier", methods=["GET", "POST"])
    @require(*spec.write_permissions)
    def edit(row_id: int):
        return _edit(spec, get_or_404(spec.model, row_id))

    @bp.route("/<int:row_id>")
    @require(*spec.read_permissions)
    def detail(row_id: int):
        obj = get_or_404(spec.model, row_id)
        if spec.audit_type:
            audit_here("read", spec.audit_type, obj.id)
            get_session().commit()
        if spec.detail_template is None:
            form = spec.form(meta={"csrf": False})
            spec.prepare_form(form, get_session())
            spec.fill_form(form, obj)
            return render_template("crud/detail.html", spec=spec, obj=obj, form=form,
                                   **spec.detail_context(obj, get_session()))
        return render_template(spec.detail_template, spec=spec, obj=obj, **spec.detail_context(obj, get_session()))

    return bp


def _edit(spec: CrudSpec, obj):
    session = get_session()
    form = spec.form()
    spec.prepare_form(form, session)
    if request.method == "GET" and obj is not None:
        spec.fill_form(form, obj)
    if form.validate_on_submit():
        try:
            saved = spec.save(session, current_scope(), spec.form_data(form), obj)
        except ServiceError as exc:
            session.rollback()
            attach_error(form, exc)
        else:
            if spec.audit_type:
                audit_here("create" if obj is None else "update", spec.audit_type, saved.id)
            session.commit()
            flash(spec.saved_message, "success")
            return redirect(url_for(f"{spec.name}.detail", row_id=saved.id))
    elif request.method == "POST":
        flash("Le formulaire contient des erreurs : corrigez les champs signalés.", "error")
    return render_template("crud/form.html", spec=spec, form=form, obj=obj)


def attach_error(form, exc: ServiceError) -> None:
    """Show a service refusal beside the field it blames, and in the flash area."""
    if exc.field and exc.field in form:
        form[exc.field].errors = [*form[exc.field].errors, str(exc)]
    flash(str(exc), "error")
