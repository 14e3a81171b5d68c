import re

import pytest

from planning import demands as dm
from planning import workshops as ws
from planning.participants import join_workshop
from tests.factories import make_initiative, make_room
from tests.views.conftest import html_of, plotly_specs, room_in, whole_page


def test_a_wrong_code_is_refused(open_view):
    at = open_view("big_screen", code="NOPE2345")
    assert "No workshop has that code" in at.error[0].value


def test_the_wall_shows_code_people_phase_prompt_and_feed(open_view, db):
    room = make_room(db, participants_count=2)
    dm.add_demand(db, room.tokens[0], "Warn me early")
    at = open_view("big_screen", code=room.code)
    body = html_of(at)
    assert room.code in body and "<strong>2</strong> in the room · Inner customer" in body
    assert "You are <strong>mid-size shippers</strong>" in body
    assert "Warn me early" in body and "Person 0" in body
    assert at.get("imgs") or at.get("image")


def test_hostile_segment_and_demands_stay_literal(open_view, db):
    created = ws.create_workshop(db, title="T", company="<b>Acme</b>", segment=":red[shippers] $x$")
    code, key = created.workshop.code, created.facilitator_key
    ws.set_phase(db, code, key, "inner_customer")
    token = join_workshop(db, code, "<i>Eve</i>").token
    dm.add_demand(db, token, "<script>alert(1)</script>")
    body = html_of(open_view("big_screen", code=code))
    assert "&lt;b&gt;Acme&lt;/b&gt;" in body and ":red[shippers] $x$" in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body and "&lt;i&gt;Eve&lt;/i&gt;" in body
    assert "<script>" not in body and "<i>Eve" not in body


def test_anonymity_keeps_author_names_off_the_wall(open_view, db):
    room = make_room(db)
    dm.add_demand(db, room.tokens[0], "Warn me early")
    ws.set_anonymous(db, room.code, room.key, True)
    at = open_view("big_screen", code=room.code)
    assert "Warn me early" in html_of(at) and "Person 0" not in whole_page(at)


def test_private_mode_shows_counts_not_texts(open_view, db):
    room = make_room(db)
    ws.set_private_until_reveal(db, room.code, room.key, True)
    dm.add_demand(db, room.tokens[0], "Secret until reveal")
    at = open_view("big_screen", code=room.code)
    assert "Secret until reveal" not in whole_page(at) and "1 demands so far" in html_of(at)
    ws.set_phase(db, room.code, room.key, "value_exchange")
    make_initiative(db, room.tokens[1], "Secret initiative")
    make_initiative(db, room.tokens[2], "Another secret")
    at = open_view("big_screen", code=room.code)
    assert "Secret initiative" not in whole_page(at) and "2 initiatives so far" in html_of(at)


def test_the_timer_shows_minutes_and_seconds(open_view, db):
    room = make_room(db)
    ws.start_timer(db, room.code, room.key, 3)
    # 03:00 counting down; a loaded machine may take a few seconds to draw the page
    assert re.search(r">(03:00|02:[45]\d)<", html_of(open_view("big_screen", code=room.code)))


def test_a_new_demand_appears_on_the_next_run(open_view, db):
    room = make_room(db)
    at = open_view("big_screen", code=room.code)
    assert "Arrived later" not in html_of(at)
    dm.add_demand(db, room.tokens[0], "Arrived later")
    at.run()
    assert "Arrived later" in html_of(at)


def test_review_puts_the_matrix_on_the_wall(open_view, db):
    room = make_room(db, phase="value_exchange")
    make_initiative(db, room.tokens[0], "Live tracking")
    ws.set_phase(db, room.code, room.key, "review")
    specs = plotly_specs(open_view("big_screen", code=room.code))
    assert [t["type"] for t in specs[0]["data"]] == ["scatter"] * 5  # a trace per quadrant, and the numbers


@pytest.mark.parametrize("phase", ["lobby", "inner_customer", "value_exchange", "score_vote", "review", "plan",
                                   "closed"])
@pytest.mark.parametrize("strict", [False, True], ids=["open", "anonymous-private-locked"])
def test_every_phase_renders_and_keeps_user_text_literal(open_view, db, phase, strict):
    room = room_in(db, phase, anonymous=strict, private=strict, locked=strict)
    at = open_view("big_screen", code=room.code)
    body = html_of(at)
    assert "<b>" not in body and "<i>" not in body and room.code in body
    if strict:
        page = whole_page(at)
        assert "Person 1" not in page and "Warn" not in page and "Track" not in page


def test_an_unchanged_workshop_costs_one_cheap_query_per_refresh(open_view, db):
    """AppTest reruns the whole page: the code check plus the live fragment's tick, one revision read each."""
    from sqlalchemy import event

    import ui

    room = make_room(db)
    dm.add_demand(db, room.tokens[0], "Warn me early")
    at = open_view("big_screen", code=room.code)
    statements: list[str] = []
    engine = ui.db().engine
    listener = lambda *args: statements.append(args[2])  # noqa: E731 - (conn, cursor, statement, ...)
    event.listen(engine, "before_cursor_execute", listener)
    try:
        at.run()  # a refresh with nothing changed
        unchanged = list(statements)
        dm.add_demand(db, room.tokens[1], "Changed the room")
        statements.clear()
        at.run()
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    reads = [s for s in unchanged if not s.startswith(("BEGIN", "PRAGMA"))]
    assert len(reads) == 2 and all(r.startswith("SELECT workshop.") and "FROM workshop" in r for r in reads)
    assert len([s for s in statements if s.startswith("SELECT")]) > 3  # a change re-reads the room
    assert "Changed the room" in "\n".join(el.proto.body for el in at.get("html"))
