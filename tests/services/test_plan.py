from datetime import UTC, date, datetime

import pytest
from icalendar import Calendar

from planning import workshops as ws
from planning.errors import InvalidInput, NotAllowed, NotFound, WorkshopLocked
from planning.initiatives import choose_initiative
from planning.models import StepValue
from planning.plan import actions as ac
from planning.plan import process as pr
from planning.plan.files import plan_ics
from tests.factories import make_initiative, make_room


@pytest.fixture
def room(db):
    room = make_room(db, phase="value_exchange")
    room.item = make_initiative(db, room.tokens[0], "Live tracking").id
    room.other = make_initiative(db, room.tokens[1], "Not chosen").id
    choose_initiative(db, room.code, room.key, room.item)
    ws.set_phase(db, room.code, room.key, "plan")
    return room


def test_actions_belong_to_chosen_initiatives_and_track_status(db, room):
    a = ac.add_action(db, room.code, room.key, room.item, "Pilot with 3 shippers", "Dagny", "2027-03-31")
    ac.update_action(db, room.code, room.key, a, "Pilot with 3 shippers", "Dagny", date(2027, 4, 30), "in_progress")
    [view] = ac.list_actions(db, room.code)
    assert (view.initiative, view.owner, view.due, view.status) == ("Live tracking", "Dagny", date(2027, 4, 30),
                                                                   "in_progress")
    with pytest.raises(InvalidInput, match="chosen"):
        ac.add_action(db, room.code, room.key, room.other, "x", "y", "2027-01-01")
    ac.delete_action(db, room.code, room.key, a)
    assert ac.list_actions(db, room.code) == []


@pytest.mark.parametrize(("what", "owner", "due", "status", "message"), [
    ("", "", None, "not_started", "Give the action a description, an owner and a due date"),
    ("  ", "Dagny", "", "not_started", "Give the action a description and a due date"),
    ("", "Dagny", "2027-01-01", "not_started", "Give the action a description"),
    ("Pilot", "", "2027-01-01", "not_started", "Give the action an owner"),
    ("Pilot", "Dagny", None, "not_started", "Give the action a due date"),
    ("Pilot", "Dagny", "2027-02-30", "not_started", "The due date must be a real date"),
    ("Pilot", "Dagny", "next week", "not_started", "The due date must be a real date"),
    ("Pilot", "Dagny", "2027-01-01", "someday", "status"),
    ("Pilot\x07", "Dagny", "2027-01-01", "not_started", "control characters"),
])
def test_add_action_refuses_bad_input(db, room, what, owner, due, status, message):
    with pytest.raises(InvalidInput, match=message):
        ac.add_action(db, room.code, room.key, room.item, what, owner, due, status)
    assert ac.list_actions(db, room.code) == []


def test_only_the_facilitator_plans_and_not_when_locked(db, room):
    with pytest.raises(NotAllowed):
        ac.add_action(db, room.code, room.tokens[0], room.item, "Pilot", "Dagny", "2027-01-01")
    with pytest.raises(NotAllowed):
        pr.add_step(db, room.code, room.tokens[0], room.item, "Sales", "Quote", "", "adds")
    with pytest.raises(NotAllowed):
        choose_initiative(db, room.code, room.tokens[0], room.other)
    with pytest.raises(NotFound):
        ac.delete_action(db, room.code, room.key, 12345)
    ws.lock_workshop(db, room.code, room.key)
    with pytest.raises(WorkshopLocked):
        ac.add_action(db, room.code, room.key, room.item, "Pilot", "Dagny", "2027-01-01")


def test_overdue_actions_are_flagged_until_done(db, room):
    a = ac.add_action(db, room.code, room.key, room.item, "Pilot", "Dagny", "2020-01-01")
    [view] = ac.list_actions(db, room.code)
    assert view.overdue(date(2026, 11, 23)) and not view.overdue(date(2019, 12, 31))
    ac.update_action(db, room.code, room.key, a, "Pilot", "Dagny", "2020-01-01", "done")
    assert not ac.list_actions(db, room.code)[0].overdue(date(2026, 11, 23))


def test_plan_exports_a_calendar_of_due_dates(db, room):
    ac.add_action(db, room.code, room.key, room.item, "=cmd|' /C calc'!A0", "Dagny", "2027-03-31")
    actions = ac.list_actions(db, room.code)
    cal = Calendar.from_ical(plan_ics(actions, room.code, datetime(2026, 11, 23, tzinfo=UTC)))
    [event] = cal.walk("VEVENT")
    assert event.decoded("dtstart") == date(2027, 3, 31) and "Dagny" in str(event["summary"])


def test_a_process_map_orders_steps_shares_value_and_flags_waste(db, room):
    ids = [pr.add_step(db, room.code, room.key, room.item, actor, what, info, value) for actor, what, info, value in [
        ("Customer", "Books a pickup", "pallet count", "adds"),
        ("Sales", "Re-keys the booking", "", "none"),
        ("Dispatch", "Plans the route", "address, time window", "enables"),
        ("Driver", "Collects and confirms", "photo", "adds"),
    ]]
    [m] = pr.list_process_maps(db, room.code)
    assert m.actors == ("Customer", "Sales", "Dispatch", "Driver")
    assert m.adding_share == 0.5 and [s.what for s in m.to_remove] == ["Re-keys the booking"]
    pr.move_step(db, room.code, room.key, ids[3], -1)
    pr.move_step(db, room.code, room.key, ids[0], -1)  # already first: nothing moves
    assert [s.actor for s in pr.list_process_maps(db, room.code)[0].steps] == ["Customer", "Sales", "Driver",
                                                                               "Dispatch"]
    pr.edit_step(db, room.code, room.key, ids[1], "Sales", "Re-keys the booking", "", "enables")
    pr.delete_step(db, room.code, room.key, ids[2])
    assert pr.list_process_maps(db, room.code)[0].to_remove == ()
    assert {s.value for s in pr.list_process_maps(db, room.code)[0].steps} == {StepValue.ADDS, StepValue.ENABLES}


@pytest.mark.parametrize(("actor", "what", "value"), [("", "x", "adds"), ("Sales", "", "adds"),
                                                      ("Sales", "x", "maybe")])
def test_add_step_refuses_bad_input(db, room, actor, what, value):
    with pytest.raises(InvalidInput):
        pr.add_step(db, room.code, room.key, room.item, actor, what, "", value)
    assert pr.list_process_maps(db, room.code) == []
