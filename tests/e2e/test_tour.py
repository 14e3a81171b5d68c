"""The tour: one scripted workshop through every phase, as a room sees it. The facilitator's console and the wall
at 1920x1080, two participants on phones at 390x844, all live in one real browser against `streamlit run server.py`.

On every screen in every phase it saves a screenshot under docs/tour/ (the README shows some of them) and
checks what a person at the back of the room, or holding the phone, would notice: no exception box, nothing wider
than a phone's screen, every button a thumb can hit (44x44 px), the wall's text readable from the back (nothing
under 24 px), every dot of the matrix numbered, and axe-core's accessibility rules with no critical or serious
violation. The server's log must hold no traceback.
"""

from __future__ import annotations  # the annotations name Playwright types, which may be missing

import re
from pathlib import Path

import pytest

from planning import demands as dm
from planning import initiatives as im
from planning import ratings
from planning import workshops as ws
from planning.analytics import get_dashboard
from planning.db import Database
from planning.matrix import matrix_numbers
from planning.plan.actions import add_action
from planning.plan.process import add_step
from planning.selfcheck import open_selfcheck, rate_area
from tests.e2e.conftest import IDLE, SERVER_LOG
from tests.e2e.test_live_room import WAIT, join
from tests.e2e.test_wall import TEXTS
from tests.factories import make_initiative

try:
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import Browser, Page, expect
except ImportError:  # the browser fixture reports what is missing
    pass

pytestmark = pytest.mark.e2e

TOUR = Path(__file__).resolve().parents[2] / "docs" / "tour"
WALL, PHONE = {"width": 1920, "height": 1080}, {"width": 390, "height": 844}
# Buttons anywhere on the page, shadow roots included, that a person can press: their size.
BUTTONS = """() => {
  const out = [];
  const walk = (root) => {
    const selects = '[data-testid="stSelectbox"], [data-testid="stMultiSelect"]';
    const pressable = 'button, [role="button"], a[data-testid^="stBaseLinkButton"], label[data-baseweb="radio"],'
      + ' label[data-baseweb="checkbox"], [data-testid="stSelectbox"] [role="group"],'
      + ' [data-testid="stMultiSelect"] [role="group"]';
    for (const el of root.querySelectorAll(pressable)) {
      const box = el.getBoundingClientRect(), style = getComputedStyle(el);
      if (!box.width || !box.height || style.visibility === 'hidden' || el.closest('[data-testid="stToolbar"]')
          || el.closest('[data-testid="stHeader"]') || el.closest('.modebar')
          || (el.closest(selects) && !el.matches('[role="group"]'))) continue;  // the whole select is the target
      out.push({name: (el.getAttribute('aria-label') || el.textContent || '').trim().slice(0, 40),
                width: box.width, height: box.height});
    }
    for (const el of root.querySelectorAll('*')) if (el.shadowRoot) walk(el.shadowRoot);
  };
  walk(document.querySelector('[data-testid="stMain"]'));
  return out;
}"""
# How wide the page can be scrolled: a table or chart wider than the phone must scroll inside its own box.
WIDEST = """() => Math.max(document.documentElement.scrollWidth, document.body.scrollWidth,
  ...[...document.querySelectorAll('[data-testid="stMain"], [data-testid="stMainBlockContainer"]')]
    .map((el) => el.scrollWidth))"""
SERIOUS = {"critical", "serious"}


def settle(page: Page) -> None:
    """Until Streamlit has drawn what it was drawing (no "Running" spinner, no stale elements)."""
    expect(page.get_by_test_id("stStatusWidget")).to_have_count(0, timeout=WAIT)
    page.wait_for_timeout(300)


PROBLEMS: list[str] = []  # everything the tour noticed, reported together at the end


def look(page: Page, name: str, *, phone: bool = False, wall: bool = False) -> None:
    """What a person would notice on this screen now, and a screenshot of it."""
    settle(page)
    if page.get_by_test_id("stException").count() or "Traceback" in page.inner_text("body"):
        PROBLEMS.append(f"{name}: an exception box")
    if phone and page.evaluate(WIDEST) > PHONE["width"] + 1:
        PROBLEMS.append(f"{name}: wider than the phone ({page.evaluate(WIDEST)} px)")
    small = [b for b in page.evaluate(BUTTONS) if b["width"] < 44 - 0.5 or b["height"] < 44 - 0.5] if phone else []
    if small:
        PROBLEMS.append(f"{name}: buttons under 44x44 px: {small}")
    tiny = [t for t in page.evaluate(TEXTS) if t["size"] < 24 - 0.01] if wall else []
    if tiny:
        PROBLEMS.append(f"{name}: text under 24 px on the wall: {tiny[:5]}")
    for v in Axe().run(page).response["violations"]:
        if v["impact"] in SERIOUS:
            PROBLEMS.append(f"{name}: axe {v['id']} ({v['impact']}): {[n['target'] for n in v['nodes'][:3]]} "
                            f"{v['nodes'][0].get('failureSummary', '')[:200]}")
    height = page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
    size = page.viewport_size
    if phone and height > size["height"]:  # the whole phone page, as its owner scrolls it
        page.set_viewport_size({"width": size["width"], "height": min(height, 6000)})
        settle(page)
    page.screenshot(path=TOUR / f"{name}.png")
    page.set_viewport_size(size)


def screens(browser: Browser, server: str, code: str, key: str):
    console = browser.new_context(viewport=WALL).new_page()
    console.goto(f"{server}/facilitator?code={code}&key={key}")
    wall = browser.new_context(viewport=WALL).new_page()
    wall.goto(f"{server}/big_screen?code={code}")
    expect(wall.get_by_test_id("hp-join-code")).to_have_text(code, timeout=WAIT)
    phones = []
    for name in ("Ana", "Ben"):
        phone = browser.new_context(viewport=PHONE).new_page()
        join(phone, server, code, name)
        phones.append(phone)
    return console, wall, phones


def phase(console: Page, label: str, everyone: list[Page], shown: str) -> None:
    """The facilitator moves the room on; every screen follows by itself."""
    console.get_by_role("button", name=label, exact=True).click()
    for page in everyone:
        expect(page.get_by_text(shown).first).to_be_visible(timeout=WAIT)


def tour_all(console: Page, wall: Page, phones: list[Page], step: str) -> None:
    look(console, f"{step}-console")
    look(wall, f"{step}-wall", wall=True)
    for n, phone in enumerate(phones, start=1):
        look(phone, f"{step}-phone{n}", phone=True)


def test_the_tour_through_every_phase(browser: Browser, server: str, tmp_path: Path,
                                      request: pytest.FixtureRequest) -> None:
    TOUR.mkdir(parents=True, exist_ok=True)
    db = Database(f"sqlite:///{tmp_path / 'e2e.db'}")
    db.migrate()
    created = ws.create_workshop(db, title="Freight 2027 planning day", company="Northwind Logistics",
                                 segment="a mid-size manufacturer shipping 40 pallets a week")
    code, key = created.workshop.code, created.facilitator_key
    console, wall, (ana, ben) = screens(browser, server, code, key)
    everyone = [console, wall, ana, ben]
    tour_all(console, wall, [ana, ben], "1-lobby")

    phase(console, "Inner customer", [wall, ana, ben], "Inner customer")
    ws.start_timer(db, code, key, 10)
    ana.get_by_label("Your demand, as the customer").fill("Tell me the moment a pallet is late, and why")
    ana.get_by_role("button", name="Add demand").click()
    expect(ana.get_by_text("Demand added.")).to_be_visible(timeout=WAIT)
    ben.get_by_label("Your demand, as the customer").fill("We should upsell our premium tracking to them")
    ben.get_by_role("button", name="Add demand").click()
    expect(ben.get_by_text("Upselling is the company's goal")).to_be_visible(timeout=WAIT)
    expect(ben.get_by_role("button", name="Use this wording")).to_have_count(0)  # no fake customer voice
    tokens = [ana.url.split("p=")[1], ben.url.split("p=")[1]]
    dm.add_demand(db, tokens[1], "One invoice a month, with every delivery on it <b>please</b>")
    expect(ana.get_by_text("One invoice a month").first).to_be_visible(timeout=WAIT)
    ana.get_by_role("button", name=re.compile(r"^\+1 · 0 mine: One invoice")).click()
    expect(ana.get_by_role("button", name=re.compile(r"^\+1 · 1 mine: One invoice"))).to_be_visible(timeout=WAIT)
    expect(wall.get_by_text("One invoice a month").first).to_be_visible(timeout=WAIT)
    tour_all(console, wall, [ana, ben], "2-inner-customer")

    phase(console, "Value exchange", [wall, ana, ben], "Value exchange")
    ana.get_by_label("Short title").fill("Live pallet tracking")
    ana.get_by_label("What the customer gets (new value, in their terms)").fill("I see where my pallets are")
    ana.get_by_label("What comes back to the company").fill("Fewer 'where is it' calls")
    ana.get_by_role("button", name=re.compile(r"^It answers this: Tell me the moment")).click()
    ana.get_by_role("button", name="Propose initiative").click()
    expect(ana.get_by_text("Initiative proposed.")).to_be_visible(timeout=WAIT)
    make_initiative(db, tokens[1], "Monthly invoice", customer_value="One document to check",
                    company_value="Fewer disputes")
    expect(wall.get_by_text("Monthly invoice").first).to_be_visible(timeout=WAIT)
    tour_all(console, wall, [ana, ben], "3-value-exchange")

    phase(console, "Score & vote", [wall, ana, ben], "Score & vote")
    for button in range(4):
        # Once the last press's run and the redraws it set off have ended. Twice in five clean-clone runs one press made
        # every "Keep 5" vanish: most likely the sliders drawn at 0 and rated by that press (README, now fixed).
        ana.wait_for_function(IDLE, timeout=WAIT)
        ana.get_by_role("button", name="Keep 5").first.click()
        expect(ana.get_by_role("button", name="Keep 5")).to_have_count(3 - button, timeout=WAIT)
    expect(ana.get_by_text("Done — you have rated all 2 initiatives")).to_be_visible(timeout=WAIT)
    for item in im.list_shown_initiatives(db, code):
        ratings.rate_initiative(db, tokens[1], item.id, "customer", 8)
        ratings.rate_initiative(db, tokens[1], item.id, "company", 3)
    expect(console.get_by_text(re.compile(r"2 of 2 have rated all 2 initiatives"))).to_be_visible(timeout=WAIT)
    tour_all(console, wall, [ana, ben], "4-score-and-vote")

    phase(console, "Review", [wall, ana, ben], "Review")
    numbers = {n for n, _ in matrix_numbers(get_dashboard(db, code))}
    assert numbers == {1, 2}
    tour_all(console, wall, [ana, ben], "5-review")
    console.get_by_role("button", name="Start the reveal").click()
    expect(wall.get_by_test_id("hp-wall-spotlight")).to_be_visible(timeout=WAIT)
    look(wall, "5-review-reveal-wall", wall=True)
    console.get_by_role("button", name="Show all").click()
    open_selfcheck(db, code, key)
    expect(ana.get_by_role("tab", name="Self-check")).to_be_visible(timeout=WAIT)
    ana.get_by_role("tab", name="Self-check").click()
    ana.get_by_text("Needs prompt attention").first.click()
    for token, level in zip(tokens, ("risk", "great"), strict=True):
        rate_area(db, token, "strategy", level)
    console.get_by_text("Show the self-check results on the wall").click()
    expect(wall.get_by_text(re.compile("self-check", re.IGNORECASE)).first).to_be_visible(timeout=WAIT)
    look(ana, "5-review-selfcheck-phone1", phone=True)
    look(wall, "5-review-selfcheck-wall", wall=True)
    console.get_by_text("Show the self-check results on the wall").click()

    chosen = im.list_shown_initiatives(db, code)[0]
    im.choose_initiative(db, code, key, chosen.id)
    phase(console, "Plan", [wall, ana, ben], "Plan")
    add_action(db, code, key, chosen.id, "Pilot live tracking with two shippers", "Dagny", "2027-03-31")
    add_step(db, code, key, chosen.id, "Dispatch", "Books the truck", "Pallet list", "adds")
    add_step(db, code, key, chosen.id, "Sales", "Re-keys the booking", "", "none")
    for page in (wall, ana, ben):  # the plan reaches every screen by itself
        expect(page.get_by_text(re.compile("Pilot live tracking")).filter(visible=True).first).to_be_visible(
            timeout=WAIT)
    tour_all(console, wall, [ana, ben], "6-plan")

    phase(console, "Closed", [wall, ana, ben], "Closed")
    console.get_by_role("button", name="Lock the workshop (read-only for everyone)").click()
    expect(ana.get_by_text("locked the workshop")).to_be_visible(timeout=WAIT)
    tour_all(console, wall, [ana, ben], "7-closed")

    log = request.node.stash[SERVER_LOG].read_text(errors="replace")
    assert "Traceback" not in log and "Error" not in log, log[-3000:]
    assert not PROBLEMS, "\n".join(PROBLEMS)
    for page in everyone:
        page.context.close()
    db.dispose()
