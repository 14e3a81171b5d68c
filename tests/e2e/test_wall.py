"""The wall at 1920x1080 in a real browser, through a workshop: the lobby with who joined, Inner customer paging
through more demands than fit, Score & vote with the room's progress, Review with every dot numbered and the
legend beside the matrix, then one initiative revealed alone. Measured from computed styles: body text >= 28 px,
nothing a room reads under 24 px, the prompt and headings larger than any count, nothing past the screen's
edges, no exception box and no traceback in the server's log. Screenshots go to test-artifacts/wall-*.png."""

from __future__ import annotations  # the annotations name Playwright types, which may be missing

from pathlib import Path

import pytest

from planning import demands as dm
from planning import ratings
from planning import workshops as ws
from planning.analytics import get_dashboard
from planning.db import Database
from planning.matrix import matrix_numbers
from planning.participants import join_workshop
from planning.selfcheck import open_selfcheck, rate_area
from tests.e2e.test_live_room import WAIT
from tests.e2e.test_matrix import boxes, hit, inside
from tests.factories import make_initiative

try:
    from playwright.sync_api import Browser, Page, expect
except ImportError:
    pass

pytestmark = pytest.mark.e2e

SHOTS = Path(__file__).resolve().parents[2] / "test-artifacts"
NAMES = ["Ada Lovelace", "<b>Eve</b> :red[x]", "Kwame", "李小龙", "Priya"]
LONG = ("When a truck is late, call me before my customer calls me: I need to know by 7am so I can re-plan the "
        "loading dock and tell my own customers what to expect; an email at noon is useless.")
# Every visible text under the main area (shadow roots too): its size, and whether it is body text, a count, a
# heading or the prompt (the classes ui/wall.py gives them), with the box of the element holding it.
TEXTS = """() => {
  const out = [];
  const kind = (el) => el.closest('.hp-wmeta') ? 'meta' : el.closest('.hp-count') ? 'count'
    : el.closest('.hp-w-h') ? 'heading' : el.closest('.hp-prompt') ? 'prompt' : el.closest('.hp-w') ? 'body'
    : el.closest('svg') ? 'chart' : 'other';
  const walk = (root) => {
    const nodes = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let n = nodes.nextNode(); n; n = nodes.nextNode()) {
      const el = n.parentElement, text = n.textContent.trim();
      if (!text || !el || el.closest('style')) continue;
      const box = el.getBoundingClientRect(), style = getComputedStyle(el);
      if (!box.width || !box.height || style.visibility === 'hidden' || style.opacity === '0') continue;
      out.push({text: text.slice(0, 60), size: parseFloat(style.fontSize), kind: kind(el),
                right: box.right, bottom: box.bottom});
    }
    for (const el of root.querySelectorAll('*')) if (el.shadowRoot) walk(el.shadowRoot);
  };
  walk(document.querySelector('[data-testid="stMain"]'));
  return out;
}"""


def _room(tmp_path: Path):
    db = Database(f"sqlite:///{tmp_path / 'e2e.db'}")
    db.migrate()  # the server migrates on its first page; this test writes before that
    created = ws.create_workshop(db, title="Freight 2027", company="Northwind Logistics",
                                 segment="a mid-size manufacturer shipping 40 pallets a week")
    tokens = [join_workshop(db, created.workshop.code, name).token for name in NAMES]
    return db, created.workshop.code, created.facilitator_key, tokens


def measure(page: Page, shot: str) -> list[dict]:
    """The screen's texts, checked against the wall's rules; a screenshot of the whole screen."""
    page.screenshot(path=SHOTS / f"wall-{shot}.png")
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.evaluate("[document.documentElement.scrollWidth, document.documentElement.scrollHeight]") == [
        1920, 1080], shot  # nothing sideways, nothing below the fold
    texts = page.evaluate(TEXTS)
    small = [t for t in texts if t["size"] < (28 if t["kind"] == "body" else 24)]
    assert not small, (shot, small)
    assert not [t for t in texts if t["right"] > 1920 or t["bottom"] > 1080], shot
    counts = [t["size"] for t in texts if t["kind"] == "count"]
    for kind in ("prompt", "heading"):
        assert all(t["size"] > max(counts, default=0) for t in texts if t["kind"] == kind), (shot, kind)
    return texts


def _lobby_then_paged_demands(page: Page, db, code: str, key: str, tokens: list[str]) -> None:
    expect(page.locator(".hp-names li")).to_have_count(len(NAMES), timeout=WAIT)
    assert page.locator(".hp-names li").all_text_contents() == NAMES[::-1]  # newest first, as typed
    measure(page, "1-lobby")
    ws.set_phase(db, code, key, "inner_customer")
    ws.start_timer(db, code, key, 5)
    for n in range(22):
        dm.add_demand(db, tokens[n % len(tokens)], f"{n + 1}: {LONG if n % 3 == 0 else 'Invoice me once a month'}")
    where = page.get_by_test_id("hp-wall-page")
    expect(where).to_have_text("22 in all · page 1 of 3", timeout=WAIT)
    expect(page.get_by_role("timer")).to_be_visible()
    measure(page, "2-inner-customer")
    expect(where).to_have_text("22 in all · page 2 of 3", timeout=12_000)  # turned by itself
    measure(page, "2-inner-customer-page-2")


def _scoring(page: Page, db, code: str, key: str, tokens: list[str]) -> list[int]:
    ws.set_phase(db, code, key, "value_exchange", keep_timer=True)
    shown = [d.id for d in dm.list_shown_demands(db, code)]
    titles = ["Live tracking of every pallet", 'Say "yes" & it\'s <b>done</b>', "One number to call",
              "Monthly invoice", "Dock slots you can book", "Temperature log per pallet", "Late-truck alert at 7am"]
    items = [make_initiative(db, tokens[n % 4], title, demand_ids=shown[n:n + 2]).id for n, title in enumerate(titles)]
    ws.set_phase(db, code, key, "score_vote", keep_timer=True)
    for token in tokens[:3]:
        for n, item in enumerate(items):
            ratings.rate_initiative(db, token, item, "customer", (n * 3 + len(token)) % 11)
            ratings.rate_initiative(db, token, item, "company", (n * 5 + 2) % 11)
    expect(page.get_by_test_id("hp-wall-progress")).to_have_text(
        "3 of 5 have rated all 7 initiatives", timeout=WAIT)
    expect(page.get_by_role("timer")).to_be_visible()  # kept across both phase changes
    measure(page, "3-score-vote")
    return items


def _review(page: Page, db, code: str, key: str) -> None:
    ws.set_phase(db, code, key, "review")
    numbers = matrix_numbers(get_dashboard(db, code))
    labels = page.locator(".scatterlayer .textpoint text")
    expect(labels.first).to_be_attached(timeout=WAIT)
    shown = sorted(int(n) for t in labels.all_text_contents() for n in t.replace(",", " ").split())
    assert shown == [n for n, _ in numbers]  # every dot numbered
    legend = zip(page.locator(".hp-legend li b").all_text_contents(),
                 page.locator(".hp-legend li span").all_text_contents(), strict=True)
    assert list(legend) == [(str(n), t) for n, t in numbers]  # beside the matrix, titles as typed
    svg = page.locator(".main-svg").first.bounding_box()
    quadrants = boxes(page, ".annotation")
    others = (boxes(page, ".scatterlayer .trace:not(:last-child) .point") + boxes(page, ".xtick text")
              + boxes(page, ".ytick text") + boxes(page, ".g-xtitle text") + boxes(page, ".g-ytitle text")
              + boxes(page, ".scatterlayer .textpoint text"))
    assert len(quadrants) == 4 and all(inside(q, svg) for q in quadrants)
    expect(page.get_by_role("timer")).to_have_count(0)  # the facilitator did not keep it this time
    assert not [(q, o) for n, q in enumerate(quadrants) for o in quadrants[n + 1:] + others if hit(q, o)]
    measure(page, "4-review")


def _reveal(page: Page, db, code: str, key: str, items: list[int]) -> None:
    dash = get_dashboard(db, code)
    number, title = next((n, i.title) for n, i in enumerate(dash.initiatives, 1) if i.id == items[1])
    ws.set_spotlight(db, code, key, items[1])
    panel = page.get_by_test_id("hp-wall-spotlight")
    expect(panel.locator(".hp-w-h")).to_have_text(f"{number} · {title}", timeout=WAIT)
    expect(panel.locator(".hp-stats tr")).to_have_count(3)
    assert page.locator(".hp-legend").count() == 0
    measure(page, "5-review-reveal")
    ws.set_spotlight(db, code, key, None)
    expect(page.locator(".hp-legend li")).to_have_count(len(matrix_numbers(dash)), timeout=WAIT)


def _selfcheck(page: Page, db, code: str, key: str, tokens: list[str]) -> None:
    open_selfcheck(db, code, key)
    for n, token in enumerate(tokens[:3]):
        for area, level in zip(("relationships", "strategy", "marketing"), ("risk", "prompt", "great"), strict=True):
            rate_area(db, token, area, level if n else "improve")
    ws.show_selfcheck_on_wall(db, code, key, True)
    expect(page.get_by_test_id("hp-wall-selfcheck")).to_contain_text("Weakest:", timeout=WAIT)
    expect(page.locator(".hp-prompt")).to_have_count(0)
    expect(page.locator(".scatterlayer .trace")).to_have_count(0)  # the matrix made way
    measure(page, "6-selfcheck")


def test_the_wall_reads_from_the_back_of_the_room_through_a_workshop(browser: Browser, server: str, tmp_path: Path):
    db, code, key, tokens = _room(tmp_path)
    SHOTS.mkdir(exist_ok=True)
    errors: list[str] = []
    page = browser.new_context(viewport={"width": 1920, "height": 1080}).new_page()
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{server}/big_screen?code={code}")
    _lobby_then_paged_demands(page, db, code, key, tokens)
    items = _scoring(page, db, code, key, tokens)
    _review(page, db, code, key)
    _reveal(page, db, code, key, items)
    _selfcheck(page, db, code, key, tokens)
    assert not errors
    assert "Traceback" not in (tmp_path / "streamlit.log").read_text(errors="replace")
    db.dispose()
