"""Rules shared by demands and initiatives: find, hide (with undo), merge duplicates (with undo), a moderated
item is the facilitator's, and how many one person may add."""

from collections.abc import Mapping
from datetime import datetime, timedelta
from functools import cache

from sqlalchemy import bindparam, func
from sqlalchemy import select as core_select
from sqlmodel import Session, select

from planning.access import CALLER, bump, facilitated, in_workshop, record, require_unlocked
from planning.db import Database
from planning.errors import InvalidInput, NotAllowed
from planning.models import Demand, Initiative, ModerationEvent, Participant, Workshop, utcnow

Item = type[Demand] | type[Initiative]
# What makes an item the facilitator's: once rewritten, hidden or merged, its author can no longer change it.
MODERATING = ("edit", "hide", "merge")


def noun(model: Item) -> str:
    return "demand" if model is Demand else "initiative"


def find(s: Session, model: Item, w: Workshop, item_id: object):
    """The demand or initiative with this id in this workshop. Raises: NotFound."""
    return in_workshop(s, model, w, item_id, noun(model))


def moderated_ids(s: Session, model: Item, w: Workshop) -> set[int]:
    """Ids of the items the facilitator has rewritten, hidden or merged (now or before)."""
    prefix = f"{noun(model)}:"
    targets = s.exec(select(ModerationEvent.target).where(
        ModerationEvent.workshop_id == w.id, ModerationEvent.action.in_(MODERATING),
        ModerationEvent.target.startswith(prefix))).all()
    return {int(t[len(prefix):]) for t in targets if t[len(prefix):].isdigit()}


def require_unmoderated(s: Session, model: Item, w: Workshop, item: Demand | Initiative) -> None:
    """Raises: NotAllowed when the facilitator has rewritten, hidden or merged the item: it is theirs now."""
    if item.hidden or item.merged_into_id is not None or item.id in moderated_ids(s, model, w):
        raise NotAllowed(f"The facilitator has edited, hidden or merged this {noun(model)}, so only the "
                         "facilitator can change it now")


def _added(model: Item, since):
    """How many items of this kind the participant in the enclosing query added, in all and since `since`."""
    c = model.__table__.c
    return (core_select(func.count()).where(c.participant_id == Participant.__table__.c.id).scalar_subquery(),
            core_select(func.count()).where(c.participant_id == Participant.__table__.c.id,
                                            c.created_at > since).scalar_subquery())


@cache
def caller_adding(model: Item):
    """access.CALLER, with what the participant added of this kind, in all and since :since (`added`,
    `added_lately`): one statement, built once, as it runs in every add's write lock (bench/storm.py)."""
    total, lately = _added(model, bindparam("since"))
    return CALLER.add_columns(total.label("added"), lately.label("added_lately"))


def a_minute_ago() -> datetime:
    return utcnow() - timedelta(minutes=1)


def refuse_past_limits(model: Item, added: int, lately: int, per_person: int, per_minute: int) -> None:
    """Raises: NotAllowed when the participant has added `per_person` items of this kind, or `per_minute` in the
    last minute."""
    kind = noun(model)
    if added >= per_person:
        raise NotAllowed(f"You have added {added} {kind}s; {per_person} is the most one person can add in this "
                         "workshop")
    if lately >= per_minute:
        raise NotAllowed(f"That is {per_minute} {kind}s in a minute, the most one person can add: wait a "
                         "moment, then add this one")


def require_item_room(s: Session, model: Item, participant: Participant, w: Workshop) -> None:
    """`refuse_past_limits` for a participant and workshop already loaded. Raises: NotAllowed."""
    total, lately = _added(model, a_minute_ago())
    added, recent = s.execute(core_select(total, lately).where(Participant.id == participant.id)).one()
    refuse_past_limits(model, added, recent, w.items_per_person, w.items_per_minute)


def require_no_loop(parent: Mapping[int, int | None], duplicate: int, into: int, what: str) -> None:
    """Folding `duplicate` into `into` may not loop (`into` already counting under `duplicate`, or being it):
    both would vanish from every screen. `parent` maps each item to the one it is merged into. The rule of
    `merge`, also checked in every restored backup. Raises: InvalidInput."""
    seen: set[int] = set()
    item: int | None = into
    while item is not None and item not in seen:
        if item == duplicate:
            raise InvalidInput(f"A {what} cannot be merged into itself")
        seen.add(item)
        item = parent.get(item)


def roots(s: Session, model: Item, w: Workshop) -> dict[int, int]:
    """Each item id mapped to the item it finally counts under, following merges."""
    parent = dict(s.exec(select(model.id, model.merged_into_id).where(model.workshop_id == w.id)).all())

    def root(i: int) -> int:
        seen = set()
        while parent.get(i) is not None and i not in seen:
            seen.add(i)
            i = parent[i]
        return i

    return {i: root(i) for i in parent}


def set_hidden(db: Database, code: str, key: str, model: Item, item_id: int, hidden: bool) -> None:
    """Hide an item from every screen (soft delete), or show it again. Raises: NotAllowed, NotFound."""
    with db.write() as s:
        w = facilitated(s, code, key)
        require_unlocked(w)
        item = find(s, model, w, item_id)
        item.hidden = bool(hidden)
        record(s, w, "hide" if hidden else "unhide", f"{noun(model)}:{item.id}")
        bump(s, w)


def merge(db: Database, code: str, key: str, model: Item, duplicate_id: int, into_id: int) -> None:
    """Fold a duplicate into another item: its votes, links and areas count there until undone.

    Raises: InvalidInput for an item into itself or into one merged or hidden; NotFound; NotAllowed.
    """
    with db.write() as s:
        w = facilitated(s, code, key)
        require_unlocked(w)
        dup, into = find(s, model, w, duplicate_id), find(s, model, w, into_id)
        parent = dict(s.exec(select(model.id, model.merged_into_id).where(model.workshop_id == w.id)).all())
        require_no_loop(parent, dup.id, into.id, noun(model))
        if into.merged_into_id is not None or into.hidden:
            raise InvalidInput(f"Merge into a {noun(model)} that is shown, not one merged or hidden")
        dup.merged_into_id = into.id
        record(s, w, "merge", f"{noun(model)}:{dup.id}", f"into {noun(model)}:{into.id}")
        bump(s, w)


def unmerge(db: Database, code: str, key: str, model: Item, item_id: int) -> None:
    """Undo a merge: the item stands alone again with its own votes. Raises: InvalidInput if not merged."""
    with db.write() as s:
        w = facilitated(s, code, key)
        require_unlocked(w)
        item = find(s, model, w, item_id)
        if item.merged_into_id is None:
            raise InvalidInput(f"That {noun(model)} is not merged")
        record(s, w, "unmerge", f"{noun(model)}:{item.id}", f"from {noun(model)}:{item.merged_into_id}")
        item.merged_into_id = None
        bump(s, w)
