"""Tables, phases and self-check areas: the brief's nouns, as stored."""

from datetime import UTC, date, datetime
from enum import StrEnum

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel


def utcnow() -> datetime:
    """Now on the server's clock, in UTC."""
    return datetime.now(UTC)


class Phase(StrEnum):
    LOBBY = "lobby"
    INNER_CUSTOMER = "inner_customer"
    VALUE_EXCHANGE = "value_exchange"
    SCORE_VOTE = "score_vote"
    REVIEW = "review"
    PLAN = "plan"
    CLOSED = "closed"


PHASE_LABELS = {
    Phase.LOBBY: "Lobby",
    Phase.INNER_CUSTOMER: "Inner customer",
    Phase.VALUE_EXCHANGE: "Value exchange",
    Phase.SCORE_VOTE: "Score & vote",
    Phase.REVIEW: "Review",
    Phase.PLAN: "Plan",
    Phase.CLOSED: "Closed",
}


# What each phase asks of the room; {company} and {segment} are filled in (as literal text).
PHASE_PROMPTS = {
    Phase.LOBBY: "Welcome. The session starts in a moment: keep this page open.",
    Phase.INNER_CUSTOMER: "You are {segment}. Tell {company} what to do, and how, to win and keep your business.",
    Phase.VALUE_EXCHANGE: "Back in {company}'s shoes: propose initiatives that create new value for "
    "{segment}, and say what comes back to {company}.",
    Phase.SCORE_VOTE: "Rate every initiative on both axes, on your own, then spend your votes.",
    Phase.REVIEW: "The balance: value to the customer against value returned to {company}.",
    Phase.PLAN: "Make it real: actions with owners and dates for the chosen initiatives, and the process steps "
    "judged by the value they add for {segment}.",
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
    revision: int = 0  # moves with every change: the wall and the console follow it
    # Moves with what every participant's page shows; ratings, votes on initiatives, self-check answers and
    # joins leave it alone, so 200 phones do not redraw for each rating during Score & vote.
    room_revision: int = 0
    is_demo: bool = False
    results_revealed: bool = False
    spotlight_id: int | None = None  # Review's reveal mode: the initiative the wall shows alone
    wall_selfcheck: bool = False  # the facilitator put the self-check results on the wall
    # How many demands (and, apart, initiatives) one person may add, in all and in a minute: far above what a
    # person types, so only a runaway tab or a script meets them. The facilitator may change them.
    items_per_person: int = 50
    items_per_minute: int = 10
    created_at: datetime = Field(default_factory=utcnow)
    # The session this one follows up (planning/followup.py): at most one follow-up each, so the chain is a line.
    predecessor_id: int | None = Field(default=None, foreign_key="workshop.id", unique=True, index=True)


class Participant(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    workshop_id: int = Field(foreign_key="workshop.id", index=True)
    name: str = Field(max_length=40)
    token_hash: str = Field(max_length=64, unique=True, index=True)
    joined_at: datetime = Field(default_factory=utcnow)
    # A duplicate the facilitator merged into another: its link now acts as that person.
    merged_into_id: int | None = Field(default=None, foreign_key="participant.id", index=True)
    removed: bool = False  # the facilitator removed them: they can no longer act or count; their items stay


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
    # Carried from the last session: the votes it had there, as history (never dots of this session's budget).
    carried_votes: int | None = None


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


class Effort(StrEnum):
    S = "S"
    M = "M"
    L = "L"


class Axis(StrEnum):
    CUSTOMER = "customer"  # value to the customer
    COMPANY = "company"  # value returned to the company


class Initiative(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    workshop_id: int = Field(foreign_key="workshop.id", index=True)
    participant_id: int | None = Field(default=None, foreign_key="participant.id", index=True)
    title: str = Field(max_length=120)
    customer_value: str = Field(default="", max_length=500)
    company_value: str = Field(default="", max_length=500)
    effort: str | None = Field(default=None, max_length=1)
    answers_no_demand: bool = False
    hidden: bool = False
    chosen: bool = False  # the facilitator picked it for the plan
    merged_into_id: int | None = Field(default=None, foreign_key="initiative.id", index=True)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class InitiativeHistory(SQLModel, table=True):
    """A chosen initiative carried from the last session, and how the room rated and voted it there (history)."""

    __tablename__ = "initiative_history"

    initiative_id: int = Field(foreign_key="initiative.id", primary_key=True)
    votes: int = 0
    customer_median: float | None = None
    customer_spread: float | None = None
    customer_n: int = 0
    company_median: float | None = None
    company_spread: float | None = None
    company_n: int = 0


class InitiativeDemand(SQLModel, table=True):
    """An initiative answers a demand."""

    __tablename__ = "initiative_demand"

    initiative_id: int = Field(foreign_key="initiative.id", primary_key=True)
    demand_id: int = Field(foreign_key="demand.id", primary_key=True, index=True)


class InitiativeArea(SQLModel, table=True):
    """An initiative strengthens a self-check area."""

    __tablename__ = "initiative_area"

    initiative_id: int = Field(foreign_key="initiative.id", primary_key=True)
    area: str = Field(max_length=32, primary_key=True)


class Rating(SQLModel, table=True):
    """One participant's 0-10 score of one initiative on one axis."""

    __table_args__ = (
        UniqueConstraint("participant_id", "initiative_id", "axis"),
        # Covering indexes: the dashboard's histograms and the room's progress read only these columns.
        Index("ix_rating_histogram", "workshop_id", "initiative_id", "axis", "score"),
        Index("ix_rating_progress", "workshop_id", "participant_id", "initiative_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    workshop_id: int = Field(foreign_key="workshop.id", index=True)
    initiative_id: int = Field(foreign_key="initiative.id", index=True)
    participant_id: int = Field(foreign_key="participant.id", index=True)
    axis: str = Field(max_length=16)
    score: int
    updated_at: datetime = Field(default_factory=utcnow)


# Tallies: derived counts the app never writes. Triggers on `rating`, `demand_vote` and `initiative_vote`
# keep them in the same transaction as each write (migration 0010), so the dashboard reads one row per
# item instead of counting every rating and vote (800 rows instead of 160,000 ratings in a large room).


class RatingTally(SQLModel, table=True):
    """How many of a workshop's ratings of one initiative on one axis gave each score (`n0`..`n10`)."""

    __tablename__ = "rating_tally"

    workshop_id: int = Field(foreign_key="workshop.id", primary_key=True)
    initiative_id: int = Field(foreign_key="initiative.id", primary_key=True, ondelete="CASCADE")
    axis: str = Field(max_length=16, primary_key=True)
    n0: int = 0
    n1: int = 0
    n2: int = 0
    n3: int = 0
    n4: int = 0
    n5: int = 0
    n6: int = 0
    n7: int = 0
    n8: int = 0
    n9: int = 0
    n10: int = 0


class RaterTally(SQLModel, table=True):
    """How many ratings each participant has given in a workshop."""

    __tablename__ = "rater_tally"

    workshop_id: int = Field(foreign_key="workshop.id", primary_key=True)
    participant_id: int = Field(foreign_key="participant.id", primary_key=True, ondelete="CASCADE")
    n: int = 0


class DemandVoteTally(SQLModel, table=True):
    """The dots on each demand of a workshop (its own, before merged duplicates are rolled up)."""

    __tablename__ = "demand_vote_tally"

    workshop_id: int = Field(foreign_key="workshop.id", primary_key=True)
    demand_id: int = Field(foreign_key="demand.id", primary_key=True, ondelete="CASCADE")
    dots: int = 0


class InitiativeVoteTally(SQLModel, table=True):
    """The dots on each initiative of a workshop (its own, before merged duplicates are rolled up)."""

    __tablename__ = "initiative_vote_tally"

    workshop_id: int = Field(foreign_key="workshop.id", primary_key=True)
    initiative_id: int = Field(foreign_key="initiative.id", primary_key=True, ondelete="CASCADE")
    dots: int = 0


class InitiativeVote(SQLModel, table=True):
    __tablename__ = "initiative_vote"
    __table_args__ = (UniqueConstraint("participant_id", "initiative_id"),)

    id: int | None = Field(default=None, primary_key=True)
    workshop_id: int = Field(foreign_key="workshop.id", index=True)
    participant_id: int = Field(foreign_key="participant.id", index=True)
    initiative_id: int = Field(foreign_key="initiative.id", index=True)
    dots: int = 1


class Level(StrEnum):
    """The self-check's four levels, best first."""

    GREAT = "great"
    IMPROVE = "improve"
    PROMPT = "prompt"
    RISK = "risk"


LEVEL_LABELS = {
    Level.GREAT: "Doing great",
    Level.IMPROVE: "Could stand some improvement",
    Level.PROMPT: "Needs prompt attention",
    Level.RISK: "Putting us at risk with customers",
}


class SelfCheckRun(SQLModel, table=True):
    """One opening of the self-check; a workshop may run it more than once (say, at start and end)."""

    __tablename__ = "selfcheck_run"

    id: int | None = Field(default=None, primary_key=True)
    workshop_id: int = Field(foreign_key="workshop.id", index=True)
    number: int
    opened_at: datetime = Field(default_factory=utcnow)
    closed_at: datetime | None = None
    baseline: bool = False  # carried from an earlier session: what this session's runs are compared with


class SelfCheckRating(SQLModel, table=True):
    """One respondent's level for one area in one run (changeable until the run closes), tied to no one.

    `respondent` is a key only the participant's own rejoin token derives (selfcheck.respondent_key): the
    server keeps only a hash of tokens, so neither the database, a backup nor an export links an answer to a
    person. No timestamp is kept, and SQLite stores the rows in key order (WITHOUT ROWID), not arrival order.
    """

    __tablename__ = "selfcheck_rating"
    __table_args__ = {"sqlite_with_rowid": False}

    run_id: int = Field(foreign_key="selfcheck_run.id", primary_key=True)
    respondent: str = Field(max_length=64, primary_key=True)
    area: str = Field(max_length=32, primary_key=True)
    level: str = Field(max_length=16)


class ActionStatus(StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    BLOCKED = "blocked"


STATUS_LABELS = {
    ActionStatus.NOT_STARTED: "Not started",
    ActionStatus.IN_PROGRESS: "In progress",
    ActionStatus.DONE: "Done",
    ActionStatus.BLOCKED: "Blocked",
}


class Review(StrEnum):
    """What became of an action carried from the last session, as the follow-up's room reviews it."""

    DONE = "done"
    LATE = "late"
    DROPPED = "dropped"


REVIEW_LABELS = {Review.DONE: "Done", Review.LATE: "Late", Review.DROPPED: "Dropped"}


class Action(SQLModel, table=True):
    """A task that makes a chosen initiative real."""

    id: int | None = Field(default=None, primary_key=True)
    workshop_id: int = Field(foreign_key="workshop.id", index=True)
    initiative_id: int = Field(foreign_key="initiative.id", index=True)
    what: str = Field(max_length=300)
    owner: str = Field(max_length=80)
    due: date
    status: str = Field(default=ActionStatus.NOT_STARTED, max_length=16)
    created_at: datetime = Field(default_factory=utcnow)
    start: date | None = None  # none: a one-day action on its due date
    milestone: bool = False  # zero length, on its due date
    # Carried from the last session (planning/followup.py): its status and due date there, then the review.
    carried_status: str | None = Field(default=None, max_length=16)
    carried_due: date | None = None
    review: str | None = Field(default=None, max_length=16)
    review_reason: str | None = Field(default=None, max_length=300)


class ActionDependency(SQLModel, table=True):
    """Finish-to-start: an action waits for another to be done before it starts."""

    __tablename__ = "action_dependency"

    action_id: int = Field(foreign_key="action.id", primary_key=True)
    depends_on_id: int = Field(foreign_key="action.id", primary_key=True, index=True)


class StepValue(StrEnum):
    ADDS = "adds"  # adds value for the customer
    ENABLES = "enables"  # enables a step that does
    NONE = "none"  # no value to the customer: a candidate to remove


STEP_VALUE_LABELS = {StepValue.ADDS: "Adds value", StepValue.ENABLES: "Enables", StepValue.NONE: "No customer value"}


class ProcessStep(SQLModel, table=True):
    """One step of the workflow a chosen initiative changes: who, what, the information moving with it."""

    __tablename__ = "process_step"

    id: int | None = Field(default=None, primary_key=True)
    workshop_id: int = Field(foreign_key="workshop.id", index=True)
    initiative_id: int = Field(foreign_key="initiative.id", index=True)
    position: int
    actor: str = Field(max_length=80)
    what: str = Field(max_length=300)
    information: str = Field(default="", max_length=300)
    value: str = Field(max_length=16)


class JoinFailure(SQLModel, table=True):
    """A join with a wrong code: counted per browser session and per client address to slow guessing."""

    __tablename__ = "join_failure"

    id: int | None = Field(default=None, primary_key=True)
    client: str = Field(max_length=80, index=True)
    at: datetime = Field(default_factory=utcnow, index=True)
