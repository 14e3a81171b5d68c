import pytest

from planning.participants import get_participant
from planning.workshops import get_workshop
from tests.factories import make_room


def test_a_wrong_code_gets_a_clear_message_and_creates_no_one(open_view, db):
    room = make_room(db, participants_count=0)
    at = open_view("join")
    at.text_input[0].input("WRONG234")
    at.text_input[1].input("Ana")
    at.button[0].click().run()
    assert [e.value for e in at.error] == ["No workshop has that code. Check the code on the big screen."]
    assert get_workshop(db, room.code).participant_count == 0


def test_a_join_link_prefills_the_code_and_lands_on_the_participant_page(open_view, db):
    room = make_room(db, participants_count=0)
    at = open_view("join", code=room.code)
    assert at.text_input[0].value == room.code
    at.text_input[1].input("Ana")
    at.button[0].click().run()
    assert not at.exception
    assert get_participant(db, at.query_params["p"]).name == "Ana"
    assert "You take part as Ana" in "\n".join(el.proto.body for el in at.get("html"))


def test_an_empty_name_is_refused(open_view, db):
    room = make_room(db, participants_count=0)
    at = open_view("join", code=room.code)
    at.button[0].click().run()
    assert [e.value for e in at.error] == ["Your name cannot be empty"]
    assert "p" not in at.query_params


def test_a_session_guessing_codes_is_refused_but_its_right_code_joins(open_view, db):
    room = make_room(db, participants_count=0)
    at = open_view("join")
    at.text_input[1].input("Mallory")
    for _ in range(6):
        at.text_input[0].input("GUESS234")
        at.button[0].click().run()
    assert any("Too many wrong codes" in e.value for e in at.error)
    at.text_input[0].input(room.code)
    at.button[0].click().run()
    assert not at.exception
    assert get_participant(db, at.query_params["p"]).name == "Mallory"


@pytest.mark.parametrize("trusted", [True, False])
def test_behind_a_trusted_proxy_a_wrong_code_counts_against_the_forwarded_address(open_view, db, monkeypatch, trusted):
    import streamlit as st
    from sqlmodel import select

    from planning.models import JoinFailure

    if trusted:
        monkeypatch.setenv("HYPERPLAN_TRUSTED_PROXY_HEADER", "X-Forwarded-For")
    monkeypatch.setattr(type(st.context), "headers", property(lambda _: {"X-Forwarded-For": "spoof, 203.0.113.9"}))
    at = open_view("join")
    at.text_input[0].input("GUESS234")
    at.text_input[1].input("Mallory")
    at.button[0].click().run()
    with db.read() as s:
        clients = s.exec(select(JoinFailure.client)).all()
    assert ("address:203.0.113.9" in clients) == trusted  # untrusted, the header proves nothing
    assert not any("spoof" in c for c in clients)
