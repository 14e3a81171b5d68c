import json

import streamlit as st
from sqlmodel import select

from planning.export import export_workshop
from planning.models import Workshop
from planning.workshops import get_workshop
from tests.factories import make_room
from tests.views.conftest import texts


def _create(at, title="Freight 2027", company="Northwind", segment="shippers", passcode=None):
    at.text_input[0].input(title)
    at.text_input[1].input(company)
    at.text_area[0].input(segment)
    if passcode is not None:
        at.text_input[2].input(passcode)
    at.button[0].click().run()
    return at


def test_home_offers_create_join_and_the_demo(open_view):
    at = open_view("home")
    assert [h.value for h in at.subheader] == ["Join a workshop", "Create a workshop", "Open the demo workshop"]
    assert "code DEMO" in texts(at)


def test_creating_a_workshop_opens_the_console_with_the_private_link(open_view, db):
    at = _create(open_view("home"))
    assert not at.exception
    code, key = at.query_params["code"], at.query_params["key"]
    assert get_workshop(db, code).title == "Freight 2027"
    assert "Keep this private link" in at.warning[0].value
    assert any(f"key={key}" in c.value for c in at.code)


def test_an_empty_title_is_refused_and_creates_nothing(open_view, db):
    at = _create(open_view("home"), title="   ")
    assert [e.value for e in at.error] == ["The title cannot be empty"]
    with db.read() as s:
        assert [w.join_code for w in s.exec(select(Workshop))] == ["DEMO"]
    assert "key" not in at.query_params


def test_the_organiser_passcode_is_asked_for_and_checked(open_view, db, monkeypatch):
    assert "Organiser passcode" not in [t.label for t in open_view("home").text_input]
    monkeypatch.setenv("HYPERPLAN_ORGANISER_PASSCODE", "s3cret")
    at = open_view("home")
    assert [t.label for t in at.text_input][2] == "Organiser passcode"
    at = _create(at, passcode="guess")
    assert [e.value for e in at.error] == ["The organiser passcode is not right"]
    with db.read() as s:
        assert [w.join_code for w in s.exec(select(Workshop))] == ["DEMO"]
    at = _create(open_view("home"), passcode="s3cret")
    assert get_workshop(db, at.query_params["code"]).title == "Freight 2027"


def test_home_offers_to_restore_a_backup_once_a_file_is_chosen(open_view):
    at = open_view("home")
    assert at.get("file_uploader"), "the restore uploader is on the home page"
    assert at.button(key="home_restore").disabled  # AppTest cannot upload; the restore is tested in services


class _Upload:
    def __init__(self, data: bytes) -> None:
        self.data = data

    def getvalue(self) -> bytes:
        return self.data


def _restore(open_view, monkeypatch, data: bytes):
    """AppTest cannot upload: the uploader hands the view these bytes, as the browser's upload would."""
    monkeypatch.setattr(st, "file_uploader", lambda *args, **kwargs: _Upload(data))
    at = open_view("home")
    at.button(key="home_restore").click().run()
    return at


def test_a_refused_restore_says_so_in_literal_text_and_restores_nothing(open_view, db, monkeypatch):
    data = json.dumps({"format": "hyperplan-backup", "schema_version": 4, ":red[x] **bold**": 1}).encode()
    at = _restore(open_view, monkeypatch, data)
    assert [e.value for e in at.error] == ["Nothing was restored."]
    assert "This backup is damaged or altered (it has a section Hyperplan does not know)" in [t.value for t in at.text]
    assert not [m.value for m in at.markdown if "red" in m.value or "bold" in m.value]
    with db.read() as s:
        assert [w.join_code for w in s.exec(select(Workshop))] == ["DEMO"]


def test_a_restore_opens_the_console_of_the_new_workshop(open_view, db, monkeypatch):
    room = make_room(db)
    data = export_workshop(db, room.code, room.key, "json").data
    at = _restore(open_view, monkeypatch, data)
    assert get_workshop(db, at.query_params["code"]).title == "Freight 2027" and at.query_params["code"] != room.code
