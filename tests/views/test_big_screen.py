import json
import random
import re

import pytest

from bench.seed import seed_workshop
from planning import demands as dm
from planning import ratings
from planning import workshops as ws
from planning.analytics import get_dashboard
from planning.initiatives import list_shown_initiatives
from planning.matrix import matrix_number_of
from planning.participants import join_workshop
from planning.roster import list_people, remove_participant
from planning.selfcheck import open_selfcheck, rate_area
from planning.votes import cast_initiative_vote, cast_vote
from tests.factories import make_initiative, make_room
from tests.views.conftest import html_of, plotly_specs, room_in, whole_page
from ui import wall


def pager_pages(at) -> list[list[str]]:
    """The pages of each list the wall turns through (in the browser), as drawn: one list per pager."""
    found = []

    def walk(node) -> None:
        proto = getattr(node, "proto", None)
        if proto is not None and getattr(proto, "component_name", "") == "hyperplan_wall_pager":
            found.append(json.loads(proto.json)["pages"])
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    return found


def shown(at) -> str:
    """Everything the wall shows: what it drew with st.html and every page of its lists."""
    return "\n".join([html_of(at), *(page for pages in pager_pages(at) for page in pages)])


def test_a_wrong_code_is_refused(open_view):
    at = open_view("big_screen", code="NOPE2345")
    assert "No workshop has that code" in at.error[0].value


def test_the_wall_shows_code_people_phase_prompt_and_feed(open_view, db):
    room = make_room(db, participants_count=2)
    dm.add_demand(db, room.tokens[0], "Warn me early")
    at = open_view("big_screen", code=room.code)
    body = shown(at)
    assert room.code in body and '<span class="hp-count">2 in the room</span> · Inner customer' in body
    assert "You are <strong>mid-size shippers</strong>" in body
    assert "Warn me early" in body and "Person 0" in body
    assert 'alt="QR code: open ' in body and f'join?code={room.code}' in body


def test_the_lobby_shows_the_code_large_and_who_joined_newest_first_as_typed(open_view, db):
    room = make_room(db, participants_count=2, phase="lobby")
    join_workshop(db, room.code, "<i>Eve</i> :red[x] **bold**")
    gone = join_workshop(db, room.code, "Gone Away")
    remove_participant(db, room.code, room.key, [p.id for p in list_people(db, room.code, room.key)
                                                 if p.name == "Gone Away"][0])
    body = html_of(open_view("big_screen", code=room.code))
    assert 'class="hp-lobby-code"' in body and 'class="hp-w hp-strip"' not in body
    names = re.findall(r"<li>([^<]*)</li>", body.split('aria-label="Who joined"')[1].split("</ul>")[0])
    assert names == ["&lt;i&gt;Eve&lt;/i&gt; :red[x] **bold**", "Person 1", "Person 0"]
    assert "Gone Away" not in body and gone.token not in body


def test_a_crowded_lobby_shows_the_newest_names_that_fit_and_how_many_more(open_view, db):
    room = make_room(db, participants_count=0, phase="lobby")
    for n in range(40):
        join_workshop(db, room.code, f"{n:02d} Maximiliana Wolkenstein-Hohenberg")  # 38 characters
    body = html_of(open_view("big_screen", code=room.code))
    shown = re.findall(r"<li>(\d\d) Maxi", body)
    assert shown == [f"{n:02d}" for n in range(39, 39 - len(shown), -1)] and 10 <= len(shown) < 20
    assert f'<li class="hp-count">and {40 - len(shown)} more</li>' in body


def test_after_the_lobby_the_join_header_is_a_strip_with_the_address(open_view, db):
    room = make_room(db, participants_count=1, phase="inner_customer")
    body = html_of(open_view("big_screen", code=room.code))
    assert 'class="hp-w hp-strip"' in body and 'class="hp-lobby-code"' not in body
    assert re.search(r"Join at <strong>[^<]+/join</strong>", body)


def test_an_anonymous_lobby_shows_no_names(open_view, db):
    room = make_room(db, participants_count=2, phase="lobby")
    ws.set_anonymous(db, room.code, room.key, True)
    at = open_view("big_screen", code=room.code)
    assert "Person 0" not in whole_page(at) and "this workshop is anonymous" in html_of(at)


def test_hostile_segment_and_demands_stay_literal(open_view, db):
    created = ws.create_workshop(db, title="T", company="<b>Acme</b>", segment=":red[shippers] $x$")
    code, key = created.workshop.code, created.facilitator_key
    ws.set_phase(db, code, key, "inner_customer")
    token = join_workshop(db, code, "<i>Eve</i>").token
    dm.add_demand(db, token, "<script>alert(1)</script>")
    body = shown(open_view("big_screen", code=code))
    assert "&lt;b&gt;Acme&lt;/b&gt;" in body and ":red[shippers] $x$" in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body and "&lt;i&gt;Eve&lt;/i&gt;" in body
    assert "<script>" not in body and "<i>Eve" not in body


def test_anonymity_keeps_author_names_off_the_wall(open_view, db):
    room = make_room(db)
    dm.add_demand(db, room.tokens[0], "Warn me early")
    ws.set_anonymous(db, room.code, room.key, True)
    at = open_view("big_screen", code=room.code)
    assert "Warn me early" in shown(at) and "Person 0" not in whole_page(at)


def test_private_mode_shows_counts_not_texts(open_view, db):
    room = make_room(db)
    ws.set_private_until_reveal(db, room.code, room.key, True)
    dm.add_demand(db, room.tokens[0], "Secret until reveal")
    at = open_view("big_screen", code=room.code)
    assert "Secret until reveal" not in whole_page(at) and "1 demand so far" in html_of(at)
    ws.set_phase(db, room.code, room.key, "value_exchange")
    make_initiative(db, room.tokens[1], "Secret initiative")
    make_initiative(db, room.tokens[2], "Another secret")
    at = open_view("big_screen", code=room.code)
    assert "Secret initiative" not in whole_page(at) and "2 initiatives so far" in html_of(at)


def clock_of(at) -> str | None:
    """What the wall's countdown starts from (it ticks in the browser), or None when it draws no clock."""
    found = re.search(r'component_name: "hyperplan_clock".*?\\"text\\": \\"(\d\d:\d\d)', whole_page(at), re.S)
    return found and found.group(1)


def test_the_timer_shows_minutes_and_seconds(open_view, db):
    room = make_room(db)
    ws.start_timer(db, room.code, room.key, 3)
    # 03:00 counting down; a loaded machine may take a few seconds to draw the page
    assert re.fullmatch(r"03:00|02:[45]\d", clock_of(open_view("big_screen", code=room.code)))


def test_the_timer_stays_on_the_wall_across_a_phase_change_when_the_facilitator_keeps_it(open_view, db):
    room = make_room(db)
    ws.start_timer(db, room.code, room.key, 3)
    ws.set_phase(db, room.code, room.key, "value_exchange", keep_timer=True)
    assert re.fullmatch(r"03:00|02:[45]\d", clock_of(open_view("big_screen", code=room.code)))
    ws.set_phase(db, room.code, room.key, "score_vote")
    assert clock_of(open_view("big_screen", code=room.code)) is None


def test_a_new_demand_appears_on_the_next_run(open_view, db):
    room = make_room(db)
    at = open_view("big_screen", code=room.code)
    assert "Arrived later" not in shown(at)
    dm.add_demand(db, room.tokens[0], "Arrived later")
    at.run()
    assert "Arrived later" in shown(at)


def test_the_wall_pages_through_many_demands_then_shows_the_most_voted(open_view, db):
    room = make_room(db)
    texts = [f"Demand {n}" for n in range(20)]
    ids = [dm.add_demand(db, room.tokens[n % 3], text).id for n, text in enumerate(texts)]
    cast_vote(db, room.tokens[0], ids[4])
    [pages] = pager_pages(open_view("big_screen", code=room.code))
    on = [re.findall(r'<p class="hp-l4">([^<]*)</p>', page) for page in pages]
    assert [re.search(r"page \d of 4", page).group() for page in pages] == [f"page {n} of 4" for n in (1, 2, 3, 4)]
    assert on[0] == texts[::-1][:wall.DEMANDS_A_PAGE] and sum(on[:3], []) == texts[::-1]  # newest first, all of them
    assert on[3] == ["Demand 4"] and "Most voted demands" in pages[3] and "1 vote" in pages[3]


def test_a_list_that_fits_one_page_says_no_page_number(open_view, db):
    room = make_room(db)
    dm.add_demand(db, room.tokens[0], "Only one")
    [pages] = pager_pages(open_view("big_screen", code=room.code))
    assert len(pages) == 1 and "Only one" in pages[0] and not re.search(r"page \d+ of", pages[0])


def test_scoring_shows_the_room_s_progress_and_the_initiatives(open_view, db):
    room = make_room(db, phase="value_exchange")
    item = make_initiative(db, room.tokens[0], "Live tracking").id
    ws.set_phase(db, room.code, room.key, "score_vote")
    for axis in ("customer", "company"):
        ratings.rate_initiative(db, room.tokens[1], item, axis, 7)
    body = shown(open_view("big_screen", code=room.code))
    assert "<strong>1</strong> of 2 have rated all 1 initiative" in body and "Live tracking" in body
    assert 'aria-valuenow="50"' in body


def test_review_puts_the_numbered_matrix_and_its_legend_on_the_wall_at_wall_size(open_view, db):
    room = make_room(db, phase="value_exchange")
    make_initiative(db, room.tokens[0], "Live tracking")
    ws.set_phase(db, room.code, room.key, "review")
    at = open_view("big_screen", code=room.code)
    specs = plotly_specs(at)
    assert [t["type"] for t in specs[0]["data"]] == ["scatter"] * 5  # a trace per quadrant, and the numbers
    layout = specs[0]["layout"]
    assert layout["xaxis"]["tickfont"]["size"] >= 24 and layout["yaxis"]["title"]["font"]["size"] >= 28
    assert all(a["font"]["size"] >= 24 for a in layout["annotations"])
    assert 'aria-label="Matrix legend"' in shown(at)


@pytest.mark.parametrize("view", ["dashboard", "participant"])
def test_the_dashboard_and_the_phones_get_the_matrix_legend_too(open_view, db, view):
    room, item = _rated_room(db)
    at = open_view(view, **({"code": room.code} if view == "dashboard" else {"p": room.tokens[0]}))
    legend = html_of(at).split('aria-label="Matrix legend"')[1]
    number = matrix_number_of(get_dashboard(db, room.code))[item]
    assert f"<li><b>{number}</b><span>&lt;i&gt;Track&lt;/i&gt; $x$</span></li>" in legend


def _rated_room(db):
    """room_in's initiative rated by two people, with a vote, then Review."""
    room = room_in(db, "score_vote")
    item = list_shown_initiatives(db, room.code)[0].id
    for token, scores in ((room.tokens[0], (8, 6)), (room.tokens[2], (6, 2))):
        ratings.rate_initiative(db, token, item, "customer", scores[0])
        ratings.rate_initiative(db, token, item, "company", scores[1])
    cast_initiative_vote(db, room.tokens[0], item)
    ws.set_phase(db, room.code, room.key, "review")
    return room, item


def test_the_reveal_mode_shows_one_initiative_alone_then_show_all_returns(open_view, db):
    room, item = _rated_room(db)
    ws.set_spotlight(db, room.code, room.key, item)
    at = open_view("big_screen", code=room.code)
    body = html_of(at)
    panel = body.split('data-testid="hp-wall-spotlight"')[1]
    number = matrix_number_of(get_dashboard(db, room.code))[item]
    assert f"{number} · &lt;i&gt;Track&lt;/i&gt; $x$" in panel and "1 vote" in panel
    assert "<th>To the customer</th><td>7</td><td>1</td><td>2</td>" in panel  # median, spread, n
    assert "<th>To the company</th><td>4</td><td>2</td><td>2</td>" in panel
    assert "&lt;b&gt;Warn&lt;/b&gt; me :red[early]" in panel and "<b>Warn" not in body
    assert 'aria-label="Matrix legend"' not in shown(at)
    widths = [t["marker"].get("line", {}).get("width", []) for t in plotly_specs(at)[0]["data"][:4]]
    widths = [w for each in widths for w in (each if isinstance(each, list) else [each])]  # one value stands for all
    assert sorted(widths)[-1] == 5  # the spotlit dot is outlined
    ws.set_spotlight(db, room.code, room.key, None)
    at.run()
    assert 'aria-label="Matrix legend"' in shown(at) and "hp-wall-spotlight" not in shown(at)


def test_self_check_results_take_the_wall_when_the_facilitator_puts_them_there(open_view, db):
    room = make_room(db)
    ws.show_selfcheck_on_wall(db, room.code, room.key, True)
    at = open_view("big_screen", code=room.code)
    assert "No answers yet" in html_of(at) and "You are" not in html_of(at)
    open_selfcheck(db, room.code, room.key)
    for token in room.tokens[:2]:
        for area in ("relationships", "strategy"):
            rate_area(db, token, area, "risk")
    at.run()
    body = html_of(at)
    assert "run 1 · 2 answered" in body and "Weakest:</strong> Customer relationships, Strategy" in body
    bars = plotly_specs(at)[0]
    assert bars["layout"]["yaxis"]["tickfont"]["size"] >= 24 and len(bars["data"]) == 4
    ws.show_selfcheck_on_wall(db, room.code, room.key, False)
    at.run()
    assert "Customer-alignment self-check" not in html_of(at) and "You are" in html_of(at)


def _shape(at) -> tuple:
    """How many elements each slot of the wall holds: the live fragment's, then each header column's."""
    screen = at.main.children[len(at.main.children) - 1]  # the live fragment: the page's last block
    header = screen.children[0]
    return len(screen.children), tuple(len(column.children) for column in header.children.values())


def test_every_slot_of_the_wall_holds_one_element_whatever_is_shown(open_view, db):
    """A redraw replaces each slot's element, so nothing a redraw stopped drawing (a stopped clock, a progress bar)
    stays behind when Streamlit ends a run early and keeps what it did not redraw (see ui/wall.py)."""
    room, item = _rated_room(db)
    ws.set_phase(db, room.code, room.key, "lobby")
    ws.start_timer(db, room.code, room.key, 3)
    at = open_view("big_screen", code=room.code)
    shapes = {_shape(at)}
    steps = [("inner_customer", True), ("value_exchange", False), ("score_vote", True), ("review", False),
             ("spotlight", False), ("selfcheck", False), ("plan", False), ("closed", False)]
    for step, timer in steps:
        if step == "spotlight":
            ws.set_spotlight(db, room.code, room.key, item)
        elif step == "selfcheck":
            ws.show_selfcheck_on_wall(db, room.code, room.key, True)
        else:
            ws.show_selfcheck_on_wall(db, room.code, room.key, False)
            ws.set_phase(db, room.code, room.key, step, keep_timer=timer)
        at.run()
        shapes.add(_shape(at))
    assert shapes == {(4, (1, 1, 1))}  # header, prompt, body, live listener; code, clock (or nothing), QR


@pytest.mark.parametrize("phase", ["lobby", "inner_customer", "value_exchange", "score_vote", "review", "plan",
                                   "closed"])
@pytest.mark.parametrize("strict", [False, True], ids=["open", "anonymous-private-locked"])
def test_every_phase_renders_and_keeps_user_text_literal(open_view, db, phase, strict):
    room = room_in(db, phase, anonymous=strict, private=strict, locked=strict)
    at = open_view("big_screen", code=room.code)
    body = shown(at)
    assert "<b>" not in body and "<i>" not in body and room.code in body
    if strict:
        page = whole_page(at)
        assert "Person 1" not in page and "Warn" not in page and "Track" not in page


@pytest.mark.parametrize("phase", ["lobby", "inner_customer", "value_exchange", "score_vote", "review", "plan",
                                   "closed"])
def test_an_empty_room_renders_in_every_phase(open_view, db, phase):
    created = ws.create_workshop(db, title="T", company="C", segment="S")
    if phase != "lobby":
        ws.set_phase(db, created.workshop.code, created.facilitator_key, phase)
    at = open_view("big_screen", code=created.workshop.code)
    assert created.workshop.code in html_of(at)


def test_a_room_of_400_demands_and_400_initiatives_pages_in_every_phase(open_view, db):
    seeded = seed_workshop(db, {"participants": 12, "demands": 400, "initiatives": 400, "votes_each": 5},
                           random.Random(7), "Large")
    pages = lambda size: -(-400 // size)  # noqa: E731
    initiatives = f"400 in all · page 1 of {pages(wall.INITIATIVES_A_PAGE)}"
    expected = {"inner_customer": f"400 in all · page 1 of {pages(wall.DEMANDS_A_PAGE) + 1}",  # + the most voted
                "value_exchange": initiatives, "score_vote": initiatives,
                "review": f"page 1 of {pages(wall.LEGEND_A_PAGE)}"}
    for phase, paging in expected.items():
        ws.set_phase(db, seeded.code, seeded.key, phase)
        at = open_view("big_screen", code=seeded.code)
        assert paging in shown(at), phase
        assert len(json.dumps(pager_pages(at))) < 300_000  # one element, sent when the room changes
    ws.set_spotlight(db, seeded.code, seeded.key, get_dashboard(db, seeded.code).initiatives[-1].id)
    at.run()
    assert 'data-testid="hp-wall-spotlight"' in html_of(at) and len(json.dumps(plotly_specs(at))) < 400_000


def test_an_unchanged_workshop_costs_one_cheap_query_per_refresh(open_view, db):
    """AppTest reruns the whole page: the code check plus the live fragment's tick, one revision read each."""
    from sqlalchemy import event

    import ui

    room = make_room(db)
    dm.add_demand(db, room.tokens[0], "Warn me early")
    at = open_view("big_screen", code=room.code)
    statements: list[str] = []
    engine = ui.db().engine
    import threading

    def listener(*args) -> None:  # (conn, cursor, statement, ...), the page's own: the live hub reads on its thread
        if threading.current_thread().name != "hyperplan-live":
            statements.append(args[2])
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
    assert "Changed the room" in shown(at)
