"""AppTest fixtures: every test gets a fresh SQLite file and empty Streamlit caches."""

import json
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from planning import demands, votes, workshops
from planning.db import Database
from tests.factories import Room, make_initiative, make_room

APP = str(Path(__file__).resolve().parents[2] / "app.py")


@pytest.fixture
def db(sqlite_url, monkeypatch):
    """The database the app under test uses (the app creates the demo workshop in it too)."""
    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    monkeypatch.delenv("HYPERPLAN_ORGANISER_PASSCODE", raising=False)
    st.cache_resource.clear()
    st.cache_data.clear()
    database = Database(sqlite_url)
    yield database
    database.dispose()
    st.cache_resource.clear()
    st.cache_data.clear()


@pytest.fixture
def open_view(db):
    """open_view("participant", p=token) runs app.py, then switches to that view with those query params."""

    def run(view: str, **params: str) -> AppTest:
        at = AppTest.from_file(APP, default_timeout=30)
        for name, value in params.items():
            at.query_params[name] = value
        at.run()
        if view != "home":
            at.switch_page(f"views/{view}.py").run()
        assert not at.exception, at.exception
        return at

    return run


@pytest.fixture(autouse=True)
def no_exception_after_any_run(monkeypatch):
    """Every rerun (the first, and each after a click or an input) must end without an exception."""
    run = AppTest._run

    def checked(self, *args, **kwargs):
        at = run(self, *args, **kwargs)
        assert not at.exception, [e.value for e in at.exception]
        return at

    monkeypatch.setattr(AppTest, "_run", checked)


def html_of(at: AppTest) -> str:
    """Everything the page drew with st.html (our cards, headings and prompts), joined."""
    return "\n".join(el.proto.body for el in at.get("html"))


def plotly_specs(at: AppTest) -> list[dict]:
    return [json.loads(el.proto.spec) for el in at.get("plotly_chart")]


def texts(at: AppTest) -> str:
    """All text elements, markdown, captions and alerts on the page."""
    parts = [t.value for t in at.text] + [m.value for m in at.markdown] + [c.value for c in at.caption]
    parts += [e.value for e in (*at.error, *at.success, *at.info, *at.warning)]
    return "\n".join(parts)


def whole_page(at: AppTest) -> str:
    """Every element the page drew (labels, values, captions, html bodies, code boxes), as protobuf text."""
    found = []

    def walk(node) -> None:
        if getattr(node, "proto", None) is not None:
            found.append(str(node.proto))
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    return "\n".join(found)


def room_in(db: Database, phase: str, *, anonymous=False, private=False, locked=False) -> Room:
    """Three people, a hostile demand with a vote and a hostile initiative answering it, at `phase`."""
    room = make_room(db)
    demand = demands.add_demand(db, room.tokens[1], "<b>Warn</b> me :red[early]")
    votes.cast_vote(db, room.tokens[2], demand.id)
    workshops.set_phase(db, room.code, room.key, "value_exchange")
    make_initiative(db, room.tokens[1], "<i>Track</i> $x$", demand_ids=[demand.id])
    workshops.set_phase(db, room.code, room.key, phase)
    workshops.set_anonymous(db, room.code, room.key, anonymous)
    workshops.set_private_until_reveal(db, room.code, room.key, private)
    if locked:
        workshops.lock_workshop(db, room.code, room.key)
    return room
