"""The plan in a real browser: the facilitator adds an action and makes it wait for another, downloads the
Microsoft Project file and finds the link in it; the Gantt fits a 1920x1080 wall and a 390x844 phone."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from planning.db import Database
from planning.initiatives import choose_initiative
from planning.participants import join_workshop
from planning.plan.actions import add_action, list_actions
from planning.plan.process import add_step
from planning.workshops import create_workshop, set_phase
from tests.e2e.test_live_room import WAIT, press_until
from tests.factories import make_initiative

try:
    from playwright.sync_api import Browser, Page, expect
except ImportError:
    pass

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "test-artifacts"
NS = {"p": "http://schemas.microsoft.com/project"}
OVERFLOW = "document.documentElement.scrollWidth - document.documentElement.clientWidth"


def _room(tmp_path: Path):
    db = Database(f"sqlite:///{tmp_path / 'e2e.db'}")
    db.migrate()  # the server migrates on its first page; this test writes before that
    created = create_workshop(db, title="Freight 2027", company="Northwind", segment="mid-size shippers")
    code, key = created.workshop.code, created.facilitator_key
    token = join_workshop(db, code, "Wanda").token
    set_phase(db, code, key, "value_exchange")
    item = make_initiative(db, token, "Live tracking of every pallet, from pickup to delivery").id
    other = make_initiative(db, token, "Cold chain").id
    for i in (item, other):
        choose_initiative(db, code, key, i)
    set_phase(db, code, key, "plan")
    add_action(db, code, key, item, "Design the tracking page with three pilot shippers", "Dagny Taggart",
               "2027-03-10", start="2027-03-01")
    add_action(db, code, key, other, "Fit temperature loggers to ten trucks", "Hank", "2027-04-30", duration=10)
    add_action(db, code, key, item, "Go-live", "Dagny Taggart", "2027-04-01", milestone=True)
    for actor, what, info, value in [("Customer", "Books a pickup", "pallet count", "adds"),
                                     ("Sales", "Re-keys the booking", "", "none"),
                                     ("Dispatch", "Plans the route", "address, time window", "enables")]:
        add_step(db, code, key, item, actor, what, info, value)
    return db, code, key, token, item


def _add_build_waiting_for_design(page: Page, item: int) -> None:
    form = page.get_by_test_id("stForm").filter(has=page.get_by_role("button", name="Add action")).first
    form.get_by_label("Action").fill("Build the tracking page")
    form.get_by_label("Owner").fill("Hank")
    form.get_by_label("year, Due").click()  # a segmented date field: year, month and day advance as typed
    page.keyboard.type("20270331")
    form.get_by_role("button", name="Add action").click()
    row = page.get_by_text("Build the tracking page — Hank · due 2027-03-31")
    expect(row).to_be_visible(timeout=WAIT)
    expect(form.get_by_label("Action")).to_have_value("")  # emptied: a second press adds nothing
    # The Edit beside that action: the innermost row holding its text (a redraw under way may still show the rows
    # before it, so a count of Edit buttons can point at another action's).
    page.get_by_test_id("stHorizontalBlock").filter(has=row).last.get_by_role("button", name="Edit").click()
    search = page.get_by_label("Find an action it waits for (type part of its name, owner or initiative)")
    expect(search).to_be_visible(timeout=WAIT)
    # As a person would, type once the Edit's run has ended, and press Enter again if no match shows: on a loaded
    # machine an Enter was sometimes taken into the box but listed nothing (5 of 15 runs under load before and after
    # this round; still once in a clean-clone run after waiting for the run to end). Noted in the README as a race.
    wait_for_it = page.get_by_role("button", name="Wait for it")
    press_until(page, lambda: _search(search, "design"), wait_for_it, undo=lambda: _search(search, ""))
    wait_for_it.click()
    expect(page.get_by_text("waits for: Design the tracking page with three pilot shippers")).to_be_visible(
        timeout=WAIT)


def _search(box, text: str) -> None:
    box.fill(text)
    box.press("Enter")


def _overflow(page: Page) -> int:
    return page.evaluate(OVERFLOW)


def test_a_plan_with_a_dependency_downloads_as_project_xml_and_its_gantt_fits_wall_and_phone(
        browser: Browser, server: str, tmp_path: Path):
    db, code, key, token, item = _room(tmp_path)
    SHOTS.mkdir(exist_ok=True)
    console = browser.new_context(viewport={"width": 1400, "height": 900}).new_page()
    console.goto(f"{server}/facilitator?code={code}&key={key}")
    console.get_by_role("tab", name="Plan").click()
    _add_build_waiting_for_design(console, item)
    [build] = [a for a in list_actions(db, code) if a.what == "Build the tracking page"]
    assert len(build.depends_on) == 1

    with console.expect_download() as download:
        console.get_by_role("button", name="Microsoft Project (XML)").click()
    root = ET.parse(download.value.path()).getroot()
    tasks = {t.findtext("p:Name", namespaces=NS): t for t in root.iterfind("p:Tasks/p:Task", NS)}
    design = tasks["Design the tracking page with three pilot shippers"].findtext("p:UID", namespaces=NS)
    links = [x.findtext("p:PredecessorUID", namespaces=NS) for x in tasks["Build the tracking page"].iterfind(
        "p:PredecessorLink", NS)]
    assert links == [design] and tasks["Go-live"].findtext("p:Milestone", namespaces=NS) == "1"
    assert tasks["Build the tracking page"].findtext("p:Start", namespaces=NS) == "2027-03-11T08:00:00"

    wall = browser.new_context(viewport={"width": 1920, "height": 1080}).new_page()
    wall.goto(f"{server}/big_screen?code={code}")
    chart = wall.get_by_test_id("stPlotlyChart").first
    expect(chart).to_be_visible(timeout=WAIT)
    expect(chart.get_by_text("Build the tracking page — Hank")).to_be_visible(timeout=WAIT)
    chart.scroll_into_view_if_needed()
    chart.screenshot(path=SHOTS / "plan_gantt_wall.png")
    assert _overflow(wall) <= 0

    phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True,
                                device_scale_factor=2).new_page()
    phone.goto(f"{server}/participant?p={token}")
    chart = phone.get_by_test_id("stPlotlyChart").first
    expect(chart.get_by_text("Build the tracking page — Hank")).to_be_visible(timeout=WAIT)
    chart.screenshot(path=SHOTS / "plan_gantt_phone.png")
    lanes = phone.get_by_test_id("stPlotlyChart").nth(1)
    lanes.screenshot(path=SHOTS / "plan_swimlanes_phone.png")
    assert _overflow(phone) <= 0
    box = chart.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    for label in chart.locator("g.annotation").all():  # every label of the chart lies inside it
        edge = label.bounding_box()
        if edge:
            assert box["x"] - 1 <= edge["x"] and edge["x"] + edge["width"] <= box["x"] + box["width"] + 1
    db.dispose()
