"""The HTML summary opens offline in a real browser: the matrix is drawn and no request leaves the machine."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from planning.db import Database
from planning.export import export_workshop
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
