"""Declarative base, naming conventions and the columns most tables share."""

from datetime import UTC, datetime
from decimal import Decimal
from enum import Enum

from sqlalchemy import DateTime, ForeignKey, MetaData, String, TypeDecorator
from sqlalchemy import Enum as SAEnum
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    """Return an aware UTC timestamp."""
    return datetime.now(UTC)


class Base(DeclarativeBase):
    """Base of every Clausier table."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: DateTime(timezone=True)}


def enum_column(enum_cls: type[Enum], **kwargs) -> Mapped:
    """Store an enum by its value in a VARCHAR, portable across SQLite and PostgreSQL."""
    return mapped_column(
        SAEnum(
            enum_cls,
            native_enum=False,
            values_callable=lambda members: [member.value for member in members],
            length=32,
            validate_strings=True,
        ),
        **kwargs,
    )


class Timestamped:
    """Creation and update timestamps."""

    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class OrgOwned(Timestamped):
    """A row that belongs to one facilitator organisation; app.access filters on it."""

    @declared_attr
    def organisation_id(cls) -> Mapped[int]:
        return mapped_column(ForeignKey("organisation.id", ondelete="CASCADE"), index=True)


def short_text(length: int = 200, **kwargs) -> Mapped[str]:
    """A bounded text column."""
    return mapped_column(String(length), **kwargs)


class ExactDecimal(TypeDecorator):
    """A Decimal stored as text: exact on SQLite (which has no decimal type) and PostgreSQL."""

    impl = String(40)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        return None if value is None else format(Decimal(value), "f")

    def process_result_value(self, value, dialect):
        return None if value is None else Decimal(value)
