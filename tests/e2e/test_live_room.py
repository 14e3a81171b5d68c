"""A live room in a real browser: a facilitator creates a workshop, a participant joins and adds a
demand, and the big screen shows it literally, without a reload."""

from __future__ import annotations  # the annotations name Playwright types, which may be missing

import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from planning.access import digest
from tests.e2e.conftest import IDLE, SERVER_LOG

try:
    from playwright.sync_api import Browser, BrowserContext, Page, expect
except ImportError:  # the `browser` fixture skips (or fails on CI) before any test body runs
    pass

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOT = ROOT / "test-artifacts" / "big_screen.png"
VIEWPORT = {"width": 1400, "height": 900}
NAME = "Ada Lovelace"
SECOND = "Give me one number to call, and a person who answers it"
HOSTILE = "Tell me early when it is late <b>now</b> :red[x]"
WAIT = 15_000  # ms; first renders include cold imports

# Known harmless noise (STREAMLIT-NOTES §4), matched on the failing resource's address: a deep link probes
# <page>/_stcore/health and host-config to find its base path (404), and :material/ icons ask
# fonts.gstatic.com for SVGs (unreachable offline; the bundled font still draws them).
NOISE = re.compile(r"^https?://[^/]+/\w+/_stcore/(health|host-config)$|^https://fonts\.gstatic\.com/")


def watch(page: Page, errors: list[str]) -> Page:
    """Collect the page's uncaught exceptions and console errors, minus the known noise."""
    def on_console(msg) -> None:
        source = (msg.location or {}).get("url", "")
        if msg.type == "error" and not NOISE.search(source):
            errors.append(f"console on {page.url}: {msg.text} ({source})")

    page.on("pageerror", lambda exc: errors.append(f"pageerror on {page.url}: {exc}"))
    page.on("console", on_console)
    return page


def new_page(context: BrowserContext, errors: list[str]) -> Page:
    return watch(context.new_page(), errors)


def create_workshop(page: Page, base: str) -> str:
    """Fill the home page's Create form; return the join code, read from the console's address."""
    page.goto(base + "/")
    form = page.get_by_test_id("stForm")
    expect(form.get_by_test_id("stFormSubmitButton")).to_be_visible(timeout=WAIT)
    form.get_by_label("Workshop title").fill("Freight 2027 planning day")
    form.get_by_label("Company", exact=True).fill("Northwind Logistics")
    form.get_by_label("Customer segment the room will role-play").fill(
        "a mid-size manufacturer shipping 40 pallets a week"
    )
    form.get_by_test_id("stFormSubmitButton").locator("button").click()
    expect(page.get_by_test_id("stAlertContentWarning").filter(has_text="Keep this private link")).to_be_visible(
        timeout=WAIT)
    expect(page).to_have_url(re.compile(r"/facilitator\?code=\w+&key="))
    return parse_qs(urlsplit(page.url).query)["code"][0]


def join(page: Page, base: str, code: str, name: str) -> None:
    page.goto(f"{base}/join?code={code}")
    expect(page.get_by_label("Workshop code")).to_have_value(code, timeout=WAIT)
    page.get_by_label("Your name, as the room will see it").fill(name)
    page.get_by_test_id("stFormSubmitButton").locator("button").click()
    expect(page).to_have_url(re.compile(r"/participant\?p="), timeout=WAIT)
    expect(page.get_by_text(name)).to_be_visible()


def press_until(page: Page, press, shown, undo=lambda: None) -> None:
    """`press()` once the page's last run and the redraws it set off have ended, and again (after `undo()`) if
    `shown` did not appear, as a person would: under load a press landing on a live redraw was sometimes lost (a
    review card's Late… and Dropped…, an Enter in the plan editor's search; README)."""
    for attempt in range(2):
        page.wait_for_function(IDLE, timeout=WAIT)
        press()
        try:
            expect(shown).to_be_visible(timeout=WAIT // 2)
            return
        except AssertionError:
            if attempt:
                raise
            undo()


def add_demand(page: Page, text: str) -> None:
    page.get_by_test_id("stTextArea").locator("textarea").fill(text)
    page.get_by_test_id("stFormSubmitButton").locator("button").click()
    expect(page.get_by_test_id("stAlertContentSuccess")).to_contain_text("Demand added.", timeout=WAIT)
    expect(page.get_by_test_id("stTextArea").locator("textarea")).to_have_value("")


def test_a_demand_reaches_the_big_screen_literally_and_survives_a_reload(
    browser: Browser, server: str, request: pytest.FixtureRequest
) -> None:
    errors: list[str] = []
    facilitator = browser.new_context(viewport=VIEWPORT)
    console = new_page(facilitator, errors)
    code = create_workshop(console, server)
    assert re.fullmatch(r"[A-Z2-9]{8}", code), code

    console.get_by_role("button", name="Inner customer").click()
    status = console.get_by_test_id("hp-console-status")
    expect(status).to_contain_text("Inner customer", timeout=WAIT)
    big = new_page(facilitator, errors)
    big.goto(f"{server}/big_screen?code={code}")
    expect(big.get_by_test_id("hp-join-code")).to_have_text(code, timeout=WAIT)
    room_line = big.get_by_text(re.compile(r"\d+ in the room"))
    expect(room_line).to_contain_text("0 in the room")

    participant = new_page(browser.new_context(), errors)
    join(participant, server, code, NAME)
    add_demand(participant, HOSTILE)

    # The big screen's own timer brings the demand in: no reload, and the markup stays text.
    expect(big.get_by_text(HOSTILE)).to_be_visible(timeout=10_000)
    expect(room_line).to_contain_text("1 in the room")
    expect(status).to_contain_text("1 in the room", timeout=5_000)  # the console is live like the wall
    expect(big.locator("b", has_text="now")).to_have_count(0)
    expect(console.get_by_text(HOSTILE)).to_be_visible(timeout=10_000)  # the console's moderation list too
    expect(console.locator("b", has_text="now")).to_have_count(0)

    participant.reload()
    expect(participant.get_by_text(NAME)).to_be_visible(timeout=WAIT)
    expect(participant.get_by_text(HOSTILE)).to_be_visible(timeout=WAIT)
    expect(participant).to_have_url(re.compile(r"/participant\?p="))
    add_demand(participant, SECOND)  # the reloaded session can still act
    expect(big.get_by_text(SECOND)).to_be_visible(timeout=10_000)
    expect(big.get_by_text(f"{server.split('//')[1]}/join").first).to_be_visible()

    SCREENSHOT.parent.mkdir(exist_ok=True)
    expect(big.get_by_role("img", name=re.compile("QR code"))).to_be_visible()
    big.screenshot(path=SCREENSHOT)
    assert not errors, "\n".join(errors)

    # The facilitator key (and its hash) never reach a participant's page, the wall or the server's log.
    key = parse_qs(urlsplit(console.url).query)["key"][0]
    for secret in (key, digest(key)):
        assert secret not in big.content() and secret not in participant.content()
        assert secret not in request.node.stash[SERVER_LOG].read_text(errors="replace")
