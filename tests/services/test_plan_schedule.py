"""Start dates, durations, milestones and dependencies (rules, on both databases) and the schedule they make."""

from datetime import date

import pytest

from planning import workshops as ws
from planning.errors import InvalidInput, NotAllowed, NotFound, WorkshopLocked
from planning.initiatives import choose_initiative
from planning.plan import actions as ac
from planning.plan import dependencies as dp
from planning.plan.actions import ActionView
from planning.plan.schedule import schedule_of
from tests.factories import make_initiative, make_room

TODAY = date(2027, 3, 15)


@pytest.fixture
def room(db):
    room = make_room(db, phase="value_exchange")
    room.item = make_initiative(db, room.tokens[0], "Live tracking").id
    room.other = make_initiative(db, room.tokens[1], "Cold chain").id
    choose_initiative(db, room.code, room.key, room.item)
    choose_initiative(db, room.code, room.key, room.other)
    ws.set_phase(db, room.code, room.key, "plan")
    return room


def _add(db, room, what, due, **fields):
    return ac.add_action(db, room.code, room.key, fields.pop("item", room.item), what, "Dagny", due, **fields)


def _view(db, room, action_id) -> ActionView:
    return next(a for a in ac.list_actions(db, room.code) if a.id == action_id)


def test_an_action_takes_a_start_date_or_a_duration_and_a_milestone_is_one_date(db, room):
    started = _add(db, room, "Design", "2027-03-10", start="2027-03-01")
    lasting = _add(db, room, "Build", "2027-03-31", duration=5)
    gate = _add(db, room, "Go-live", "2027-04-01", milestone=True)
    assert (_view(db, room, started).start, _view(db, room, started).days) == (date(2027, 3, 1), 10)
    assert (_view(db, room, lasting).start, _view(db, room, lasting).days) == (date(2027, 3, 27), 5)
    assert (_view(db, room, gate).milestone, _view(db, room, gate).start, _view(db, room, gate).days) == (
        True, None, None)
    ac.update_action(db, room.code, room.key, started, "Design", "Dagny", "2027-03-12", "in_progress", start=None)
    assert (_view(db, room, started).start, _view(db, room, started).status) == (None, "in_progress")


@pytest.mark.parametrize(("fields", "message"), [
    ({"start": "2027-04-01"}, "The start date must be on or before the due date"),
    ({"start": "2027-02-30"}, "The start date must be a real date"),
    ({"start": "2027-03-01", "duration": 3}, "Give a start date or a duration, not both"),
    ({"duration": 0}, "The duration is a whole number of days"),
    ({"duration": "two"}, "The duration is a whole number of days"),
    ({"duration": 4000}, "The duration is a whole number of days"),
    ({"milestone": True, "duration": 2}, "A milestone is a single date"),
    ({"milestone": True, "start": "2027-03-01"}, "A milestone is a single date"),
])
def test_bad_dates_are_refused_and_nothing_is_written(db, room, fields, message):
    with pytest.raises(InvalidInput, match=message):
        _add(db, room, "Pilot", "2027-03-31", **fields)
    assert ac.list_actions(db, room.code) == []


def test_dependencies_link_actions_across_initiatives_and_go_with_a_deleted_action(db, room):
    design = _add(db, room, "Design", "2027-03-10", start="2027-03-01")
    build = _add(db, room, "Build", "2027-03-31", start="2027-03-11", depends_on=(design,))
    truck = _add(db, room, "Fit trucks", "2027-04-30", start="2027-04-01", item=room.other)
    dp.add_dependency(db, room.code, room.key, truck, build)
    dp.add_dependency(db, room.code, room.key, truck, build)  # twice: nothing changes
    assert _view(db, room, build).depends_on == (design,) and _view(db, room, truck).depends_on == (build,)
    dp.remove_dependency(db, room.code, room.key, truck, build)
    assert _view(db, room, truck).depends_on == ()
    ac.delete_action(db, room.code, room.key, design)  # its links go with it
    assert _view(db, room, build).depends_on == ()


@pytest.mark.parametrize("link", ["self", "loop", "long loop"])
def test_a_dependency_loop_is_refused(db, room, link):
    a = _add(db, room, "A", "2027-03-10", start="2027-03-01")
    b = _add(db, room, "B", "2027-03-20", start="2027-03-11", depends_on=(a,))
    c = _add(db, room, "C", "2027-03-31", start="2027-03-21", depends_on=(b,))
    action, waits_for, message = {"self": (a, a, "cannot wait for itself"), "loop": (a, b, "loop"),
                                  "long loop": (a, c, "loop")}[link]
    with pytest.raises(InvalidInput, match=message):
        dp.add_dependency(db, room.code, room.key, action, waits_for)
    assert _view(db, room, a).depends_on == ()


@pytest.mark.parametrize(("fields", "message"), [
    ({"start": "2027-03-10"}, "would start before an action it waits for is due \\(2027-03-10\\): start it on "
                              "2027-03-11 or later"),
    ({}, "would be due before an action it waits for is done \\(2027-03-10\\): give it a due date of 2027-03-11"),
    ({"milestone": True, "due": "2027-03-09"}, "This milestone falls before an action it waits for is due"),
])
def test_an_action_that_would_start_before_what_it_waits_for_is_due_is_refused(db, room, fields, message):
    design = _add(db, room, "Design", "2027-03-10", start="2027-03-01")
    fields = dict(fields)  # the same parameters serve both databases: keep them whole
    due = fields.pop("due", "2027-03-10" if not fields else "2027-03-31")
    with pytest.raises(InvalidInput, match=message):
        _add(db, room, "Build", due, depends_on=(design,), **fields)
    later = _add(db, room, "Build", "2027-03-31", start="2027-03-12")
    dp.add_dependency(db, room.code, room.key, later, design)
    with pytest.raises(InvalidInput, match="would start before"):
        ac.update_action(db, room.code, room.key, later, "Build", "Dagny", "2027-03-31", "not_started",
                         start="2027-03-05")
    assert [a.what for a in ac.list_actions(db, room.code)] == ["Design", "Build"]


def test_a_milestone_may_fall_on_the_day_its_dependency_is_due(db, room):
    design = _add(db, room, "Design", "2027-03-10", start="2027-03-01")
    gate = _add(db, room, "Design signed off", "2027-03-10", milestone=True, depends_on=(design,))
    assert _view(db, room, gate).depends_on == (design,)


def test_moving_a_dependency_later_is_saved_and_flagged_not_refused(db, room):
    design = _add(db, room, "Design", "2027-03-10", start="2027-03-01")
    build = _add(db, room, "Build", "2027-03-31", start="2027-03-11", depends_on=(design,))
    ac.update_action(db, room.code, room.key, design, "Design", "Dagny", "2027-03-20", "in_progress",
                     start="2027-03-01")
    plan = schedule_of(ac.list_actions(db, room.code), TODAY)
    assert plan.conflicts == ((build, design),)


def test_dependencies_belong_to_the_facilitator_and_the_workshop(db, room):
    a = _add(db, room, "A", "2027-03-10")
    b = _add(db, room, "B", "2027-03-20")
    with pytest.raises(NotAllowed):
        dp.add_dependency(db, room.code, room.tokens[0], b, a)
    with pytest.raises(NotFound):
        dp.add_dependency(db, room.code, room.key, b, 987654)
    with pytest.raises(NotFound):
        _add(db, room, "C", "2027-03-30", depends_on=(987654,))
    with pytest.raises(InvalidInput, match="does not wait"):
        dp.remove_dependency(db, room.code, room.key, b, a)
    ws.lock_workshop(db, room.code, room.key)
    with pytest.raises(WorkshopLocked):
        dp.add_dependency(db, room.code, room.key, b, a)


def test_status_changes_alone(db, room):
    a = _add(db, room, "A", "2027-03-10", start="2027-03-01")
    ac.set_action_status(db, room.code, room.key, a, "done")
    assert (_view(db, room, a).status, _view(db, room, a).start) == ("done", date(2027, 3, 1))
    with pytest.raises(InvalidInput, match="status"):
        ac.set_action_status(db, room.code, room.key, a, "someday")


def _action(i, due, start=None, deps=(), milestone=False, status="not_started"):
    return ActionView(i, 1, "Live tracking", f"action {i}", "Dagny", date.fromisoformat(due), status,
                      date.fromisoformat(start) if start else None, milestone, deps)


def test_the_critical_path_is_the_chain_that_sets_the_end_date():
    plan = schedule_of([
        _action(1, "2027-03-10", "2027-03-01"),
        _action(2, "2027-03-20", "2027-03-11", deps=(1,)),
        _action(3, "2027-03-31", deps=(2,)),  # no start date: begins when action 2 is done
        _action(4, "2027-03-05", "2027-03-01"),  # a short side action: 26 days of slack
        _action(5, "2027-03-31", "2027-03-25", deps=(4,)),  # ends on the last day, after a gap
        _action(6, "2027-03-31", milestone=True, deps=(3,)),
    ], TODAY)
    assert plan.critical == {1, 2, 3, 5, 6}
    assert plan.critical_links == {(2, 1), (3, 2), (6, 3)}
    assert plan.slack[4] == 19 and plan.first_day(3) == date(2027, 3, 21) and plan.finish == date(2027, 3, 31)
    assert plan.overdue == (1, 4) and plan.conflicts == ()


def test_a_subset_gets_its_own_critical_path_and_overdue_skips_done_work():
    plan = schedule_of([_action(1, "2027-03-10", "2027-03-01", status="done"), _action(2, "2027-03-12")], TODAY)
    assert plan.critical == {2} and plan.overdue == (2,)
    assert schedule_of([], TODAY).finish is None
