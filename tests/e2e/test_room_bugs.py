"""Browser tests for the bugs a real session found (issue 11) that the tour does not already walk through: a
console switch clicked while the room changes, a cold server opened straight into Review by several screens at
once, a duplicate name that differs only in case, a ghost who joined and left, the console's clock, and a locked
workshop's self-check."""

from __future__ import annotations  # the annotations name Playwright types, which may be missing

import re
from pathlib import Path

import pytest

from planning import demands as dm
from planning import ratings
from planning import workshops as ws
from planning.db import Database
from planning.initiatives import list_shown_initiatives
from planning.participants import NAME_TAKEN, join_workshop
from planning.selfcheck import open_selfcheck
from tests.e2e.conftest import SERVER_LOG
from tests.e2e.test_live_room import WAIT, join
from tests.factories import make_initiative

try:
    from playwright.sync_api import Browser, Page, expect
except ImportError:  # the browser fixture reports what is missing
    pass

pytestmark = pytest.mark.e2e
WALL, PHONE = {"width": 1920, "height": 1080}, {"width": 390, "height": 844}


def _workshop(tmp_path: Path, phase: str = "lobby"):
    db = Database(f"sqlite:///{tmp_path / 'e2e.db'}")
    db.migrate()  # the server migrates on its first page; these tests write before that
    created = ws.create_workshop(db, title="Freight 2027", company="Northwind", segment="shippers")
    code, key = created.workshop.code, created.facilitator_key
    if phase != "lobby":
        ws.set_phase(db, code, key, phase)
    return db, code, key


def _phone(browser: Browser, server: str, code: str, name: str) -> tuple[Page, str]:
    page = browser.new_context(viewport=PHONE).new_page()
    join(page, server, code, name)
    return page, page.url.split("p=")[1]


def _eventually(check, page: Page, seconds: float = WAIT / 1000) -> None:
    """Wait, as a person would, for the server to have done what the screen shows."""
    for _ in range(int(seconds * 10)):
        if check():
            return
        page.wait_for_timeout(100)
    assert check()


def _no_traceback(request: pytest.FixtureRequest, *pages: Page) -> None:
    for page in pages:
        expect(page.get_by_test_id("stException")).to_have_count(0)
    log = request.node.stash[SERVER_LOG].read_text(errors="replace")
    assert "Traceback" not in log, log[-3000:]


def test_a_console_switch_takes_on_the_first_click_while_the_room_keeps_changing(
        browser: Browser, server: str, tmp_path: Path, request: pytest.FixtureRequest) -> None:
    db, code, key = _workshop(tmp_path, "inner_customer")
    phone, token = _phone(browser, server, code, "Priya")
    dm.add_demand(db, token, "Tell me the moment a pallet is late")
    console = browser.new_context(viewport=WALL).new_page()
    console.goto(f"{server}/facilitator?code={code}&key={key}")
    status = console.get_by_test_id("hp-console-status")
    expect(status).to_contain_text("1 in the room", timeout=WAIT)
    switch = console.get_by_role("switch", name=re.compile("^Anonymous"))
    for n, wanted in enumerate((True, False, True), start=2):
        dm.add_demand(db, token, f"Demand number {n}, added as the facilitator reaches for the switch")
        # the room has just moved: the click lands on a console about to redraw
        console.locator("label", has=switch).click()
        expect(status).to_contain_text(f"{n} demands", timeout=WAIT)
        expect(switch).to_be_checked(checked=wanted)  # the browser flips it at once; the server must store it
        _eventually(lambda: ws.get_workshop(db, code).anonymous is wanted, console)  # noqa: B023
        console.wait_for_timeout(1_500)  # later live redraws keep it so
        expect(switch).to_be_checked(checked=wanted)
    wall = browser.new_context(viewport=WALL).new_page()
    wall.goto(f"{server}/big_screen?code={code}")
    expect(wall.get_by_text("Demand number 4").first).to_be_visible(timeout=WAIT)
    expect(wall.get_by_text("Priya")).to_have_count(0)  # anonymous: no author on the wall
    _no_traceback(request, console, wall, phone)


def test_a_cold_server_opened_straight_into_review_by_every_screen_at_once_draws_no_traceback(
        browser: Browser, server: str, tmp_path: Path, request: pytest.FixtureRequest) -> None:
    """The first sessions of a new server race to import pandas and Plotly for the matrix; none may fail."""
    db, code, key = _workshop(tmp_path, "value_exchange")
    tokens = [join_workshop(db, code, name).token for name in ("Ana", "Ben")]
    for n, token in enumerate(tokens):
        make_initiative(db, token, f"Initiative {n}", customer_value="Sooner news", company_value="Fewer calls")
    ws.set_phase(db, code, key, "score_vote")
    for item in list_shown_initiatives(db, code):
        for token in tokens:
            ratings.rate_initiative(db, token, item.id, "customer", 7)
            ratings.rate_initiative(db, token, item.id, "company", 4)
    ws.set_phase(db, code, key, "review")
    addresses = {f"/big_screen?code={code}": "Review", f"/facilitator?code={code}&key={key}": "Review",
                 f"/dashboard?code={code}": "Ranking", f"/participant?p={tokens[0]}": "Review",
                 f"/participant?p={tokens[1]}": "Review", f"/big_screen?code={code}&again": "Review"}
    pages = [browser.new_context(viewport=WALL).new_page() for _ in addresses]
    for page, address in zip(pages, addresses, strict=True):
        page.goto(server + address, wait_until="commit")  # all sessions start before any has drawn
    for page, shown in zip(pages, addresses.values(), strict=True):
        expect(page.get_by_test_id("stMainBlockContainer")).to_contain_text(shown, timeout=WAIT)
    expect(pages[0].locator(".scatterlayer .point").first).to_be_attached(timeout=WAIT)
    _no_traceback(request, *pages)


def test_a_name_differing_only_in_case_is_refused_and_a_ghost_does_not_count(
        browser: Browser, server: str, tmp_path: Path, request: pytest.FixtureRequest) -> None:
    db, code, key = _workshop(tmp_path, "value_exchange")
    ana, ana_token = _phone(browser, server, code, "Priya")
    twin = browser.new_context(viewport=PHONE).new_page()
    twin.goto(f"{server}/join?code={code}")
    twin.get_by_label("Your name, as the room will see it").fill("priya")
    twin.get_by_test_id("stFormSubmitButton").locator("button").click()
    expect(twin.get_by_text(NAME_TAKEN)).to_be_visible(timeout=WAIT)
    expect(twin).to_have_url(re.compile(r"/join\?"))
    _phone(browser, server, code, "Ghost")[0].context.close()  # joins, then closes the tab without a word
    ben, ben_token = _phone(browser, server, code, "Ben")
    make_initiative(db, ana_token, "Live pallet tracking", customer_value="Sooner news", company_value="Fewer calls")
    ws.set_phase(db, code, key, "score_vote")
    console = browser.new_context(viewport=WALL).new_page()
    console.goto(f"{server}/facilitator?code={code}&key={key}")
    expect(console.get_by_test_id("hp-console-status")).to_contain_text("3 in the room", timeout=WAIT)
    shown = list_shown_initiatives(db, code)[0]
    ratings.rate_initiative(db, ben_token, shown.id, "customer", 7)
    ratings.rate_initiative(db, ben_token, shown.id, "company", 4)
    # Ana proposed, Ben rated: two took part; the ghost and the refused twin count nowhere.
    expect(console.get_by_text("1 of 2 have rated all 1 initiatives")).to_be_visible(timeout=WAIT)
    console.get_by_role("tab", name="People").click()
    expect(console.get_by_text("3 joined · 2 took part")).to_be_visible(timeout=WAIT)
    _no_traceback(request, ana, ben, twin, console)


def test_the_console_clock_counts_down_by_itself_and_a_locked_self_check_cannot_be_clicked(
        browser: Browser, server: str, tmp_path: Path, request: pytest.FixtureRequest) -> None:
    db, code, key = _workshop(tmp_path, "inner_customer")
    phone, _ = _phone(browser, server, code, "Ana")
    console = browser.new_context(viewport=WALL).new_page()
    console.goto(f"{server}/facilitator?code={code}&key={key}")
    expect(console.get_by_test_id("hp-console-status")).to_contain_text("Inner customer", timeout=WAIT)
    ws.start_timer(db, code, key, 5)  # from elsewhere (another tab of the facilitator's)
    clock = console.get_by_role("timer", name="Time left")
    expect(clock).to_have_text(re.compile(r"0?4:5\d"), timeout=WAIT)
    first = clock.inner_text()
    console.wait_for_timeout(2_500)  # nobody touches the console
    assert clock.inner_text() != first and clock.inner_text() < first

    open_selfcheck(db, code, key)
    phone.get_by_role("tab", name="Self-check").click()
    risk = phone.get_by_role("radio", name="Putting us at risk with customers").first
    expect(risk).to_be_enabled(timeout=WAIT)
    ws.lock_workshop(db, code, key)
    expect(phone.get_by_text("locked the workshop")).to_be_visible(timeout=WAIT)
    expect(risk).to_be_disabled(timeout=WAIT)
    risk.click(force=True)  # a press on a locked radio chooses nothing
    phone.wait_for_timeout(1_000)
    expect(risk).not_to_be_checked()
    _no_traceback(request, console, phone)


def test_a_phone_opening_the_home_page_sees_join_first(browser: Browser, server: str,
                                                       request: pytest.FixtureRequest) -> None:
    phone = browser.new_context(viewport=PHONE).new_page()
    phone.goto(server)
    join_heading = phone.get_by_role("heading", name="Join a workshop")
    expect(join_heading).to_be_visible(timeout=WAIT)
    create_heading = phone.get_by_role("heading", name="Create a workshop")
    assert join_heading.bounding_box()["y"] < create_heading.bounding_box()["y"]
    expect(phone.get_by_role("link", name=re.compile("Join with a code"))).to_be_in_viewport()  # no scrolling
    _no_traceback(request, phone)


def test_a_card_press_the_server_never_got_leaves_the_card_usable(
        browser: Browser, server: str, tmp_path: Path, request: pytest.FixtureRequest) -> None:
    """A card's buttons go grey on a press until the card is drawn again; a press that never reached a run (under
    load, one landing on a redraw under way) must not leave them grey for good."""
    db, code, key = _workshop(tmp_path, "inner_customer")
    context = browser.new_context(viewport=PHONE)
    dropping = []  # while true, what the page sends to the server is lost

    def route(socket) -> None:
        upstream = socket.connect_to_server()
        socket.on_message(lambda message: None if dropping else upstream.send(message))
        upstream.on_message(socket.send)

    context.route_web_socket(re.compile(r"/_stcore/stream"), route)
    phone = context.new_page()
    join(phone, server, code, "Priya")
    token = phone.url.split("p=")[1]
    dm.add_demand(db, token, "Tell me the moment a shipment is late")
    vote = phone.get_by_role("button", name=re.compile(r"^\+1 · 0 mine: Tell me the moment"))
    expect(vote).to_be_enabled(timeout=WAIT)
    dropping.append(True)
    vote.click()
    expect(vote).to_be_disabled()
    expect(vote).to_be_enabled(timeout=8_000)  # back after 4 s: the press never arrived
    assert dm.list_shown_demands(db, code)[0].votes == 0
    dropping.clear()
    vote.click()  # pressed again, it counts once
    expect(phone.get_by_role("button", name=re.compile(r"^\+1 · 1 mine: Tell me"))).to_be_visible(timeout=WAIT)
    _eventually(lambda: dm.list_shown_demands(db, code)[0].votes == 1, phone)
    _no_traceback(request, phone)


def test_a_slider_the_browser_drew_without_its_set_value_rates_nothing_by_itself(
        browser: Browser, server: str, tmp_path: Path, request: pytest.FixtureRequest) -> None:
    """The load harness at 50 (bench/load.py) found a phone that pressed one "Keep 5" and stored 0 on all four
    axes it showed. A run had put 5 into the sliders' state and was stopped by a live rerun before it drew them;
    the next run drew them without that value, so the browser showed their default, 0, and sent it with the next
    press: each slider's on_change then rated 0. Here the page's sliders reach the browser without their set
    value, as after such a stopped run."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    db, code, key = _workshop(tmp_path, "value_exchange")
    item = make_initiative(db, join_workshop(db, code, "Author").token, "Live tracking")
    ws.set_phase(db, code, key, "score_vote")
    context = browser.new_context(viewport=PHONE)

    def unset(message: bytes | str) -> bytes | str:
        msg = ForwardMsg.FromString(message) if isinstance(message, bytes) else None
        if msg is None or msg.WhichOneof("type") != "delta" or msg.delta.WhichOneof("type") != "new_element":
            return message
        element = msg.delta.new_element
        if element.WhichOneof("type") != "slider" or not element.slider.set_value:
            return message
        element.slider.set_value = False
        del element.slider.value[:]
        return msg.SerializeToString()

    def route(socket) -> None:
        upstream = socket.connect_to_server()
        socket.on_message(upstream.send)
        upstream.on_message(lambda message: socket.send(unset(message)))

    context.route_web_socket(re.compile(r"/_stcore/stream"), route)
    phone = context.new_page()
    join(phone, server, code, "Priya")
    sliders = phone.get_by_role("slider")
    expect(sliders).to_have_count(2, timeout=WAIT)
    for slider in sliders.all():  # what was stored, or 5 while nothing is: never the scale's 0
        expect(slider).to_have_value("5")
    phone.get_by_role("button", name="Keep 5").first.click()
    expect(phone.get_by_role("button", name="Keep 5")).to_have_count(1, timeout=WAIT)
    token = phone.url.split("p=")[1]
    _eventually(lambda: ratings.get_my_ratings(db, token).scores == {(item.id, "customer"): 5}, phone)
    phone.wait_for_timeout(1_000)  # nothing else arrives later
    assert ratings.get_my_ratings(db, token).scores == {(item.id, "customer"): 5}
    _no_traceback(request, phone)
