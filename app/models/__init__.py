"""ORM models, one module per area; import from here."""

from app.models.activities import (
    Activity,
    ConsolidationAgreement,
    FicheDiffusion,
    OperationDocument,
    OperationDocumentKind,
    Partner,
)
from app.models.api import ApiIdempotencyKey, ApiToken
from app.models.base import Base, OrgOwned
from app.models.clauses import ClausePack, LabourShareRef, LotCalculation, ReferenceParam
from app.models.dataimport import DataImport, DataImportStatus, ImportProfile
from app.models.decp import ClausableRuleRef, DecpRecord
from app.models.conventions import Convention, ConventionClauseSet, ConventionStatusChange
from app.models.fiches import Fiche, FicheLink, FicheStatusChange, Positioning, PositioningChange
from app.models.files import StoredFile
from app.models.followup import (
    ActionAttendee,
    Bilan,
    BilanNarrative,
    CollectiveAction,
    Dossier,
    FseOperation,
    FseParticipantRecord,
    FseTarget,
    ParticipantExit,
)
from app.models.jobs import Job
from app.models.mail import MailStatus, MailTemplate, SentMail
from app.models.organisation import Organisation, User
from app.models.participants import HourRecord, Participant, ParticipantCriterion, Placement
from app.models.procurement import Buyer, Lot, Operation, Tender
from app.models.security import AuditEvent, UserSession
from app.models.structures import Company, Siae
from app.models.templates import DocTemplate
from app.models.timesheets import ImportStatus, ReadingProfile, TimesheetImport
from app.models.changes import DataChange  # noqa: E402  (registers the change tracker)

__all__ = [
    "Activity",
    "ConsolidationAgreement",
    "FicheDiffusion",
    "FseParticipantRecord",
    "OperationDocument",
    "OperationDocumentKind",
    "Partner",
    "DataChange",
    "DataImport",
    "DataImportStatus",
    "ApiIdempotencyKey",
    "ApiToken",
    "ActionAttendee",
    "Bilan",
    "BilanNarrative",
    "CollectiveAction",
    "Dossier",
    "FseOperation",
    "FseTarget",
    "ParticipantExit",
    "AuditEvent",
    "UserSession",
    "Base",
    "Buyer",
    "ClausableRuleRef",
    "ClausePack",
    "Company",
    "Convention",
    "ConventionClauseSet",
    "ConventionStatusChange",
    "DecpRecord",
    "DocTemplate",
    "Fiche",
    "FicheLink",
    "FicheStatusChange",
    "HourRecord",
    "ImportProfile",
    "Job",
    "LabourShareRef",
    "Lot",
    "LotCalculation",
    "MailStatus",
    "MailTemplate",
    "Operation",
    "OrgOwned",
    "Organisation",
    "Participant",
    "ParticipantCriterion",
    "Placement",
    "Positioning",
    "PositioningChange",
    "ReferenceParam",
    "SentMail",
    "Siae",
    "StoredFile",
    "Tender",
    "ReadingProfile",
    "TimesheetImport",
    "ImportStatus",
    "User",
]
