"""Initiatives: value-exchange proposals (value for the customer, value back to the company)."""

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import delete, func, update
from sqlmodel import Session, select

from planning import moderation
from planning.access import (
    bump,
    facilitated,
    participant_by_token,
    record,
    require_unlocked,
    workshop_by_code,
)
from planning.db import Database
from planning.errors import InvalidInput, NotAllowed
from planning.models import (
    Action,
    Area,
    Demand,
    Effort,
    Initiative,
    InitiativeArea,
    InitiativeDemand,
    InitiativeVote,
    Participant,
    Phase,
    ProcessStep,
    Rating,
    Workshop,
    utcnow,
)
from planning.text import clean_text

MAX_TITLE, MAX_SIDE = 120, 500


@dataclass(frozen=True)
class InitiativeInput:
    """What a person types for an initiative; checked by `_cleaned` before anything is written."""

    title: str
    customer_value: str = ""
    company_value: str = ""
    demand_ids: tuple[int, ...] = ()
    answers_no_demand: bool = False
    areas: tuple[str, ...] = ()
    effort: str | None = None


@dataclass(frozen=True)
class InitiativeView:
    id: int
    title: str
    customer_value: str
    company_value: str
    effort: Effort | None
    answers_no_demand: bool
    demand_ids: tuple[int, ...]  # its own and those of initiatives merged into it
    areas: tuple[Area, ...]
    author: str | None
    mine: bool
    votes: int
    my_votes: int
    hidden: bool
    merged_into: int | None
    merged: tuple[int, ...] = field(default=())
    created_at: datetime | None = None
    chosen: bool = False
    moderated: bool = False  # the facilitator rewrote, hid or merged it: its author can no longer change it


def _side(text: str, what: str) -> str:
    return "" if not (text or "").strip() else clean_text(text, what=what, max_length=MAX_SIDE)


def _cleaned(s: Session, w: Workshop, inp: InitiativeInput) -> tuple[dict, list[int], list[Area]]:
    """The row's fields, its demand ids and its areas. Raises: InvalidInput."""
    fields = {
        "title": clean_text(inp.title, what="The title", max_length=MAX_TITLE),
        "customer_value": _side(inp.customer_value, "What the customer gets"),
        "company_value": _side(inp.company_value, "What comes back to the company"),
        "answers_no_demand": bool(inp.answers_no_demand),
    }
    try:
        fields["effort"] = Effort(inp.effort) if inp.effort else None
        areas = list(dict.fromkeys(Area(a) for a in inp.areas))
    except ValueError:
        raise InvalidInput("Effort is S, M or L, and areas are the six self-check areas") from None
    ids = list(dict.fromkeys(inp.demand_ids))
    if ids and inp.answers_no_demand:
        raise InvalidInput("Pick the demands it answers, or say it answers none: not both")
    if not ids and not inp.answers_no_demand:
        raise InvalidInput("Pick the demands it answers, or say it answers no recorded demand")
    found = s.exec(select(func.count()).where(
        Demand.id.in_(ids), Demand.workshop_id == w.id, ~Demand.hidden, Demand.merged_into_id.is_(None)
    )).one()
    if found != len(ids):
        raise InvalidInput("Some of those demands are not on the board")
    return fields, ids, areas


def _store(s: Session, item: Initiative, fields: dict, ids: list[int], areas: list[Area]) -> None:
    for name, value in fields.items():
        setattr(item, name, value)
    item.updated_at = utcnow()
    s.add(item)
    s.flush()
    s.execute(delete(InitiativeDemand).where(InitiativeDemand.initiative_id == item.id))
    s.execute(delete(InitiativeArea).where(InitiativeArea.initiative_id == item.id))
    s.add_all(InitiativeDemand(initiative_id=item.id, demand_id=i) for i in ids)
    s.add_all(InitiativeArea(initiative_id=item.id, area=a) for a in areas)


def _own(s: Session, token: str, initiative_id: int) -> tuple[Workshop, Initiative]:
    w, p = participant_by_token(s, token)
    require_unlocked(w)
    if w.phase != Phase.VALUE_EXCHANGE:
        raise NotAllowed("Initiatives can be changed only during the Value exchange phase")
    item = moderation.find(s, Initiative, w, initiative_id)
    if item.participant_id != p.id:
        raise NotAllowed("You can change only your own initiatives")
    moderation.require_unmoderated(s, Initiative, w, item)
    return w, item


def propose_initiative(db: Database, token: str, inp: InitiativeInput) -> InitiativeView:
    """Record an initiative during the Value exchange phase.

    Raises: InvalidInput, NotFound, NotAllowed (wrong phase, past the workshop's per-person limits),
    WorkshopLocked.
    """
    with db.write() as s:
        w, p = participant_by_token(s, token)
        require_unlocked(w)
        if w.phase != Phase.VALUE_EXCHANGE:
            raise NotAllowed("Initiatives can be proposed during the Value exchange phase")
        moderation.require_item_room(s, Initiative, p, w)
        item = Initiative(workshop_id=w.id, participant_id=p.id, title="")
        fields, ids, areas = _cleaned(s, w, inp)
        _store(s, item, fields, ids, areas)
        bump(s, w)
        # Built here rather than by views_in, which reads the whole room: keep the write lock short.
        return InitiativeView(
            id=item.id, title=item.title, customer_value=item.customer_value, company_value=item.company_value,
            effort=fields["effort"], answers_no_demand=item.answers_no_demand, demand_ids=tuple(sorted(ids)),
            areas=tuple(areas), author=None if w.anonymous else p.name, mine=True, votes=0, my_votes=0,
            hidden=False, merged_into=None, created_at=item.created_at,
        )


def edit_own_initiative(db: Database, token: str, initiative_id: int, inp: InitiativeInput) -> None:
    """Change one's own initiative, until the facilitator moderates it.

    Raises: NotAllowed for others' initiatives, moderated ones, or out of phase; InvalidInput, NotFound."""
    with db.write() as s:
        w, item = _own(s, token, initiative_id)
        _store(s, item, *_cleaned(s, w, inp))
        bump(s, w)


def withdraw_own_initiative(db: Database, token: str, initiative_id: int) -> None:
    """Withdraw one's own initiative with its links, votes and ratings; merged duplicates stand alone again.

    Raises: NotAllowed for others' initiatives, moderated ones, and one in the plan (chosen, or with actions
    or process steps: the plan is the facilitator's); NotFound, WorkshopLocked."""
    with db.write() as s:
        w, item = _own(s, token, initiative_id)
        planned = item.chosen or any(s.exec(select(m.id).where(m.initiative_id == item.id)).first()
                                     for m in (Action, ProcessStep))
        if planned:
            raise NotAllowed("This initiative is in the plan, so it cannot be withdrawn. Ask the facilitator")
        s.execute(update(Initiative).where(Initiative.merged_into_id == item.id).values(merged_into_id=None))
        for model in (InitiativeDemand, InitiativeArea, InitiativeVote, Rating):
            s.execute(delete(model).where(model.initiative_id == item.id))
        if w.spotlight_id == item.id:
            w.spotlight_id = None
        s.delete(item)
        bump(s, w)


def edit_initiative(db: Database, code: str, key: str, initiative_id: int, inp: InitiativeInput) -> None:
    """The facilitator rewrites any initiative. Raises: NotAllowed, WorkshopLocked, InvalidInput."""
    with db.write() as s:
        w = facilitated(s, code, key)
        require_unlocked(w)
        item = moderation.find(s, Initiative, w, initiative_id)
        record(s, w, "edit", f"initiative:{item.id}", item.title)
        _store(s, item, *_cleaned(s, w, inp))
        bump(s, w)


def hide_initiative(db: Database, code: str, key: str, initiative_id: int, hidden: bool = True) -> None:
    """Hide an initiative from every screen, or bring it back with `hidden=False`."""
    moderation.set_hidden(db, code, key, Initiative, initiative_id, hidden)


def merge_initiatives(db: Database, code: str, key: str, duplicate_id: int, into_id: int) -> None:
    """Fold a duplicate into another initiative: votes, demands and areas count there until undone.

    Ratings stay with the initiative they were given to (one person may have rated both).
    """
    moderation.merge(db, code, key, Initiative, duplicate_id, into_id)


def unmerge_initiative(db: Database, code: str, key: str, initiative_id: int) -> None:
    """Undo a merge: the initiative stands alone again."""
    moderation.unmerge(db, code, key, Initiative, initiative_id)


def choose_initiative(db: Database, code: str, key: str, initiative_id: int, chosen: bool = True) -> None:
    """Mark an initiative as chosen for the plan (or not). Raises: NotAllowed for anyone but the facilitator."""
    with db.write() as s:
        w = facilitated(s, code, key)
        require_unlocked(w)
        item = moderation.find(s, Initiative, w, initiative_id)
        if chosen and (item.hidden or item.merged_into_id is not None):
            raise InvalidInput("Choose an initiative that is on the board")
        item.chosen = bool(chosen)
        record(s, w, "choose" if chosen else "unchoose", f"initiative:{item.id}")
        bump(s, w)


def list_my_initiatives(db: Database, token: str) -> list[InitiativeView]:
    """The initiatives a participant may see: everyone's shown ones, or only their own while private."""
    with db.read() as s:
        w, p = participant_by_token(s, token)
        private = w.private_until_reveal and not w.revealed
        return views_in(s, w, viewer=p.id, only_author=p.id if private else None)


def list_initiatives(db: Database, code: str, key: str) -> list[InitiativeView]:
    """Every initiative, hidden and merged ones included, for the facilitator. Raises: NotAllowed."""
    with db.read() as s:
        w = facilitated(s, code, key)
        return views_in(s, w, include_hidden=True)


def list_shown_initiatives(db: Database, code: str) -> list[InitiativeView]:
    """What a shared screen may show: none while private, authors only when not anonymous."""
    with db.read() as s:
        w = workshop_by_code(s, code)
        return [] if w.private_until_reveal and not w.revealed else views_in(s, w)


def views_in(
    s: Session, w: Workshop, *, viewer: int | None = None, ids: set[int] | None = None,
    only_author: int | None = None, include_hidden: bool = False,
) -> list[InitiativeView]:
    """Views of the workshop's initiatives inside an open session, most voted first."""
    root_of = moderation.roots(s, Initiative, w)
    votes: dict[int, int] = {}
    mine: dict[int, int] = {}
    for item_id, voter, dots in s.exec(
        select(InitiativeVote.initiative_id, InitiativeVote.participant_id, InitiativeVote.dots)
        .where(InitiativeVote.workshop_id == w.id)
    ):
        root = root_of.get(item_id, item_id)
        votes[root] = votes.get(root, 0) + dots
        if voter == viewer:
            mine[root] = mine.get(root, 0) + dots
    links: dict[int, list[int]] = {}
    areas: dict[int, list[Area]] = {}
    query = select(InitiativeDemand).join(Initiative).where(Initiative.workshop_id == w.id)
    for link in s.exec(query):
        links.setdefault(root_of[link.initiative_id], []).append(link.demand_id)
    for tag in s.exec(select(InitiativeArea).join(Initiative).where(Initiative.workshop_id == w.id)):
        areas.setdefault(root_of[tag.initiative_id], []).append(Area(tag.area))
    rows = s.exec(
        select(Initiative, Participant.name)
        .join(Participant, Initiative.participant_id == Participant.id, isouter=True)
        .where(Initiative.workshop_id == w.id)
    ).all()
    moderated = moderation.moderated_ids(s, Initiative, w)
    out = []
    for item, name in rows:
        if (ids is not None and item.id not in ids) or (only_author is not None and item.participant_id != only_author):
            continue
        if not include_hidden and (item.hidden or item.merged_into_id is not None):
            continue
        absorbed = item.merged_into_id is not None
        out.append(InitiativeView(
            id=item.id, title=item.title, customer_value=item.customer_value, company_value=item.company_value,
            effort=Effort(item.effort) if item.effort else None, answers_no_demand=item.answers_no_demand,
            demand_ids=tuple(sorted(set(links.get(item.id, [])))) if not absorbed else (),
            areas=tuple(dict.fromkeys(areas.get(item.id, []))) if not absorbed else (),
            author=None if w.anonymous else name, mine=viewer is not None and item.participant_id == viewer,
            votes=0 if absorbed else votes.get(item.id, 0), my_votes=mine.get(item.id, 0), hidden=item.hidden,
            merged_into=item.merged_into_id,
            merged=tuple(i for i, r in root_of.items() if r == item.id and i != item.id),
            created_at=item.created_at, chosen=item.chosen,
            moderated=item.hidden or absorbed or item.id in moderated,
        ))
    out.sort(key=lambda v: (-v.votes, v.id))
    return out
