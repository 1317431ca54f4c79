"""Who sees what: every ORM query of a scoped session is filtered here, and only here.

A web request's session always carries a Scope (an anonymous one until login); jobs and
CLI commands open unscoped sessions and load rows by id. SIAE and company users only ever
see their own structure's rows: the criteria below follow the placements that tie a
participant, a lot and a tender to their structure.
"""

from dataclasses import dataclass

from sqlalchemy import and_, event, false, select
from sqlalchemy.orm import ORMExecuteState, Session, with_loader_criteria
from sqlalchemy.orm.attributes import set_committed_value

from app.domain.enums import Role
from app.models import (
    Base,
    BilanNarrative,
    Buyer,
    ClausableRuleRef,
    Company,
    DecpRecord,
    Fiche,
    FicheStatusChange,
    HourRecord,
    Job,
    Lot,
    MailTemplate,
    Operation,
    Organisation,
    OrgOwned,
    Participant,
    ParticipantCriterion,
    Placement,
    SentMail,
    Siae,
    StoredFile,
    Tender,
    ReadingProfile,
    TimesheetImport,
    User,
)

STRUCTURE_ROLES = frozenset({Role.SIAE, Role.ENTREPRISE})

# What each role may do, by area. Row visibility is the job of the criteria below.
PERMISSIONS: dict[Role, frozenset[str]] = {
    Role.ADMIN: frozenset({"read", "write", "manage_users", "manage_reference", "upload_timesheets", "manage_fse"}),
    Role.FACILITATEUR: frozenset({"read", "write", "upload_timesheets", "manage_fse"}),
    # The gestionnaire FSE+ owns the dossier: operations, targets, activity log, signed sheets and
    # minutes, FSE+ participant data — never clauses, fiches or hours (« write »).
    Role.GESTIONNAIRE: frozenset({"read", "manage_fse"}),
    Role.SIAE: frozenset({"read_own", "upload_timesheets"}),
    Role.ENTREPRISE: frozenset({"read_own", "upload_timesheets"}),
}


@dataclass(frozen=True)
class Scope:
    """The organisation and, for structure users, the SIAE or company a session may see."""

    organisation_id: int
    role: Role | None = None
    user_id: int | None = None
    siae_id: int | None = None
    company_id: int | None = None

    @classmethod
    def nobody(cls) -> "Scope":
        """Return the scope of an anonymous visitor: no rows at all."""
        return cls(organisation_id=-1)

    @classmethod
    def for_user(cls, user: User) -> "Scope":
        """Return the scope a signed-in user works in."""
        return cls(
            organisation_id=user.organisation_id,
            role=user.role,
            user_id=user.id,
            siae_id=user.siae_id,
            company_id=user.company_id,
        )

    @property
    def is_structure(self) -> bool:
        """Tell whether this scope is limited to one SIAE or company."""
        return self.role in STRUCTURE_ROLES

    def can(self, permission: str) -> bool:
        """Tell whether the role holds ``permission``."""
        return self.role is not None and permission in PERMISSIONS[self.role]

    def can_any(self, *permissions: str) -> bool:
        """Tell whether the role holds at least one of ``permissions``."""
        return any(self.can(permission) for permission in permissions)


def _own_placement_clause(scope: Scope):
    # A structure user's placements: those where their SIAE or their company is the employer/holder.
    if scope.role == Role.SIAE and scope.siae_id:
        return Placement.siae_id == scope.siae_id
    if scope.role == Role.ENTREPRISE and scope.company_id:
        return Placement.company_id == scope.company_id
    return false()


def _structure_criteria(scope: Scope) -> list:
    """Build the criteria that narrow an organisation to one SIAE's or company's rows."""
    own_placements = _own_placement_clause(scope)
    visible_lot_ids = select(Placement.lot_id).where(own_placements)
    if scope.role == Role.ENTREPRISE and scope.company_id:
        visible_lot_ids = visible_lot_ids.union(select(Lot.id).where(Lot.company_id == scope.company_id))
    visible_tender_ids = select(Lot.tender_id).where(Lot.id.in_(visible_lot_ids))
    visible_participant_ids = select(Placement.participant_id).where(own_placements)
    own_imports = (TimesheetImport.siae_id == scope.siae_id if scope.role == Role.SIAE and scope.siae_id
                   else TimesheetImport.company_id == scope.company_id if scope.company_id else false())
    # A company sees the fiches de liaison about it and their status history, nothing of positionings.
    own_fiches = Fiche.company_id == scope.company_id if scope.role == Role.ENTREPRISE and scope.company_id else false()
    rules = {
        Placement: own_placements,
        Participant: Participant.id.in_(visible_participant_ids),
        # Eligibility criteria and their proofs are the facilitator's (RQTH is health data; the CCAP
        # and conventions promise it): never an SIAE's or a company's, even for their own people.
        ParticipantCriterion: false(),
        HourRecord: HourRecord.placement_id.in_(select(Placement.id).where(own_placements)),
        Lot: Lot.id.in_(visible_lot_ids),
        Tender: Tender.id.in_(visible_tender_ids),
        Buyer: Buyer.id.in_(select(Tender.buyer_id).where(Tender.id.in_(visible_tender_ids))),
        Operation: Operation.id.in_(select(Tender.operation_id).where(Tender.id.in_(visible_tender_ids))),
        Siae: Siae.id == scope.siae_id if scope.siae_id else false(),
        Company: Company.id == scope.company_id if scope.company_id else false(),
        User: User.id == scope.user_id,
        TimesheetImport: own_imports,
        # A structure sees and uses the reading profiles of its own files only.
        ReadingProfile: (ReadingProfile.siae_id == scope.siae_id if scope.role == Role.SIAE and scope.siae_id
                         else ReadingProfile.company_id == scope.company_id if scope.company_id else false()),
        Fiche: own_fiches,
        FicheStatusChange: FicheStatusChange.fiche_id.in_(select(Fiche.id).where(own_fiches)),
        StoredFile: StoredFile.id.in_(select(TimesheetImport.file_id).where(own_imports)),
        # The veille (DECP records, clausable rules) is the facilitator's work on buyers: no structure sees it.
        DecpRecord: false(),
        ClausableRuleRef: false(),
        # Mails are the facilitator's record of what was sent; a structure reads them in its inbox.
        SentMail: false(),
        MailTemplate: false(),
        # The texts a facilitator writes for a bilan are theirs until the bilan is sent.
        BilanNarrative: false(),
    }
    # Fail closed: a table added later is invisible to structure users until a rule says otherwise.
    for mapper in Base.registry.mappers:
        model = mapper.class_
        if issubclass(model, OrgOwned) and model not in rules:
            rules[model] = false()
    return [with_loader_criteria(model, clause) for model, clause in rules.items()]


def criteria_for(scope: Scope) -> list:
    """Return the loader criteria that confine queries to ``scope``."""
    org_id = scope.organisation_id
    options = [
        with_loader_criteria(OrgOwned, lambda cls: cls.organisation_id == org_id, include_aliases=True),
        with_loader_criteria(Organisation, Organisation.id == org_id),
        with_loader_criteria(
            Job,
            and_(Job.organisation_id == org_id, Job.user_id == scope.user_id)
            if scope.is_structure
            else Job.organisation_id == org_id,
        ),
    ]
    if scope.is_structure:
        options.extend(_structure_criteria(scope))
    return options


# What an SIAE or a company may know of the people placed with it: code, name, placements and
# hours. The other columns are blanked as rows load into their sessions (every path: queries,
# relationships, refreshes), so no page can show a birth date, an address or a phone to them
# (issue 12, item 11).
STAFF_ONLY_PARTICIPANT_COLUMNS = ("birth_on", "sex", "postcode", "is_qpv", "qualification_level",
                                  "is_plie_followed", "plie_entry_on", "phone", "email")


@event.listens_for(Participant, "load")
def _withhold_on_load(target: Participant, context) -> None:
    _withhold(target, context, STAFF_ONLY_PARTICIPANT_COLUMNS)


@event.listens_for(Participant, "refresh")
def _withhold_on_refresh(target: Participant, context, attrs) -> None:
    _withhold(target, context, STAFF_ONLY_PARTICIPANT_COLUMNS if attrs is None else
              [name for name in attrs if name in STAFF_ONLY_PARTICIPANT_COLUMNS])


def _withhold(target: Participant, context, names) -> None:
    scope = context.session.info.get("scope") if context.session is not None else None
    if scope is not None and scope.is_structure:
        for name in names:
            # Committed, not changed: the blank is never written back.
            set_committed_value(target, name, None)


@event.listens_for(Session, "do_orm_execute")
def _confine_to_scope(state: ORMExecuteState) -> None:
    scope = state.session.info.get("scope")
    if scope is None or state.execution_options.get("unscoped", False):
        return
    if state.is_select or state.is_update or state.is_delete:
        state.statement = state.statement.options(*criteria_for(scope))
