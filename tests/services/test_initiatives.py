import pytest

from planning import demands as dm
from planning import initiatives as im
from planning import workshops as ws
from planning.errors import InvalidInput, NotAllowed, NotFound, WorkshopLocked
from planning.plan.actions import add_action, list_actions
from planning.plan.process import add_step, list_process_maps
from planning.ratings import rate_initiative
from planning.votes import cast_initiative_vote, get_initiative_ballot
from tests.factories import make_initiative, make_room


@pytest.fixture
def room(db):
    room = make_room(db)
    room.demands = [dm.add_demand(db, room.tokens[0], t).id for t in ("Warn me early", "One invoice")]
    ws.set_phase(db, room.code, room.key, "value_exchange")
    return room


def test_propose_initiative_keeps_both_sides_demands_areas_and_effort(db, room):
    v = make_initiative(db, room.tokens[1], "  Live tracking ", room.demands, areas=["process_design", "strategy"],
                        effort="M")
    assert (v.title, v.customer_value, v.company_value, v.demand_ids, v.areas, v.effort, v.mine) == (
        "Live tracking", "I see where my pallets are", "Fewer calls", tuple(room.demands),
        ("process_design", "strategy"), "M", True)
    assert [i.title for i in im.list_shown_initiatives(db, room.code)] == ["Live tracking"]


def test_an_initiative_may_answer_no_recorded_demand_explicitly(db, room):
    assert make_initiative(db, room.tokens[1]).answers_no_demand


@pytest.mark.parametrize(("fields", "message"), [
    ({"title": ""}, "title cannot be empty"),
    ({"title": "x" * 121}, "at most 120"),
    ({"customer_value": "x" * 501}, "at most 500"),
    ({"company_value": "\x1b[31m"}, "control characters"),
    ({"answers_no_demand": False}, "Pick the demands"),
    ({"demand_ids": (1,), "answers_no_demand": True}, "not both"),
    ({"demand_ids": (99999,), "answers_no_demand": False}, "not on the board"),
    ({"areas": ("weather",)}, "six self-check areas"),
    ({"effort": "XL"}, "Effort is S, M or L"),
])
def test_propose_initiative_refuses_bad_input_and_stores_nothing(db, room, fields, message):
    inp = im.InitiativeInput(**{"title": "T", "answers_no_demand": True, **fields})
    with pytest.raises(InvalidInput, match=message):
        im.propose_initiative(db, room.tokens[1], inp)
    assert im.list_shown_initiatives(db, room.code) == []


def test_an_initiative_cannot_answer_a_hidden_or_foreign_demand(db, room):
    other = make_room(db)
    foreign = dm.add_demand(db, other.tokens[0], "Elsewhere").id
    dm.hide_demand(db, room.code, room.key, room.demands[0])
    for demand in (foreign, room.demands[0]):
        with pytest.raises(InvalidInput, match="not on the board"):
            make_initiative(db, room.tokens[1], demand_ids=[demand])


@pytest.mark.parametrize("phase", ["lobby", "inner_customer", "score_vote", "review", "closed"])
def test_initiatives_are_proposed_only_in_value_exchange(db, room, phase):
    ws.set_phase(db, room.code, room.key, phase)
    with pytest.raises(NotAllowed, match="Value exchange"):
        make_initiative(db, room.tokens[1])


def test_locked_workshop_refuses_proposals(db, room):
    ws.lock_workshop(db, room.code, room.key)
    with pytest.raises(WorkshopLocked):
        make_initiative(db, room.tokens[1])


def test_authors_edit_and_withdraw_only_their_own(db, room):
    v = make_initiative(db, room.tokens[1])
    inp = im.InitiativeInput(title="Renamed", demand_ids=(room.demands[1],))
    with pytest.raises(NotAllowed, match="only your own"):
        im.edit_own_initiative(db, room.tokens[2], v.id, inp)
    with pytest.raises(NotAllowed, match="only your own"):
        im.withdraw_own_initiative(db, room.tokens[2], v.id)
    im.edit_own_initiative(db, room.tokens[1], v.id, inp)
    [shown] = im.list_shown_initiatives(db, room.code)
    assert (shown.title, shown.demand_ids, shown.customer_value) == ("Renamed", (room.demands[1],), "")
    im.withdraw_own_initiative(db, room.tokens[1], v.id)
    assert im.list_shown_initiatives(db, room.code) == []


def test_withdrawing_removes_its_votes_and_ratings(db, room):
    v = make_initiative(db, room.tokens[1])
    ws.set_phase(db, room.code, room.key, "score_vote")
    cast_initiative_vote(db, room.tokens[2], v.id)
    rate_initiative(db, room.tokens[2], v.id, "customer", 7)
    ws.set_phase(db, room.code, room.key, "value_exchange")
    im.withdraw_own_initiative(db, room.tokens[1], v.id)
    assert get_initiative_ballot(db, room.tokens[2]).used == 0


def test_facilitator_merge_carries_votes_demands_and_areas_and_undo_restores(db, room):
    keep = make_initiative(db, room.tokens[1], "Tracking", [room.demands[0]], areas=["strategy"])
    dup = make_initiative(db, room.tokens[2], "Live map", [room.demands[1]], areas=["marketing"])
    ws.set_phase(db, room.code, room.key, "score_vote")
    cast_initiative_vote(db, room.tokens[0], dup.id)
    im.merge_initiatives(db, room.code, room.key, dup.id, keep.id)
    [shown] = im.list_shown_initiatives(db, room.code)
    assert (shown.id, shown.votes, set(shown.demand_ids), set(shown.areas), shown.merged) == (
        keep.id, 1, set(room.demands), {"strategy", "marketing"}, (dup.id,))
    im.unmerge_initiative(db, room.code, room.key, dup.id)
    assert {(i.id, i.votes) for i in im.list_shown_initiatives(db, room.code)} == {(keep.id, 0), (dup.id, 1)}


def test_facilitator_edits_and_hides_any_initiative_but_participants_cannot(db, room):
    v = make_initiative(db, room.tokens[1])
    inp = im.InitiativeInput(title="Tidied", answers_no_demand=True)
    with pytest.raises(NotAllowed):
        im.edit_initiative(db, room.code, room.tokens[1], v.id, inp)
    with pytest.raises(NotAllowed):
        im.hide_initiative(db, room.code, room.tokens[1], v.id)
    im.edit_initiative(db, room.code, room.key, v.id, inp)
    im.hide_initiative(db, room.code, room.key, v.id)
    assert im.list_shown_initiatives(db, room.code) == []
    assert [(i.title, i.hidden) for i in im.list_initiatives(db, room.code, room.key)] == [("Tidied", True)]
    im.hide_initiative(db, room.code, room.key, v.id, hidden=False)
    assert len(im.list_shown_initiatives(db, room.code)) == 1


def test_private_mode_and_anonymity_apply_to_initiatives(db, room):
    ws.set_private_until_reveal(db, room.code, room.key, True)
    ws.set_anonymous(db, room.code, room.key, True)
    make_initiative(db, room.tokens[1], "Mine")
    make_initiative(db, room.tokens[2], "Theirs")
    assert [(i.title, i.author) for i in im.list_my_initiatives(db, room.tokens[1])] == [("Mine", None)]
    assert im.list_shown_initiatives(db, room.code) == []
    ws.reveal_items(db, room.code, room.key)
    assert {i.author for i in im.list_shown_initiatives(db, room.code)} == {None}


def test_initiatives_of_another_workshop_are_not_found(db, room):
    other = make_room(db, phase="value_exchange")
    v = make_initiative(db, other.tokens[0])
    with pytest.raises(NotFound):
        im.hide_initiative(db, room.code, room.key, v.id)


def test_proposals_are_refused_past_the_rate_and_the_cap(db, room):
    ws.set_item_limits(db, room.code, room.key, per_person=3, per_minute=2)
    make_initiative(db, room.tokens[1], "One")
    make_initiative(db, room.tokens[1], "Two")
    with pytest.raises(NotAllowed, match="2 initiatives in a minute"):
        make_initiative(db, room.tokens[1], "Three")
    ws.set_item_limits(db, room.code, room.key, per_person=2, per_minute=10)
    with pytest.raises(NotAllowed, match="added 2 initiatives; 2 is the most"):
        make_initiative(db, room.tokens[1], "Three")
    assert make_initiative(db, room.tokens[2], "Theirs").title == "Theirs"
    assert len(im.list_shown_initiatives(db, room.code)) == 3


@pytest.mark.parametrize("moderation", ["edit", "hide", "merge"])
@pytest.mark.parametrize("change", ["edit", "withdraw"])
def test_a_moderated_initiative_is_the_facilitators(db, room, moderation, change):
    v = make_initiative(db, room.tokens[1], "Original")
    other = make_initiative(db, room.tokens[2], "Other")
    if moderation == "edit":
        im.edit_initiative(db, room.code, room.key, v.id, im.InitiativeInput(title="Moderated", answers_no_demand=True))
    elif moderation == "hide":
        im.hide_initiative(db, room.code, room.key, v.id)
    else:
        im.merge_initiatives(db, room.code, room.key, v.id, other.id)
    before = im.list_initiatives(db, room.code, room.key)
    original = im.InitiativeInput(title="Original", answers_no_demand=True)
    with pytest.raises(NotAllowed, match="only the facilitator can change it now"):
        if change == "edit":
            im.edit_own_initiative(db, room.tokens[1], v.id, original)
        else:
            im.withdraw_own_initiative(db, room.tokens[1], v.id)
    assert im.list_initiatives(db, room.code, room.key) == before
    assert [i.moderated for i in before] == [i.id == v.id for i in before]


@pytest.mark.parametrize("plan", ["chosen", "an action", "a process step"])
def test_an_initiative_in_the_plan_cannot_be_withdrawn_by_its_author(db, room, plan):
    v = make_initiative(db, room.tokens[1], "Alerts", [room.demands[0]])
    im.choose_initiative(db, room.code, room.key, v.id)
    if plan == "an action":
        add_action(db, room.code, room.key, v.id, "Build it", "Ana", "2027-03-31")
    elif plan == "a process step":
        add_step(db, room.code, room.key, v.id, "Dispatch", "Sends the alert", "", "adds")
    if plan != "chosen":
        im.choose_initiative(db, room.code, room.key, v.id, chosen=False)  # still planned: it has rows in the plan
    with pytest.raises(NotAllowed, match="in the plan"):
        im.withdraw_own_initiative(db, room.tokens[1], v.id)
    assert [i.id for i in im.list_shown_initiatives(db, room.code)] == [v.id]
    assert len(list_actions(db, room.code)) + len(list_process_maps(db, room.code)) == (plan != "chosen")
