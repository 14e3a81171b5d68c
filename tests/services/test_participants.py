import time
from datetime import timedelta

import pytest
from sqlmodel import select

from planning import config
from planning import workshops as ws
from planning.errors import InvalidInput, NotAllowed, NotFound
from planning.models import JoinFailure, utcnow
from planning.participants import GUESS_LIMITS, GUESS_PAUSE_S, GUESS_WINDOW, get_participant, join_workshop
from tests.factories import make_room


def test_join_gives_a_private_token_that_brings_the_person_back(db):
    room = make_room(db, participants_count=0)
    joined = join_workshop(db, room.code.lower(), "  Zoë 🚚  ")
    assert joined.participant.name == "Zoë 🚚"
    again = get_participant(db, joined.token)
    assert (again.id, again.name, again.code) == (joined.participant.id, "Zoë 🚚", room.code)
    assert ws.get_workshop(db, room.code).participant_count == 1


LOOK_ALIKES = ["Ana", "ana", "ANA", "Ana\u200b", "An\u00ada", "A\u2060na", "\u0410na", "\u0391na", "\uff21na",
               "\U0001d400na", " Ana ", "\ufeffAna"]


@pytest.mark.parametrize("same", LOOK_ALIKES)
def test_a_name_that_looks_like_a_taken_one_is_refused_with_a_way_forward(db, same):
    room = make_room(db, participants_count=0)
    first = join_workshop(db, room.code, "Ana")
    with pytest.raises(InvalidInput, match="That name is taken here. If it is you, open your personal link"):
        join_workshop(db, room.code, same)
    assert ws.get_workshop(db, room.code).participant_count == 1
    assert get_participant(db, first.token).name == "Ana"


@pytest.mark.parametrize("other", ["Ana B", "Anna", "Aná", "Ana\u200dB"])
def test_names_that_differ_to_the_eye_are_both_welcome(db, other):
    room = make_room(db, participants_count=0)
    join_workshop(db, room.code, "Ana")
    assert join_workshop(db, room.code, other).participant.name == other


def test_a_name_loses_its_invisible_characters_and_extra_spaces(db):
    room = make_room(db, participants_count=0)
    assert join_workshop(db, room.code, " Pri\u00adya\u200b  S. ").participant.name == "Priya S."
    with pytest.raises(InvalidInput, match="cannot be empty"):
        join_workshop(db, room.code, "\u200b\u2060")


@pytest.mark.parametrize("override", ["\u202e", "\u202a", "\u202d", "\u2066", "\u2067", "\u2068", "\u2069"])
def test_a_name_with_a_direction_override_is_refused(db, override):
    room = make_room(db, participants_count=0)
    with pytest.raises(InvalidInput, match="change the direction of text"):
        join_workshop(db, room.code, f"Ana{override}lin")
    assert ws.get_workshop(db, room.code).participant_count == 0


def test_a_name_with_like_wildcards_does_not_match_others(db):
    room = make_room(db, participants_count=0)
    join_workshop(db, room.code, "Ann")
    assert join_workshop(db, room.code, "A%").participant.name == "A%"


@pytest.mark.parametrize(("code", "name", "error"), [
    ("WRONG234", "Ana", NotFound), ("", "Ana", NotFound), (None, "Ana", NotFound),
    ("{code}", "", InvalidInput), ("{code}", "   ", InvalidInput), ("{code}", "x" * 41, InvalidInput),
])
def test_join_refuses_wrong_codes_and_bad_names(db, code, name, error):
    room = make_room(db, participants_count=0)
    with pytest.raises(error):
        join_workshop(db, code.format(code=room.code) if code else code, name)
    assert ws.get_workshop(db, room.code).participant_count == 0


@pytest.mark.parametrize("close", ["lock", "closed phase"])
def test_join_refuses_a_locked_or_closed_workshop(db, close):
    room = make_room(db, participants_count=0)
    if close == "lock":
        ws.lock_workshop(db, room.code, room.key)
    else:
        ws.set_phase(db, room.code, room.key, "closed")
    with pytest.raises(NotAllowed, match="closed to new participants"):
        join_workshop(db, room.code, "Late")


@pytest.mark.parametrize("token", ["", None, "not-a-token", 42])
def test_get_participant_refuses_unknown_tokens(db, token):
    with pytest.raises(NotFound):
        get_participant(db, token)


def _wrong(db, n, **who):
    for _ in range(n):
        with pytest.raises(NotFound):
            join_workshop(db, "GUESS234", "Mallory", **who)


def test_a_right_code_always_joins_however_many_wrong_ones_came_before(db):
    room = make_room(db, participants_count=0)
    _wrong(db, GUESS_LIMITS["session"], session="s1", address="10.0.0.9")
    with pytest.raises(NotAllowed, match="Too many wrong codes"):
        join_workshop(db, "GUESS234", "Mallory", session="s1", address="10.0.0.9")
    assert join_workshop(db, room.code, "Mallory", session="s1", address="10.0.0.9").participant.name == "Mallory"


def test_wrong_codes_past_the_limit_are_slowed_then_refused(db):
    _wrong(db, GUESS_LIMITS["session"], session="s1", address="10.0.0.9")
    for over in (1, 2):
        begun = time.perf_counter()
        with pytest.raises(NotAllowed, match="Too many wrong codes"):
            join_workshop(db, "GUESS234", "Mallory", session="s1", address="10.0.0.9")
        assert time.perf_counter() - begun >= GUESS_PAUSE_S * over
    with pytest.raises(NotFound):  # another session at another address is not held back
        join_workshop(db, "GUESS234", "Ana", session="s2", address="10.0.0.8")


def test_an_address_is_slowed_after_many_wrong_codes_from_many_sessions_but_its_right_codes_join(db):
    room = make_room(db, participants_count=0)
    for n in range(GUESS_LIMITS["address"]):
        _wrong(db, 1, session=f"s{n}", address="10.0.0.7")
    with pytest.raises(NotAllowed):
        join_workshop(db, "GUESS234", "x", session="fresh", address="10.0.0.7")
    assert join_workshop(db, room.code, "Ana", session="fresh", address="10.0.0.7")
    with pytest.raises(NotFound):
        join_workshop(db, "GUESS234", "x", session="fresh", address="10.0.0.8")


def test_old_wrong_codes_no_longer_count_and_are_purged(db):
    with db.write() as s:
        s.add_all(JoinFailure(client="session:s1", at=utcnow() - GUESS_WINDOW - timedelta(seconds=1)) for _ in range(9))
    _wrong(db, 1, session="s1")
    with db.read() as s:
        assert s.exec(select(JoinFailure.client)).all() == ["session:s1"]


@pytest.mark.parametrize(("forwarded", "counted"), [
    ("203.0.113.9", "address:203.0.113.9"),
    ("spoofed-by-the-client, 198.51.100.7", "address:198.51.100.7"),  # the proxy's own entry is the last
    (" ", "address:10.0.0.1"), (None, "address:10.0.0.1"),
])
def test_a_trusted_proxy_header_names_the_address_a_wrong_code_counts_against(db, forwarded, counted):
    _wrong(db, 1, session="s1", address="10.0.0.1", forwarded=forwarded)
    with db.read() as s:
        assert set(s.exec(select(JoinFailure.client)).all()) == {"session:s1", counted}


def test_the_trusted_proxy_header_is_read_from_the_environment_when_asked(monkeypatch):
    monkeypatch.delenv("HYPERPLAN_TRUSTED_PROXY_HEADER", raising=False)
    assert config.trusted_proxy_header() is None
    monkeypatch.setenv("HYPERPLAN_TRUSTED_PROXY_HEADER", " X-Forwarded-For ")
    assert config.trusted_proxy_header() == "X-Forwarded-For"
