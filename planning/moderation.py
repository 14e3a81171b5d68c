"""Moderation shared by demands and initiatives: find, hide (with undo), merge duplicates (with undo)."""

from collections.abc import Mapping

from sqlmodel import Session, select

from planning.access import bump, facilitated, in_workshop, record, require_unlocked
from planning.db import Database
from planning.errors import InvalidInput
from planning.models import Demand, Initiative, Workshop

Item = type[Demand] | type[Initiative]


def noun(model: Item) -> str:
    return "demand" if model is Demand else "initiative"


def find(s: Session, model: Item, w: Workshop, item_id: object):
    """The demand or initiative with this id in this workshop. Raises: NotFound."""
    return in_workshop(s, model, w, item_id, noun(model))


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
