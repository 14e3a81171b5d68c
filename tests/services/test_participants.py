from datetime import timedelta

import pytest
from sqlmodel import func, select

from planning import workshops as ws
from planning.errors import InvalidInput, NotAllowed, NotFound
from planning.models import JoinFailure, utcnow
from planning.participants import GUESS_LIMITS, GUESS_WINDOW, get_participant, join_workshop
from tests.factories import make_room


def test_join_gives_a_private_token_that_brings_the_person_back(db):
    room = make_room(db, participants_count=0)
    joined = join_workshop(db, room.code.lower(), "  Zoë 🚚  ")
    assert joined.participant.name == "Zoë 🚚"
    again = get_participant(db, joined.token)
    assert (again.id, again.name, again.code) == (joined.participant.id, "Zoë 🚚", room.code)
    assert ws.get_workshop(db, room.code).participant_count == 1


def test_two_people_with_the_same_name_are_kept_apart(db):
    room = make_room(db, participants_count=0)
    first, second, third = (join_workshop(db, room.code, n) for n in ["Ana", "ana", "Ana"])
    assert first.token != second.token
    assert [first.participant.name, second.participant.name, third.participant.name] == ["Ana", "ana (2)", "Ana (3)"]
    assert get_participant(db, second.token).id == second.participant.id


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


def test_wrong_codes_are_counted_and_a_guessing_session_is_slowed(db):
    room = make_room(db, participants_count=0)
    for _ in range(5):
        with pytest.raises(NotFound):
            join_workshop(db, "GUESS234", "Mallory", session="s1", address="10.0.0.9")
    with pytest.raises(NotAllowed, match="Too many wrong codes"):
        join_workshop(db, room.code, "Mallory", session="s1", address="10.0.0.9")
    assert join_workshop(db, room.code, "Ana", session="s2", address="10.0.0.9").participant.name == "Ana"
    with db.read() as s:
        assert s.exec(select(func.count()).select_from(JoinFailure)).one() == 10  # per session and per address


def test_an_address_is_slowed_after_many_wrong_codes_from_many_sessions(db):
    room = make_room(db, participants_count=0)
    for n in range(GUESS_LIMITS["address"]):
        with pytest.raises(NotFound):
            join_workshop(db, "GUESS234", "x", session=f"s{n}", address="10.0.0.7")
    with pytest.raises(NotAllowed):
        join_workshop(db, room.code, "Ana", session="fresh", address="10.0.0.7")
    assert join_workshop(db, room.code, "Ana", session="fresh", address="10.0.0.8")


def test_old_failures_no_longer_count(db):
    room = make_room(db, participants_count=0)
    with db.write() as s:
        s.add_all(JoinFailure(client="session:s1", at=utcnow() - GUESS_WINDOW - timedelta(seconds=1)) for _ in range(9))
    assert join_workshop(db, room.code, "Ana", session="s1").participant.name == "Ana"
