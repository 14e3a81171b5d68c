"""The follow-up on the facilitator console (ui/followup.py): the chain, and starting the next session."""

import pytest

from planning import followup
from planning import workshops as ws
from tests.factories import make_finished_room, make_room
from tests.views.conftest import html_of, texts

START = "Start the follow-up"


@pytest.fixture
def room(db):
    return make_finished_room(db)


def _start_button(at):
    return next((b for b in at.button if b.label == START), None)


@pytest.mark.parametrize("phase", ["lobby", "inner_customer", "value_exchange", "score_vote", "review"])
def test_no_follow_up_control_before_the_plan_phase(open_view, db, phase):
    room = make_room(db, phase=phase)
    at = open_view("facilitator", code=room.code, key=room.key)
    assert _start_button(at) is None and "hp-chain" not in html_of(at)


def test_starting_a_follow_up_shows_its_code_and_link_and_says_who_does_not_carry(open_view, db, room):
    at = open_view("facilitator", code=room.code, key=room.key)
    at.text_input(key="facilitator_followup_title").input("Freight 2027, autumn")
    _start_button(at).click().run()
    chain = followup.get_chain(db, room.code, room.key)
    new = chain.followed_by.code
    assert ws.get_workshop(db, new).title == "Freight 2027, autumn"
    assert f"Follow-up session started: code {new}." in [s.value for s in at.success]
    assert "Participants do not carry over" in texts(at)
    [link] = [c.value for c in at.code if f"code={new}" in c.value]
    assert f"Followed by <strong>{new}</strong>" in html_of(at) and _start_button(at) is None
    new_key = link.split("key=")[1]
    assert ws.check_facilitator(db, new, new_key).code == new
    at.run()  # a redraw keeps the link in sight (it is shown only in this browser session)
    assert [c.value for c in at.code if f"code={new}" in c.value] == [link]


def test_the_follow_up_console_names_the_session_it_follows(open_view, db, room):
    created = followup.start_followup(db, room.code, room.key)
    at = open_view("facilitator", code=created.workshop.code, key=created.facilitator_key)
    held = followup.get_chain(db, created.workshop.code, created.facilitator_key).follows.created_at
    assert f"Follows <strong>{room.code}</strong> ({held.day} {held:%b %Y})" in html_of(at)
    assert _start_button(at) is None  # a follow-up in the Lobby has not reached Plan


def test_a_refused_start_shows_its_message(open_view, db, room):
    at = open_view("facilitator", code=room.code, key=room.key)
    at.text_input(key="facilitator_followup_title").input("")
    _start_button(at).click().run()
    assert [e.value for e in at.error] == ["The title cannot be empty"]
    assert followup.get_chain(db, room.code, room.key).later == ()
    other = followup.start_followup(db, room.code, room.key).workshop.code  # another tab got there first
    at.text_input(key="facilitator_followup_title").input("Autumn")
    _start_button(at).click().run()
    assert [e.value for e in at.error] == [
        f"This workshop already has a follow-up ({other}): start the next one from there"]
    assert f"Followed by <strong>{other}</strong>" in html_of(at)
