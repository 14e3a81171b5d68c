"""The plan: actions (what, owner, due date, status) that make chosen initiatives real, and their exports."""

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime

from icalendar import Calendar, Event
from sqlmodel import Session, select

from planning import moderation
from planning.access import bump, facilitated, in_workshop, record, require_unlocked, workshop_by_code
from planning.db import Database
from planning.errors import InvalidInput
from planning.models import STATUS_LABELS, Action, ActionStatus, Initiative, Workshop, utcnow
from planning.text import clean_text, safe_cell


@dataclass(frozen=True)
class ActionView:
    id: int
    initiative_id: int
    initiative: str
    what: str
    owner: str
    due: date
    status: ActionStatus

    def overdue(self, today: date | None = None) -> bool:
        return self.status != ActionStatus.DONE and self.due < (today or utcnow().date())

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]


def _fields(what: str, owner: str, due: object, status: object) -> dict:
    """Checked fields of an action. Raises: InvalidInput (empty, too long, not a real date, unknown status)."""
    if isinstance(due, datetime):
        due = due.date()
    elif isinstance(due, str):
        try:
            due = date.fromisoformat(due.strip())
        except ValueError:
            raise InvalidInput("The due date must be a real date, like 2027-03-31") from None
    if not isinstance(due, date):
        raise InvalidInput("The due date must be a real date, like 2027-03-31")
    try:
        status = ActionStatus(status)
    except ValueError:
        raise InvalidInput("The status is not started, in progress, done or blocked") from None
    return {"what": clean_text(what, what="The action", max_length=300),
            "owner": clean_text(owner, what="The owner", max_length=80), "due": due, "status": status}


def chosen_initiative(s: Session, w: Workshop, initiative_id: object) -> Initiative:
    """The initiative, if the facilitator chose it for the plan. Raises: InvalidInput, NotFound."""
    item = moderation.find(s, Initiative, w, initiative_id)
    if not item.chosen or item.hidden or item.merged_into_id is not None:
        raise InvalidInput("Actions belong to chosen initiatives: choose it first")
    return item


def _action(s: Session, w: Workshop, action_id: object) -> Action:
    return in_workshop(s, Action, w, action_id, "action")


def add_action(db: Database, code: str, key: str, initiative_id: int, what: str, owner: str, due: object,
               status: str = ActionStatus.NOT_STARTED) -> int:
    """Add an action to a chosen initiative; returns its id. Raises: InvalidInput, NotAllowed, WorkshopLocked."""
    fields = _fields(what, owner, due, status)
    with db.write() as s:
        w = facilitated(s, code, key)
        require_unlocked(w)
        action = Action(workshop_id=w.id, initiative_id=chosen_initiative(s, w, initiative_id).id, **fields)
        s.add(action)
        s.flush()
        record(s, w, "action_add", f"initiative:{action.initiative_id}")
        bump(s, w)
        return action.id


def update_action(db: Database, code: str, key: str, action_id: int, what: str, owner: str, due: object,
                  status: str) -> None:
    """Change an action's text, owner, due date or status. Raises: InvalidInput, NotFound, NotAllowed."""
    fields = _fields(what, owner, due, status)
    with db.write() as s:
        w = facilitated(s, code, key)
        require_unlocked(w)
        action = _action(s, w, action_id)
        for name, value in fields.items():
            setattr(action, name, value)
        bump(s, w)


def delete_action(db: Database, code: str, key: str, action_id: int) -> None:
    """Remove an action. Raises: NotFound, NotAllowed, WorkshopLocked."""
    with db.write() as s:
        w = facilitated(s, code, key)
        require_unlocked(w)
        s.delete(_action(s, w, action_id))
        record(s, w, "action_delete", f"workshop:{w.id}")
        bump(s, w)


def actions_of(s: Session, w: Workshop) -> list[ActionView]:
    rows = s.exec(select(Action, Initiative.title).join(Initiative).where(Action.workshop_id == w.id)
                  .order_by(Action.due, Action.id)).all()
    return [ActionView(a.id, a.initiative_id, title, a.what, a.owner, a.due, ActionStatus(a.status))
            for a, title in rows]


def list_actions(db: Database, code: str) -> list[ActionView]:
    """The plan's actions, soonest due first (everyone in the room may read the plan)."""
    with db.read() as s:
        return actions_of(s, workshop_by_code(s, code))


def plan_csv(actions: list[ActionView]) -> bytes:
    """The plan for project tools: one row per action, safe to open in a spreadsheet."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["Initiative", "Action", "Owner", "Due", "Status"])
    writer.writerows([safe_cell(a.initiative), safe_cell(a.what), safe_cell(a.owner), a.due.isoformat(), a.status_label]
                     for a in actions)
    return out.getvalue().encode("utf-8-sig")


def plan_ics(actions: list[ActionView], workshop_code: str, stamp: datetime) -> bytes:
    """The plan's due dates as an iCalendar file: one all-day event per action."""
    cal = Calendar()
    cal.add("prodid", "-//Hyperplan//plan//EN")
    cal.add("version", "2.0")
    for a in actions:
        event = Event()
        event.add("uid", f"action-{a.id}-{workshop_code}@hyperplan")
        event.add("dtstamp", stamp)
        event.add("dtstart", a.due)
        event.add("summary", f"{a.what} ({a.owner})")
        event.add("description", f"Initiative: {a.initiative}. Status: {a.status_label}.")
        cal.add_component(event)
    return cal.to_ical()
