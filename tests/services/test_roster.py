"""The people in the room: who took part, rename, merge a duplicate, remove."""

import pytest

from planning import demands as dm
from planning import workshops as ws
from planning.errors import InvalidInput, NotAllowed, NotFound, WorkshopLocked
from planning.initiatives import merge_initiatives
from planning.participants import get_participant, join_workshop
from planning.ratings import get_my_ratings, rate_initiative, rating_progress
from planning.roster import list_joined_names, list_people, merge_participants, remove_participant, rename_participant
from planning.selfcheck import get_my_selfcheck, open_selfcheck, rate_area
from planning.votes import cast_initiative_vote, cast_vote, get_ballot, get_initiative_ballot
from tests.factories import make_initiative, make_room


def _ids(db, room) -> list[int]:
    return [p.id for p in list_people(db, room.code, room.key)]


def test_the_facilitator_sees_who_joined_what_they_did_and_whether_they_took_part(db):
    room = make_room(db, participants_count=3)
    d = dm.add_demand(db, room.tokens[0], "Warn me early")
    cast_vote(db, room.tokens[1], d.id)
    cast_vote(db, room.tokens[1], d.id)
    people = list_people(db, room.code, room.key)
    assert [(p.name, p.demands, p.votes, p.took_part) for p in people] == [
        ("Person 0", 1, 0, True), ("Person 1", 0, 2, True), ("Person 2", 0, 0, False)]
    assert people[0].joined_at <= people[1].joined_at <= people[2].joined_at


def test_progress_counts_only_those_who_took_part_never_a_ghost_or_a_removed_person(db):
    room = make_room(db, participants_count=5, phase="value_exchange")
    item = make_initiative(db, room.tokens[0], "Tracking").id
    ws.set_phase(db, room.code, room.key, "score_vote")
    for token in room.tokens[1:4]:
        for axis in ("customer", "company"):
            rate_initiative(db, token, item, axis, 6)
    remove_participant(db, room.code, room.key, _ids(db, room)[3])  # rated, then removed
    p = rating_progress(db, room.code)  # Person 0 proposed, 1 and 2 rated, 3 was removed, 4 only joined
    assert (p.finished, p.started, p.participants) == (2, 2, 3)
    assert ws.get_workshop(db, room.code).participant_count == 4


def test_rename_gives_a_free_name_that_shows_on_their_items(db):
    room = make_room(db, participants_count=2)
    dm.add_demand(db, room.tokens[0], "Warn me early")
    first = _ids(db, room)[0]
    assert rename_participant(db, room.code, room.key, first, "  Priya S. ").name == "Priya S."
    assert [d.author for d in dm.list_shown_demands(db, room.code)] == ["Priya S."]
    assert get_participant(db, room.tokens[0]).name == "Priya S."
    assert rename_participant(db, room.code, room.key, first, "PRIYA S.").name == "PRIYA S."  # their own name


@pytest.mark.parametrize(("name", "error", "message"), [
    ("person 1", InvalidInput, "That name is taken here"), ("Pеrson 1", InvalidInput, "That name is taken here"),
    ("", InvalidInput, "cannot be empty"), ("x" * 41, InvalidInput, "at most 40"),
    ("Ana\u202e", InvalidInput, "direction"),
])
def test_rename_refuses_a_taken_or_bad_name_and_changes_nothing(db, name, error, message):
    room = make_room(db, participants_count=2)
    with pytest.raises(error, match=message):
        rename_participant(db, room.code, room.key, _ids(db, room)[0], name)
    assert [p.name for p in list_people(db, room.code, room.key)] == ["Person 0", "Person 1"]


def test_a_removed_person_can_no_longer_act_or_count_and_their_items_stay(db):
    room = make_room(db, participants_count=2)
    dm.add_demand(db, room.tokens[0], "Warn me early")
    gone = remove_participant(db, room.code, room.key, _ids(db, room)[0])
    assert (gone.removed, gone.took_part) == (True, True)
    for act in (lambda: get_participant(db, room.tokens[0]), lambda: dm.add_demand(db, room.tokens[0], "More"),
                lambda: dm.list_my_view(db, room.tokens[0]), lambda: get_ballot(db, room.tokens[0])):
        with pytest.raises(NotAllowed, match="removed this name"):
            act()
    assert [(d.text, d.author) for d in dm.list_shown_demands(db, room.code)] == [("Warn me early", "Person 0")]
    assert ws.get_workshop(db, room.code).participant_count == 1


def test_a_removed_name_is_free_and_taking_someone_back_needs_their_name_free(db):
    room = make_room(db, participants_count=1)
    person = _ids(db, room)[0]
    remove_participant(db, room.code, room.key, person)
    newcomer = join_workshop(db, room.code, "Person 0")
    with pytest.raises(InvalidInput, match="That name is taken here"):
        remove_participant(db, room.code, room.key, person, removed=False)
    rename_participant(db, room.code, room.key, newcomer.participant.id, "Person 0 (phone)")
    assert not remove_participant(db, room.code, room.key, person, removed=False).removed
    assert get_participant(db, room.tokens[0]).name == "Person 0"


def test_merging_a_duplicate_moves_their_items_and_their_link_acts_as_the_person(db):
    room = make_room(db, participants_count=3)
    keep, dup, other = _ids(db, room)
    dm.add_demand(db, room.tokens[1], "From the duplicate")
    merged = merge_participants(db, room.code, room.key, dup, keep)
    assert (merged.person.id, merged.person.demands, merged.dropped_votes, merged.replaced_ratings) == (keep, 1, 0, 0)
    assert _ids(db, room) == [keep, other]
    assert get_participant(db, room.tokens[1]).id == keep
    assert dm.add_demand(db, room.tokens[1], "Through the old link").author == "Person 0"
    assert {d.author for d in dm.list_shown_demands(db, room.code)} == {"Person 0"}
    assert {d.mine for d in dm.list_my_view(db, room.tokens[0])} == {True}
    assert ws.get_workshop(db, room.code).participant_count == 2
    merge_participants(db, room.code, room.key, keep, other)  # and on: both old links act as the last one
    assert {get_participant(db, t).id for t in room.tokens} == {other}


def test_merged_dots_keep_within_the_budget_and_the_cap_the_persons_own_first(db):
    room = make_room(db, participants_count=2, budget=4, cap=2)
    keep, dup = _ids(db, room)
    x, y, z = (dm.add_demand(db, room.tokens[0], t).id for t in "XYZ")
    for token, item in ((room.tokens[0], x), (room.tokens[0], y), (room.tokens[0], y),
                        (room.tokens[1], x), (room.tokens[1], x), (room.tokens[1], z), (room.tokens[1], z)):
        cast_vote(db, token, item)
    merged = merge_participants(db, room.code, room.key, dup, keep)  # own: x1 y2; theirs: x2 z2; budget 4
    assert merged.dropped_votes == 3 and merged.person.votes == 4
    mine = {d.id: d.my_votes for d in dm.list_my_view(db, room.tokens[0])}
    assert (mine[x], mine[y], mine[z], get_ballot(db, room.tokens[0]).used) == (2, 2, 0, 4)


def test_merged_dots_on_initiatives_respect_the_cap_on_a_merged_item(db):
    room = make_room(db, participants_count=2, phase="value_exchange", budget=5, cap=2)
    keep, dup = _ids(db, room)
    a, b = (make_initiative(db, room.tokens[0], t).id for t in ("Tracking", "Live map"))
    ws.set_phase(db, room.code, room.key, "score_vote")
    cast_initiative_vote(db, room.tokens[0], a)
    cast_initiative_vote(db, room.tokens[1], b)
    cast_initiative_vote(db, room.tokens[1], b)
    merge_initiatives(db, room.code, room.key, b, a)  # their two dots now count on a, next to one of ours
    assert merge_participants(db, room.code, room.key, dup, keep).dropped_votes == 1
    assert get_initiative_ballot(db, room.tokens[0]).used == 2


@pytest.mark.parametrize("later", ["duplicate", "person"])
def test_where_both_rated_the_same_the_later_rating_stays(db, later):
    room = make_room(db, participants_count=2, phase="value_exchange")
    keep, dup = _ids(db, room)
    a, b = (make_initiative(db, room.tokens[0], t).id for t in ("Tracking", "Live map"))
    ws.set_phase(db, room.code, room.key, "score_vote")
    order = [(room.tokens[1], 9), (room.tokens[0], 2)] if later == "person" else [(room.tokens[0], 2),
                                                                                  (room.tokens[1], 9)]
    for token, score in order:
        rate_initiative(db, token, a, "customer", score)
    rate_initiative(db, room.tokens[1], b, "company", 4)
    merged = merge_participants(db, room.code, room.key, dup, keep)
    assert (merged.replaced_ratings, merged.person.ratings) == (1, 2)
    assert get_my_ratings(db, room.tokens[0]).scores == {(a, "customer"): 2 if later == "person" else 9,
                                                         (b, "company"): 4}


def test_self_check_answers_stay_tied_to_no_one_when_people_merge(db):
    from planning.selfcheck import selfcheck_results

    room = make_room(db, participants_count=2)
    keep, dup = _ids(db, room)
    open_selfcheck(db, room.code, room.key)
    rate_area(db, room.tokens[0], "strategy", "great")
    rate_area(db, room.tokens[1], "strategy", "risk")
    before = selfcheck_results(db, room.code)
    assert merge_participants(db, room.code, room.key, dup, keep).replaced_ratings == 0
    assert selfcheck_results(db, room.code) == before  # no answer moves: none is anyone's
    assert get_my_selfcheck(db, room.tokens[1]).levels == {"strategy": "risk"}  # each link finds its own


@pytest.mark.parametrize("case", ["itself", "into a merged one", "a removed one", "unknown", "another workshop"])
def test_merge_refuses_impossible_pairs_and_changes_nothing(db, case):
    room, other = make_room(db, participants_count=3), make_room(db, participants_count=1)
    a, b, c = _ids(db, room)
    if case == "into a merged one":
        merge_participants(db, room.code, room.key, c, b)
        pair = (a, c)
    elif case == "a removed one":
        remove_participant(db, room.code, room.key, b)
        pair = (a, b)
    else:
        pair = {"itself": (a, a), "unknown": (a, 999), "another workshop": (a, _ids(db, other)[0])}[case]
    before = list_people(db, room.code, room.key)
    with pytest.raises(NotFound if case in ("unknown", "another workshop") else InvalidInput):
        merge_participants(db, room.code, room.key, *pair)
    assert list_people(db, room.code, room.key) == before


@pytest.mark.parametrize("act", ["list", "rename", "merge", "remove"])
def test_only_the_facilitator_manages_people_and_not_in_a_locked_workshop(db, act):
    room = make_room(db, participants_count=2)
    a, b = _ids(db, room)
    calls = {"list": lambda key: list_people(db, room.code, key),
             "rename": lambda key: rename_participant(db, room.code, key, a, "Someone"),
             "merge": lambda key: merge_participants(db, room.code, key, a, b),
             "remove": lambda key: remove_participant(db, room.code, key, a)}
    with pytest.raises(NotAllowed, match="facilitator link is not valid"):
        calls[act](room.tokens[0])
    ws.lock_workshop(db, room.code, room.key)
    if act != "list":
        with pytest.raises(WorkshopLocked):
            calls[act](room.key)
    assert [p.name for p in list_people(db, room.code, room.key)] == ["Person 0", "Person 1"]


def test_the_lobby_lists_names_newest_first_as_typed_without_removed_or_merged_people(db):
    room = make_room(db, participants_count=2, phase="lobby")
    for name in ("<b>Eve</b> :red[x]", "Dup", "Gone"):
        join_workshop(db, room.code, name)
    ids = {p.name: p.id for p in list_people(db, room.code, room.key)}
    merge_participants(db, room.code, room.key, ids["Dup"], ids["Person 0"])
    remove_participant(db, room.code, room.key, ids["Gone"])
    assert list_joined_names(db, room.code) == ("<b>Eve</b> :red[x]", "Person 1", "Person 0")
    assert list_joined_names(db, room.code, limit=2) == ("<b>Eve</b> :red[x]", "Person 1")
    assert list_joined_names(db, room.code.lower(), limit=0) == ()


def test_the_lobby_lists_no_names_in_an_anonymous_workshop(db):
    room = make_room(db, participants_count=2, phase="lobby")
    ws.set_anonymous(db, room.code, room.key, True)
    assert list_joined_names(db, room.code) == ()


@pytest.mark.parametrize("code", ["NOPE2345", "", None])
def test_the_lobby_names_of_an_unknown_workshop_are_refused(db, code):
    with pytest.raises(NotFound):
        list_joined_names(db, code)
