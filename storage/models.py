"""Tables. Sections are JSON documents validated by the domain; what must be searchable
(children's and carers' names and dates of birth) is indexed in `family_people`."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    text,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column, relationship


class UtcDateTime(TypeDecorator[datetime]):
    """Stored as naive UTC everywhere (SQLite has no time zones); always read back aware."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("timestamps must be time-zone aware")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


class Base(DeclarativeBase):
    type_annotation_map = {datetime: UtcDateTime(), dict[str, Any]: JSON()}  # noqa: RUF012


class Stamped:
    """Who made and last changed a record, and the optimistic-lock version."""

    created_at: Mapped[datetime]
    created_by: Mapped[str] = mapped_column(String(200))
    updated_at: Mapped[datetime]
    updated_by: Mapped[str] = mapped_column(String(200))
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:
        # A stale save raises StaleDataError, which the services turn into StaleRecord.
        return {"version_id_col": cls.__table__.c.version}  # type: ignore[attr-defined]


class FamilyRow(Stamped, Base):
    __tablename__ = "families"
    __table_args__ = (
        # "The most recently changed first": the families list and search, for everyone and
        # for an LCSS reviewer's locality.
        Index("ix_families_recent", text("updated_at DESC"), "id"),
        Index("ix_families_locality_recent", "locality", text("updated_at DESC"), "id"),
    )
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    reference: Mapped[str] = mapped_column(String(20), unique=True)
    locality: Mapped[str] = mapped_column(String(50), index=True)

    people: Mapped[list[PersonIndexRow]] = relationship(
        back_populates="family", cascade="all, delete-orphan", passive_deletes=True
    )
    assessments: Mapped[list[AssessmentRow]] = relationship(
        back_populates="family",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="AssessmentRow.created_at",
    )
    contacts: Mapped[list[FamilyContactRow]] = relationship(
        back_populates="family", cascade="all, delete-orphan", passive_deletes=True
    )


class PersonIndexRow(Base):
    """Search index of the people in a family's latest background section (derived data)."""

    __tablename__ = "family_people"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    family_id: Mapped[str] = mapped_column(ForeignKey("families.id", ondelete="CASCADE"), index=True)
    member_id: Mapped[str] = mapped_column(String(36))
    kind: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(Text)
    name_key: Mapped[str] = mapped_column(Text, index=True)
    date_of_birth: Mapped[date | None] = mapped_column(Date, index=True)

    family: Mapped[FamilyRow] = relationship(back_populates="people")
    words: Mapped[list[PersonWordRow]] = relationship(cascade="all, delete-orphan", passive_deletes=True)


# Byte order on PostgreSQL, as SQLite compares text: a prefix is then one range of the index
# (`word >= 'zo' AND word < 'zp'`), whatever the database's locale.
WORD = Text().with_variant(Text(collation="C"), "postgresql")


class PersonWordRow(Base):
    """One word a person of `family_people` is found by (`eha.text.name_words`): the index the
    name search reads (storage.name_index). Derived data, rebuilt with the people index."""

    __tablename__ = "family_person_words"
    __table_args__ = (
        Index("ix_family_person_words_word", "word", "family_id"),
        # The primary key's index holds every column a search reads, so no table row is visited.
        {"sqlite_with_rowid": False},
    )
    person_id: Mapped[int] = mapped_column(ForeignKey("family_people.id", ondelete="CASCADE"), primary_key=True)
    word: Mapped[str] = mapped_column(WORD, primary_key=True)
    # The person's family, so a search reads families from the index alone (no foreign key of
    # its own: the row goes with its person, who goes with the family).
    family_id: Mapped[str] = mapped_column(String(36))


class AssessmentRow(Stamped, Base):
    __tablename__ = "assessments"
    __table_args__ = (
        CheckConstraint("status IN ('draft', 'completed', 'taf_active', 'closed')", name="ck_assessments_status"),
        # A family's latest assessment (`FamilyRow.assessments[-1]`), as My families asks it.
        Index("ix_assessments_latest", "family_id", text("created_at DESC"), text("id DESC")),
    )
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    family_id: Mapped[str] = mapped_column(ForeignKey("families.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(20))
    started_on: Mapped[date | None] = mapped_column(Date)
    completed_at: Mapped[datetime | None]
    completed_by: Mapped[str | None] = mapped_column(String(200))
    review_date: Mapped[date | None] = mapped_column(Date)
    # Why the review is later than 6 weeks after completion ("" when it is not).
    review_date_reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    # The current lead professional (the last term of the "lead_professional" section), copied
    # so My families filters by lead in SQL: `eha.taf.lead_key`, their name and agency.
    lead_key: Mapped[str | None] = mapped_column(Text, index=True)
    lead_name: Mapped[str | None] = mapped_column(Text)
    lead_agency: Mapped[str | None] = mapped_column(Text)

    family: Mapped[FamilyRow] = relationship(back_populates="assessments")
    sections: Mapped[list[SectionRow]] = relationship(
        back_populates="assessment", cascade="all, delete-orphan", passive_deletes=True
    )
    star_readings: Mapped[list[StarReadingRow]] = relationship(
        back_populates="assessment", cascade="all, delete-orphan", passive_deletes=True
    )
    attachments: Mapped[list[AttachmentRow]] = relationship(
        back_populates="assessment",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="AttachmentRow.uploaded_at",
    )
    taf_meetings: Mapped[list[TafMeetingRow]] = relationship(
        back_populates="assessment",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="TafMeetingRow.number",
    )


class SectionRow(Base):
    __tablename__ = "sections"
    __table_args__ = (UniqueConstraint("assessment_id", "key", name="uq_sections_assessment_key"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    assessment_id: Mapped[str] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(40))
    data: Mapped[dict[str, Any]]
    updated_at: Mapped[datetime]
    updated_by: Mapped[str] = mapped_column(String(200))
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    assessment: Mapped[AssessmentRow] = relationship(back_populates="sections")
    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


# One first reading and one closure reading per assessment, one reading per TAF review: kept
# by the database too, so two tablets starting "the first reading" at once cannot both win.
_ONE_PER_OCCASION = (
    ("uq_star_readings_first", ["assessment_id"], "occasion_kind = 'first'"),
    ("uq_star_readings_closure", ["assessment_id"], "occasion_kind = 'closure'"),
    ("uq_star_readings_review", ["assessment_id", "review_number"], "occasion_kind = 'review'"),
)


class StarReadingRow(Stamped, Base):
    """A Family Star Plus reading. ``data`` is ``StarReading.to_dict()``; the date and the
    occasion are copied into columns so readings can be ordered and kept unique in SQL."""

    __tablename__ = "star_readings"
    __table_args__ = tuple(
        Index(name, *columns, unique=True, sqlite_where=text(where), postgresql_where=text(where))
        for name, columns, where in _ONE_PER_OCCASION
    )
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    assessment_id: Mapped[str] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"), index=True)
    taken_on: Mapped[date] = mapped_column(Date)
    occasion_kind: Mapped[str] = mapped_column(String(20))
    review_number: Mapped[int | None] = mapped_column(Integer)
    data: Mapped[dict[str, Any]]

    assessment: Mapped[AssessmentRow] = relationship(back_populates="star_readings")


class TafMeetingRow(Stamped, Base):
    """One Team Around the Family meeting. ``data`` is ``eha.taf.TafMeeting``; the number and
    the date are copied into columns so meetings are numbered once and ordered in SQL."""

    __tablename__ = "taf_meetings"
    __table_args__ = (UniqueConstraint("assessment_id", "number", name="uq_taf_meetings_number"),)
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    assessment_id: Mapped[str] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    held_on: Mapped[date] = mapped_column(Date)
    data: Mapped[dict[str, Any]]

    assessment: Mapped[AssessmentRow] = relationship(back_populates="taf_meetings")


class AttachmentRow(Base):
    """A file kept with the assessment (a child's drawing or photo). Never edited, only added
    or removed, so it carries no version."""

    __tablename__ = "attachments"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    assessment_id: Mapped[str] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"), index=True)
    child_id: Mapped[str] = mapped_column(String(36))
    filename: Mapped[str] = mapped_column(String(200))
    media_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    # Deferred: listing a child's work must not read every file's content.
    data: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    uploaded_at: Mapped[datetime]
    uploaded_by: Mapped[str] = mapped_column(String(200))

    assessment: Mapped[AssessmentRow] = relationship(back_populates="attachments")


# -- who may see what, the audit trail and the record of sharing -----------------------------


class AccountRow(Base):
    """A person who may sign in. The password is only ever stored as an argon2id hash."""

    __tablename__ = "accounts"
    __table_args__ = (CheckConstraint("role IN ('practitioner', 'lcss', 'admin')", name="ck_accounts_role"),)
    username: Mapped[str] = mapped_column(String(64), primary_key=True)
    display_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    locality: Mapped[str | None] = mapped_column(String(50))
    # Lower-cased, for matching the email a single sign-on provider vouches for.
    email: Mapped[str | None] = mapped_column(String(320), unique=True)
    password_hash: Mapped[str | None] = mapped_column(String(200))
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime]
    created_by: Mapped[str] = mapped_column(String(200))
    updated_at: Mapped[datetime]
    updated_by: Mapped[str] = mapped_column(String(200))


class SignInAttemptRow(Base):
    """Failed sign-ins per typed username, whether or not an account has that name, so the
    slow-down and lock behave the same for unknown usernames and give nothing away."""

    __tablename__ = "sign_in_attempts"
    username: Mapped[str] = mapped_column(String(200), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    last_failed_at: Mapped[datetime | None]
    locked_until: Mapped[datetime | None]


class SignInSessionRow(Base):
    """A browser that has signed in. Only a SHA-256 hash of its random token is stored."""

    __tablename__ = "sign_in_sessions"
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    username: Mapped[str] = mapped_column(ForeignKey("accounts.username", ondelete="CASCADE"), index=True)
    method: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime]
    last_seen_at: Mapped[datetime]
    ended_at: Mapped[datetime | None]
    ended_why: Mapped[str | None] = mapped_column(String(40))


class SignInCodeRow(Base):
    """A one-time code that hands a new sign-in's token to the server route that sets the
    HttpOnly cookie. Only the code's hash is stored, and the token sealed with a key derived
    from the code, so neither a copy of the database nor the page alone yields the token."""

    __tablename__ = "sign_in_codes"
    code_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    token_hash: Mapped[str] = mapped_column(ForeignKey("sign_in_sessions.token_hash", ondelete="CASCADE"), index=True)
    sealed_token: Mapped[str] = mapped_column(String(256))
    expires_at: Mapped[datetime]


class FamilyTeamRow(Base):
    """Who works with a family (author, lead professional, TAF members): a practitioner sees
    the families they are on the team of."""

    __tablename__ = "family_team"
    __table_args__ = (
        UniqueConstraint("family_id", "username", "team_role", name="uq_family_team_member"),
        CheckConstraint("team_role IN ('author', 'lead', 'taf_member')", name="ck_family_team_role"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    family_id: Mapped[str] = mapped_column(ForeignKey("families.id", ondelete="CASCADE"), index=True)
    username: Mapped[str] = mapped_column(String(200), index=True)
    team_role: Mapped[str] = mapped_column(String(20))
    added_at: Mapped[datetime]
    added_by: Mapped[str] = mapped_column(String(200))


class AuditEntryRow(Base):
    """One entry of the append-only, hash-chained audit trail (eha.audit).

    No foreign key to families: the trail outlives what it records.
    """

    __tablename__ = "audit_log"
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    at: Mapped[datetime] = mapped_column(index=True)
    actor: Mapped[str] = mapped_column(String(200), index=True)
    actor_role: Mapped[str] = mapped_column(String(20))
    action: Mapped[str] = mapped_column(String(40))
    family_id: Mapped[str | None] = mapped_column(String(36), index=True)
    record: Mapped[str] = mapped_column(String(200))
    details: Mapped[str] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class AuditChainHeadRow(Base):
    """The single row naming the last entry of the trail. Every append updates it in the
    same transaction, which makes concurrent appends queue instead of forking the chain."""

    __tablename__ = "audit_chain_head"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_seq: Mapped[int] = mapped_column(Integer)
    last_hash: Mapped[str] = mapped_column(String(64))


class SharingDecisionRow(Base):
    """A decision to share information about a family, or not to (eha.sharing)."""

    __tablename__ = "sharing_decisions"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    family_id: Mapped[str] = mapped_column(ForeignKey("families.id", ondelete="CASCADE"), index=True)
    decided_on: Mapped[date] = mapped_column(Date)
    outcome: Mapped[str] = mapped_column(String(20))
    decision: Mapped[dict[str, Any]]
    # Who recorded it (username and name). Who decided is in `decision` when it was another
    # professional; otherwise the person recording it decided.
    decided_by: Mapped[str] = mapped_column(String(200))
    decided_by_name: Mapped[str] = mapped_column(String(200))
    recorded_at: Mapped[datetime]


class FamilyContactRow(Base):
    """One entry of a family's contact log (eha.contacts): a visit, call, message or meeting
    outside the TAF. Never edited; a removal fills the `removed_*` columns and keeps the row."""

    __tablename__ = "family_contacts"
    __table_args__ = (
        CheckConstraint(
            "(removed_at IS NULL AND removed_by IS NULL AND removed_reason IS NULL)"
            " OR (removed_at IS NOT NULL AND removed_by IS NOT NULL AND removed_reason IS NOT NULL)",
            name="ck_family_contacts_removal",
        ),
    )
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    family_id: Mapped[str] = mapped_column(ForeignKey("families.id", ondelete="CASCADE"), index=True)
    contact_on: Mapped[date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(20))
    kind_other: Mapped[str] = mapped_column(Text)
    who: Mapped[str] = mapped_column(Text)
    note: Mapped[str] = mapped_column(Text)
    recorded_at: Mapped[datetime]
    recorded_by: Mapped[str] = mapped_column(String(200))
    recorded_by_name: Mapped[str] = mapped_column(String(200))
    removed_at: Mapped[datetime | None]
    removed_by: Mapped[str | None] = mapped_column(String(200))
    removed_by_name: Mapped[str | None] = mapped_column(String(200))
    removed_reason: Mapped[str | None] = mapped_column(Text)

    family: Mapped[FamilyRow] = relationship(back_populates="contacts")
