"""AppTest fixtures: every test gets a fresh SQLite file and empty Streamlit caches."""

import itertools
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


def cards_of(at: AppTest, key: str | None = None) -> list[dict]:
    """The cards (ui/cards.py) the page drew, all of them or those of the list keyed `key`."""
    return [card for el in at.get("bidi_component") if el.proto.component_name == "hyperplan_cards"
            and (key is None or el.proto.id.endswith(f"-{key}")) for card in json.loads(el.proto.json)["cards"]]


def card_text(at: AppTest, key: str | None = None) -> str:
    """Every text of every card, as the browser will show it (textContent: never parsed)."""
    return "\n".join(" | ".join([c["title"], c["text"], *c["lines"], *c["bullets"], c["meta"]])
                     for c in cards_of(at, key))


def buttons_of(at: AppTest, key: str, card_id: int) -> dict[str, dict]:
    """A card's buttons by action."""
    [card] = [c for c in cards_of(at, key) if c["id"] == card_id]
    return {b["action"]: b for b in card["buttons"]}


_PRESSES = itertools.count(1)


def press(at: AppTest, key: str, card_id: int, action: str, moment: int | None = None) -> AppTest:
    """Press a button inside a card, as the browser's component does: its trigger (stamped with the `moment` it
    was made, by default a new one), then a rerun."""
    [element] = [el for el in at.get("bidi_component") if el.proto.component_name == "hyperplan_cards"
                 and el.proto.id.endswith(f"-{key}")]
    assert action in buttons_of(at, key, card_id) and not buttons_of(at, key, card_id)[action]["disabled"]
    return trigger(at, element, "action", {"card": card_id, "action": action,
                                           "at": next(_PRESSES) if moment is None else moment})


def trigger(at: AppTest, element, event: str, value: object) -> AppTest:
    """Rerun as the browser does when a component (`element`) sets its trigger `event` to `value`."""
    from streamlit.components.v2.bidi_component.main import _make_trigger_id
    from streamlit.proto.WidgetStates_pb2 import WidgetState

    states = at._tree.get_widget_states()
    states.widgets.append(WidgetState(id=_make_trigger_id(element.proto.id, "events"), json_trigger_value=json.dumps(
        [{"event": event, "value": value}])))
    return at._run(states)


def listener(at: AppTest, key: str) -> tuple[object, dict]:
    """The live listener (ui/live.py) keyed `key` the page drew, and what it listens to."""
    [element] = [el for el in at.get("bidi_component") if el.proto.component_name == "hyperplan_live"
                 and el.proto.id.endswith(f"-hp_live_{key}")]
    return element, json.loads(element.proto.json)


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
