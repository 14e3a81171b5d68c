import pytest

from planning import workshops as ws
from planning.errors import InvalidInput, NotAllowed, NotFound, WorkshopLocked
from planning.initiatives import hide_initiative, merge_initiatives
from planning.ratings import get_my_ratings, rate_initiative, rating_progress
from planning.votes import cast_initiative_vote, get_initiative_ballot, retract_initiative_vote
from tests.factories import make_initiative, make_room


@pytest.fixture
def room(db):
    room = make_room(db, participants_count=3, phase="value_exchange")
    room.items = [make_initiative(db, room.tokens[0], f"Idea {i}").id for i in range(2)]
    ws.set_phase(db, room.code, room.key, "score_vote")
    return room


def test_ratings_are_upserted_and_only_ones_own_are_returned(db, room):
    rate_initiative(db, room.tokens[1], room.items[0], "customer", 7)
    rate_initiative(db, room.tokens[1], room.items[0], "customer", 9)
    rate_initiative(db, room.tokens[2], room.items[0], "company", 2)
    mine = get_my_ratings(db, room.tokens[1])
    assert mine.scores == {(room.items[0], "customer"): 9}
    assert (mine.rated, mine.total) == (0, 2)


def test_progress_counts_finished_people_not_scores(db, room):
    for item in room.items:
        for axis in ("customer", "company"):
            rate_initiative(db, room.tokens[1], item, axis, 5)
    rate_initiative(db, room.tokens[2], room.items[0], "customer", 1)
    assert get_my_ratings(db, room.tokens[1]).rated == 2
    p = rating_progress(db, room.code)
    assert (p.finished, p.started, p.participants, p.initiatives) == (1, 2, 3, 2)
    assert not hasattr(p, "scores")


@pytest.mark.parametrize("score", [-1, 11, 5.5, "5", True, None])
def test_rate_refuses_scores_outside_0_to_10(db, room, score):
    with pytest.raises(InvalidInput, match="0 to 10"):
        rate_initiative(db, room.tokens[1], room.items[0], "customer", score)
    assert get_my_ratings(db, room.tokens[1]).scores == {}


@pytest.mark.parametrize("score", [0, 10])
def test_rate_accepts_the_ends_of_the_scale(db, room, score):
    rate_initiative(db, room.tokens[1], room.items[0], "company", score)
    assert get_my_ratings(db, room.tokens[1]).scores == {(room.items[0], "company"): score}


def test_rate_refuses_an_unknown_axis(db, room):
    with pytest.raises(InvalidInput):
        rate_initiative(db, room.tokens[1], room.items[0], "shareholders", 5)


@pytest.mark.parametrize("phase", ["value_exchange", "review", "closed", "inner_customer"])
def test_rate_and_vote_only_during_score_and_vote(db, room, phase):
    ws.set_phase(db, room.code, room.key, phase)
    with pytest.raises(NotAllowed, match="Score & vote"):
        rate_initiative(db, room.tokens[1], room.items[0], "customer", 5)
    with pytest.raises(NotAllowed, match="Score & vote"):
        cast_initiative_vote(db, room.tokens[1], room.items[0])


def test_rate_refuses_hidden_merged_and_locked(db, room):
    hide_initiative(db, room.code, room.key, room.items[0])
    with pytest.raises(NotFound):
        rate_initiative(db, room.tokens[1], room.items[0], "customer", 5)
    hide_initiative(db, room.code, room.key, room.items[0], hidden=False)
    merge_initiatives(db, room.code, room.key, room.items[0], room.items[1])
    with pytest.raises(NotFound):
        rate_initiative(db, room.tokens[1], room.items[0], "customer", 5)
    ws.lock_workshop(db, room.code, room.key)
    with pytest.raises(WorkshopLocked):
        rate_initiative(db, room.tokens[1], room.items[1], "customer", 5)


def test_initiative_votes_respect_budget_and_cap(db, room):
    ws.set_vote_budget(db, room.code, room.key, 3, 2)
    cast_initiative_vote(db, room.tokens[1], room.items[0])
    cast_initiative_vote(db, room.tokens[1], room.items[0])
    with pytest.raises(NotAllowed, match="At most 2 votes can go on one initiative"):
        cast_initiative_vote(db, room.tokens[1], room.items[0])
    cast_initiative_vote(db, room.tokens[1], room.items[1])
    with pytest.raises(NotAllowed, match="used all 3"):
        cast_initiative_vote(db, room.tokens[1], room.items[1])
    assert retract_initiative_vote(db, room.tokens[1], room.items[0]).left == 1
    hide_initiative(db, room.code, room.key, room.items[1])
    assert get_initiative_ballot(db, room.tokens[1]).used == 1
