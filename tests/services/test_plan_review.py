"""The follow-up's review of the carried plan (planning/plan/review.py) and the self-check's shift since the last
session (planning/selfcheck.shift_of)."""

import xml.etree.ElementTree as ET
from datetime import date

import pytest

from planning import followup, participants
from planning import workshops as ws
from planning.errors import InvalidInput, NotAllowed, NotFound, WorkshopLocked
from planning.models import Area, Level
from planning.plan import actions as ac
from planning.plan.dependencies import add_dependency
from planning.plan.files import plan_file
from planning.plan.review import detail_of, plan_review, planned_of, review_action
from planning.selfcheck import close_selfcheck, open_selfcheck, rate_area, selfcheck_results, shift_of
from tests.factories import make_finished_room

NS = {"p": "http://schemas.microsoft.com/project"}


@pytest.fixture
def room(db):
    """A follow-up of a finished room: (code, key, {action: id}), in the Plan phase."""
    first = make_finished_room(db)
    created = followup.start_followup(db, first.code, first.key)
    code, key = created.workshop.code, created.facilitator_key
    ws.set_phase(db, code, key, "plan")
    return code, key, {a.what: a.id for a in ac.list_actions(db, code)}


def _action(db, code: str, action_id: int) -> ac.ActionView:
    return next(a for a in ac.list_actions(db, code) if a.id == action_id)


def test_each_carried_action_is_reviewed_done_late_or_dropped(db, room):
    code, key, plan = room
    assert plan_review(db, code).summary == "3 not reviewed yet"
    review_action(db, code, key, plan["Design the page"], "done")
    review_action(db, code, key, plan["Build it"], "late", new_due="2027-05-31", reason="The vendor slipped")
    review_action(db, code, key, plan["Go-live"], "dropped", reason="  Invoices move to the new ERP  ")
    review = {a.what: a for a in plan_review(db, code).actions}
    build, live = review["Build it"], review["Go-live"]
    assert (build.review, build.due, build.carried_due, build.review_reason, build.status) == (
        "late", date(2027, 5, 31), date(2027, 3, 31), "The vendor slipped", "in_progress")
    assert (live.review, live.review_reason, live.review_label) == (
        "dropped", "Invoices move to the new ERP", "Dropped")
    assert not live.overdue(date(2030, 1, 1))  # a dropped action is never overdue
    assert plan_review(db, code).summary == "1 done · 1 late · 1 dropped"
    words = {a.what: (planned_of(a), detail_of(a)) for a in plan_review(db, code).actions}
    assert words == {"Design the page": ("planned: due 2027-03-10, done", ""),
                     "Build it": ("planned: due 2027-03-31, in progress", "now due 2027-05-31 · The vendor slipped"),
                     "Go-live": ("planned: due 2027-04-01, not started", "Invoices move to the new ERP")}


def test_done_marks_the_action_done_and_a_later_late_takes_it_back(db, room):
    code, key, plan = room
    review_action(db, code, key, plan["Build it"], "done")
    assert _action(db, code, plan["Build it"]).status == "done"
    review_action(db, code, key, plan["Build it"], "late", reason="Not really: testing goes on")
    assert _action(db, code, plan["Build it"]).status == "in_progress"  # as it stood last session
    review_action(db, code, key, plan["Design the page"], "late", reason="Redone")
    assert _action(db, code, plan["Design the page"]).status == "in_progress"  # it was done last session


def test_a_late_action_may_give_only_a_reason_and_keeps_its_date(db, room):
    code, key, plan = room
    review_action(db, code, key, plan["Go-live"], "late", reason="Waiting for the bank")
    live = _action(db, code, plan["Go-live"])
    assert (live.review, live.due, live.milestone) == ("late", date(2027, 4, 1), True)
    assert detail_of(live) == "Waiting for the bank"  # no new date to announce


@pytest.mark.parametrize(("action", "outcome", "reason", "new_due", "message"), [
    ("Go-live", "dropped", "", None, "Say why the action was dropped"),
    ("Go-live", "dropped", "   ", None, "Say why the action was dropped"),
    ("Go-live", "late", None, None, "new due date, or say why it is late"),
    ("Go-live", "done", "", "2027-06-01", "Only a late action gets a new due date"),
    ("Go-live", "finished", "", None, "done, late or dropped"),
    ("Go-live", None, "", None, "done, late or dropped"),
    ("Go-live", "dropped", "x" * 301, None, "at most 300 characters"),
    ("Go-live", "dropped", "No\x07", None, "control characters"),
    ("Go-live", "late", "", "2027-02-30", "The new due date must be a real date"),
    ("Build it", "late", "", "2027-03-05", "before the action's start date"),
    ("Design the page", "late", "", "2027-02-20", "before the action's start date"),
])
def test_review_action_refuses_bad_input_and_changes_nothing(db, room, action, outcome, reason, new_due, message):
    code, key, plan = room
    before = ac.list_actions(db, code)
    with pytest.raises(InvalidInput, match=message):
        review_action(db, code, key, plan[action], outcome, reason=reason, new_due=new_due)
    assert ac.list_actions(db, code) == before


def test_a_new_due_date_before_what_the_action_waits_for_is_due_is_refused(db, room):
    code, key, plan = room
    add_dependency(db, code, key, plan["Go-live"], plan["Build it"])  # a milestone on 2027-04-01, after 03-31
    with pytest.raises(InvalidInput, match=r"falls before an action it waits for is due \(2027-03-31\)"):
        review_action(db, code, key, plan["Go-live"], "late", new_due="2027-03-20")
    assert _action(db, code, plan["Go-live"]).review is None
    review_action(db, code, key, plan["Build it"], "late", new_due="2027-04-30")  # moving what others wait for
    assert _action(db, code, plan["Build it"]).due == date(2027, 4, 30)  # is kept, and flagged by the plan


def test_only_carried_actions_are_reviewed(db, room):
    code, key, plan = room
    item = _action(db, code, plan["Build it"]).initiative_id
    added = ac.add_action(db, code, key, item, "A new idea", "Ona", "2027-06-01")
    with pytest.raises(InvalidInput, match="Only actions carried from the last session"):
        review_action(db, code, key, added, "done")
    with pytest.raises(NotFound):
        review_action(db, code, key, 10**6, "done")


def test_only_the_facilitator_reviews_and_not_when_locked(db, room):
    code, key, plan = room
    token = participants.join_workshop(db, code, "Ana").token
    with pytest.raises(NotAllowed):
        review_action(db, code, token, plan["Go-live"], "done")
    ws.lock_workshop(db, code, key)
    with pytest.raises(WorkshopLocked):
        review_action(db, code, key, plan["Go-live"], "done")
    assert plan_review(db, code).summary == "3 not reviewed yet"


def test_the_self_check_shift_compares_this_session_with_the_last(db, room):
    code, key, _ = room
    assert shift_of(selfcheck_results(db, code)) is None  # a baseline alone: nothing to compare yet
    tokens = [participants.join_workshop(db, code, name).token for name in ("Ana", "Ben")]
    open_selfcheck(db, code, key)
    for token in tokens:
        rate_area(db, token, "strategy", "improve")
    rate_area(db, tokens[0], "marketing", "risk")
    close_selfcheck(db, code, key)
    runs = selfcheck_results(db, code)
    assert [(r.number, r.baseline) for r in runs] == [(1, True), (2, False)]
    shift = shift_of(runs)
    assert (shift.before.number, shift.after.number) == (1, 2)
    strategy = next(a for a in shift.areas if a.area == Area.STRATEGY)
    assert (strategy.mean_before, strategy.mean_after) == (pytest.approx(1), 2)  # risk, prompt, improve -> improve
    assert strategy.change == pytest.approx(1)
    assert (strategy.weak_before, strategy.weak_after) == (pytest.approx(2 / 3), 0)
    assert strategy.before[Level.RISK] == 1 and strategy.after[Level.IMPROVE] == 2
    marketing = next(a for a in shift.areas if a.area == Area.MARKETING)
    assert (marketing.mean_before, marketing.mean_after) == (pytest.approx(8 / 3), 0)  # great, great, improve -> risk
    assert marketing.change == pytest.approx(-8 / 3)
    sales = next(a for a in shift.areas if a.area == Area.SALES_SERVICE)
    assert (sales.mean_before, sales.mean_after, sales.change, sales.weak_before) == (None, None, None, None)


def test_a_dropped_action_stays_in_the_project_file_inactive_with_the_review_in_its_notes(db, room):
    code, key, plan = room
    review_action(db, code, key, plan["Go-live"], "dropped", reason="Invoices move to the new ERP")
    review_action(db, code, key, plan["Build it"], "late", new_due="2027-05-31")
    root = ET.fromstring(plan_file(db, code, key, "mspdi").data)
    tasks = {t.findtext("p:Name", namespaces=NS): t for t in root.iterfind("p:Tasks/p:Task", NS)}
    assert {name: t.findtext("p:Active", namespaces=NS) for name, t in tasks.items()
            if name in plan} == {"Design the page": "1", "Build it": "1", "Go-live": "0"}
    assert tasks["Go-live"].findtext("p:Notes", namespaces=NS).endswith(
        "Reviewed: Dropped (Invoices move to the new ERP).")
    assert tasks["Build it"].findtext("p:Notes", namespaces=NS).endswith("Reviewed: Late (now due 2027-05-31).")
    assert tasks["Build it"].findtext("p:Finish", namespaces=NS) == "2027-05-31T17:00:00"
    assert tasks["Design the page"].findtext("p:Notes", namespaces=NS).endswith("Reviewed: Not reviewed yet.")
