import pytest

from planning import demands as dm
from planning import workshops as ws
from planning.errors import InvalidInput, NotAllowed, NotFound, WorkshopLocked
from planning.votes import cast_vote, get_ballot, retract_vote
from tests.factories import make_room


@pytest.fixture
def room(db):
    room = make_room(db, budget=3, cap=2)
    room.demands = [dm.add_demand(db, room.tokens[0], t).id for t in ("A", "B", "C")]
    return room


def test_cast_vote_counts_and_shows_votes_left(db, room):
    ballot = cast_vote(db, room.tokens[1], room.demands[0])
    assert (ballot.used, ballot.left) == (1, 2)
    [a] = [d for d in dm.list_my_view(db, room.tokens[1]) if d.id == room.demands[0]]
    assert (a.votes, a.my_votes) == (1, 1)


def test_cast_vote_refuses_past_the_cap_per_demand(db, room):
    cast_vote(db, room.tokens[1], room.demands[0])
    cast_vote(db, room.tokens[1], room.demands[0])
    with pytest.raises(NotAllowed, match="At most 2 votes"):
        cast_vote(db, room.tokens[1], room.demands[0])
    assert get_ballot(db, room.tokens[1]).used == 2


def test_cast_vote_refuses_past_budget(db, room):
    for demand in (room.demands[0], room.demands[0], room.demands[1]):
        cast_vote(db, room.tokens[1], demand)
    with pytest.raises(NotAllowed, match="used all 3"):
        cast_vote(db, room.tokens[1], room.demands[2])
    assert get_ballot(db, room.tokens[1]).left == 0


def test_retract_vote_gives_a_dot_back_and_refuses_when_none(db, room):
    cast_vote(db, room.tokens[1], room.demands[0])
    assert retract_vote(db, room.tokens[1], room.demands[0]).used == 0
    with pytest.raises(InvalidInput, match="no vote"):
        retract_vote(db, room.tokens[1], room.demands[0])


def test_hiding_a_demand_refunds_its_dots_and_refuses_votes_on_it(db, room):
    cast_vote(db, room.tokens[1], room.demands[0])
    dm.hide_demand(db, room.code, room.key, room.demands[0])
    assert get_ballot(db, room.tokens[1]).used == 0
    with pytest.raises(NotFound):
        cast_vote(db, room.tokens[1], room.demands[0])


def test_a_merged_duplicate_refuses_votes_and_its_dots_count_on_the_target_cap(db, room):
    cast_vote(db, room.tokens[1], room.demands[1])
    cast_vote(db, room.tokens[1], room.demands[1])
    dm.merge_demands(db, room.code, room.key, room.demands[1], room.demands[0])
    with pytest.raises(InvalidInput, match="merged"):
        cast_vote(db, room.tokens[1], room.demands[1])
    with pytest.raises(NotAllowed, match="At most 2"):
        cast_vote(db, room.tokens[1], room.demands[0])
    assert retract_vote(db, room.tokens[1], room.demands[0]).used == 1


@pytest.mark.parametrize("phase", ["lobby", "value_exchange", "score_vote", "review", "closed"])
def test_votes_on_demands_only_during_inner_customer(db, room, phase):
    ws.set_phase(db, room.code, room.key, phase)
    with pytest.raises(NotAllowed, match="Inner customer"):
        cast_vote(db, room.tokens[1], room.demands[0])


def test_voting_waits_for_the_reveal_in_private_mode(db, room):
    ws.set_private_until_reveal(db, room.code, room.key, True)
    with pytest.raises(NotAllowed, match="reveals"):
        cast_vote(db, room.tokens[1], room.demands[0])
    ws.reveal_items(db, room.code, room.key)
    assert cast_vote(db, room.tokens[1], room.demands[0]).used == 1


@pytest.mark.parametrize("bad", ["locked", "forged token", "unknown demand", "string id", "bool id"])
def test_cast_vote_refusals(db, room, bad):
    token, demand = room.tokens[1], room.demands[0]
    if bad == "locked":
        ws.lock_workshop(db, room.code, room.key)
    token = "forged" if bad == "forged token" else token
    demand = {"unknown demand": 99999, "string id": "1", "bool id": True}.get(bad, demand)
    with pytest.raises(WorkshopLocked if bad == "locked" else NotFound):
        cast_vote(db, token, demand)
    assert get_ballot(db, room.tokens[1]).used == 0
