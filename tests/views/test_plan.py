"""The facilitator console's Plan tab (ui/plan.py editor) and the plan everyone sees (ui/plan.py view)."""

from datetime import date

import pytest

from planning import initiatives as im
from planning import workshops as ws
from planning.plan import actions as ac
from planning.plan import process as pr
from tests.factories import make_initiative, make_room
from tests.views.conftest import plotly_specs, texts


@pytest.fixture
def room(db):
    room = make_room(db, phase="value_exchange")
    room.item = make_initiative(db, room.tokens[0], "Live tracking").id
    im.choose_initiative(db, room.code, room.key, room.item)
    return room


def _field(at, kind: str, label: str):
    return next(w for w in getattr(at, kind) if w.label == label)


def _press(at, label: str) -> None:
    next(b for b in at.button if b.label == label).click().run()


def _errors(at) -> list[str]:
    return [e.value for e in at.error]


def test_an_action_is_added_with_its_dates_and_the_form_empties(open_view, db, room):
    at = open_view("facilitator", code=room.code, key=room.key)
    _field(at, "text_input", "Action").input("Pilot with three shippers")
    _field(at, "text_input", "Owner").input("Dagny")
    _field(at, "date_input", "Start (optional)").set_value(date(2027, 3, 1))
    _field(at, "date_input", "Due").set_value(date(2027, 3, 31))
    _press(at, "Add action")
    assert [(a.what, a.owner, a.start, a.due) for a in ac.list_actions(db, room.code)] == [
        ("Pilot with three shippers", "Dagny", date(2027, 3, 1), date(2027, 3, 31))]
    assert _field(at, "text_input", "Action").value == "" and _field(at, "date_input", "Due").value is None
    _press(at, "Add action")  # the same press again: the form is empty, nothing is added twice
    assert _errors(at) == ["Give the action a description, an owner and a due date"]
    assert len(ac.list_actions(db, room.code)) == 1


def test_a_refused_action_keeps_its_draft_and_the_reason_until_the_next_action(open_view, db, room):
    at = open_view("facilitator", code=room.code, key=room.key)
    _field(at, "text_input", "Action").input("Pilot")
    _field(at, "checkbox", "Milestone").check()
    _press(at, "Add action")
    assert _errors(at) == ["Give the action an owner and a due date"]
    assert _field(at, "text_input", "Action").value == "Pilot" and _field(at, "checkbox", "Milestone").value
    at.run()  # a rerun (a timed one, say) keeps the reason on the page
    assert _errors(at) == ["Give the action an owner and a due date"]
    _field(at, "text_input", "Owner").input("Dagny")
    _field(at, "date_input", "Due").set_value(date(2027, 4, 1))
    _press(at, "Add action")
    assert _errors(at) == [] and [(a.what, a.milestone) for a in ac.list_actions(db, room.code)] == [("Pilot", True)]


def test_status_changes_on_the_first_pick_and_a_refused_one_snaps_back(open_view, db, room):
    action = ac.add_action(db, room.code, room.key, room.item, "Pilot", "Dagny", "2027-03-31")
    at = open_view("facilitator", code=room.code, key=room.key)
    at.selectbox(key=f"facilitator_action_status_{action}").set_value("in_progress").run()
    assert ac.list_actions(db, room.code)[0].status == "in_progress"
    ws.lock_workshop(db, room.code, room.key)
    at.selectbox(key=f"facilitator_action_status_{action}").set_value("done").run()
    assert any("locked" in e for e in _errors(at))
    assert at.selectbox(key=f"facilitator_action_status_{action}").value == "in_progress"


def test_dependencies_are_picked_by_search_and_a_loop_is_refused(open_view, db, room):
    design = ac.add_action(db, room.code, room.key, room.item, "Design the app", "Dagny", "2027-03-10")
    build = ac.add_action(db, room.code, room.key, room.item, "Build it", "Hank", "2027-03-31")
    for n in range(8):
        ac.add_action(db, room.code, room.key, room.item, f"Train depot {n}", "Ona", "2027-05-01")
    at = open_view("facilitator", code=room.code, key=room.key)
    at.button(key=f"facilitator_action_edit_{build}").click().run()
    at.text_input(key="facilitator_dep_search").input("depot").run()
    assert len([b for b in at.button if b.label == "Wait for it"]) == 6  # a few matches, never the whole plan
    at.text_input(key="facilitator_dep_search").input("design").run()
    at.button(key=f"facilitator_dep_add_{build}_{design}").click().run()
    assert next(a for a in ac.list_actions(db, room.code) if a.id == build).depends_on == (design,)
    at.button(key=f"facilitator_action_edit_{design}").click().run()
    at.text_input(key="facilitator_dep_search").input("build").run()
    at.button(key=f"facilitator_dep_add_{design}_{build}").click().run()
    assert any("loop" in e for e in _errors(at))
    at.button(key=f"facilitator_action_edit_{build}").click().run()  # the next action clears the reason
    assert _errors(at) == []


def test_an_action_is_edited_and_a_too_early_start_is_refused_with_the_date_to_use(open_view, db, room):
    design = ac.add_action(db, room.code, room.key, room.item, "Design", "Dagny", "2027-03-10")
    build = ac.add_action(db, room.code, room.key, room.item, "Build", "Hank", "2027-03-31", depends_on=(design,))
    at = open_view("facilitator", code=room.code, key=room.key)
    at.button(key=f"facilitator_action_edit_{build}").click().run()
    at.date_input(key="facilitator_edit_start").set_value(date(2027, 3, 5))
    _press(at, "Save action")
    assert any("start it on 2027-03-11 or later" in e for e in _errors(at))
    at.date_input(key="facilitator_edit_start").set_value(date(2027, 3, 11))
    _press(at, "Save action")
    assert next(a for a in ac.list_actions(db, room.code) if a.id == build).start == date(2027, 3, 11)


def test_steps_are_edited_and_reordered(open_view, db, room):
    first = pr.add_step(db, room.code, room.key, room.item, "Sales", "Re-keys the booking", "", "none")
    pr.add_step(db, room.code, room.key, room.item, "Dispatch", "Plans the route", "address", "enables")
    at = open_view("facilitator", code=room.code, key=room.key)
    at.button(key=f"facilitator_step_edit_{first}").click().run()
    at.text_input(key="facilitator_step_edit_what").input("Checks the booking")
    at.radio(key="facilitator_step_edit_value").set_value("enables")
    _press(at, "Save step")
    at.button(key=f"facilitator_step_move_{first}_1").click().run()
    steps = pr.list_process_maps(db, room.code)[0].steps
    assert [(s.what, s.value) for s in steps] == [("Plans the route", "enables"), ("Checks the booking", "enables")]
    _field(at, "text_input", "Who does it (function or stakeholder)").input("Driver")
    _press(at, "Add step")
    assert _errors(at) == ["What happens cannot be empty"]
    assert _field(at, "text_input", "Who does it (function or stakeholder)").value == "Driver"


def test_the_plan_tab_offers_every_plan_download(open_view, db, room):
    at = open_view("facilitator", code=room.code, key=room.key)
    labels = {b.proto.label for b in at.get("download_button")}
    assert {"Microsoft Project (XML)", "Jira / Asana (CSV)", "Due dates (.ics)", "Process book (HTML)",
            "Process book (PDF)"} <= labels


def test_everyone_sees_the_gantt_with_the_critical_path_overdue_work_and_flags(open_view, db, room):
    other = make_initiative(db, room.tokens[1], "<i>Cold</i> chain").id
    im.choose_initiative(db, room.code, room.key, other)
    design = ac.add_action(db, room.code, room.key, room.item, "<b>Design</b>", "Dagny", "2020-03-10")
    ac.add_action(db, room.code, room.key, other, "Build", "Hank", "2020-03-31", depends_on=(design,))
    ac.update_action(db, room.code, room.key, design, "<b>Design</b>", "Dagny", "2020-04-10", "not_started")
    ws.set_phase(db, room.code, room.key, "plan")
    at = open_view("participant", p=room.tokens[2])
    [spec] = plotly_specs(at)
    names = [t.get("name") for t in spec["data"]]
    assert {"Not started", "Milestone", "Critical path", "Starts too early", "Overdue"} <= set(names)
    labels = " ".join(a["text"] for a in spec["layout"]["annotations"] if "text" in a)
    assert "&lt;b&gt;Design&lt;/b&gt;" in labels and "<b>Design</b>" not in labels
    assert any("2 action(s) overdue" in w.value for w in at.warning)
    assert any("start before what they wait for is due" in w.value for w in at.warning)
    assert "• Build — waits for: <b>Design</b>" in texts(at)
    at.selectbox(key="participant_plan_scope").set_value(other).run()  # one initiative: its own chart
    [spec] = plotly_specs(at)
    assert "Design" not in " ".join(a.get("text", "") for a in spec["layout"]["annotations"])


def test_phones_at_one_revision_share_one_drawing_of_the_plan_and_a_change_draws_it_anew(open_view, db, room,
                                                                                          monkeypatch):
    import plotly.io

    encoded = []  # each figure Streamlit turns into JSON for a page
    to_json = plotly.io.to_json
    monkeypatch.setattr(plotly.io, "to_json", lambda figure, *args, **kwargs: encoded.append(1)
                        or to_json(figure, *args, **kwargs))
    ac.add_action(db, room.code, room.key, room.item, "Design", "Dagny", "2030-03-10")
    ws.set_phase(db, room.code, room.key, "plan")
    phones = [open_view("participant", p=token) for token in room.tokens]
    assert len(encoded) == 1  # the Gantt (and the table's Arrow) built once for three phones, replayed for each
    for at in phones:
        [spec] = plotly_specs(at)
        assert "Design" in " ".join(a.get("text", "") for a in spec["layout"]["annotations"])
        assert list(at.dataframe[0].value["Action"]) == ["Design"]
    ac.add_action(db, room.code, room.key, room.item, "Build", "Hank", "2030-03-31")
    again = open_view("participant", p=room.tokens[0])
    assert len(encoded) == 2
    assert list(again.dataframe[0].value["Action"]) == ["Design", "Build"]
