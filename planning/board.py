"""The dashboard's reads: what is on the board and how the room counted it, one cheap query per concern.

Rows, never ORM objects, from statements built once. Ratings and votes are not counted here: triggers
keep the tallies in each writer's transaction (migration 0010), so a room of 200 people rating 400
initiatives reads 800 tally rows instead of 160,000 ratings, and one row of dots per item.
"""

from dataclasses import dataclass

from sqlalchemy import Connection, bindparam, func, select

from planning.models import (
    Area,
    Axis,
    Demand,
    DemandVoteTally,
    Initiative,
    InitiativeArea,
    InitiativeDemand,
    InitiativeVoteTally,
    Participant,
    RaterTally,
    Rating,
    RatingTally,
)
from planning.ratings import RoomProgress

W = bindparam("workshop")
_T = RatingTally.__table__.c
_COUNTS = [_T[f"n{k}"] for k in range(11)]
_AXES = {axis.value: axis for axis in Axis}
_AREAS_BY_NAME = {area.value: area for area in Area}
_IV, _DV = InitiativeVoteTally, DemandVoteTally

_INITIATIVES = (
    select(Initiative.id, Initiative.title, Initiative.effort, _IV.dots)
    .outerjoin(_IV, (_IV.workshop_id == W) & (_IV.initiative_id == Initiative.id))
    .where(Initiative.workshop_id == W, ~Initiative.hidden, Initiative.merged_into_id.is_(None))
)
_OFF_BOARD = (
    select(Initiative.id, Initiative.merged_into_id, _IV.dots)
    .outerjoin(_IV, (_IV.workshop_id == W) & (_IV.initiative_id == Initiative.id))
    .where(Initiative.workshop_id == W, Initiative.hidden | Initiative.merged_into_id.is_not(None))
)
_DEMANDS = (
    select(Demand.id, Demand.text, _DV.dots)
    .outerjoin(_DV, (_DV.workshop_id == W) & (_DV.demand_id == Demand.id))
    .where(Demand.workshop_id == W, ~Demand.hidden, Demand.merged_into_id.is_(None))
)
_MERGED_DEMANDS = (
    select(Demand.id, Demand.merged_into_id, _DV.dots)
    .outerjoin(_DV, (_DV.workshop_id == W) & (_DV.demand_id == Demand.id))
    .where(Demand.workshop_id == W, Demand.merged_into_id.is_not(None))
)
_TALLY = select(_T.initiative_id, _T.axis, *_COUNTS).where(_T.workshop_id == W)
_RATERS = select(RaterTally.participant_id, RaterTally.n).where(RaterTally.workshop_id == W)
_OFF_BOARD_RATINGS = (
    select(Rating.participant_id, func.count()).where(Rating.workshop_id == W,
                                                      Rating.initiative_id.in_(bindparam("off", expanding=True)))
    .group_by(Rating.participant_id)
)
_PEOPLE = select(func.count()).select_from(Participant).where(Participant.workshop_id == W)
_LINKS = (select(InitiativeDemand.initiative_id, InitiativeDemand.demand_id)
          .join(Initiative).where(Initiative.workshop_id == W))
_AREAS = (select(InitiativeArea.initiative_id, InitiativeArea.area)
          .join(Initiative).where(Initiative.workshop_id == W)
          .order_by(InitiativeArea.initiative_id, InitiativeArea.area))


@dataclass(frozen=True)
class Board:
    shown: dict[int, tuple[str, str | None]]  # initiatives on the board: id -> (title, effort)
    votes: dict[int, int]  # dots on each initiative on the board, its merged duplicates' included
    off: list[int]  # the workshop's other initiatives: hidden, or merged into another
    root_of: dict[int, int]  # each merged initiative -> the one it counts under (others count as themselves)


def roots(parent: dict[int, int]) -> dict[int, int]:
    """Each merged item mapped to the item it finally counts under, following merges (as `moderation.roots`)."""

    def root(i: int) -> int:
        seen = set()
        while parent.get(i) is not None and i not in seen:
            seen.add(i)
            i = parent[i]
        return i

    return {i: root(i) for i in parent}


def _rolled(own: dict[int, int], merged: list[tuple[int, int, int | None]]) -> tuple[dict[int, int], dict[int, int]]:
    """Each shown item's dots with those of the duplicates merged into it, and where each merged item counts."""
    root_of = roots({i: up for i, up, _ in merged})
    for i, _, dots in merged:
        if dots and root_of[i] in own:
            own[root_of[i]] += dots
    return own, root_of


def initiatives(conn: Connection, workshop_id: int) -> Board:
    """The workshop's initiatives: those on the board with their dots, the others, and where merged ones count."""
    shown = conn.execute(_INITIATIVES, {"workshop": workshop_id}).all()
    off = conn.execute(_OFF_BOARD, {"workshop": workshop_id}).all()
    votes, root_of = _rolled({i: dots or 0 for i, _, _, dots in shown}, off)
    return Board({i: (title, effort) for i, title, effort, _ in shown}, votes, [i for i, *_ in off], root_of)


def score_counts(conn: Connection, workshop_id: int) -> dict[tuple[int, Axis], tuple[int, ...]]:
    """(initiative id, axis) -> how many ratings gave each score 0..10, from the tally."""
    rows = conn.execute(_TALLY, {"workshop": workshop_id}).all()
    return {(row[0], _AXES[row[1]]): row[2:] for row in rows}


def progress(conn: Connection, workshop_id: int, board: Board) -> RoomProgress:
    """How many participants rated every initiative on the board on both axes, and how many started."""
    rated = dict(conn.execute(_RATERS, {"workshop": workshop_id}).all())
    if board.off and rated:  # ratings of initiatives off the board do not count
        for person, n in conn.execute(_OFF_BOARD_RATINGS, {"workshop": workshop_id, "off": board.off}):
            rated[person] -= n
    people = conn.execute(_PEOPLE, {"workshop": workshop_id}).scalar_one()
    if not board.shown:
        return RoomProgress(0, 0, people, 0)
    need = 2 * len(board.shown)
    return RoomProgress(sum(1 for n in rated.values() if n >= need), sum(1 for n in rated.values() if n > 0),
                        people, len(board.shown))


def links(conn: Connection, workshop_id: int, root_of: dict[int, int]) -> dict[int, set[int]]:
    """The demands each initiative answers, duplicates' links included."""
    out: dict[int, set[int]] = {}
    for i, d in conn.execute(_LINKS, {"workshop": workshop_id}).all():
        out.setdefault(root_of.get(i, i), set()).add(d)
    return out


def areas(conn: Connection, workshop_id: int, root_of: dict[int, int]) -> dict[int, dict[Area, None]]:
    """The self-check areas each initiative strengthens (by initiative, then name), duplicates' areas included."""
    out: dict[int, dict[Area, None]] = {}
    for i, a in conn.execute(_AREAS, {"workshop": workshop_id}).all():
        out.setdefault(root_of.get(i, i), {})[_AREAS_BY_NAME[a]] = None
    return out


def demands(conn: Connection, workshop_id: int) -> tuple[list[tuple[int, str, int | None]], dict[int, int]]:
    """The demands on the board as (id, text, own dots), and each one's dots with its merged duplicates'."""
    shown = conn.execute(_DEMANDS, {"workshop": workshop_id}).all()
    merged = conn.execute(_MERGED_DEMANDS, {"workshop": workshop_id}).all()
    return shown, _rolled({d: dots or 0 for d, _, dots in shown}, merged)[0]
