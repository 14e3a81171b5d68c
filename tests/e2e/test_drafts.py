"""The add-demand and propose-initiative forms in a browser: a refusal says why (a refused proposal's
draft comes back), a success empties the form, and a second press adds nothing twice."""

from __future__ import annotations

import pytest

from planning.db import Database
from planning.demands import list_shown_demands
from planning.initiatives import list_shown_initiatives
from planning.workshops import create_workshop, set_phase
from tests.e2e.test_live_room import WAIT, join

try:
    from playwright.sync_api import Browser, expect
except ImportError:
    pass

pytestmark = pytest.mark.e2e


def _room(browser: Browser, server: str, tmp_path, phase: str):
    db = Database(f"sqlite:///{tmp_path / 'e2e.db'}")
    db.migrate()  # the server migrates on its first page; this test writes before that
    created = create_workshop(db, title="Drafts", company="Northwind", segment="shippers")
    set_phase(db, created.workshop.code, created.facilitator_key, phase)
    page = browser.new_context().new_page()
    join(page, server, created.workshop.code, "Wanda")
    return db, created.workshop.code, page


def test_a_refused_demand_says_why_and_a_demand_is_added_once(browser: Browser, server: str, tmp_path):
    db, code, page = _room(browser, server, tmp_path, "inner_customer")
    box = page.get_by_test_id("stTextArea").locator("textarea")
    add = page.get_by_role("button", name="Add demand")
    error = page.get_by_test_id("stAlertContentError")
    box.fill("Tell me early\u202e when it is late")  # a pasted direction override
    add.click()
    expect(error).to_contain_text("A demand contains", timeout=WAIT)
    page.wait_for_timeout(3_000)  # longer than any old timed refresh: the reason stays, and so does the draft
    expect(error).to_contain_text("A demand contains")
    expect(box).to_have_value("Tell me early\u202e when it is late")
    box.fill("Tell me early when it is late")
    add.click()
    expect(page.get_by_test_id("stAlertContentSuccess")).to_contain_text("Demand added.", timeout=WAIT)
    expect(box).to_have_value("")
    add.click()  # the same press again: the form is empty, so nothing is added twice
    expect(error).to_contain_text("A demand cannot be empty", timeout=WAIT)
    assert [d.text for d in list_shown_demands(db, code)] == ["Tell me early when it is late"]
    db.dispose()


def test_a_refused_draft_comes_back_and_a_proposal_is_made_once(browser: Browser, server: str, tmp_path):
    db, code, page = _room(browser, server, tmp_path, "value_exchange")
    proposal = page
    title = proposal.get_by_label("Short title")
    company = proposal.get_by_label("What comes back to the company")
    propose = page.get_by_role("button", name="Propose initiative")
    error = page.get_by_test_id("stAlertContentError")

    one_form = proposal.get_by_label("Short title")
    title.fill("Loyalty tier")
    company.fill("Customers who stay")
    propose.click()
    expect(error).to_contain_text("Pick the demands it answers, or say it answers no recorded demand", timeout=WAIT)
    expect(one_form).to_have_count(1, timeout=WAIT)
    expect(title).to_have_value("Loyalty tier")  # the draft stays next to the reason
    expect(company).to_have_value("Customers who stay")

    proposal.get_by_test_id("stCheckbox").get_by_text("It answers no recorded demand").click()
    propose.click()
    expect(page.get_by_test_id("stAlertContentSuccess")).to_contain_text("Initiative proposed.", timeout=WAIT)
    expect(one_form).to_have_count(1, timeout=WAIT)
    expect(title).to_have_value("")
    expect(page.get_by_text("Loyalty tier")).to_be_visible(timeout=WAIT)

    propose.click()  # the same press again: the form is empty, so nothing is proposed twice
    expect(error).to_contain_text("The title cannot be empty", timeout=WAIT)
    assert [(v.title, v.company_value) for v in list_shown_initiatives(db, code)] == [
        ("Loyalty tier", "Customers who stay")]
    db.dispose()


@pytest.fixture
def impatient_server(request: pytest.FixtureRequest, tmp_path, monkeypatch):
    """The app with a 300 ms busy timeout, so a held database exhausts the retries within a second or two."""
    from tests.e2e.conftest import SERVER_LOG, app_server

    monkeypatch.setenv("HYPERPLAN_BUSY_TIMEOUT_MS", "300")
    log = tmp_path / "streamlit.log"
    request.node.stash[SERVER_LOG] = log
    with app_server(f"sqlite:///{tmp_path / 'e2e.db'}", log) as base:
        yield base


def test_a_database_held_past_the_retries_says_nothing_was_saved_and_keeps_the_draft(
        browser: Browser, impatient_server: str, tmp_path):
    import sqlite3

    db, code, page = _room(browser, impatient_server, tmp_path, "inner_customer")
    box = page.get_by_test_id("stTextArea").locator("textarea")
    box.fill("Call me before the truck leaves")
    holder = sqlite3.connect(tmp_path / "e2e.db", isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another process holds the write lock through every retry
    try:
        page.get_by_role("button", name="Add demand").click()
        expect(page.get_by_test_id("stAlertContentError")).to_contain_text("nothing was saved", timeout=WAIT)
        expect(box).to_have_value("Call me before the truck leaves")
    finally:
        holder.rollback()
        holder.close()
    assert list_shown_demands(db, code) == []
    page.get_by_role("button", name="Add demand").click()  # the lock is gone: the same draft lands, once
    expect(page.get_by_test_id("stAlertContentSuccess")).to_contain_text("Demand added.", timeout=WAIT)
    expect(box).to_have_value("")
    assert [d.text for d in list_shown_demands(db, code)] == ["Call me before the truck leaves"]
    db.dispose()
