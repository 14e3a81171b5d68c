from sqlmodel import select

from planning.models import Workshop
from planning.workshops import get_workshop
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
    assert [h.value for h in at.subheader] == ["Create a workshop", "Join a workshop", "Open the demo workshop"]
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
