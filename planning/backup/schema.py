"""The backup's format: one checked model per row, the versions it reads, and how much it restores.

Text, numbers and times follow the rules the services apply to what people type (clean_text and the
services' own limits); what must also fit the database (integers, times) is bounded here.
"""

from datetime import UTC, date, datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, Field

from planning.demands import MAX_DEMAND
from planning.errors import InvalidInput
from planning.initiatives import MAX_SIDE, MAX_TITLE
from planning.models import ActionStatus, Area, Axis, Effort, Level, Phase, Review, StepValue
from planning.participants import MAX_NAME
from planning.plan.review import MAX_REASON
from planning.ratings import SCALE
from planning.text import clean_text
from planning.workshops import MAX_VOTE_BUDGET

FORMAT = "hyperplan-backup"
# 2: chosen initiatives, self-check; 3: actions, process maps; 4: self-check answers tied to no one, and no
# names in the backup of an anonymous workshop; 5: follow-ups (planning/followup.py): the chain by join code, and
# what a follow-up carries as history (votes and ratings of the last session, the plan's review, baseline runs).
SCHEMA_VERSION = 5
READABLE_VERSIONS = (1, 2, 3, 4, 5)
MAX_INT = 2**31 - 1  # PostgreSQL's integer

# The 200-person benchmark workshop (bench/seed.py) is an 18.5 MB backup: 200 participants, 2,000 demands,
# 400 initiatives, 10,000 dots on each kind of item and 160,000 ratings. A restore takes twice that, or more.
MAX_BACKUP_BYTES = 40 * 1024 * 1024
LIMITS = {
    "participants": 1_000, "demands": 10_000, "initiatives": 2_000, "demand_votes": 50_000,
    "initiative_votes": 50_000, "ratings": 320_000, "moderation": 20_000, "selfcheck": 100, "actions": 5_000,
    "process_steps": 5_000,
}
LIMIT_NAMES = {
    "participants": "participants", "demands": "demands", "initiatives": "initiatives", "demand_votes": "votes",
    "initiative_votes": "votes", "ratings": "ratings", "moderation": "moderation records",
    "selfcheck": "self-check runs", "actions": "actions", "process_steps": "process steps",
}


def _text(limit: int, *, empty: bool = False):
    def check(value: str) -> str:
        if empty and value == "":
            return value
        try:
            value.encode()
        except UnicodeEncodeError:  # a lone surrogate: no database stores it
            raise InvalidInput("A text in the backup is not valid Unicode") from None
        if clean_text(value, what="A text in the backup", max_length=limit) != value:
            raise ValueError("text is not trimmed")
        return value

    return Annotated[str, AfterValidator(check)]


def _utc(value: datetime) -> datetime:
    try:
        return value.astimezone(UTC)
    except (OverflowError, ValueError):
        raise ValueError("the time is out of range in UTC") from None


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=False)


Id = Annotated[int, Field(ge=1, le=MAX_INT)]
Moment = Annotated[AwareDatetime, AfterValidator(_utc)]  # with its timezone, and a real time in UTC
Dots = Annotated[int, Field(ge=1, le=MAX_VOTE_BUDGET)]
Count = Annotated[int, Field(ge=0, le=MAX_INT)]
Code = Annotated[str, Field(pattern=r"^[A-Z0-9]{1,32}$")]  # a join code, as normalise_code leaves it
Score = Annotated[float, Field(ge=min(SCALE), le=max(SCALE), allow_inf_nan=False)]


class BWorkshop(_Strict):
    title: _text(120)
    company: _text(120)
    segment: _text(300)
    phase: Phase
    anonymous: bool
    private_until_reveal: bool
    revealed: bool
    results_revealed: bool
    vote_budget: int
    vote_cap: int
    locked: bool
    created_at: Moment
    follows: Code | None = None  # the session this one follows, and the one that follows it, by join code
    followed_by: Code | None = None


class BParticipant(_Strict):
    id: Id
    name: _text(MAX_NAME)
    joined_at: Moment


class BDemand(_Strict):
    id: Id
    author: Id | None
    text: _text(MAX_DEMAND)
    area: Area | None
    hidden: bool
    merged_into: Id | None
    created_at: Moment
    updated_at: Moment
    carried_votes: Count | None = None  # carried from the last session: its votes there


class BLastSession(_Strict):
    """How the last session voted and rated a carried initiative."""

    votes: Count
    customer_median: Score | None
    customer_spread: Score | None
    customer_n: Count
    company_median: Score | None
    company_spread: Score | None
    company_n: Count


class BInitiative(_Strict):
    id: Id
    author: Id | None
    title: _text(MAX_TITLE)
    customer_value: _text(MAX_SIDE, empty=True)
    company_value: _text(MAX_SIDE, empty=True)
    effort: Effort | None
    answers_no_demand: bool
    hidden: bool
    chosen: bool = False
    merged_into: Id | None
    demands: Annotated[list[Id], Field(max_length=LIMITS["demands"])]
    areas: Annotated[list[Area], Field(max_length=len(Area))]
    created_at: Moment
    updated_at: Moment
    last_session: BLastSession | None = None


class BDemandVote(_Strict):
    participant: Id
    demand: Id
    dots: Dots


class BInitiativeVote(_Strict):
    participant: Id
    initiative: Id
    dots: Dots


class BRating(_Strict):
    participant: Id
    initiative: Id
    axis: Axis
    score: Annotated[int, Field(ge=min(SCALE), le=max(SCALE))]
    updated_at: Moment


class BSelfCheckRun(_Strict):
    """A run and its answers, one dict of area -> level per respondent, sorted: no order, id or time to join."""

    number: Annotated[int, Field(ge=1, le=LIMITS["selfcheck"])]
    opened_at: Moment
    closed_at: Moment | None
    responses: Annotated[list[Annotated[dict[Area, Level], Field(min_length=1)]],
                         Field(max_length=LIMITS["participants"])]
    baseline: bool = False  # carried from an earlier session


class BSelfCheckRatingV3(_Strict):
    """Versions 2 and 3 stored each answer with its participant; a restore keeps the answers, not who."""

    participant: Id
    area: Area
    level: Level
    updated_at: Moment


class BSelfCheckRunV3(_Strict):
    number: Annotated[int, Field(ge=1, le=LIMITS["selfcheck"])]
    opened_at: Moment
    closed_at: Moment | None
    ratings: Annotated[list[BSelfCheckRatingV3], Field(max_length=LIMITS["participants"] * len(Area))]


class BAction(_Strict):
    initiative: Id
    what: _text(300)
    owner: _text(80)
    due: date
    status: ActionStatus
    created_at: Moment
    id: Id | None = None  # the workshop's own action ids, for dependencies (optional: older backups lack them)
    start: date | None = None
    milestone: bool = False
    depends_on: Annotated[list[Id], Field(max_length=LIMITS["actions"])] = []
    carried_status: ActionStatus | None = None  # carried from the last session: its status and due date there
    carried_due: date | None = None
    review: Review | None = None  # what the follow-up's room said became of it
    review_reason: _text(MAX_REASON) | None = None


class BProcessStep(_Strict):
    initiative: Id
    position: Id
    actor: _text(80)
    what: _text(300)
    information: _text(300, empty=True)
    value: StepValue


class BModeration(_Strict):
    action: _text(32)
    target: _text(64)
    detail: _text(1000, empty=True) | None
    at: Moment


class Backup(_Strict):
    """A whole backup in memory: what `backup_of` builds for the JSON backup and the data exports."""

    format: Literal["hyperplan-backup"]
    schema_version: Literal[5]
    exported_at: datetime
    workshop: BWorkshop
    participants: list[BParticipant]
    demands: list[BDemand]
    demand_votes: list[BDemandVote]
    initiatives: list[BInitiative]
    ratings: list[BRating]
    initiative_votes: list[BInitiativeVote]
    moderation: list[BModeration]
    selfcheck: list[BSelfCheckRun] = []
    actions: list[BAction] = []
    process_steps: list[BProcessStep] = []


ROWS = {  # a list section of the file -> the model of one of its rows (selfcheck depends on the version)
    "participants": BParticipant, "demands": BDemand, "demand_votes": BDemandVote, "initiatives": BInitiative,
    "ratings": BRating, "initiative_votes": BInitiativeVote, "moderation": BModeration, "actions": BAction,
    "process_steps": BProcessStep,
}
SECTIONS = frozenset({"format", "schema_version", "exported_at", "workshop", "selfcheck", *ROWS})
REQUIRED = SECTIONS - {"selfcheck", "actions", "process_steps"}  # those came with versions 2 and 3
