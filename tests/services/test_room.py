"""A participant's page reads the room once per change for everyone, and their own marks in one query: both must
say exactly what the per-person services say."""

from planning import demands as dm
from planning import initiatives as im
from planning import room, votes, workshops
from planning.models import Axis
from planning.ratings import get_my_ratings, rate_initiative
from tests.factories import make_initiative, make_room


def _busy_room(db):
    r = make_room(db, participants_count=4, budget=6, cap=3)
    a, b, c, d = r.tokens
    ids = [dm.add_demand(db, t, f"Demand {n} from {i}").id for i, t in enumerate(r.tokens) for n in range(2)]
    for voter, target in [(a, ids[2]), (a, ids[2]), (a, ids[4]), (b, ids[0]), (c, ids[6]), (c, ids[7]), (a, ids[6])]:
        votes.cast_vote(db, voter, target)
    dm.merge_demands(db, r.code, r.key, ids[6], ids[4])  # a's dots on 6 now count on 4
    dm.hide_demand(db, r.code, r.key, ids[2])  # a's two dots on 2 come back
    workshops.set_phase(db, r.code, r.key, "value_exchange")
    first = make_initiative(db, a, "Track pallets", demand_ids=[ids[0]])
    second = make_initiative(db, b, "Call ahead", demand_ids=[ids[1]])
    third = make_initiative(db, c, "Same as call ahead", demand_ids=[ids[1]])
    workshops.set_phase(db, r.code, r.key, "score_vote")
    im.merge_initiatives(db, r.code, r.key, third.id, second.id)
    rate_initiative(db, a, first.id, "customer", 7)
    rate_initiative(db, a, second.id, "company", 2)
    votes.cast_initiative_vote(db, a, first.id)
    votes.cast_initiative_vote(db, c, second.id)
    return r


def test_marks_say_what_the_per_person_services_say(db):
    r = _busy_room(db)
    for token in r.tokens:
        marks = room.get_marks(db, token)
        mine = dm.list_my_view(db, token)
        assert marks.demands >= {d.id for d in mine if d.mine}
        assert marks.demand_dots.items() >= {d.id: d.my_votes for d in mine if d.my_votes}.items()
        assert marks.demand_ballot == votes.get_ballot(db, token)
        assert marks.initiative_ballot == votes.get_initiative_ballot(db, token)
        assert marks.initiative_dots == votes.get_my_initiative_dots(db, token)
        assert marks.ratings == get_my_ratings(db, token).scores
        assert marks.initiatives >= {v.id for v in im.list_my_initiatives(db, token) if v.mine}
    a, c = room.get_marks(db, r.tokens[0]), room.get_marks(db, r.tokens[2])
    assert a.demand_ballot.used == 2  # one dot on 4, one on 6 merged into 4; the two on hidden 2 came back
    assert set(a.ratings.values()) == {7, 2} and {axis for _, axis in a.ratings} == {Axis.CUSTOMER, Axis.COMPANY}
    assert len(c.initiatives) == 1  # the duplicate c wrote, merged away, is still theirs
    assert c.initiative_dots == votes.get_my_initiative_dots(db, r.tokens[2]) != {}


def test_the_shared_room_is_what_everyone_may_see_and_never_says_who_asks(db):
    r = _busy_room(db)
    shared = room.list_room(db, r.code)
    assert [d.id for d in shared.demands] == [d.id for d in dm.list_shown_demands(db, r.code)]
    assert [v.id for v in shared.initiatives] == [v.id for v in im.list_shown_initiatives(db, r.code)]
    assert not any(d.mine or d.my_votes for d in shared.demands)
    assert not any(v.mine or v.my_votes for v in shared.initiatives)


def test_while_items_are_private_the_room_is_empty_and_each_sees_their_own(db):
    r = make_room(db)
    workshops.set_private_until_reveal(db, r.code, r.key, True)
    dm.add_demand(db, r.tokens[0], "Mine only")
    dm.add_demand(db, r.tokens[1], "Someone else's")
    assert room.list_room(db, r.code) == room.RoomView((), ())
    assert [d.text for d in room.list_own(db, r.tokens[0]).demands] == ["Mine only"]


def test_the_table_of_owners_says_what_each_persons_own_rows_say_but_their_ratings(db):
    r = _busy_room(db)
    owners = room.list_owners(db, r.code)
    for token in r.tokens:
        own = room.get_own(db, token)
        assert room.owned(owners, own) == own  # the ratings are the ones the person's own read brought
        assert owners[own.participant].ratings == {}
    nobody = room.Own(frozenset({1}), frozenset(), ((1, 2),), (), {}, participant=10**6)
    assert room.owned(owners, nobody) == room.Own(frozenset(), frozenset(), (), (), {}, participant=10**6)


def test_a_change_in_the_room_reaches_a_phones_marks_through_the_table_of_owners(db):
    r = _busy_room(db)
    a = r.tokens[0]
    before = room.get_own(db, a)
    workshops.set_phase(db, r.code, r.key, "inner_customer")
    added = dm.add_demand(db, a, "Added from another device")
    now = room.owned(room.list_owners(db, r.code), before)
    assert added.id in now.demands and added.id not in before.demands
    assert now.ratings == before.ratings
