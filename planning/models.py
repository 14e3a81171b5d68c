"""Tables, phases and self-check areas: the brief's nouns, as stored."""

from datetime import UTC, datetime
from enum import StrEnum

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel


def utcnow() -> datetime:
    """Now on the server's clock, in UTC."""
    return datetime.now(UTC)


class Phase(StrEnum):
    LOBBY = "lobby"
    INNER_CUSTOMER = "inner_customer"
    CLOSED = "closed"


PHASE_LABELS = {
    Phase.LOBBY: "Lobby",
    Phase.INNER_CUSTOMER: "Inner customer",
    Phase.CLOSED: "Closed",
}


# What each phase asks of the room; {company} and {segment} are filled in (as literal text).
PHASE_PROMPTS = {
    Phase.LOBBY: "Welcome. The session starts in a moment: keep this page open.",
    Phase.INNER_CUSTOMER: "You are {segment}. Tell {company} what to do, and how, to win and keep your business.",
    Phase.CLOSED: "The session has ended. Thank you for taking part.",
}


class Area(StrEnum):
    """The six areas of the customer-alignment self-check."""

    RELATIONSHIPS = "relationships"
    STRATEGY = "strategy"
    MARKETING = "marketing"
    SALES_SERVICE = "sales_service"
    PROCESS_DESIGN = "process_design"
    CAPACITY_TO_CHANGE = "capacity_to_change"


AREA_LABELS = {
    Area.RELATIONSHIPS: "Customer relationships",
    Area.STRATEGY: "Strategy",
    Area.MARKETING: "Marketing",
    Area.SALES_SERVICE: "Sales and service",
    Area.PROCESS_DESIGN: "Process design",
    Area.CAPACITY_TO_CHANGE: "Capacity to change",
}


class Workshop(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    join_code: str = Field(max_length=16, unique=True, index=True)
    title: str = Field(max_length=120)
    company: str = Field(max_length=120)
    segment: str = Field(max_length=300)
    facilitator_key_hash: str = Field(max_length=64)
    phase: str = Field(default=Phase.LOBBY, max_length=32)
    anonymous: bool = False
    private_until_reveal: bool = False
    revealed: bool = False
    vote_budget: int = 5
    vote_cap: int = 3
    locked: bool = False
    timer_ends_at: datetime | None = None
    revision: int = 0
    is_demo: bool = False
    created_at: datetime = Field(default_factory=utcnow)


class Participant(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    workshop_id: int = Field(foreign_key="workshop.id", index=True)
    name: str = Field(max_length=40)
    token_hash: str = Field(max_length=64, unique=True, index=True)
    joined_at: datetime = Field(default_factory=utcnow)


class Demand(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    workshop_id: int = Field(foreign_key="workshop.id", index=True)
    participant_id: int | None = Field(default=None, foreign_key="participant.id", index=True)
    text: str = Field(max_length=500)
    area: str | None = Field(default=None, max_length=32)
    hidden: bool = False
    merged_into_id: int | None = Field(default=None, foreign_key="demand.id", index=True)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class DemandVote(SQLModel, table=True):
    __tablename__ = "demand_vote"
    __table_args__ = (UniqueConstraint("participant_id", "demand_id"),)

    id: int | None = Field(default=None, primary_key=True)
    workshop_id: int = Field(foreign_key="workshop.id", index=True)
    participant_id: int = Field(foreign_key="participant.id", index=True)
    demand_id: int = Field(foreign_key="demand.id", index=True)
    dots: int = 1


class ModerationEvent(SQLModel, table=True):
    """What the facilitator did, kept for undo and for the record."""

    __tablename__ = "moderation_event"

    id: int | None = Field(default=None, primary_key=True)
    workshop_id: int = Field(foreign_key="workshop.id", index=True)
    action: str = Field(max_length=32)
    target: str = Field(max_length=64)
    detail: str | None = Field(default=None, max_length=1000)
    at: datetime = Field(default_factory=utcnow)
