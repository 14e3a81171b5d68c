"""Demands: what the customer (as role-played) asks of the company, and their moderation."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, update
from sqlmodel import Session, select

from planning import moderation
from planning.access import (
    add_row,
    bump,
    bump_id,
    caller,
    facilitated,
    participant_by_token,
    record,
    require_unlocked,
    workshop_by_code,
)
from planning.db import Database
from planning.errors import InvalidInput, NotAllowed
from planning.models import Area, Demand, DemandVote, InitiativeDemand, Participant, Phase, Workshop, utcnow
from planning.text import clean_text

MAX_DEMAND = 500


@dataclass(frozen=True)
class DemandView:
    id: int
    text: str
    area: Area | None
    areas: tuple[Area, ...]  # its own area and those of demands merged into it
    author: str | None  # None when the workshop is anonymous
    mine: bool
    votes: int  # dots on it and on demands merged into it
    my_votes: int
    hidden: bool
    merged_into: int | None
    merged: tuple[int, ...]  # ids of demands merged into it
    created_at: datetime
    moderated: bool = False  # the facilitator rewrote, hid or merged it: its author can no longer change it
    carried_votes: int | None = None  # carried from the last session: its votes there (history, not this budget)


def _area(area: object) -> Area | None:
    if area in (None, ""):
        return None
    try:
        return Area(area)
    except ValueError:
        raise InvalidInput("That is not one of the six self-check areas") from None


def _demand(s: Session, w: Workshop, demand_id: object) -> Demand:
    return moderation.find(s, Demand, w, demand_id)


def _own(s: Session, token: str, demand_id: int) -> tuple[Workshop, Demand]:
    w, p = participant_by_token(s, token)
    require_unlocked(w)
    if w.phase != Phase.INNER_CUSTOMER:
        raise NotAllowed("Demands can be changed only during the Inner customer phase")
    d = _demand(s, w, demand_id)
    if d.participant_id != p.id:
        raise NotAllowed("You can change only your own demands")
    moderation.require_unmoderated(s, Demand, w, d)
    return w, d


def roots(s: Session, w: Workshop) -> dict[int, int]:
    """Each demand id mapped to the demand it finally counts under, following merges."""
    return moderation.roots(s, Demand, w)


def add_demand(db: Database, token: str, text: str, area: str | None = None) -> DemandView:
    """Record a demand in the customer's voice, during the Inner customer phase.

    Raises: InvalidInput, NotFound, NotAllowed (wrong phase, past the workshop's per-person limits),
    WorkshopLocked.
    """
    text, area = clean_text(text, what="A demand", max_length=MAX_DEMAND), _area(area)
    with db.write_rows() as conn:
        who = caller(conn, token, moderation.caller_adding(Demand), since=moderation.a_minute_ago())
        require_unlocked(who)
        if who.phase != Phase.INNER_CUSTOMER:
            raise NotAllowed("Demands can be added during the Inner customer phase")
        moderation.refuse_past_limits(Demand, who.added, who.added_lately, who.items_per_person,
                                      who.items_per_minute)
        d = add_row(conn, Demand, workshop_id=who.workshop_id, participant_id=who.id, text=text, area=area)
        bump_id(conn, who.workshop_id)
        # Built here, not by views_in: a new demand has no votes or merges, and reading the whole room
        # inside the write lock made every write slower as the room grew (measured by bench/storm.py).
        return DemandView(id=d.id, text=d.text, area=area, areas=(area,) if area else (),
                          author=None if who.anonymous else who.name, mine=True, votes=0, my_votes=0,
                          hidden=False, merged_into=None, merged=(), created_at=d.created_at)


def edit_own_demand(db: Database, token: str, demand_id: int, text: str, area: str | None = None) -> None:
    """Change the text and area of one's own demand, until the facilitator moderates it.

    Raises: NotAllowed for others' demands and moderated ones, InvalidInput, NotFound, WorkshopLocked."""
    text, area = clean_text(text, what="A demand", max_length=MAX_DEMAND), _area(area)
    with db.write() as s:
        w, d = _own(s, token, demand_id)
        d.text, d.area, d.updated_at = text, area, utcnow()
        bump(s, w)


def delete_own_demand(db: Database, token: str, demand_id: int) -> None:
    """Delete one's own demand; its dots go back to the voters, merged demands stand alone again.

    Raises: NotAllowed for others' demands, moderated ones, and one an initiative answers (deleting it would
    change someone else's initiative: the facilitator can hide it instead); NotFound, WorkshopLocked."""
    with db.write() as s:
        w, d = _own(s, token, demand_id)
        if s.exec(select(InitiativeDemand.initiative_id).where(InitiativeDemand.demand_id == d.id)).first():
            raise NotAllowed("An initiative answers this demand, so it cannot be deleted. Ask the facilitator to "
                             "hide it if it should go")
        s.execute(update(Demand).where(Demand.merged_into_id == d.id).values(merged_into_id=None))
        s.execute(delete(DemandVote).where(DemandVote.demand_id == d.id))
        s.delete(d)
        bump(s, w)


def edit_demand(db: Database, code: str, key: str, demand_id: int, text: str, area: str | None = None) -> None:
    """The facilitator rewrites any demand. Raises: NotAllowed, WorkshopLocked, InvalidInput."""
    text, area = clean_text(text, what="A demand", max_length=MAX_DEMAND), _area(area)
    with db.write() as s:
        w = facilitated(s, code, key)
        require_unlocked(w)
        d = _demand(s, w, demand_id)
        record(s, w, "edit", f"demand:{d.id}", d.text)
        d.text, d.area, d.updated_at = text, area, utcnow()
        bump(s, w)


def hide_demand(db: Database, code: str, key: str, demand_id: int, hidden: bool = True) -> None:
    """Hide a demand from every screen (soft delete), or bring it back with `hidden=False`."""
    moderation.set_hidden(db, code, key, Demand, demand_id, hidden)


def merge_demands(db: Database, code: str, key: str, duplicate_id: int, into_id: int) -> None:
    """Fold a duplicate into another demand: its votes and area count there; undo with `unmerge_demand`."""
    moderation.merge(db, code, key, Demand, duplicate_id, into_id)


def unmerge_demand(db: Database, code: str, key: str, demand_id: int) -> None:
    """Undo a merge: the demand stands alone again with its own votes."""
    moderation.unmerge(db, code, key, Demand, demand_id)


def list_my_view(db: Database, token: str) -> list[DemandView]:
    """The demands a participant may see: everyone's shown ones, or only their own while private."""
    with db.read() as s:
        w, p = participant_by_token(s, token)
        private = w.private_until_reveal and not w.revealed
        return views_in(s, w, viewer=p.id, only_author=p.id if private else None)


def list_demands(db: Database, code: str, key: str, *, include_hidden: bool = True) -> list[DemandView]:
    """Every demand, for the facilitator (hidden and merged ones included). Raises: NotAllowed."""
    with db.read() as s:
        w = facilitated(s, code, key)
        return views_in(s, w, include_hidden=include_hidden, authors=not w.anonymous)


def views_in(
    s: Session, w: Workshop, *, viewer: int | None = None, ids: set[int] | None = None,
    only_author: int | None = None, include_hidden: bool = False, authors: bool | None = None,
) -> list[DemandView]:
    """Views of the workshop's demands, most voted first; merged ones only when hidden ones are asked."""
    authors = (not w.anonymous) if authors is None else authors
    root_of = roots(s, w)
    votes: dict[int, int] = {}
    mine: dict[int, int] = {}
    tallies = select(DemandVote.demand_id, DemandVote.participant_id, func.sum(DemandVote.dots))
    for demand_id, voter, dots in s.exec(
        tallies.where(DemandVote.workshop_id == w.id).group_by(DemandVote.demand_id, DemandVote.participant_id)
    ):
        root = root_of.get(demand_id, demand_id)
        votes[root] = votes.get(root, 0) + dots
        if voter == viewer:
            mine[root] = mine.get(root, 0) + dots
    rows = s.exec(
        select(Demand, Participant.name)
        .join(Participant, Demand.participant_id == Participant.id, isouter=True)
        .where(Demand.workshop_id == w.id)
    ).all()
    moderated = moderation.moderated_ids(s, Demand, w)
    children: dict[int, list[Demand]] = {}
    for d, _name in rows:
        if d.merged_into_id is not None:
            children.setdefault(root_of[d.id], []).append(d)
    out = []
    for d, name in rows:
        if ids is not None and d.id not in ids:
            continue
        if not include_hidden and (d.hidden or d.merged_into_id is not None):
            continue
        if only_author is not None and d.participant_id != only_author:
            continue
        kids = children.get(d.id, []) if d.merged_into_id is None else []
        areas = tuple(dict.fromkeys(Area(a) for a in [d.area, *(k.area for k in kids)] if a))
        out.append(DemandView(
            id=d.id, text=d.text, area=Area(d.area) if d.area else None, areas=areas,
            author=name if authors else None, mine=viewer is not None and d.participant_id == viewer,
            votes=votes.get(d.id, 0) if d.merged_into_id is None else 0, my_votes=mine.get(d.id, 0),
            hidden=d.hidden, merged_into=d.merged_into_id, merged=tuple(k.id for k in kids),
            created_at=d.created_at, moderated=d.hidden or d.merged_into_id is not None or d.id in moderated,
            carried_votes=d.carried_votes,
        ))
    out.sort(key=lambda v: (-v.votes, v.id))
    return out


def list_shown_demands(db: Database, code: str) -> list[DemandView]:
    """The demands a shared screen may show: none while private, authors only when not anonymous."""
    with db.read() as s:
        w = workshop_by_code(s, code)
        if w.private_until_reveal and not w.revealed:
            return []
        return views_in(s, w)
