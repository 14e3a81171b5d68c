"""The follow-up's review of the plan carried from the last session: what became of each action, done, late (with
its new due date or the reason) or dropped (with the reason)."""

from dataclasses import dataclass

from planning.access import bump, facilitated, record, require_unlocked, workshop_by_code
from planning.db import Database
from planning.errors import InvalidInput
from planning.models import STATUS_LABELS, Action, ActionStatus, Review
from planning.plan.actions import ActionView, Timing, actions_of, as_date, check_waits, find_action, waits_for
from planning.text import clean_text

MAX_REASON = 300


@dataclass(frozen=True)
class PlanReview:
    """The actions carried from the last session, soonest due first, with what the room said became of them."""

    actions: tuple[ActionView, ...]

    def count(self, outcome: Review | None) -> int:
        """How many were reviewed with this outcome (None: not reviewed yet)."""
        return sum(1 for a in self.actions if a.review == outcome)

    @property
    def summary(self) -> str:
        """"2 done · 1 late · 1 dropped · 3 not reviewed yet": our own words, no user text."""
        parts = [f"{self.count(r)} {r.value}" for r in Review if self.count(r)]
        if self.count(None):
            parts.append(f"{self.count(None)} not reviewed yet")
        return " · ".join(parts)


def planned_of(a: ActionView) -> str:
    """What the last session planned for a carried action: "planned: due 2027-03-31, in progress"."""
    if a.carried_status is None:
        return ""
    return f"planned: due {a.carried_due}, {STATUS_LABELS[a.carried_status].lower()}"


def detail_of(a: ActionView) -> str:
    """What the room said beyond the outcome: a late action's new due date, then the reason (the room's words)."""
    parts = [f"now due {a.due}"] if a.review == Review.LATE and a.due != a.carried_due else []
    return " · ".join([*parts, *([a.review_reason] if a.review_reason else [])])


def _checked(outcome: object, reason: object, new_due: object) -> tuple[Review, str | None, object]:
    """The outcome, the reason (None when left empty) and the new due date. Raises: InvalidInput."""
    try:
        outcome = Review(outcome)
    except ValueError:
        raise InvalidInput("An action carried from the last session is done, late or dropped") from None
    text = reason.strip() if isinstance(reason, str) else reason
    why = clean_text(text, what="The reason", max_length=MAX_REASON) if text else None
    due = as_date(new_due, "The new due date")
    if outcome == Review.DROPPED and why is None:
        raise InvalidInput("Say why the action was dropped")
    if outcome == Review.LATE and why is None and due is None:
        raise InvalidInput("Give a late action its new due date, or say why it is late")
    if outcome != Review.LATE and due is not None:
        raise InvalidInput("Only a late action gets a new due date")
    return outcome, why, due


def _status_after(outcome: Review, action: Action) -> ActionStatus:
    """Done is done; an action the room finds late or dropped is not done, whatever it said last time."""
    if outcome == Review.DONE:
        return ActionStatus.DONE
    if action.status != ActionStatus.DONE:
        return ActionStatus(action.status)
    was = ActionStatus(action.carried_status)
    return was if was != ActionStatus.DONE else ActionStatus.IN_PROGRESS


def review_action(db: Database, code: str, key: str, action_id: int, outcome: str, *, reason: str | None = None,
                  new_due: object = None) -> None:
    """Record what became of an action carried from the last session: done; late, with a new due date (the action
    moves to it) or a reason, or both; dropped, with a reason. Recording again replaces the last outcome.

    Raises: InvalidInput (the outcome, a missing or too long reason, a date, a new due date before the action's
    start or before what it waits for is due, an action added in this session), NotFound, NotAllowed,
    WorkshopLocked."""
    outcome, why, due = _checked(outcome, reason, new_due)
    with db.write() as s:
        w = facilitated(s, code, key)
        require_unlocked(w)
        action = find_action(s, w, action_id)
        if action.carried_status is None:
            raise InvalidInput("Only actions carried from the last session are reviewed: change this one in the plan")
        if due is not None:
            if action.start and action.start > due:
                raise InvalidInput("The new due date is before the action's start date: move its start first")
            check_waits(Timing(action.start, due, action.milestone), waits_for(s, w, action.id))
            action.due = due
        action.review, action.review_reason, action.status = outcome, why, _status_after(outcome, action)
        record(s, w, "review", f"workshop:{w.id}", outcome.value)
        bump(s, w)


def plan_review(db: Database, code: str) -> PlanReview:
    """The carried actions and their review (everyone in the room may read the plan). Raises: NotFound."""
    with db.read() as s:
        return PlanReview(tuple(a for a in actions_of(s, workshop_by_code(s, code)) if a.carried))
