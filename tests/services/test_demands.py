from datetime import timedelta

import pytest
from sqlalchemy import update

from planning import demands as dm
from planning import initiatives as im
from planning import workshops as ws
from planning.errors import InvalidInput, NotAllowed, NotFound, WorkshopLocked
from planning.models import Demand, utcnow
from planning.votes import cast_vote, get_ballot
from tests.factories import make_initiative, make_room

HOSTILE = [
    "<script>alert(1)</script>",
    "**bold** :red[x] :material/home: $x^2$ ![](http://x/p.png)",
    "=HYPERLINK(\"http://x\")",
    "مرحبا بالعالم",
    "需要更快的交付",
    "e\u0301 combining, 👩🏽‍🚒 zwj",
    "line one\nline two\ttabbed",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_add_demand_stores_any_text_exactly(db, text):
    room = make_room(db)
    added = dm.add_demand(db, room.tokens[0], text)
    assert added.text == text
    assert [d.text for d in dm.list_shown_demands(db, room.code)] == [text]


def test_add_demand_trims_and_tags_an_area(db):
    room = make_room(db)
    added = dm.add_demand(db, room.tokens[0], "  Call me when it is late  ", "relationships")
    assert (added.text, added.area, added.mine, added.author) == (
        "Call me when it is late", "relationships", True, "Person 0")


@pytest.mark.parametrize(("text", "area", "message"), [
    ("", None, "cannot be empty"),
    (" \n\t ", None, "cannot be empty"),
    ("x" * 501, None, "at most 500 characters"),
    ("bell\x07", None, "control characters"),
    (None, None, "must be text"),
    ("fine", "weather", "six self-check areas"),
])
def test_add_demand_refuses_bad_input_and_stores_nothing(db, text, area, message):
    room = make_room(db)
    revision = ws.get_revision(db, room.code)
    with pytest.raises(InvalidInput, match=message):
        dm.add_demand(db, room.tokens[0], text, area)
    assert dm.list_shown_demands(db, room.code) == []
    assert ws.get_revision(db, room.code) == revision


def test_add_demand_accepts_exactly_500_characters(db):
    room = make_room(db)
    assert len(dm.add_demand(db, room.tokens[0], "é" * 500).text) == 500


@pytest.mark.parametrize("phase", ["lobby", "value_exchange", "score_vote", "review", "closed"])
def test_add_demand_only_in_the_inner_customer_phase(db, phase):
    room = make_room(db, phase=phase)
    with pytest.raises(NotAllowed, match="Inner customer"):
        dm.add_demand(db, room.tokens[0], "Faster")


def test_add_demand_refuses_a_locked_workshop_and_a_bad_token(db):
    room = make_room(db)
    ws.lock_workshop(db, room.code, room.key)
    with pytest.raises(WorkshopLocked):
        dm.add_demand(db, room.tokens[0], "Faster")
    with pytest.raises(NotFound):
        dm.add_demand(db, "forged", "Faster")


def test_authors_edit_and_delete_their_own_demands(db):
    room = make_room(db)
    d = dm.add_demand(db, room.tokens[0], "Faster")
    dm.edit_own_demand(db, room.tokens[0], d.id, "Faster, please", "strategy")
    assert [(v.text, v.area) for v in dm.list_shown_demands(db, room.code)] == [("Faster, please", "strategy")]
    dm.delete_own_demand(db, room.tokens[0], d.id)
    assert dm.list_shown_demands(db, room.code) == []


@pytest.mark.parametrize("action", ["edit", "delete"])
def test_participants_cannot_change_others_demands(db, action):
    room = make_room(db)
    d = dm.add_demand(db, room.tokens[0], "Mine")
    with pytest.raises(NotAllowed, match="only your own"):
        if action == "edit":
            dm.edit_own_demand(db, room.tokens[1], d.id, "Hijacked")
        else:
            dm.delete_own_demand(db, room.tokens[1], d.id)
    assert [v.text for v in dm.list_shown_demands(db, room.code)] == ["Mine"]


def test_demands_of_another_workshop_are_not_found(db):
    room, other = make_room(db), make_room(db)
    d = dm.add_demand(db, other.tokens[0], "Elsewhere")
    with pytest.raises(NotFound):
        dm.edit_own_demand(db, room.tokens[0], d.id, "x")
    with pytest.raises(NotFound):
        dm.hide_demand(db, room.code, room.key, d.id)


def test_deleting_a_demand_gives_votes_back_and_frees_merged_duplicates(db):
    room = make_room(db)
    a = dm.add_demand(db, room.tokens[0], "A")
    b = dm.add_demand(db, room.tokens[1], "B")
    cast_vote(db, room.tokens[2], a.id)
    dm.merge_demands(db, room.code, room.key, b.id, a.id)
    dm.delete_own_demand(db, room.tokens[0], a.id)
    assert get_ballot(db, room.tokens[2]).used == 0
    assert [v.text for v in dm.list_shown_demands(db, room.code)] == ["B"]


def test_facilitator_edits_hides_and_unhides_any_demand(db):
    room = make_room(db)
    d = dm.add_demand(db, room.tokens[0], "Typo")
    dm.edit_demand(db, room.code, room.key, d.id, "Fixed", "marketing")
    dm.hide_demand(db, room.code, room.key, d.id)
    assert dm.list_shown_demands(db, room.code) == []
    assert [v.hidden for v in dm.list_demands(db, room.code, room.key)] == [True]
    dm.hide_demand(db, room.code, room.key, d.id, hidden=False)
    assert [(v.text, v.area) for v in dm.list_shown_demands(db, room.code)] == [("Fixed", "marketing")]


@pytest.mark.parametrize("action", ["edit", "hide", "merge", "unmerge"])
def test_moderation_refuses_participants(db, action):
    room = make_room(db)
    a, b = (dm.add_demand(db, room.tokens[0], t) for t in "AB")
    calls = {
        "edit": lambda: dm.edit_demand(db, room.code, room.tokens[0], a.id, "x"),
        "hide": lambda: dm.hide_demand(db, room.code, room.tokens[0], a.id),
        "merge": lambda: dm.merge_demands(db, room.code, room.tokens[0], a.id, b.id),
        "unmerge": lambda: dm.unmerge_demand(db, room.code, room.tokens[0], a.id),
    }
    with pytest.raises(NotAllowed):
        calls[action]()
    assert len(dm.list_shown_demands(db, room.code)) == 2


def test_merge_carries_votes_and_areas_over_and_undo_restores_them(db):
    room = make_room(db, participants_count=4)
    keep = dm.add_demand(db, room.tokens[0], "Tell me when it is late", "relationships")
    dup = dm.add_demand(db, room.tokens[1], "Warn me about delays", "process_design")
    cast_vote(db, room.tokens[2], keep.id)
    cast_vote(db, room.tokens[3], dup.id)
    cast_vote(db, room.tokens[3], dup.id)
    dm.merge_demands(db, room.code, room.key, dup.id, keep.id)
    [shown] = dm.list_shown_demands(db, room.code)
    assert (shown.id, shown.votes, shown.areas, shown.merged) == (
        keep.id, 3, ("relationships", "process_design"), (dup.id,))
    assert get_ballot(db, room.tokens[3]).used == 2
    dm.unmerge_demand(db, room.code, room.key, dup.id)
    assert {(d.id, d.votes) for d in dm.list_shown_demands(db, room.code)} == {(keep.id, 1), (dup.id, 2)}


@pytest.mark.parametrize("case", ["itself", "into merged", "into hidden", "cycle"])
def test_merge_refuses_impossible_targets(db, case):
    room = make_room(db)
    a, b, c = (dm.add_demand(db, room.tokens[0], t) for t in "ABC")
    if case == "itself":
        args = (a.id, a.id)
    elif case == "into merged":
        dm.merge_demands(db, room.code, room.key, b.id, c.id)
        args = (a.id, b.id)
    elif case == "into hidden":
        dm.hide_demand(db, room.code, room.key, b.id)
        args = (a.id, b.id)
    else:
        dm.merge_demands(db, room.code, room.key, b.id, a.id)
        args = (a.id, b.id)
    with pytest.raises(InvalidInput):
        dm.merge_demands(db, room.code, room.key, *args)


def test_unmerge_refuses_a_demand_that_is_not_merged(db):
    room = make_room(db)
    a = dm.add_demand(db, room.tokens[0], "A")
    with pytest.raises(InvalidInput, match="not merged"):
        dm.unmerge_demand(db, room.code, room.key, a.id)


def test_anonymity_hides_authors_from_everyone_but_the_author(db):
    room = make_room(db)
    dm.add_demand(db, room.tokens[0], "A")
    ws.set_anonymous(db, room.code, room.key, True)
    assert [d.author for d in dm.list_shown_demands(db, room.code)] == [None]
    assert [(d.author, d.mine) for d in dm.list_my_view(db, room.tokens[1])] == [(None, False)]
    assert [(d.author, d.mine) for d in dm.list_my_view(db, room.tokens[0])] == [(None, True)]
    assert [d.author for d in dm.list_demands(db, room.code, room.key)] == [None]


def test_private_until_reveal_shows_participants_only_their_own(db):
    room = make_room(db)
    ws.set_private_until_reveal(db, room.code, room.key, True)
    dm.add_demand(db, room.tokens[0], "Mine")
    dm.add_demand(db, room.tokens[1], "Theirs")
    assert [d.text for d in dm.list_my_view(db, room.tokens[0])] == ["Mine"]
    assert dm.list_shown_demands(db, room.code) == []
    assert ws.get_workshop(db, room.code).demand_count == 2
    ws.reveal_items(db, room.code, room.key)
    assert {d.text for d in dm.list_my_view(db, room.tokens[0])} == {"Mine", "Theirs"}


def test_a_participant_is_refused_past_the_rate_and_the_cap_and_others_are_not(db):
    room = make_room(db)
    for i in range(10):  # the default: ten a minute
        dm.add_demand(db, room.tokens[0], f"Demand {i}")
    with pytest.raises(NotAllowed, match="10 demands in a minute"):
        dm.add_demand(db, room.tokens[0], "One too fast")
    assert dm.add_demand(db, room.tokens[1], "Someone else's").text == "Someone else's"
    ws.set_item_limits(db, room.code, room.key, per_person=11, per_minute=20)
    dm.add_demand(db, room.tokens[0], "Demand 10")
    with pytest.raises(NotAllowed, match="added 11 demands; 11 is the most one person can add"):
        dm.add_demand(db, room.tokens[0], "One too many")
    assert len([d for d in dm.list_shown_demands(db, room.code) if d.text.startswith("Demand")]) == 11


def test_the_rate_counts_only_the_last_minute(db):
    room = make_room(db)
    for i in range(10):
        dm.add_demand(db, room.tokens[0], f"Demand {i}")
    with db.write() as s:  # as if they had been added two minutes ago
        s.execute(update(Demand).values(created_at=utcnow() - timedelta(minutes=2)))
    assert dm.add_demand(db, room.tokens[0], "A minute later").text == "A minute later"


@pytest.mark.parametrize("moderation", ["edit", "hide", "hide and show again", "merge"])
@pytest.mark.parametrize("change", ["edit", "delete"])
def test_a_moderated_demand_is_the_facilitators(db, moderation, change):
    room = make_room(db)
    d = dm.add_demand(db, room.tokens[0], "Original")
    other = dm.add_demand(db, room.tokens[1], "Other")
    if moderation == "edit":
        dm.edit_demand(db, room.code, room.key, d.id, "Moderated")
    elif moderation == "merge":
        dm.merge_demands(db, room.code, room.key, d.id, other.id)
    else:
        dm.hide_demand(db, room.code, room.key, d.id)
        if moderation == "hide and show again":
            dm.hide_demand(db, room.code, room.key, d.id, hidden=False)
    before = dm.list_demands(db, room.code, room.key)
    with pytest.raises(NotAllowed, match="only the facilitator can change it now"):
        if change == "edit":
            dm.edit_own_demand(db, room.tokens[0], d.id, "Original")
        else:
            dm.delete_own_demand(db, room.tokens[0], d.id)
    assert dm.list_demands(db, room.code, room.key) == before
    assert [v.moderated for v in before if v.id == d.id] == [True]


def test_an_unmoderated_demand_says_so(db):
    room = make_room(db)
    dm.add_demand(db, room.tokens[0], "Mine")
    assert [v.moderated for v in dm.list_my_view(db, room.tokens[0])] == [False]


def test_a_demand_an_initiative_answers_cannot_be_deleted_by_its_author(db):
    room = make_room(db)
    d = dm.add_demand(db, room.tokens[0], "Warn me early")
    ws.set_phase(db, room.code, room.key, "value_exchange")
    answer = make_initiative(db, room.tokens[1], "Alerts", [d.id])
    ws.set_phase(db, room.code, room.key, "inner_customer")  # the facilitator went back a phase
    with pytest.raises(NotAllowed, match="An initiative answers this demand"):
        dm.delete_own_demand(db, room.tokens[0], d.id)
    assert [v.id for v in dm.list_shown_demands(db, room.code)] == [d.id]
    assert [i.demand_ids for i in im.list_shown_initiatives(db, room.code)] == [(d.id,)]
    dm.hide_demand(db, room.code, room.key, d.id)  # what the facilitator can do instead
    assert [i.id for i in im.list_shown_initiatives(db, room.code)] == [answer.id]
