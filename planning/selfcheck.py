"""The customer-alignment self-check: six areas, four levels, rated anonymously, run once or more."""

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, select

from planning.access import bump, facilitated, participant_by_token, record, require_unlocked, workshop_by_code
from planning.db import Database
from planning.errors import InvalidInput, NotAllowed
from planning.initiatives import views_in
from planning.models import Area, Level, SelfCheckRating, SelfCheckRun, Workshop, utcnow

# A few probing questions per area, in our own words, to make the rating honest.
QUESTIONS = {
    Area.RELATIONSHIPS: ("Can front-line staff bend a policy to fix a customer's problem?",
                         "Do managers see buying and selling as win–lose?",
                         "How much time do leaders spend with customers?",
                         "Are we honest with customers when it costs us in the short term?"),
    Area.STRATEGY: ("How often is strategy reset as customers' needs change?",
                    "Do we plan wearing the company's hat or the customer's?",
                    "Is there a senior advocate for customers?",
                    "Do goals come from customer needs, or get pushed onto customers?"),
    Area.MARKETING: ("Do we talk more than we listen?",
                     "Do we persuade customers, or do what they ask?",
                     "Are marketing and sales pulling the same way?"),
    Area.SALES_SERVICE: ("Can contact staff act for a customer without asking permission?",
                         "Do our metrics reward customer-aligned behaviour?",
                         "Are goals about relationships, or product quotas?",
                         "Is service measured on efficiency, or on helping?"),
    Area.PROCESS_DESIGN: ("Are processes built to support the customer strategy?",
                          "Is value to customers, or efficiency, the driver?",
                          "Do the process and the customer's information flow together?",
                          "Is technology fitted to the process, or the process to the technology?"),
    Area.CAPACITY_TO_CHANGE: ("Does long-term customer development survive short-term pressure?",
                              "How thick are the walls between our silos?",
                              "Do relationships weigh as much as internal efficiency?",
                              "How readily do functions stretch when change is needed?"),
}
SCORE = {Level.GREAT: 3, Level.IMPROVE: 2, Level.PROMPT: 1, Level.RISK: 0}
HONEST_GREAT = 2  # even well-aligned companies rarely deserve "doing great" in more than a couple of areas
WEAK = 2  # the areas named weakest


@dataclass(frozen=True)
class MySelfCheck:
    number: int | None  # the open run, if any
    levels: dict[Area, Level]


@dataclass(frozen=True)
class RunResult:
    number: int
    open: bool
    respondents: int
    distribution: dict[Area, dict[Level, int]]
    means: dict[Area, float | None]  # 3 = doing great ... 0 = putting us at risk
    great_heavy: int  # respondents who rated more than HONEST_GREAT areas "doing great"
    baseline: bool = False  # carried from an earlier session (planning/followup.py)
    opened_at: datetime | None = None

    @property
    def weakest(self) -> tuple[Area, ...]:
        rated = sorted((m, list(Area).index(a), a) for a, m in self.means.items() if m is not None)
        return tuple(a for _, _, a in rated[:WEAK])

    @property
    def honesty_note(self) -> str | None:
        """A gentle note when the room, or a large share of it, rates most areas "doing great"."""
        room_great = sum(1 for m in self.means.values() if m is not None and m >= 2.5)
        if self.respondents and (room_great > HONEST_GREAT or self.great_heavy * 2 >= self.respondents):
            return ("Many areas are rated “Doing great”. Even well-aligned companies rarely deserve that in more "
                    "than a couple of areas: is the room being as hard on itself as a customer would be?")
        return None


def _open_run(s: Session, w: Workshop) -> SelfCheckRun | None:
    query = select(SelfCheckRun).where(SelfCheckRun.workshop_id == w.id, SelfCheckRun.closed_at.is_(None))
    return s.exec(query).first()


def respondent_key(token: str, run_id: int) -> str:
    """Who answered, as only their own rejoin token can say: the server keeps a hash of tokens, never the token,
    so this key ties a stored answer to no one, yet lets its author find and change it while the run is open."""
    return hmac.new(token.encode(), f"hyperplan-selfcheck-run:{run_id}".encode(), hashlib.sha256).hexdigest()


def require_none_open(open_runs: int) -> None:
    """One run at a time (also checked in every restored backup). Raises: InvalidInput when one is open."""
    if open_runs:
        raise InvalidInput("The self-check is open already")


def next_run_number(runs_so_far: int) -> int:
    """Runs are numbered 1, 2, 3... in the order they were opened (also checked in every restored backup)."""
    return runs_so_far + 1


def open_selfcheck(db: Database, code: str, key: str) -> int:
    """Open a new run of the self-check (at any phase); returns its number. Raises: InvalidInput if one is open."""
    with db.write() as s:
        w = facilitated(s, code, key, for_update=True)
        require_unlocked(w)
        require_none_open(1 if _open_run(s, w) else 0)
        number = next_run_number(s.exec(select(func.count()).where(SelfCheckRun.workshop_id == w.id)).one())
        s.add(SelfCheckRun(workshop_id=w.id, number=number))
        record(s, w, "selfcheck_open", f"workshop:{w.id}", f"run {number}")
        bump(s, w)
        return number


def close_selfcheck(db: Database, code: str, key: str) -> None:
    """Close the open run: ratings are final. Raises: InvalidInput if none is open, NotAllowed."""
    with db.write() as s:
        w = facilitated(s, code, key, for_update=True)
        require_unlocked(w)
        run = _open_run(s, w)
        if run is None:
            raise InvalidInput("The self-check is not open")
        run.closed_at = utcnow()
        record(s, w, "selfcheck_close", f"workshop:{w.id}", f"run {run.number}")
        bump(s, w)


def rate_area(db: Database, token: str, area: str, level: str) -> None:
    """Set one's level for one area in the open run (one rating per area per run, changeable until it closes).

    Stored under `respondent_key`, never the participant. Raises: InvalidInput (unknown area or level),
    NotAllowed (no run open), WorkshopLocked.
    """
    try:
        area, level = Area(area), Level(level)
    except ValueError:
        raise InvalidInput("Rate one of the six areas on one of the four levels") from None
    with db.write() as s:
        w, _ = participant_by_token(s, token)
        # The workshop row locked first: two devices of one person, or a close, wait their turn on PostgreSQL.
        w = s.exec(select(Workshop).where(Workshop.id == w.id).with_for_update()
                   .execution_options(populate_existing=True)).one()
        require_unlocked(w)
        run = _open_run(s, w)
        if run is None:
            raise NotAllowed("The self-check is not open")
        row = s.get(SelfCheckRating, (run.id, respondent_key(token, run.id), area))
        if row is None:
            s.add(SelfCheckRating(run_id=run.id, respondent=respondent_key(token, run.id), area=area, level=level))
        else:
            row.level = level
        bump(s, w, room=False)


def get_my_selfcheck(db: Database, token: str) -> MySelfCheck:
    """The open run's number and the asker's own levels in it (never anyone else's)."""
    with db.read() as s:
        w, _ = participant_by_token(s, token)
        run = _open_run(s, w)
        if run is None:
            return MySelfCheck(None, {})
        rows = s.exec(select(SelfCheckRating.area, SelfCheckRating.level).where(
            SelfCheckRating.run_id == run.id, SelfCheckRating.respondent == respondent_key(token, run.id)))
        return MySelfCheck(run.number, {Area(a): Level(lv) for a, lv in rows})


def results_of(s: Session, w: Workshop) -> list[RunResult]:
    """Every run's counts per area and level, means, and how many rated most areas "doing great"."""
    runs = s.exec(select(SelfCheckRun).where(SelfCheckRun.workshop_id == w.id).order_by(SelfCheckRun.number)).all()
    out = []
    for run in runs:
        counts = s.exec(select(SelfCheckRating.area, SelfCheckRating.level, func.count())
                        .where(SelfCheckRating.run_id == run.id)
                        .group_by(SelfCheckRating.area, SelfCheckRating.level)).all()
        dist = {a: dict.fromkeys(Level, 0) for a in Area}
        for a, lv, n in counts:
            dist[Area(a)][Level(lv)] = n
        means = {a: (sum(SCORE[lv] * n for lv, n in d.items()) / sum(d.values()) if sum(d.values()) else None)
                 for a, d in dist.items()}
        per_person = select(SelfCheckRating.respondent, func.count().label("n")).where(
            SelfCheckRating.run_id == run.id, SelfCheckRating.level == Level.GREAT
        ).group_by(SelfCheckRating.respondent).subquery()
        heavy = s.exec(select(func.count()).select_from(per_person).where(per_person.c.n > HONEST_GREAT)).one()
        respondents = s.exec(select(func.count(func.distinct(SelfCheckRating.respondent)))
                             .where(SelfCheckRating.run_id == run.id)).one()
        out.append(RunResult(run.number, run.closed_at is None, respondents, dist, means, heavy, run.baseline,
                             run.opened_at))
    return out


@dataclass(frozen=True)
class AreaShift:
    """One area, from the latest run of an earlier session to this session's latest: means and counts per level."""

    area: Area
    mean_before: float | None
    mean_after: float | None
    before: dict[Level, int]
    after: dict[Level, int]

    @property
    def change(self) -> float | None:
        return None if self.mean_before is None or self.mean_after is None else self.mean_after - self.mean_before

    @staticmethod
    def _weak(counts: dict[Level, int]) -> float | None:
        total = sum(counts.values())
        return (counts[Level.PROMPT] + counts[Level.RISK]) / total if total else None

    @property
    def weak_before(self) -> float | None:
        """The share of answers at "needs prompt attention" or worse, then."""
        return self._weak(self.before)

    @property
    def weak_after(self) -> float | None:
        return self._weak(self.after)


@dataclass(frozen=True)
class Shift:
    """How the room's self-check moved since the last session."""

    before: RunResult
    after: RunResult
    areas: tuple[AreaShift, ...]


def shift_of(runs: list[RunResult]) -> Shift | None:
    """Per area, from the latest answered run carried from an earlier session (a baseline) to this session's latest
    answered run; None in a workshop without both."""
    earlier = [r for r in runs if r.baseline and r.respondents]
    now = [r for r in runs if not r.baseline and r.respondents]
    if not earlier or not now:
        return None
    before, after = earlier[-1], now[-1]
    return Shift(before, after, tuple(AreaShift(a, before.means[a], after.means[a], before.distribution[a],
                                                after.distribution[a]) for a in Area))


def selfcheck_results(db: Database, code: str) -> list[RunResult]:
    """The self-check's results for everyone: counts only, never who rated what."""
    with db.read() as s:
        return results_of(s, workshop_by_code(s, code))


@dataclass(frozen=True)
class Investment:
    """Planned initiatives set against the self-check's weakest areas."""

    basis: str  # "chosen" when the facilitator has chosen initiatives, else "top-ranked"
    planned: tuple[tuple[str, tuple[Area, ...]], ...]  # (title, areas it strengthens)
    weakest: tuple[Area, ...]
    unaddressed: tuple[Area, ...]  # weak areas no planned initiative strengthens


def investment_view(db: Database, code: str, top: int = 5) -> Investment | None:
    """Where the planned investments land against the weakest areas; None before any self-check result."""
    with db.read() as s:
        w = workshop_by_code(s, code)
        runs = [r for r in results_of(s, w) if r.respondents]
        if not runs:
            return None
        items = views_in(s, w)
    chosen = [i for i in items if i.chosen]
    planned = chosen or items[:top]
    weakest = runs[-1].weakest
    covered = {a for i in planned for a in i.areas}
    return Investment("chosen" if chosen else "top-ranked", tuple((i.title, i.areas) for i in planned), weakest,
                      tuple(a for a in weakest if a not in covered))
