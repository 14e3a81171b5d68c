"""A participant's connection drops mid-typing: the draft survives, and the submit goes through once."""

from __future__ import annotations

import re

import pytest

from planning.db import Database
from planning.demands import list_shown_demands
from planning.workshops import create_workshop, set_phase
from tests.e2e.test_live_room import WAIT, join

try:
    from playwright.sync_api import Browser, expect
except ImportError:
    pass

pytestmark = pytest.mark.e2e
DRAFT = "Typed while the venue Wi-Fi dropped out"


def test_going_offline_mid_typing_keeps_the_draft_and_submits_once(browser: Browser, server: str, tmp_path):
    db = Database(f"sqlite:///{tmp_path / 'e2e.db'}")
    db.migrate()  # the server migrates on its first page; this test writes before that
    created = create_workshop(db, title="Offline", company="Northwind", segment="shippers")
    code = created.workshop.code
    set_phase(db, code, created.facilitator_key, "inner_customer")
    context = browser.new_context()
    page = context.new_page()
    join(page, server, code, "Wanda")
    box = page.get_by_test_id("stTextArea").locator("textarea")
    box.fill(DRAFT[:20])
    context.set_offline(True)
    box.press_sequentially(DRAFT[20:])
    context.set_offline(False)
    expect(box).to_have_value(DRAFT, timeout=WAIT)
    page.get_by_test_id("stFormSubmitButton").locator("button").click()
    expect(page.get_by_test_id("stAlertContentSuccess")).to_contain_text("Demand added.", timeout=WAIT)
    expect(page.get_by_text(DRAFT)).to_be_visible(timeout=WAIT)
    assert [d.text for d in list_shown_demands(db, code)] == [DRAFT]
    assert re.search(r"/participant\?p=", page.url)
    db.dispose()
