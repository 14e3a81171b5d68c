"""The dashboard's rules in one place: medians, spread, quadrants, balance, disagreement, coverage.

Scores are whole numbers 0-10, so the database keeps a histogram per initiative and axis (11 counts,
`planning/board.py` reads them) and the statistics are exact, whatever the size of the room.
"""

from bisect import bisect_right
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property, lru_cache
from itertools import accumulate
from operator import mul

from sqlalchemy import Connection, bindparam, select
from sqlmodel import Session

from planning import board as reads
from planning.access import NO_WORKSHOP, normalise_code
from planning.db import Database
from planning.errors import NotFound
from planning.models import Area, Axis, Effort, Workshop
from planning.ratings import RoomProgress

MIDPOINT = 5  # a median of 5 or more counts as high
DISPUTE_IQR = 4  # an interquartile range this wide on either axis means the room is split
MIN_N = 3  # fewer ratings than this and a figure is marked as resting on too few people
TOP_DEMANDS = 5
LEAN_WARNING = 1.0  # mean company value this far above mean customer value: the room leans self-serving
SCORES = range(11)


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


NOT_RATED = AxisStats(None, None, None, 0)


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


def axis_stats(hist: Mapping[int, int]) -> AxisStats:
    """Median, quartiles and n of one axis's scores, given as {score: count}."""
    return counts_stats(tuple(hist.get(score, 0) for score in range(max(hist, default=-1) + 1)))


@lru_cache(maxsize=1 << 14)  # keyed by the counts themselves: after one rating, 799 of 800 rows are known
def counts_stats(counts: tuple[int, ...]) -> AxisStats:
    """`axis_stats` of counts indexed by score (a tally row): the same interpolation as `quantile`."""
    seen = list(accumulate(counts))
    n = seen[-1] if seen else 0
    if n == 0:
        return NOT_RATED
    return AxisStats(_at(seen, n, 0.5), _at(seen, n, 0.25), _at(seen, n, 0.75), n)


def _at(seen: list[int], n: int, p: float) -> float:
    """The p-quantile of n scores whose running counts by score are `seen`."""
    position = (n - 1) * p
    low = int(position)
    a = bisect_right(seen, low)  # the low-th smallest score: the first whose running count passes low
    b = bisect_right(seen, low + 1) if low + 1 < n else a
    return a + (b - a) * (position - low)


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

    @cached_property  # asked per initiative by the balance, the matrix and the ranking
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


def balance_of(stats: list[InitiativeStats], hists: Mapping[tuple[int, Axis], Mapping[int, int]]) -> Balance:
    """How the room's ideas lean: mean of every rating on each axis, and initiatives per quadrant."""
    sums = {axis: [0, 0] for axis in Axis}
    for (_, axis), hist in hists.items():
        for score, n in hist.items():
            sums[axis][0] += score * n
            sums[axis][1] += n
    return _balance(stats, sums)


def _balance(stats: list[InitiativeStats], sums: dict[Axis, list[int]]) -> Balance:
    """`balance_of`, given each axis's [sum of scores, number of ratings]."""
    means = {axis: (total / count if count else None, count) for axis, (total, count) in sums.items()}
    counts = dict.fromkeys(Quadrant, 0)
    for i in stats:
        if i.quadrant is not None:
            counts[i.quadrant] += 1
    not_rated = len(stats) - sum(counts.values())
    return Balance(*means[Axis.CUSTOMER], *means[Axis.COMPANY], counts, not_rated)


_REVEALED = select(Workshop.id, Workshop.results_revealed).where(Workshop.join_code == bindparam("code"))
_EFFORTS = {effort.value: effort for effort in Effort}


def get_dashboard(db: Database, code: str) -> Dashboard:
    """The review figures, once the facilitator has revealed results (before that: progress only).

    Raises: NotFound."""
    with db.read() as s:
        conn = s.connection()
        row = conn.execute(_REVEALED, {"code": normalise_code(code)}).first()
        if row is None:
            raise NotFound(NO_WORKSHOP)
        if not row.results_revealed:
            return Dashboard(False, reads.progress(conn, row.id, reads.initiatives(conn, row.id)))
        return _dashboard(conn, row.id)


def dashboard_of(s: Session, w: Workshop) -> Dashboard:
    """Every figure of the dashboard, inside an open session (exports call it whatever the reveal)."""
    return _dashboard(s.connection(), w.id)


def _dashboard(conn: Connection, workshop_id: int) -> Dashboard:
    """Rows, not objects, one cheap query per concern: ratings and dots come from the database's tallies."""
    board = reads.initiatives(conn, workshop_id)
    counts = {key: row for key, row in reads.score_counts(conn, workshop_id).items() if key[0] in board.shown}
    links, areas = reads.links(conn, workshop_id, board.root_of), reads.areas(conn, workshop_id, board.root_of)
    stats = [InitiativeStats(
        id=i, title=title, votes=board.votes[i],
        customer=counts_stats(counts.get((i, Axis.CUSTOMER), ())),
        company=counts_stats(counts.get((i, Axis.COMPANY), ())),
        demand_ids=tuple(sorted(links.get(i, ()))), areas=tuple(areas.get(i, ())),
        effort=_EFFORTS[effort] if effort else None,
    ) for i, (title, effort) in board.shown.items()]
    stats.sort(key=lambda i: (-i.votes, -(i.customer.median or -1), i.id))
    progress = reads.progress(conn, workshop_id, board)
    return Dashboard(True, progress, tuple(stats), _balance(stats, _sums(counts)), _coverage(conn, workshop_id, stats))


def _sums(counts: dict[tuple[int, Axis], tuple[int, ...]]) -> dict[Axis, list[int]]:
    """Each axis's [sum of scores, number of ratings], from tally rows."""
    sums = {axis: [0, 0] for axis in Axis}
    for (_, axis), row in counts.items():
        sums[axis][0] += sum(map(mul, SCORES, row))
        sums[axis][1] += sum(row)
    return sums


def _coverage(conn: Connection, workshop_id: int, stats: list[InitiativeStats]) -> tuple[Coverage, ...]:
    answered: dict[int, int] = {}
    for i in stats:
        for d in i.demand_ids:
            answered[d] = answered.get(d, 0) + 1
    shown, votes = reads.demands(conn, workshop_id)
    ranked = sorted((-votes[d], d, text) for d, text, _ in shown)  # ids are unique: text is never compared
    return tuple(_coverage_row(d, text, -minus, answered.get(d, 0), rank < TOP_DEMANDS and minus < 0)
                 for rank, (minus, d, text) in enumerate(ranked))


# Rows are frozen, so equal ones are shared: after a change, most of 2,000 demands' rows are found, not built.
_coverage_row = lru_cache(maxsize=1 << 14)(Coverage)
