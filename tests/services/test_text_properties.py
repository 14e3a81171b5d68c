"""Every text-taking service, fed arbitrary unicode, sizes and control characters: stored exactly or refused."""

import unicodedata

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planning import demands as dm
from planning import initiatives as im
from planning import workshops as ws
from planning.errors import InvalidInput
from planning.participants import join_workshop
from planning.text import DIRECTION_CONTROLS, clean_text, name_key
from tests.factories import make_room

TEXT = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=490, max_size=520),
    st.sampled_from(["  ", "\n\t", "a\x00b", "\u202eevil", "👩🏽‍🚒", "<script>", "=1+1", ":red[x]", "$x$", "é" * 500]),
)
PROPERTY = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _expected(raw: str, limit: int) -> str | None:
    """What clean_text promises: the trimmed text, or None when it must be refused."""
    text = raw.replace("\r\n", "\n").replace("\r", "\n").strip()
    bad = any(unicodedata.category(c) == "Cc" and c not in "\n\t" or c in DIRECTION_CONTROLS for c in text)
    return None if not text or len(text) > limit or bad else text


@PROPERTY
@given(raw=TEXT)
def test_clean_text_keeps_or_refuses_never_crashes(raw):
    expected = _expected(raw, 500)
    if expected is None:
        with pytest.raises(InvalidInput):
            clean_text(raw, what="A demand", max_length=500)
    else:
        assert clean_text(raw, what="A demand", max_length=500) == expected


@pytest.fixture(scope="module")
def shared_room(sqlite_template, tmp_path_factory):
    import shutil

    from planning.db import Database

    path = tmp_path_factory.mktemp("props") / "props.db"
    shutil.copy(sqlite_template, path)
    db = Database(f"sqlite:///{path}")
    room = make_room(db, participants_count=1, phase="inner_customer")
    ws.set_item_limits(db, room.code, room.key, per_person=1000, per_minute=120)  # one person, many examples
    yield db, room
    db.dispose()


@PROPERTY
@given(raw=TEXT)
def test_add_demand_stores_exactly_or_refuses(shared_room, raw):
    db, room = shared_room
    expected = _expected(raw, 500)
    if expected is None:
        with pytest.raises(InvalidInput):
            dm.add_demand(db, room.tokens[0], raw)
    else:
        assert dm.add_demand(db, room.tokens[0], raw).text == expected


@PROPERTY
@given(raw=TEXT)
def test_join_and_create_store_exactly_or_refuse(shared_room, raw):
    db, room = shared_room
    name, title = _expected(raw, 40), _expected(raw, 120)
    fresh = ws.create_workshop(db, title="T", company="C", segment="S").workshop.code  # every name is free
    if name is None or not name_key(name):  # nothing visible left: refused as empty
        with pytest.raises(InvalidInput):
            join_workshop(db, fresh, raw)
    else:
        shown = join_workshop(db, fresh, raw).participant.name
        assert name_key(shown) == name_key(name) and shown == " ".join(shown.split())
        if len(name.upper()) <= 40:  # capitals can be longer: "ß" is "SS"
            with pytest.raises(InvalidInput, match="That name is taken here"):
                join_workshop(db, fresh, name.upper())
    if title is None:
        with pytest.raises(InvalidInput):
            ws.create_workshop(db, title=raw, company="C", segment="S")
    else:
        assert ws.create_workshop(db, title=raw, company="C", segment="S").workshop.title == title


@PROPERTY
@given(title=TEXT, side=TEXT)
def test_initiative_fields_store_exactly_or_refuse(shared_room, title, side):
    db, room = shared_room
    ws.set_phase(db, room.code, room.key, "value_exchange")
    inp = im.InitiativeInput(title=title, customer_value=side, answers_no_demand=True)
    ok_title, ok_side = _expected(title, 120), _expected(side, 500)
    side_ok = ok_side is not None or not side.strip()
    if ok_title is None or not side_ok:
        with pytest.raises(InvalidInput):
            im.propose_initiative(db, room.tokens[0], inp)
    else:
        v = im.propose_initiative(db, room.tokens[0], inp)
        assert (v.title, v.customer_value) == (ok_title, ok_side or "")
