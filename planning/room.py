"""What a participant's page shows: the room's items, read once per change for every page of a workshop, and one
person's own rows (what they wrote, their dots and ratings), read only when that person acts.

With 200 phones open, a change in the room redraws 200 pages; reading the whole room once per page made each
redraw cost as much as the room was large, and reading a person's marks on each redraw cost half of a redraw
(bench/live.py). Shared lists never say who is asking: "yours" comes from `Own`, through `marks_of`.
"""

from dataclasses import dataclass, field, replace

from sqlalchemy import String, literal, union_all
from sqlmodel import Session, select

from planning import demands, initiatives
from planning.access import digest, participant_by_token, workshop_by_code
from planning.db import Database
from planning.demands import DemandView
from planning.errors import NotFound
from planning.initiatives import InitiativeView
from planning.models import Axis, Demand, DemandVote, Initiative, InitiativeVote, Participant, Rating, Workshop
from planning.votes import Ballot


@dataclass(frozen=True)
class RoomView:
    """The items everyone in the room may see, most voted first (none of others' while items are private), and
    which items are merged or hidden (what a ballot counts)."""

    demands: tuple[DemandView, ...]
    initiatives: tuple[InitiativeView, ...]
    merged_demands: dict[int, int] = field(default_factory=dict)  # duplicate -> the demand it was merged into
    merged_initiatives: dict[int, int] = field(default_factory=dict)
    hidden_demands: frozenset[int] = frozenset()
    hidden_initiatives: frozenset[int] = frozenset()

    def demand_text(self) -> dict[int, str]:
        return {d.id: d.text for d in self.demands}


@dataclass(frozen=True)
class Own:
    """One participant's own rows: what they wrote, their dots as cast, their ratings."""

    demands: frozenset[int]
    initiatives: frozenset[int]
    demand_dots: tuple[tuple[int, int], ...]
    initiative_dots: tuple[tuple[int, int], ...]
    ratings: dict[tuple[int, Axis], int]
    participant: int = 0  # whose rows (their id, never sent to a page)


@dataclass(frozen=True)
class Marks:
    """One participant's marks on the room: their dots counted on the item a duplicate was merged into, their
    ratings, and their two vote budgets."""

    demands: frozenset[int]
    initiatives: frozenset[int]
    demand_dots: dict[int, int]
    initiative_dots: dict[int, int]
    ratings: dict[tuple[int, Axis], int]
    demand_ballot: Ballot
    initiative_ballot: Ballot


def _moderated(s: Session, w: Workshop, model) -> tuple[dict[int, int], frozenset[int]]:
    merged = dict(s.exec(select(model.id, model.merged_into_id)
                         .where(model.workshop_id == w.id, model.merged_into_id.is_not(None))).all())
    return merged, frozenset(s.exec(select(model.id).where(model.workshop_id == w.id, model.hidden)).all())


def _room(s: Session, w: Workshop, *, shown: bool, author: int | None = None) -> RoomView:
    (merged_d, hidden_d), (merged_i, hidden_i) = _moderated(s, w, Demand), _moderated(s, w, Initiative)
    if not shown:
        return RoomView((), (), merged_d, merged_i, hidden_d, hidden_i)
    return RoomView(tuple(demands.views_in(s, w, viewer=author, only_author=author)),
                    tuple(initiatives.views_in(s, w, viewer=author, only_author=author)),
                    merged_d, merged_i, hidden_d, hidden_i)


def list_room(db: Database, code: str, *, private_too: bool = False) -> RoomView:
    """The shown demands and initiatives of the room, without any viewer's marks. While items are private, none
    (with `private_too`, all: for the server to pick each person's own from, never to show). Raises: NotFound."""
    with db.read() as s:
        w = workshop_by_code(s, code)
        return _room(s, w, shown=private_too or not (w.private_until_reveal and not w.revealed))


def list_own(db: Database, token: str) -> RoomView:
    """Only the asker's own shown items (what their page lists while items are private). Raises: NotFound."""
    with db.read() as s:
        w, p = participant_by_token(s, token)
        return _room(s, w, shown=True, author=p.id)


def get_own(db: Database, token: object) -> Own:
    """The asker's own rows, in one query by their token. Raises: NotFound."""
    if not isinstance(token, str) or not token:
        raise NotFound("This link does not belong to anyone in a workshop. Join with the code.")
    me = select(Participant.id).where(Participant.token_hash == digest(token)).scalar_subquery()
    kind = lambda name: literal(name, String)  # noqa: E731
    none = literal(None, String)
    with db.read() as s:
        rows = s.exec(union_all(
            select(kind("me"), me, literal(0), none),
            select(kind("demand"), Demand.id, literal(0), none).where(Demand.participant_id == me),
            select(kind("initiative"), Initiative.id, literal(0), none).where(Initiative.participant_id == me),
            select(kind("demand_dots"), DemandVote.demand_id, DemandVote.dots, none)
            .where(DemandVote.participant_id == me),
            select(kind("initiative_dots"), InitiativeVote.initiative_id, InitiativeVote.dots, none)
            .where(InitiativeVote.participant_id == me),
            select(kind("rating"), Rating.initiative_id, Rating.score, Rating.axis).where(Rating.participant_id == me),
        )).all()
    who = next((i for k, i, _, _ in rows if k == "me"), None)
    if who is None:
        raise NotFound("This link does not belong to anyone in a workshop. Join with the code.")
    of = lambda name: [(i, n, a) for k, i, n, a in rows if k == name]  # noqa: E731
    return Own(frozenset(i for i, _, _ in of("demand")), frozenset(i for i, _, _ in of("initiative")),
               tuple(sorted((i, n) for i, n, _ in of("demand_dots"))),
               tuple(sorted((i, n) for i, n, _ in of("initiative_dots"))),
               {(i, Axis(a)): n for i, n, a in of("rating")}, who)


def list_owners(db: Database, code: str) -> dict[int, Own]:
    """Everyone's authorship and dots in the room, by participant id, in one query (ratings left out: only a
    person's own action changes them). A change in the room is read once for every open phone this way, instead of
    one query per phone. Raises: NotFound."""
    kind = lambda name: literal(name, String)  # noqa: E731
    with db.read() as s:
        w = workshop_by_code(s, code)
        rows = s.exec(union_all(
            select(kind("demand"), Demand.participant_id, Demand.id, literal(0))
            .where(Demand.workshop_id == w.id, Demand.participant_id.is_not(None)),
            select(kind("initiative"), Initiative.participant_id, Initiative.id, literal(0))
            .where(Initiative.workshop_id == w.id, Initiative.participant_id.is_not(None)),
            select(kind("demand_dots"), DemandVote.participant_id, DemandVote.demand_id, DemandVote.dots)
            .join(Demand, Demand.id == DemandVote.demand_id).where(Demand.workshop_id == w.id),
            select(kind("initiative_dots"), InitiativeVote.participant_id, InitiativeVote.initiative_id,
                   InitiativeVote.dots)
            .join(Initiative, Initiative.id == InitiativeVote.initiative_id).where(Initiative.workshop_id == w.id),
        )).all()
    by: dict[int, dict[str, list]] = {}
    for k, who, item, n in rows:
        by.setdefault(who, {"demand": [], "initiative": [], "demand_dots": [], "initiative_dots": []})[k].append(
            (item, n))
    return {who: Own(frozenset(i for i, _ in r["demand"]), frozenset(i for i, _ in r["initiative"]),
                     tuple(sorted(r["demand_dots"])), tuple(sorted(r["initiative_dots"])), {}, who)
            for who, r in by.items()}


def owned(owners: dict[int, Own], mine: Own) -> Own:
    """`mine` brought up to date from the room's table of owners (their ratings kept as read)."""
    now = owners.get(mine.participant)
    if now is None:
        return replace(mine, demands=frozenset(), initiatives=frozenset(), demand_dots=(), initiative_dots=())
    return replace(now, ratings=mine.ratings)


def _rolled(dots, merged: dict[int, int], hidden: frozenset[int]) -> tuple[dict[int, int], int]:
    """Dots per root item (a merged duplicate's count where it was merged), and how many sit on shown items."""
    out: dict[int, int] = {}
    for item_id, n in dots:
        seen = set()
        while item_id in merged and item_id not in seen:
            seen.add(item_id)
            item_id = merged[item_id]
        out[item_id] = out.get(item_id, 0) + n
    return out, sum(n for i, n in out.items() if i not in hidden)


def marks_of(own: Own, room: RoomView, budget: int, cap: int) -> Marks:
    """A participant's marks on the room as it stands (merges and hides apply to dots cast before them)."""
    demand_dots, demand_used = _rolled(own.demand_dots, room.merged_demands, room.hidden_demands)
    initiative_dots, initiative_used = _rolled(own.initiative_dots, room.merged_initiatives, room.hidden_initiatives)
    return Marks(own.demands, own.initiatives, demand_dots, initiative_dots, own.ratings,
                 Ballot(budget, cap, demand_used), Ballot(budget, cap, initiative_used))


def get_marks(db: Database, token: str) -> Marks:
    """The asker's marks read now (what a page shows right after their own action). Raises: NotFound."""
    own = get_own(db, token)
    with db.read() as s:
        w, _ = participant_by_token(s, token)
        room = _room(s, w, shown=False)
    return marks_of(own, room, w.vote_budget, w.vote_cap)
