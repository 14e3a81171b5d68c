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
    box.fill("Tell me early\x07 when it is late")  # a pasted control character
    add.click()
    expect(error).to_contain_text("A demand contains control characters", timeout=WAIT)
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
    proposal = page.get_by_test_id("stForm").first  # the others edit one's own initiatives
    title = proposal.get_by_label("Short title")
    company = proposal.get_by_label("What comes back to the company")
    propose = page.get_by_role("button", name="Propose initiative")
    error = page.get_by_test_id("stAlertContentError")

    one_form = proposal.get_by_label("Short title")  # while a run draws, the old widgets linger a moment
    title.fill("Loyalty tier")
    company.fill("Customers who stay")
    propose.click()
    expect(error).to_contain_text("Pick the demands it answers, or say it answers no recorded demand", timeout=WAIT)
    expect(one_form).to_have_count(1, timeout=WAIT)
    expect(title).to_have_value("Loyalty tier")  # the browser emptied the form; the draft was put back
    expect(company).to_have_value("Customers who stay")

    proposal.get_by_test_id("stCheckbox").get_by_text("It answers no recorded demand").click()
    propose.click()
    expect(page.get_by_test_id("stAlertContentSuccess")).to_contain_text("Initiative proposed.", timeout=WAIT)
    expect(one_form).to_have_count(1, timeout=WAIT)
    expect(title).to_have_value("")
    expect(page.locator(".hp-card", has_text="Loyalty tier")).to_be_visible()

    propose.click()  # the same press again: the form is empty, so nothing is proposed twice
    expect(error).to_contain_text("The title cannot be empty", timeout=WAIT)
    assert [(v.title, v.company_value) for v in list_shown_initiatives(db, code)] == [
        ("Loyalty tier", "Customers who stay")]
    db.dispose()
