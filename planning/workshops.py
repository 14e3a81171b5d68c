"""Workshops: create one, and the facilitator's controls over the room."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import bindparam
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, func, select

from planning.access import (
    NO_WORKSHOP,
    digest,
    facilitated,
    in_workshop,
    new_code,
    new_secret,
    normalise_code,
    record,
    require_organiser,
    require_unlocked,
    workshop_by_code,
)
from planning.db import Database
from planning.errors import InvalidInput, NotFound
from planning.models import PHASE_LABELS, Demand, Initiative, Participant, Phase, SelfCheckRun, Workshop, utcnow
from planning.text import clean_text

MAX_VOTE_BUDGET = 50
MAX_TIMER_MINUTES = 240
MAX_ITEMS_PER_PERSON, MAX_ITEMS_PER_MINUTE = 1000, 120


@dataclass(frozen=True)
class WorkshopView:
    code: str
    title: str
    company: str
    segment: str
    phase: Phase
    anonymous: bool
    private_until_reveal: bool
    revealed: bool
    vote_budget: int
    vote_cap: int
    locked: bool
    timer_ends_at: datetime | None
    revision: int
    is_demo: bool
    results_revealed: bool
    participant_count: int
    demand_count: int  # shown demands (not hidden, not merged)
    initiative_count: int  # shown initiatives (not hidden, not merged)
    selfcheck_run: int | None = None  # the number of the open self-check run, if one is open
    room_revision: int = 0  # moves only with what participants' pages show (see Workshop.room_revision)
    spotlight_id: int | None = None  # Review's reveal mode: the initiative the wall shows alone
    wall_selfcheck: bool = False  # the self-check results are on the wall
    items_per_person: int = 50  # demands (and, apart, initiatives) one person may add
    items_per_minute: int = 10

    @property
    def phase_label(self) -> str:
        return PHASE_LABELS[self.phase]

    @property
    def items_private(self) -> bool:
        """Participants see only their own items until the facilitator reveals."""
        return self.private_until_reveal and not self.revealed

    @property
    def revisions(self) -> "Revisions":
        """The change counters this view was read at (what a live screen drawn from it listens past)."""
        return Revisions(self.revision, self.room_revision, _epoch(self.timer_ends_at), self.phase.value)

    def seconds_left(self, now: datetime | None = None) -> int | None:
        """Whole seconds left on the timer by the server's clock, or None when no timer runs."""
        if self.timer_ends_at is None:
            return None
        return max(0, int((self.timer_ends_at - (now or utcnow())).total_seconds() + 0.999))


@dataclass(frozen=True)
class CreatedWorkshop:
    workshop: WorkshopView
    facilitator_key: str
    dropped: str | None = None  # a restore: the links to other sessions it had to leave out, in our words


def view_of(s: Session, w: Workshop) -> WorkshopView:
    people = s.exec(select(func.count()).where(
        Participant.workshop_id == w.id, Participant.merged_into_id.is_(None), ~Participant.removed)).one()
    shown = s.exec(
        select(func.count()).where(Demand.workshop_id == w.id, ~Demand.hidden, Demand.merged_into_id.is_(None))
    ).one()
    initiatives = s.exec(select(func.count()).where(
        Initiative.workshop_id == w.id, ~Initiative.hidden, Initiative.merged_into_id.is_(None))).one()
    return WorkshopView(
        code=w.join_code, title=w.title, company=w.company, segment=w.segment,
        phase=Phase(w.phase), anonymous=w.anonymous, private_until_reveal=w.private_until_reveal,
        revealed=w.revealed, vote_budget=w.vote_budget, vote_cap=w.vote_cap, locked=w.locked,
        timer_ends_at=w.timer_ends_at, revision=w.revision, is_demo=w.is_demo, results_revealed=w.results_revealed,
        participant_count=people, demand_count=shown, initiative_count=initiatives, selfcheck_run=s.exec(
            select(SelfCheckRun.number).where(SelfCheckRun.workshop_id == w.id, SelfCheckRun.closed_at.is_(None))
        ).first(),
        room_revision=w.room_revision, spotlight_id=w.spotlight_id, wall_selfcheck=w.wall_selfcheck,
        items_per_person=w.items_per_person, items_per_minute=w.items_per_minute,
    )


def create_workshop(
    db: Database, *, title: str, company: str, segment: str,
    passcode: str | None = None, organiser_passcode: str | None = None,
) -> CreatedWorkshop:
    """A new workshop with a fresh join code and facilitator key (only its hash is kept).

    Raises: NotAllowed when the organiser's passcode is required and wrong; InvalidInput.
    """
    require_organiser(passcode, organiser_passcode)
    fields = {
        "title": clean_text(title, what="The title", max_length=120),
        "company": clean_text(company, what="The company", max_length=120),
        "segment": clean_text(segment, what="The customer segment", max_length=300),
    }
    key = new_secret()
    for _attempt in range(5):
        try:
            with db.write() as s:
                w = Workshop(join_code=new_code(), facilitator_key_hash=digest(key), **fields)
                s.add(w)
                s.flush()
                return CreatedWorkshop(view_of(s, w), key)
        except IntegrityError:  # a join code collision: astronomically rare, so just draw again
            continue
    raise RuntimeError("Could not draw a free join code")


def get_workshop(db: Database, code: str) -> WorkshopView:
    """The workshop's public state. Raises: NotFound."""
    with db.read() as s:
        return view_of(s, workshop_by_code(s, code))


# Built once: every live screen reads these, 200 phones at a time (statements through Core, rows not objects).
_REVISION = select(Workshop.revision).where(Workshop.join_code == bindparam("code"))
_REVISIONS = select(Workshop.join_code, Workshop.revision, Workshop.room_revision, Workshop.timer_ends_at,
                    Workshop.phase).where(Workshop.join_code.in_(bindparam("codes", expanding=True)))


def get_revision(db: Database, code: str) -> int:
    """The workshop's change counter: one cheap query for live screens, one column by the indexed code,
    no object built. Raises: NotFound."""
    with db.read_rows() as conn:
        revision = conn.execute(_REVISION, {"code": normalise_code(code)}).scalar()
    if revision is None:
        raise NotFound(NO_WORKSHOP)
    return revision


@dataclass(frozen=True)
class Revisions:
    """What live screens follow: `revision` moves with every change, `room` with what participants see,
    `timer` is when the countdown ends (whole seconds since the epoch; 0 when none runs), and `phase` the phase (a
    page redraws whole when it moves, instead of a list finding out and asking for the page)."""

    revision: int
    room: int
    timer: int = 0
    phase: str = ""


def get_revisions(db: Database, codes: Iterable[str]) -> dict[str, Revisions]:
    """The change counters of these workshops, in one query (live screens of a whole server process share it).

    Unknown codes are left out."""
    wanted = {normalise_code(c) for c in codes}
    if not wanted:
        return {}
    with db.read_rows() as conn:
        rows = conn.execute(_REVISIONS, {"codes": sorted(wanted)}).all()
    return {code: Revisions(revision, room, _epoch(ends), str(phase)) for code, revision, room, ends, phase in rows}


def _epoch(moment: datetime | None) -> int:
    if moment is None:
        return 0
    return int((moment if moment.tzinfo else moment.replace(tzinfo=UTC)).timestamp())


def check_facilitator(db: Database, code: str, key: str) -> WorkshopView:
    """The workshop, if `key` is its facilitator key. Raises: NotFound, NotAllowed."""
    with db.read() as s:
        return view_of(s, facilitated(s, code, key))


def _control(db: Database, code: str, key: str, action: str, change, *, locked_ok=False, room: bool = True):
    """Apply `change` to the workshop as its facilitator, in one transaction (`room=False`: participants' pages
    show nothing of it but the clock, which follows the timer itself)."""
    with db.write() as s:
        w = facilitated(s, code, key, for_update=True)
        if not locked_ok:
            require_unlocked(w)
        detail = change(w)
        w.revision += 1
        w.room_revision += 1 if room else 0
        record(s, w, action, f"workshop:{w.id}", detail)
        s.flush()
        return view_of(s, w)


def set_phase(db: Database, code: str, key: str, phase: str, *, keep_timer: bool = False) -> WorkshopView:
    """Move the room to `phase` (any phase, back or forward); a running timer stops unless `keep_timer`.

    Entering Review reveals the results and going back before it hides them (so ratings stay
    independent); the facilitator can still reveal or hide them by hand. Items kept private
    are revealed once the room leaves the phases where they are added.

    Raises: NotAllowed, WorkshopLocked, InvalidInput for an unknown phase.
    """
    try:
        target = Phase(phase)
    except ValueError:
        raise InvalidInput("That is not a phase of this workshop") from None

    results_phases = (Phase.REVIEW, Phase.PLAN, Phase.CLOSED)
    adding_phases = (Phase.LOBBY, Phase.INNER_CUSTOMER, Phase.VALUE_EXCHANGE)

    def change(w: Workshop) -> str:
        if w.private_until_reveal and target not in adding_phases:
            w.revealed = True  # private only while items are added: everyone rates and reviews everything
        if target not in results_phases:
            w.results_revealed = False
        elif w.phase not in results_phases:
            w.results_revealed = True
        w.phase = target
        if not keep_timer:
            w.timer_ends_at = None
        if target != Phase.REVIEW:
            w.spotlight_id = None
        return target.value

    return _control(db, code, key, "phase", change)


def start_timer(db: Database, code: str, key: str, minutes: float) -> WorkshopView:
    """Start a countdown of `minutes` on the server's clock. Raises: InvalidInput, NotAllowed."""
    if not isinstance(minutes, int | float) or not 0 < minutes <= MAX_TIMER_MINUTES:
        raise InvalidInput(f"The timer can run from 1 second to {MAX_TIMER_MINUTES} minutes")

    def change(w: Workshop) -> str:
        w.timer_ends_at = utcnow() + timedelta(minutes=minutes)
        return f"{minutes} min"

    return _control(db, code, key, "timer_start", change, room=False)


def stop_timer(db: Database, code: str, key: str) -> WorkshopView:
    """Stop the countdown. Raises: NotAllowed, WorkshopLocked."""
    return _control(db, code, key, "timer_stop", lambda w: setattr(w, "timer_ends_at", None), room=False)


def set_anonymous(db: Database, code: str, key: str, anonymous: bool) -> WorkshopView:
    """Hide (or show) authors on shared screens, other participants' pages and exports."""
    return _control(db, code, key, "anonymous", lambda w: setattr(w, "anonymous", bool(anonymous)))


def set_private_until_reveal(db: Database, code: str, key: str, private: bool) -> WorkshopView:
    """Participants see only their own items until `reveal_items`; switching on hides again."""

    def change(w: Workshop) -> str:
        w.private_until_reveal, w.revealed = bool(private), False
        return str(bool(private))

    return _control(db, code, key, "private", change)


def reveal_items(db: Database, code: str, key: str, revealed: bool = True) -> WorkshopView:
    """Show everyone's items to everyone (or hide them again)."""
    return _control(db, code, key, "reveal", lambda w: setattr(w, "revealed", bool(revealed)))


def reveal_results(db: Database, code: str, key: str, revealed: bool = True) -> WorkshopView:
    """Show the room's ratings (medians, spread, dashboard) to everyone, or hide them again."""
    return _control(db, code, key, "results", lambda w: setattr(w, "results_revealed", bool(revealed)))


def set_spotlight(db: Database, code: str, key: str, initiative_id: int | None) -> WorkshopView:
    """Review's reveal mode: the wall shows this initiative alone (None shows them all again).

    Raises: InvalidInput outside Review; NotFound for an initiative not on the board; NotAllowed, WorkshopLocked.
    """
    with db.write() as s:
        w = facilitated(s, code, key, for_update=True)
        require_unlocked(w)
        if initiative_id is not None:
            if w.phase != Phase.REVIEW:
                raise InvalidInput("Initiatives are revealed one at a time during Review")
            item = in_workshop(s, Initiative, w, initiative_id, "initiative")
            if item.hidden or item.merged_into_id is not None:
                raise NotFound("That initiative is not on the board")
        w.spotlight_id = initiative_id
        w.revision += 1
        record(s, w, "spotlight", f"workshop:{w.id}", str(initiative_id))
        s.flush()
        return view_of(s, w)


def show_selfcheck_on_wall(db: Database, code: str, key: str, shown: bool) -> WorkshopView:
    """Put the self-check's results on the wall (or take them off). Raises: NotAllowed, WorkshopLocked."""
    return _control(db, code, key, "wall_selfcheck", lambda w: setattr(w, "wall_selfcheck", bool(shown)))


def check_vote_budget(budget: object, cap: object) -> None:
    """A budget of 1 to MAX_VOTE_BUDGET dots, at most `budget` of them on one item (also checked in every
    restored backup). Raises: InvalidInput."""
    if not isinstance(budget, int) or not 1 <= budget <= MAX_VOTE_BUDGET:
        raise InvalidInput(f"The vote budget must be between 1 and {MAX_VOTE_BUDGET}")
    if not isinstance(cap, int) or not 1 <= cap <= budget:
        raise InvalidInput("The cap per item must be between 1 and the vote budget")


def set_vote_budget(db: Database, code: str, key: str, budget: int, cap: int) -> WorkshopView:
    """Each participant's dots, and how many may go on one item. Raises: InvalidInput."""
    check_vote_budget(budget, cap)

    def change(w: Workshop) -> str:
        w.vote_budget, w.vote_cap = budget, cap
        return f"{budget}/{cap}"

    return _control(db, code, key, "votes", change)


def set_item_limits(db: Database, code: str, key: str, per_person: int, per_minute: int) -> WorkshopView:
    """How many demands, and apart how many initiatives, one participant may add in all and in a minute.

    Raises: InvalidInput outside 1..MAX_ITEMS_PER_PERSON and 1..MAX_ITEMS_PER_MINUTE, NotAllowed, WorkshopLocked."""
    for value, most, what in ((per_person, MAX_ITEMS_PER_PERSON, "in all"),
                              (per_minute, MAX_ITEMS_PER_MINUTE, "in a minute")):
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= most:
            raise InvalidInput(f"Items one person may add {what} must be between 1 and {most}")

    def change(w: Workshop) -> str:
        w.items_per_person, w.items_per_minute = per_person, per_minute
        return f"{per_person}/{per_minute}"

    return _control(db, code, key, "item_limits", change)


def lock_workshop(db: Database, code: str, key: str) -> WorkshopView:
    """Make the workshop read-only for everyone, the facilitator included."""
    return _control(db, code, key, "lock", lambda w: setattr(w, "locked", True))


def unlock_workshop(db: Database, code: str, key: str) -> WorkshopView:
    """Allow changes again."""
    return _control(db, code, key, "unlock", lambda w: setattr(w, "locked", False), locked_ok=True)

