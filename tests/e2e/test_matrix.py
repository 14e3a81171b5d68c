"""The value-exchange matrix as a browser draws it: numbers beside every dot, text exactly as typed, and
nothing on top of anything else, on the wall (1920x1080) and on a 390 px phone."""

from __future__ import annotations  # the annotations name Playwright types, which may be missing

from pathlib import Path

import pytest

from planning import analytics as an
from planning.matrix import matrix_numbers, value_exchange_matrix
from tests.services.test_matrix import item

pytestmark = pytest.mark.e2e
QUOTED = 'Say "yes" & it\'s <b>done</b> &amp; 100% > 99'


def room() -> an.Dashboard:
    items = [item(1, "Pursue", {8: 3}, {7: 3}, 9), item(2, QUOTED, {2: 3}, {9: 3}, 4),
             item(3, "Few", {6: 1}, {2: 1}, 1), item(4, "Corner", {10: 3}, {10: 3}, 16),
             item(5, "Twin", {8: 3}, {7: 3}, 2), item(6, "Twin too", {8: 3}, {7: 3}, 0),
             item(7, "Origin", {0: 3}, {0: 3}, 3), item(8, "Edge", {10: 3}, {0: 3}, 0),
             item(9, "Middle", {5: 3}, {5: 3}, 5), item(10, "Middle too", {5: 2, 4: 1}, {5: 3}, 0),
             item(11, "Unrated", {}, {}, 0)]
    items.sort(key=lambda i: (-i.votes, i.id))
    return an.Dashboard(True, an.RoomProgress(3, 3, 3, 4), tuple(items), an.balance_of(items, {}), ())


def boxes(page, selector: str) -> list[dict]:
    return [b for b in (e.bounding_box() for e in page.locator(selector).all()) if b and b["width"] > 0]


def hit(a: dict, b: dict, slack: float = 1) -> bool:
    return (a["x"] + slack < b["x"] + b["width"] and b["x"] + slack < a["x"] + a["width"]
            and a["y"] + slack < b["y"] + b["height"] and b["y"] + slack < a["y"] + a["height"])


def inside(a: dict, frame: dict) -> bool:
    return (frame["x"] <= a["x"] and a["x"] + a["width"] <= frame["x"] + frame["width"]
            and frame["y"] <= a["y"] and a["y"] + a["height"] <= frame["y"] + frame["height"])


STILL = """async () => {
  // Fonts loaded and the chart laid out: the annotations' boxes stop moving between two frames.
  await document.fonts.ready;
  const boxes = () => JSON.stringify([...document.querySelectorAll('.annotation, .textpoint text')]
    .map((e) => { const b = e.getBoundingClientRect(); return [b.x, b.y, b.width, b.height]; }));
  let last = '';
  for (let n = 0; n < 50; n++) {
    await new Promise((done) => requestAnimationFrame(() => setTimeout(done, 50)));
    const now = boxes();
    if (now === last) return;
    last = now;
  }
}"""


def settled(page) -> None:
    """Until Plotly has finished laying the chart out (a loaded machine draws it in several passes)."""
    page.evaluate(STILL)


def draw(browser, tmp_path: Path, width: int, height: int):
    path = tmp_path / "matrix.html"
    path.write_text(value_exchange_matrix(room()).to_html(
        include_plotlyjs=True, config={"responsive": True, "displayModeBar": False}))
    page = browser.new_context(viewport={"width": width, "height": height}).new_page()
    page.goto(path.as_uri())
    page.locator(".scatterlayer .point").first.wait_for(state="attached", timeout=15_000)
    settled(page)
    return page


@pytest.mark.parametrize(("width", "height"), [(1920, 1080), (390, 844)])
def test_every_dot_is_numbered_and_no_label_covers_anything(browser, tmp_path, width, height):
    page = draw(browser, tmp_path, width, height)
    numbers = page.locator(".scatterlayer .textpoint text")
    shown = sorted(n for t in numbers.all_text_contents() for n in t.replace(",", " ").split())
    assert shown == sorted(str(n) for n, _ in matrix_numbers(room()))
    assert min(float(e.evaluate("e => getComputedStyle(e).fontSize")[:-2]) for e in numbers.all()) >= 18
    svg = page.locator(".main-svg").first.bounding_box()
    dots, quadrants = boxes(page, ".scatterlayer .trace:not(:last-child) .point"), boxes(page, ".annotation")
    ticks = boxes(page, ".xtick text") + boxes(page, ".ytick text")
    titles = boxes(page, ".g-xtitle text") + boxes(page, ".g-ytitle text")
    labels = boxes(page, ".scatterlayer .textpoint text")
    assert len(quadrants) == 4 and len(dots) == 10 and len(ticks) == 22 and len(titles) == 2
    for n, q in enumerate(quadrants):
        assert inside(q, svg)
        assert not [o for o in quadrants[n + 1:] + dots + ticks + titles + labels if hit(q, o)]
    for t in ticks + titles + labels:
        assert inside(t, svg)  # the top tick reads "10", not a clipped "0"
    assert not [(t, a) for t in titles for a in ticks if hit(t, a)]
    assert not [(a, b) for n, a in enumerate(labels) for b in labels[n + 1:] + dots if hit(a, b, slack=2)]


def test_a_title_with_quotes_and_markup_reads_as_typed_in_the_hover(browser, tmp_path):
    page = draw(browser, tmp_path, 1920, 1080)
    quoted = page.locator(".scatterlayer .trace").nth(2).locator(".point")  # the only self-serving one
    box = quoted.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    hover = page.locator(".hoverlayer .hovertext text").first
    hover.wait_for(timeout=5_000)
    number = {title: n for n, title in matrix_numbers(room())}[QUOTED]
    assert hover.text_content().startswith(f"{number} · {QUOTED}Value to the customer")
