"""Follow-up sessions (planning/followup.py): what a follow-up carries, what it refuses, and the chain."""

from datetime import date

import pytest
from sqlmodel import func, select

from planning import followup, participants, votes
from planning import workshops as ws
from planning.demands import list_shown_demands
from planning.errors import InvalidInput, NotAllowed, NotFound
from planning.initiatives import list_shown_initiatives
from planning.models import SelfCheckRating, SelfCheckRun, Workshop
from planning.plan import actions as ac
from planning.plan import process as pr
from planning.plan.review import review_action
from planning.selfcheck import selfcheck_results
from tests.factories import make_finished_room, make_room


@pytest.fixture
def room(db):
    return make_finished_room(db)


def _workshops(db) -> int:
    with db.read() as s:
        return s.exec(select(func.count()).select_from(Workshop)).one()


def test_a_followup_is_a_new_workshop_in_the_lobby_with_the_purpose_and_settings(db, room):
    ws.set_anonymous(db, room.code, room.key, True)
    ws.set_vote_budget(db, room.code, room.key, 7, 2)
    created = followup.start_followup(db, room.code, room.key)
    w = created.workshop
    assert w.code != room.code and created.facilitator_key != room.key
    assert (w.title, w.company, w.segment, w.phase) == ("Freight 2027", "Northwind", "mid-size shippers", "lobby")
    assert (w.anonymous, w.vote_budget, w.vote_cap, w.participant_count, w.locked) == (True, 7, 2, 0, False)
    assert ws.check_facilitator(db, w.code, created.facilitator_key).code == w.code
    with pytest.raises(NotAllowed):
        ws.check_facilitator(db, w.code, room.key)  # a new key: the old one does not open it


def test_demands_on_the_board_carry_with_their_votes_as_history_not_as_votes(db, room):
    code = followup.start_followup(db, room.code, room.key).workshop.code
    carried = {d.text: (d.votes, d.carried_votes, d.area, d.author) for d in list_shown_demands(db, code)}
    assert carried == {"Tell me when a pallet is late": (0, 3, "relationships", None),  # 2 + 1 merged in
                       "One invoice a month": (0, 1, "process_design", None)}  # the hidden one stays behind


def test_the_new_room_votes_on_carried_demands_with_a_full_budget(db, room):
    created = followup.start_followup(db, room.code, room.key)
    code, key = created.workshop.code, created.facilitator_key
    ws.set_phase(db, code, key, "inner_customer")
    token = participants.join_workshop(db, code, "Person 0").token  # the same name: a new room, a new person
    [late] = [d for d in list_shown_demands(db, code) if d.carried_votes == 3]
    votes.cast_vote(db, token, late.id)
    [late] = [d for d in list_shown_demands(db, code) if d.id == late.id]
    assert (late.votes, late.carried_votes) == (1, 3)


def test_chosen_initiatives_carry_with_links_areas_effort_and_ratings_as_history(db, room):
    code = followup.start_followup(db, room.code, room.key).workshop.code
    items = {i.title: i for i in list_shown_initiatives(db, code)}
    assert set(items) == {"Live tracking", "Monthly invoice"}  # not the one nobody chose
    demand = {d.id: d.text for d in list_shown_demands(db, code)}
    tracking = items["Live tracking"]
    assert [demand[d] for d in tracking.demand_ids] == ["Tell me when a pallet is late"]
    assert (tracking.areas, tracking.effort, tracking.chosen, tracking.votes, tracking.author) == (
        ("relationships",), "M", True, 0, None)
    history = followup.carried_initiatives(db, code)
    last = history[tracking.id]
    assert (last.votes, last.customer_median, last.customer_n, last.company_median, last.company_n) == (3, 7, 3, 5, 3)
    assert last.quadrant == "Win–win" and history[items["Monthly invoice"].id].votes == 0


def test_the_plan_carries_with_owners_dates_milestones_dependencies_status_and_steps(db, room):
    code = followup.start_followup(db, room.code, room.key).workshop.code
    plan = {a.what: a for a in ac.list_actions(db, code)}
    design, build, live = plan["Design the page"], plan["Build it"], plan["Go-live"]
    assert (design.owner, design.start, design.due, design.status) == ("Dagny", date(2027, 3, 1), date(2027, 3, 10),
                                                                       "done")
    assert build.depends_on == (design.id,) and (build.status, build.start) == ("in_progress", date(2027, 3, 11))
    assert live.milestone and live.initiative == "Monthly invoice"
    assert all(a.carried and a.carried_status == a.status and a.carried_due == a.due and a.review is None
               for a in plan.values())
    [steps] = pr.list_process_maps(db, code)
    assert [(x.actor, x.what, x.information, x.value) for x in steps.steps] == [
        ("Customer", "Books a pickup", "pallet count", "adds"), ("Sales", "Re-keys the booking", "", "none")]


def test_self_check_runs_carry_as_a_baseline_tied_to_no_one(db, room):
    code = followup.start_followup(db, room.code, room.key).workshop.code
    [before], [after] = selfcheck_results(db, room.code), selfcheck_results(db, code)
    assert after.baseline and not after.open and after.number == 1
    assert (after.distribution, after.means, after.respondents, after.great_heavy) == (
        before.distribution, before.means, before.respondents, before.great_heavy)
    with db.read() as s:
        old_run, new_run = (s.exec(select(SelfCheckRun.id).join(Workshop).where(Workshop.join_code == c)).one()
                            for c in (room.code, code))
        keys = [set(s.exec(select(SelfCheckRating.respondent).where(SelfCheckRating.run_id == r)).all())
                for r in (old_run, new_run)]
    assert len(keys[1]) == 3 and not keys[0] & keys[1]  # fresh random keys: no answer leads back to a person


def test_a_locked_workshop_may_be_followed_up_and_its_console_is_told(db, room):
    ws.lock_workshop(db, room.code, room.key)
    revision = ws.get_revision(db, room.code)
    code = followup.start_followup(db, room.code, room.key, title="Freight 2027, the autumn review").workshop.code
    assert ws.get_workshop(db, code).title == "Freight 2027, the autumn review"
    assert ws.get_revision(db, room.code) > revision
    assert followup.get_chain(db, room.code, room.key).followed_by.code == code


@pytest.mark.parametrize("phase", ["lobby", "inner_customer", "value_exchange", "score_vote", "review"])
def test_a_followup_is_refused_before_the_plan_phase(db, room, phase):
    ws.set_phase(db, room.code, room.key, phase)
    before = _workshops(db)
    with pytest.raises(NotAllowed, match="reached the Plan phase"):
        followup.start_followup(db, room.code, room.key)
    assert _workshops(db) == before


@pytest.mark.parametrize(("key", "title", "error", "message"), [
    ("not-the-key", None, NotAllowed, "facilitator link is not valid"),
    (None, None, NotAllowed, "facilitator link is not valid"),
    ("KEY", "", InvalidInput, "The title cannot be empty"),
    ("KEY", "x" * 121, InvalidInput, "at most 120 characters"),
    ("KEY", "Autumn\x07", InvalidInput, "control characters"),
])
def test_start_followup_refuses_bad_input_and_writes_nothing(db, room, key, title, error, message):
    before = _workshops(db)
    with pytest.raises(error, match=message):
        followup.start_followup(db, room.code, room.key if key == "KEY" else key, title=title)
    assert _workshops(db) == before


def test_a_participant_token_is_not_a_facilitator_key(db, room):
    with pytest.raises(NotAllowed):
        followup.start_followup(db, room.code, room.tokens[0])
    with pytest.raises(NotFound):
        followup.start_followup(db, "NOSUCHCODE", room.key)


def test_a_second_followup_of_the_same_workshop_is_refused(db, room):
    first = followup.start_followup(db, room.code, room.key).workshop.code
    before = _workshops(db)
    with pytest.raises(NotAllowed, match=f"already has a follow-up \\({first}\\)"):
        followup.start_followup(db, room.code, room.key)
    assert _workshops(db) == before


def test_a_failure_while_carrying_leaves_nothing_behind(db, room, monkeypatch):
    def broken(*_args) -> None:
        raise RuntimeError("the server fell over half way")

    monkeypatch.setattr(followup, "_carry_selfcheck", broken)
    before = _workshops(db)
    with pytest.raises(RuntimeError):
        followup.start_followup(db, room.code, room.key)
    assert _workshops(db) == before and followup.get_chain(db, room.code, room.key).later == ()


def test_the_chain_lists_earlier_and_later_sessions_for_the_facilitator_only(db, room):
    second = followup.start_followup(db, room.code, room.key)
    b_code, b_key = second.workshop.code, second.facilitator_key
    ws.set_phase(db, b_code, b_key, "plan")
    third = followup.start_followup(db, b_code, b_key)
    chain = followup.get_chain(db, b_code, b_key)
    assert (chain.follows.code, chain.followed_by.code) == (room.code, third.workshop.code)
    assert [x.code for x in followup.get_chain(db, third.workshop.code, third.facilitator_key).earlier] == [
        room.code, b_code]
    assert [x.code for x in followup.get_chain(db, room.code, room.key).later] == [b_code, third.workshop.code]
    assert followup.get_chain(db, room.code, room.key).earlier == ()
    with pytest.raises(NotAllowed):
        followup.get_chain(db, b_code, room.key)


def test_a_followup_of_a_followup_carries_what_the_room_has_now_and_leaves_dropped_actions(db, room):
    second = followup.start_followup(db, room.code, room.key)
    b_code, b_key = second.workshop.code, second.facilitator_key
    plan = {a.what: a.id for a in ac.list_actions(db, b_code)}
    review_action(db, b_code, b_key, plan["Go-live"], "dropped", reason="The invoice project was stopped")
    review_action(db, b_code, b_key, plan["Build it"], "late", new_due="2027-05-31")
    ws.set_phase(db, b_code, b_key, "inner_customer")
    token = participants.join_workshop(db, b_code, "Ana").token
    [late] = [d for d in list_shown_demands(db, b_code) if d.carried_votes == 3]
    votes.cast_vote(db, token, late.id)
    ws.set_phase(db, b_code, b_key, "plan")
    c_code = followup.start_followup(db, b_code, b_key).workshop.code
    assert {a.what: (a.due, a.carried_due) for a in ac.list_actions(db, c_code)} == {
        "Design the page": (date(2027, 3, 10), date(2027, 3, 10)),
        "Build it": (date(2027, 5, 31), date(2027, 5, 31))}
    assert {d.text: d.carried_votes for d in list_shown_demands(db, c_code)} == {
        "Tell me when a pallet is late": 1, "One invoice a month": 0}  # the votes of session two
    assert [r.baseline for r in selfcheck_results(db, c_code)] == [True]


def test_a_workshop_without_a_plan_or_self_check_carries_what_it_has(db):
    room = make_room(db, phase="plan")
    created = followup.start_followup(db, room.code, room.key)
    code = created.workshop.code
    assert (list_shown_demands(db, code), ac.list_actions(db, code), selfcheck_results(db, code)) == ([], [], [])
    assert followup.get_chain(db, code, created.facilitator_key).follows.code == room.code
