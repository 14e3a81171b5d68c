"""The HTML summary opens offline in a real browser: the matrix is drawn and no request leaves the machine."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pypdfium2
import pytest

from planning.access import workshop_by_code
from planning.analytics import dashboard_of
from planning.db import Database
from planning.export import export_workshop
from planning.matrix import matrix_numbers
from tests.e2e.test_matrix import boxes, hit, settled
from tests.services.test_export import full_room

pytestmark = pytest.mark.e2e
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def test_html_summary_draws_the_matrix_offline(browser, sqlite_url, tmp_path):
    db = Database(sqlite_url)
    room = full_room(db)
    path = tmp_path / "summary.html"
    path.write_bytes(export_workshop(db, room.code, room.key, "html", datetime(2026, 11, 23, tzinfo=UTC)).data)
    db.dispose()
    outside: list[str] = []
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(("file:", "data:"))
                  else (outside.append(route.request.url), route.abort()))
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(path.as_uri())
    points = page.locator("#value-exchange-matrix .scatterlayer .trace:not(:last-child) .point")  # not the numbers
    points.first.wait_for(state="attached", timeout=15_000)
    assert points.count() == 2  # two initiatives rated; the merged one counts under its target
    assert page.get_by_text("<b>Live</b> tracking").first.is_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "summary.png"), full_page=True)
    context.close()
    assert outside == [] and errors == []


def _summary(db, tmp_path) -> tuple[Path, list[tuple[int, str]]]:
    room = full_room(db)
    path = tmp_path / "summary.html"
    path.write_bytes(export_workshop(db, room.code, room.key, "html", datetime(2026, 11, 23, tzinfo=UTC)).data)
    with db.read() as s:
        numbers = matrix_numbers(dashboard_of(s, workshop_by_code(s, room.code)))
    return path, numbers


def test_html_summary_reads_on_a_phone_without_sideways_scrolling(browser, sqlite_url, tmp_path):
    db = Database(sqlite_url)
    path, numbers = _summary(db, tmp_path)
    db.dispose()
    page = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2).new_page()
    page.goto(path.as_uri())
    page.locator("#value-exchange-matrix .scatterlayer .point").first.wait_for(state="attached", timeout=15_000)
    settled(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    legend = [(int(li.locator(".n").inner_text()), li.locator("span").nth(1).inner_text())
              for li in page.locator("ol.legend li").all()]
    assert legend == numbers
    labels = page.locator("#value-exchange-matrix .scatterlayer .trace:last-child .textpoint text").all_text_contents()
    assert sorted(n for t in labels for n in t.replace(",", " ").split()) == sorted(str(n) for n, _ in numbers)
    quadrants = boxes(page, "#value-exchange-matrix .annotation")
    others = [b for part in (".scatterlayer .point", ".xtick text", ".ytick text", ".g-xtitle text")
              for b in boxes(page, f"#value-exchange-matrix {part}")]
    assert len(quadrants) == 4 and not [(q, o) for q in quadrants for o in others + quadrants if q != o and hit(q, o)]
    cells = page.locator("td[data-label='Votes']").first.evaluate("e => getComputedStyle(e, '::before').content")
    assert cells == '"Votes: "'  # each table row is a card with its cells labelled


def test_html_summary_prints_on_a4_without_clipping(browser, sqlite_url, tmp_path):
    db = Database(sqlite_url)
    path, numbers = _summary(db, tmp_path)
    db.dispose()
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    page.goto(path.as_uri())
    page.locator("#value-exchange-matrix .scatterlayer .point").first.wait_for(state="attached", timeout=15_000)
    settled(page)
    page.emulate_media(media="print")
    printed = pypdfium2.PdfDocument(page.pdf(format="A4"))
    a4_width = printed[0].get_width()
    text = "".join(p.get_textpage().get_text_range() for p in printed)
    for n, title in numbers:
        assert f"{n} {title}" in text  # the legend
    assert "Win–win (0)" in text and "Self-serving (2)" in text and "10" in text
    for p in printed:  # every character inside the paper
        textpage = p.get_textpage()
        assert all(0 <= textpage.get_charbox(i)[2] <= a4_width for i in range(textpage.count_chars()))
