"""The follow-up session in a real browser: a workshop moved to Plan, its follow-up started from the console, the
carried plan reviewed (done, late with a new due date, dropped with a reason) while a phone in the new room watches,
the self-check run again and its shift since the last session on the console, and the follow-up's plan downloaded
as Microsoft Project XML with its dates and links intact."""

from __future__ import annotations  # the annotations name Playwright types, which may be missing

import re
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from planning import workshops as ws
from planning.db import Database
from planning.plan.actions import list_actions
from tests.e2e.conftest import SERVER_LOG
from tests.e2e.test_live_room import WAIT, join, press_until
from tests.factories import make_finished_room

try:
    from playwright.sync_api import Browser, Page, expect
except ImportError:  # the browser fixture reports what is missing
    pass

pytestmark = pytest.mark.e2e
CONSOLE, PHONE = {"width": 1400, "height": 1000}, {"width": 390, "height": 844}
NS = {"p": "http://schemas.microsoft.com/project"}
REASON = "Invoices move to the new ERP"


def _finished(tmp_path: Path):
    """A workshop lived to Plan (demands, chosen initiatives, a plan with a dependency, a self-check run), then
    taken back to Review: the browser moves it to Plan."""
    db = Database(f"sqlite:///{tmp_path / 'e2e.db'}")
    db.migrate()  # the server migrates on its first page; this test writes before that
    room = make_finished_room(db)
    ws.set_phase(db, room.code, room.key, "review")
    return db, room


def _start_followup(console: Page) -> tuple[str, str]:
    """Move the room to Plan, then start its follow-up: the new code and its private facilitator link."""
    console.get_by_role("button", name="Plan", exact=True).click()
    expect(console.get_by_test_id("hp-console-status")).to_contain_text("Plan", timeout=WAIT)
    console.get_by_text("Start a follow-up session").click()
    console.get_by_label("Title of the follow-up").fill("Freight 2027, the autumn review")
    console.get_by_role("button", name="Start the follow-up").click()
    started = console.get_by_text(re.compile(r"Follow-up session started: code [A-Z0-9]{8}\."))
    expect(started).to_be_visible(timeout=WAIT)
    code = re.search(r"code ([A-Z0-9]{8})", started.inner_text()).group(1)
    expect(console.get_by_text("Participants do not carry over").first).to_be_visible()
    link = console.get_by_test_id("stCode").filter(has_text=f"code={code}").inner_text().strip()
    expect(console.get_by_test_id("hp-chain")).to_contain_text(f"Followed by {code}")
    return code, link


def _card_button(page: Page, label: str, action: str):
    """A button inside the review's card component, named "<label>: <action>" for a screen reader."""
    return page.get_by_role("button", name=f"{label}: {action}")


def _review(console: Page) -> None:
    """Design done; Build late, moved to 31 May 2027; Go-live dropped with a reason."""
    console.get_by_role("tab", name="Plan").click()
    _card_button(console, "Done", "Design the page").click()
    expect(console.get_by_text("1 done · 2 not reviewed yet")).to_be_visible(timeout=WAIT)
    due = console.get_by_label("year, New due date")
    press_until(console, _card_button(console, "Late…", "Build it").click, due)
    due.click()  # a segmented date field: typed digits advance
    console.keyboard.type("20270531")
    console.get_by_role("button", name="Record").click()
    expect(console.get_by_text("1 done · 1 late · 1 not reviewed yet")).to_be_visible(timeout=WAIT)
    reason = console.get_by_label("Reason (needed)")
    press_until(console, _card_button(console, "Dropped…", "Go-live").click, reason)
    reason.fill(REASON)
    console.get_by_role("button", name="Record").click()
    expect(console.get_by_text("1 done · 1 late · 1 dropped")).to_be_visible(timeout=WAIT)


def _selfcheck(console: Page, phone: Page) -> None:
    """The self-check again, one answer from the new room: strategy moves from 1.0 (then) to 2.0."""
    console.get_by_role("button", name="Open the self-check").click()
    phone.get_by_role("tab", name="Self-check").click()
    phone.get_by_role("radiogroup", name="Strategy").get_by_text("Could stand some improvement").click()
    expect(console.get_by_text(re.compile(r"Since the last session: run 1 \(last session, .+\) → run 2 "
                                          r"\(this session, open\)"))).to_be_visible(timeout=WAIT)


def test_a_workshop_its_follow_up_the_review_the_shift_and_the_project_file(
        browser: Browser, server: str, tmp_path: Path, request: pytest.FixtureRequest) -> None:
    began = time.monotonic()
    db, room = _finished(tmp_path)
    first = browser.new_context(viewport=CONSOLE).new_page()
    first.goto(f"{server}/facilitator?code={room.code}&key={room.key}")
    code, link = _start_followup(first)

    console = browser.new_context(viewport=CONSOLE).new_page()
    console.goto(link)
    expect(console.get_by_test_id("hp-chain")).to_contain_text(f"Follows {room.code} (", timeout=WAIT)
    phone = browser.new_context(viewport=PHONE).new_page()
    join(phone, server, code, "Ana")  # a new room: the same people join again
    expect(phone.get_by_text("The plan from the last session")).to_be_visible(timeout=WAIT)

    _review(console)
    expect(phone.get_by_text(f"Dropped: {REASON}")).to_be_visible(timeout=WAIT)  # live on the phone
    _selfcheck(console, phone)
    grid = console.get_by_test_id("stDataFrame").filter(has_text="Shift")
    expect(grid).to_contain_text("+1.0", timeout=WAIT)  # strategy: 1.0 then, 2.0 now

    with console.expect_download() as download:
        console.get_by_role("button", name="Microsoft Project (XML)").click()
    root = ET.parse(download.value.path()).getroot()
    tasks = {t.findtext("p:Name", namespaces=NS): t for t in root.iterfind("p:Tasks/p:Task", NS)}
    design, build = tasks["Design the page"], tasks["Build it"]
    assert (design.findtext("p:Start", namespaces=NS), design.findtext("p:Finish", namespaces=NS)) == (
        "2027-03-01T08:00:00", "2027-03-10T17:00:00")
    assert (build.findtext("p:Start", namespaces=NS), build.findtext("p:Finish", namespaces=NS)) == (
        "2027-03-11T08:00:00", "2027-05-31T17:00:00")  # the new due date the room gave it
    assert [x.findtext("p:PredecessorUID", namespaces=NS) for x in build.iterfind("p:PredecessorLink", NS)] == [
        design.findtext("p:UID", namespaces=NS)]
    assert design.findtext("p:PercentComplete", namespaces=NS) == "100"
    live = tasks["Go-live"]  # dropped: still in the file for the record, inactive
    assert (live.findtext("p:Milestone", namespaces=NS), live.findtext("p:Active", namespaces=NS)) == ("1", "0")
    assert {a.what: a.review for a in list_actions(db, code)} == {"Design the page": "done", "Build it": "late",
                                                                   "Go-live": "dropped"}

    for page in (first, console, phone):
        expect(page.get_by_test_id("stException")).to_have_count(0)
    log = request.node.stash[SERVER_LOG].read_text(errors="replace")
    assert "Traceback" not in log, log[-3000:]
    db.dispose()
    assert time.monotonic() - began < 60
