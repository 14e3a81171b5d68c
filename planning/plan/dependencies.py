"""Finish-to-start dependencies between actions: an action waits for another to be done. No loops."""

from sqlmodel import Session, select

from planning.access import bump, facilitated, require_unlocked
from planning.db import Database
from planning.errors import InvalidInput
from planning.models import Action, ActionDependency, Workshop
from planning.plan.actions import check_waits, find_action


def _leads_to(s: Session, w: Workshop, start: int, target: int) -> bool:
    """Whether `start` waits, directly or through others, for `target`."""
    edges: dict[int, list[int]] = {}
    for a, d in s.exec(select(ActionDependency.action_id, ActionDependency.depends_on_id).join(
            Action, Action.id == ActionDependency.action_id).where(Action.workshop_id == w.id)):
        edges.setdefault(a, []).append(d)
    seen, todo = set(), [start]
    while todo:
        current = todo.pop()
        if current == target:
            return True
        if current not in seen:
            seen.add(current)
            todo.extend(edges.get(current, ()))
    return False


def add_dependency(db: Database, code: str, key: str, action_id: int, depends_on_id: int) -> None:
    """The action waits for another to be done before it starts (adding it twice changes nothing).

    Raises: InvalidInput (itself, a loop, or it would start before the other is due), NotFound, NotAllowed,
    WorkshopLocked."""
    with db.write() as s:
        w = facilitated(s, code, key)
        require_unlocked(w)
        action, dependency = find_action(s, w, action_id), find_action(s, w, depends_on_id)
        if action.id == dependency.id:
            raise InvalidInput("An action cannot wait for itself")
        if s.get(ActionDependency, (action.id, dependency.id)):
            return
        if _leads_to(s, w, dependency.id, action.id):
            raise InvalidInput("That would make a loop: the other action already waits, directly or through "
                               "others, for this one")
        check_waits(action, [dependency])
        s.add(ActionDependency(action_id=action.id, depends_on_id=dependency.id))
        bump(s, w)


def remove_dependency(db: Database, code: str, key: str, action_id: int, depends_on_id: int) -> None:
    """The action no longer waits for the other. Raises: NotFound, NotAllowed, WorkshopLocked."""
    with db.write() as s:
        w = facilitated(s, code, key)
        require_unlocked(w)
        action, dependency = find_action(s, w, action_id), find_action(s, w, depends_on_id)
        link = s.get(ActionDependency, (action.id, dependency.id))
        if link is None:
            raise InvalidInput("This action does not wait for that one")
        s.delete(link)
        bump(s, w)
