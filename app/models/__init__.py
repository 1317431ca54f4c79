"""ORM models, one module per area; import from here."""

from app.models.base import Base, OrgOwned
from app.models.jobs import Job
from app.models.organisation import Organisation, User
from app.models.participants import HourRecord, Participant, ParticipantCriterion, Placement
from app.models.procurement import Buyer, Lot, Operation, Tender
from app.models.structures import Company, Siae

__all__ = [
    "Base",
    "Buyer",
    "Company",
    "HourRecord",
    "Job",
    "Lot",
    "Operation",
    "OrgOwned",
    "Organisation",
    "Participant",
    "ParticipantCriterion",
    "Placement",
    "Siae",
    "Tender",
    "User",
]
