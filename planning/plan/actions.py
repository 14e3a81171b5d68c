"""Actions that make chosen initiatives real: owner, dates, milestones, status, and what each waits for."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlmodel import Session, delete, or_, select

from planning import moderation
from planning.access import bump, facilitated, in_workshop, record, require_unlocked, workshop_by_code
from planning.db import Database
from planning.errors import InvalidInput
from planning.models import (
    REVIEW_LABELS,
    STATUS_LABELS,
    Action,
    ActionDependency,
    ActionStatus,
    Initiative,
    Review,
    Workshop,
    utcnow,
)
from planning.plan.schedule import starts_too_early, too_early_message
from planning.text import clean_text

MAX_DURATION = 3650  # days: ten years


@dataclass(frozen=True)
class ActionView:
    id: int
    initiative_id: int
    initiative: str
    what: str
    owner: str
    due: date
    status: ActionStatus
    start: date | None = None
    milestone: bool = False
    depends_on: tuple[int, ...] = ()  # the actions it waits for (finish-to-start)
    carried_status: ActionStatus | None = None  # carried from the last session: its status and due date there
    carried_due: date | None = None
    review: Review | None = None  # the follow-up's review of a carried action
    review_reason: str | None = None

    def overdue(self, today: date | None = None) -> bool:
        return (self.status != ActionStatus.DONE and self.review != Review.DROPPED
                and self.due < (today or utcnow().date()))

    @property
    def carried(self) -> bool:
        return self.carried_status is not None

    @property
    def review_label(self) -> str:
        """Done, Late or Dropped; "Not reviewed yet" for a carried action the room has not reviewed."""
        return REVIEW_LABELS[self.review] if self.review else "Not reviewed yet"

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def days(self) -> int | None:
        """Its length in days when it has a start date (a milestone has none)."""
        return None if self.milestone or not self.start else (self.due - self.start).days + 1


@dataclass(frozen=True)
class Timing:
    start: date | None
    due: date
    milestone: bool


def as_date(value: object, what: str) -> date | None:
    """A date from a date, a datetime or ISO text; None when left empty. Raises: InvalidInput."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date) or value is None:
        return value
    if isinstance(value, str) and not value.strip():
        return None
    try:
        return date.fromisoformat(value.strip()) if isinstance(value, str) else None
    except ValueError:
        pass
    raise InvalidInput(f"{what} must be a real date, like 2027-03-31")


def _duration(value: object) -> int | None:
    """Days from a whole number (or its text); None when left empty. Raises: InvalidInput."""
    if value is None or value == "":
        return None
    try:
        days = 0 if isinstance(value, bool) else int(str(value).strip())
    except ValueError:
        days = 0
    if not 1 <= days <= MAX_DURATION:
        raise InvalidInput(f"The duration is a whole number of days, from 1 to {MAX_DURATION}")
    return days


def _missing(what: object, owner: object, due: object) -> None:
    """Raises: InvalidInput naming every missing field (an empty form says all that it needs)."""
    blank = [name for name, value in (("a description", what), ("an owner", owner), ("a due date", due))
             if value is None or (isinstance(value, str) and not value.strip())]
    if blank:
        listed = blank[0] if len(blank) == 1 else ", ".join(blank[:-1]) + " and " + blank[-1]
        raise InvalidInput(f"Give the action {listed}")


def _timing(due: object, start: object, duration: object, milestone: bool) -> Timing:
    """Checked dates. Raises: InvalidInput (not a date, start after due, both start and duration, milestone)."""
    due, start, days = as_date(due, "The due date"), as_date(start, "The start date"), _duration(duration)
    if milestone and (days or (start and start != due)):
        raise InvalidInput("A milestone is a single date: give it a due date only")
    if start and days:
        raise InvalidInput("Give a start date or a duration, not both")
    if days:
        start = due - timedelta(days=days - 1)
    if start and start > due:
        raise InvalidInput("The start date must be on or before the due date")
    return Timing(None if milestone else start, due, bool(milestone))


def _fields(what: object, owner: object, due: object, status: object, start: object = None,
            duration: object = None, milestone: bool = False) -> dict:
    """Checked fields of an action. Raises: InvalidInput (missing, too long, not a date, unknown status)."""
    _missing(what, owner, due)
    timing = _timing(due, start, duration, milestone)
    try:
        status = ActionStatus(status)
    except ValueError:
        raise InvalidInput("The status is not started, in progress, done or blocked") from None
    return {"what": clean_text(what, what="The action", max_length=300),
            "owner": clean_text(owner, what="The owner", max_length=80), "due": timing.due, "start": timing.start,
            "milestone": timing.milestone, "status": status}


def chosen_initiative(s: Session, w: Workshop, initiative_id: object) -> Initiative:
    """The initiative, if the facilitator chose it for the plan. Raises: InvalidInput, NotFound."""
    item = moderation.find(s, Initiative, w, initiative_id)
    if not item.chosen or item.hidden or item.merged_into_id is not None:
        raise InvalidInput("Actions belong to chosen initiatives: choose it first")
    return item


def find_action(s: Session, w: Workshop, action_id: object) -> Action:
    """Raises: NotFound."""
    return in_workshop(s, Action, w, action_id, "action")


def check_waits(action: Action | Timing, depends_on: list[Action]) -> None:
    """Raises: InvalidInput when the action would start before one it waits for is due."""
    for dependency in depends_on:
        if starts_too_early(action, dependency):
            raise InvalidInput(too_early_message(action, dependency))


def waits_for(s: Session, w: Workshop, action_id: int | None) -> list[Action]:
    if action_id is None:
        return []
    ids = s.exec(select(ActionDependency.depends_on_id).where(ActionDependency.action_id == action_id)).all()
    return [find_action(s, w, i) for i in ids]


def add_action(db: Database, code: str, key: str, initiative_id: int, what: str, owner: str, due: object,
               status: str = ActionStatus.NOT_STARTED, *, start: object = None, duration: object = None,
               milestone: bool = False, depends_on: tuple[int, ...] = ()) -> int:
    """Add an action to a chosen initiative; returns its id.

    Raises: InvalidInput (fields, or it would start before an action it waits for is due), NotFound,
    NotAllowed, WorkshopLocked."""
    fields = _fields(what, owner, due, status, start, duration, milestone)
    with db.write() as s:
        w = facilitated(s, code, key)
        require_unlocked(w)
        waits = [find_action(s, w, d) for d in dict.fromkeys(depends_on)]
        check_waits(Timing(fields["start"], fields["due"], fields["milestone"]), waits)
        action = Action(workshop_id=w.id, initiative_id=chosen_initiative(s, w, initiative_id).id, **fields)
        s.add(action)
        s.flush()
        s.add_all(ActionDependency(action_id=action.id, depends_on_id=d.id) for d in waits)
        record(s, w, "action_add", f"initiative:{action.initiative_id}")
        bump(s, w)
        return action.id


def update_action(db: Database, code: str, key: str, action_id: int, what: str, owner: str, due: object,
                  status: str, *, start: object = None, duration: object = None, milestone: bool = False) -> None:
    """Change an action. Moving it later than an action that waits for it starts is allowed: the plan flags it.

    Raises: InvalidInput (fields, or it would start before an action it waits for is due), NotFound,
    NotAllowed, WorkshopLocked."""
    fields = _fields(what, owner, due, status, start, duration, milestone)
    with db.write() as s:
        w = facilitated(s, code, key)
        require_unlocked(w)
        action = find_action(s, w, action_id)
        check_waits(Timing(fields["start"], fields["due"], fields["milestone"]), waits_for(s, w, action.id))
        for name, value in fields.items():
            setattr(action, name, value)
        bump(s, w)


def set_action_status(db: Database, code: str, key: str, action_id: int, status: str) -> None:
    """Move an action to another status. Raises: InvalidInput, NotFound, NotAllowed, WorkshopLocked."""
    try:
        status = ActionStatus(status)
    except ValueError:
        raise InvalidInput("The status is not started, in progress, done or blocked") from None
    with db.write() as s:
        w = facilitated(s, code, key)
        require_unlocked(w)
        find_action(s, w, action_id).status = status
        bump(s, w)


def delete_action(db: Database, code: str, key: str, action_id: int) -> None:
    """Remove an action and its dependencies both ways. Raises: NotFound, NotAllowed, WorkshopLocked."""
    with db.write() as s:
        w = facilitated(s, code, key)
        require_unlocked(w)
        action = find_action(s, w, action_id)
        s.exec(delete(ActionDependency).where(or_(ActionDependency.action_id == action.id,
                                                  ActionDependency.depends_on_id == action.id)))
        s.delete(action)
        record(s, w, "action_delete", f"workshop:{w.id}")
        bump(s, w)


def actions_of(s: Session, w: Workshop) -> list[ActionView]:
    rows = s.exec(select(Action, Initiative.title).join(Initiative).where(Action.workshop_id == w.id)
                  .order_by(Action.due, Action.id)).all()
    links: dict[int, list[int]] = {}
    for a, d in s.exec(select(ActionDependency.action_id, ActionDependency.depends_on_id).join(
            Action, Action.id == ActionDependency.action_id).where(Action.workshop_id == w.id)
            .order_by(ActionDependency.action_id, ActionDependency.depends_on_id)):
        links.setdefault(a, []).append(d)
    return [ActionView(a.id, a.initiative_id, title, a.what, a.owner, a.due, ActionStatus(a.status), a.start,
                       a.milestone, tuple(links.get(a.id, ())),
                       ActionStatus(a.carried_status) if a.carried_status else None, a.carried_due,
                       Review(a.review) if a.review else None, a.review_reason) for a, title in rows]


def list_actions(db: Database, code: str) -> list[ActionView]:
    """The plan's actions, soonest due first (everyone in the room may read the plan)."""
    with db.read() as s:
        return actions_of(s, workshop_by_code(s, code))
