"""The dashboard's rules in one place: medians, spread, quadrants, balance, disagreement, coverage.

Scores are whole numbers 0-10, so the database returns a histogram per initiative and axis
(at most 11 rows each) and the statistics are exact, whatever the size of the room.
"""

from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property

from sqlalchemy import func
from sqlmodel import Session, select

from planning import moderation
from planning.access import workshop_by_code
from planning.db import Database
from planning.models import (
    Area,
    Axis,
    Demand,
    DemandVote,
    Effort,
    Initiative,
    InitiativeArea,
    InitiativeDemand,
    InitiativeVote,
    Rating,
    Workshop,
)
from planning.ratings import RoomProgress, progress_of

MIDPOINT = 5  # a median of 5 or more counts as high
DISPUTE_IQR = 4  # an interquartile range this wide on either axis means the room is split
MIN_N = 3  # fewer ratings than this and a figure is marked as resting on too few people
TOP_DEMANDS = 5
LEAN_WARNING = 1.0  # mean company value this far above mean customer value: the room leans self-serving


class Quadrant(StrEnum):
    WIN_WIN = "Win–win"
    FIND_THE_RETURN = "Find the return"
    SELF_SERVING = "Self-serving"
    DROP = "Drop"


QUADRANT_ADVICE = {
    Quadrant.WIN_WIN: "pursue",
    Quadrant.FIND_THE_RETURN: "customer value, no return found yet",
    Quadrant.SELF_SERVING: "the self-serving trap",
    Quadrant.DROP: "drop",
}


@dataclass(frozen=True)
class AxisStats:
    median: float | None
    q1: float | None
    q3: float | None
    n: int

    @property
    def spread(self) -> float | None:
        """The interquartile range."""
        return None if self.n == 0 else self.q3 - self.q1

    @property
    def few(self) -> bool:
        return self.n < MIN_N


def _order_stat(hist: dict[int, int], k: int) -> int:
    """The k-th smallest score (0-based) of the histogram."""
    seen = 0
    for score in sorted(hist):
        seen += hist[score]
        if k < seen:
            return score
    raise IndexError(k)


def quantile(hist: dict[int, int], p: float) -> float:
    """The p-quantile by linear interpolation between order statistics (numpy's default)."""
    n = sum(hist.values())
    position = (n - 1) * p
    low = int(position)
    a, b = _order_stat(hist, low), _order_stat(hist, min(low + 1, n - 1))
    return a + (b - a) * (position - low)


def axis_stats(hist: dict[int, int]) -> AxisStats:
    """Median, quartiles and n of one axis's scores, given as {score: count}."""
    hist = {s: c for s, c in hist.items() if c > 0}
    if not hist:
        return AxisStats(None, None, None, 0)
    return AxisStats(quantile(hist, 0.5), quantile(hist, 0.25), quantile(hist, 0.75), sum(hist.values()))


def quadrant(customer: float | None, company: float | None) -> Quadrant | None:
    """Where an initiative falls; None when it is not yet rated on both axes."""
    if customer is None or company is None:
        return None
    if customer >= MIDPOINT:
        return Quadrant.WIN_WIN if company >= MIDPOINT else Quadrant.FIND_THE_RETURN
    return Quadrant.SELF_SERVING if company >= MIDPOINT else Quadrant.DROP


@dataclass(frozen=True)
class InitiativeStats:
    id: int
    title: str
    customer: AxisStats
    company: AxisStats
    votes: int
    demand_ids: tuple[int, ...]
    areas: tuple[Area, ...]
    effort: Effort | None

    @property
    def quadrant(self) -> Quadrant | None:
        return quadrant(self.customer.median, self.company.median)

    @property
    def disputed(self) -> bool:
        return any(a.n >= MIN_N and a.spread >= DISPUTE_IQR for a in (self.customer, self.company))


@dataclass(frozen=True)
class Balance:
    mean_customer: float | None
    n_customer: int
    mean_company: float | None
    n_company: int
    counts: dict[Quadrant, int]
    not_rated: int

    @property
    def leans_self_serving(self) -> bool:
        if self.mean_customer is None or self.mean_company is None:
            return False
        lean = self.mean_company - self.mean_customer >= LEAN_WARNING
        return lean or self.counts[Quadrant.SELF_SERVING] > self.counts[Quadrant.WIN_WIN]


@dataclass(frozen=True)
class Coverage:
    demand_id: int
    text: str
    votes: int
    answered_by: int  # initiatives on the board that answer it
    top: bool  # among the most voted demands

    @property
    def unanswered_top(self) -> bool:
        return self.top and self.answered_by == 0


@dataclass(frozen=True)
class Dashboard:
    revealed: bool
    progress: RoomProgress
    initiatives: tuple[InitiativeStats, ...] = ()
    balance: Balance | None = None
    coverage: tuple[Coverage, ...] = ()

    @property
    def disputed(self) -> tuple[InitiativeStats, ...]:
        return tuple(i for i in self.initiatives if i.disputed)

    @cached_property
    def _texts(self) -> dict[int, str]:
        return {c.demand_id: c.text for c in self.coverage}

    def demand_text(self, demand_id: int) -> str:
        """A shown demand's text (a lookup, not a scan: hover texts ask for thousands)."""
        return self._texts.get(demand_id, "")


def balance_of(stats: list[InitiativeStats], hists: dict[tuple[int, Axis], dict[int, int]]) -> Balance:
    """How the room's ideas lean: mean of every rating on each axis, and initiatives per quadrant."""
    means = {}
    for axis in Axis:
        total = sum(score * n for (_, a), h in hists.items() if a == axis for score, n in h.items())
        count = sum(n for (_, a), h in hists.items() if a == axis for n in h.values())
        means[axis] = (total / count if count else None, count)
    counts = {q: sum(1 for i in stats if i.quadrant == q) for q in Quadrant}
    not_rated = sum(1 for i in stats if i.quadrant is None)
    return Balance(*means[Axis.CUSTOMER], *means[Axis.COMPANY], counts, not_rated)


def _rolled(s: Session, model, w: Workshop, rows) -> dict[int, int]:
    """Per-item sums rolled up to the item each merged duplicate counts under."""
    root_of = moderation.roots(s, model, w)
    out: dict[int, int] = {}
    for item_id, value in rows:
        root = root_of.get(item_id, item_id)
        out[root] = out.get(root, 0) + int(value)
    return out


def _initiative_stats(s: Session, w: Workshop, hists) -> list[InitiativeStats]:
    shown = s.exec(select(Initiative).where(
        Initiative.workshop_id == w.id, ~Initiative.hidden, Initiative.merged_into_id.is_(None)
    )).all()
    votes = _rolled(s, Initiative, w, s.exec(
        select(InitiativeVote.initiative_id, func.sum(InitiativeVote.dots))
        .where(InitiativeVote.workshop_id == w.id).group_by(InitiativeVote.initiative_id)
    ))
    root_of = moderation.roots(s, Initiative, w)
    links: dict[int, set[int]] = {}
    areas: dict[int, dict[Area, None]] = {}
    for i, d in s.exec(select(InitiativeDemand.initiative_id, InitiativeDemand.demand_id)
                       .join(Initiative).where(Initiative.workshop_id == w.id)):
        links.setdefault(root_of[i], set()).add(d)
    for i, a in s.exec(select(InitiativeArea.initiative_id, InitiativeArea.area)
                       .join(Initiative).where(Initiative.workshop_id == w.id)):
        areas.setdefault(root_of[i], {})[Area(a)] = None
    return [InitiativeStats(
        id=i.id, title=i.title, votes=votes.get(i.id, 0),
        customer=axis_stats(hists.get((i.id, Axis.CUSTOMER), {})),
        company=axis_stats(hists.get((i.id, Axis.COMPANY), {})),
        demand_ids=tuple(sorted(links.get(i.id, ()))), areas=tuple(areas.get(i.id, {})),
        effort=Effort(i.effort) if i.effort else None,
    ) for i in shown]


def _coverage(s: Session, w: Workshop, stats: list[InitiativeStats]) -> list[Coverage]:
    votes = _rolled(s, Demand, w, s.exec(
        select(DemandVote.demand_id, func.sum(DemandVote.dots))
        .where(DemandVote.workshop_id == w.id).group_by(DemandVote.demand_id)
    ))
    demands = s.exec(select(Demand.id, Demand.text).where(
        Demand.workshop_id == w.id, ~Demand.hidden, Demand.merged_into_id.is_(None)
    )).all()
    answered: dict[int, int] = {}
    for i in stats:
        for d in i.demand_ids:
            answered[d] = answered.get(d, 0) + 1
    ranked = sorted(demands, key=lambda d: (-votes.get(d[0], 0), d[0]))
    return [Coverage(d, text, votes.get(d, 0), answered.get(d, 0), rank < TOP_DEMANDS and votes.get(d, 0) > 0)
            for rank, (d, text) in enumerate(ranked)]


def get_dashboard(db: Database, code: str) -> Dashboard:
    """The review figures, once the facilitator has revealed results (before that: progress only)."""
    with db.read() as s:
        w = workshop_by_code(s, code)
        return dashboard_of(s, w) if w.results_revealed else Dashboard(False, progress_of(s, w))


def dashboard_of(s: Session, w: Workshop) -> Dashboard:
    """Every figure of the dashboard, inside an open session (exports call it whatever the reveal)."""
    hists: dict[tuple[int, Axis], dict[int, int]] = {}
    for i, axis, score, n in s.exec(
        select(Rating.initiative_id, Rating.axis, Rating.score, func.count())
        .where(Rating.workshop_id == w.id).group_by(Rating.initiative_id, Rating.axis, Rating.score)
    ):
        hists.setdefault((i, Axis(axis)), {})[score] = n
    stats = _initiative_stats(s, w, hists)
    shown = {i.id for i in stats}
    hists = {k: h for k, h in hists.items() if k[0] in shown}
    stats.sort(key=lambda i: (-i.votes, -(i.customer.median or -1), i.id))
    return Dashboard(True, progress_of(s, w), tuple(stats), balance_of(stats, hists), tuple(_coverage(s, w, stats)))
