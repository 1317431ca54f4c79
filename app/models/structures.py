"""Companies that win tenders and insertion structures (SIAE) that employ participants."""

from sqlalchemy import String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.domain.enums import SiaeKind
from app.models.base import Base, OrgOwned, enum_column


class Company(OrgOwned, Base):
    """A company (entreprise attributaire / titulaire)."""

    __tablename__ = "company"
    __table_args__ = (UniqueConstraint("organisation_id", "siret"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    siret: Mapped[str] = mapped_column(String(14))
    address: Mapped[str] = mapped_column(String(300), default="")
    postcode: Mapped[str] = mapped_column(String(5), default="")
    city: Mapped[str] = mapped_column(String(120), default="")
    contact_name: Mapped[str] = mapped_column(String(200), default="")
    contact_email: Mapped[str] = mapped_column(String(254), default="")
    contact_phone: Mapped[str] = mapped_column(String(30), default="")
    # Employees, when known: under 10 the company is a TPE (relations-entreprises targets).
    headcount: Mapped[int | None]


class Siae(OrgOwned, Base):
    """An insertion structure: EI, ETTI, AI, ACI, GEIQ, EA or ESAT."""

    __tablename__ = "siae"
    __table_args__ = (UniqueConstraint("organisation_id", "siret"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[SiaeKind] = enum_column(SiaeKind)
    siret: Mapped[str] = mapped_column(String(14))
    address: Mapped[str] = mapped_column(String(300), default="")
    postcode: Mapped[str] = mapped_column(String(5), default="")
    city: Mapped[str] = mapped_column(String(120), default="")
    contact_name: Mapped[str] = mapped_column(String(200), default="")
    contact_email: Mapped[str] = mapped_column(String(254), default="")
    contact_phone: Mapped[str] = mapped_column(String(30), default="")
