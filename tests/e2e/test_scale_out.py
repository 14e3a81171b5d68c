"""Two app servers on two ports sharing one PostgreSQL database: each sees the other's contributions live."""

from __future__ import annotations

import re

import pytest

from planning.db import Database
from planning.workshops import create_workshop, set_phase
from tests.e2e.conftest import app_server
from tests.e2e.test_live_room import WAIT, add_demand, join

try:
    from playwright.sync_api import Browser, expect
except ImportError:
    pass

pytestmark = [pytest.mark.e2e, pytest.mark.postgresql]


def test_a_participant_on_one_server_reaches_the_big_screen_on_another(browser: Browser, postgres_url, tmp_path):
    db = Database(postgres_url)
    created = create_workshop(db, title="Scale-out", company="Northwind", segment="shippers")
    code = created.workshop.code
    set_phase(db, code, created.facilitator_key, "inner_customer")
    db.dispose()
    with app_server(postgres_url, tmp_path / "a.log") as a, app_server(postgres_url, tmp_path / "b.log") as b:
        assert a != b
        wall = browser.new_context().new_page()
        wall.goto(f"{b}/big_screen?code={code}")
        expect(wall.get_by_test_id("hp-join-code")).to_have_text(code, timeout=WAIT)
        phone = browser.new_context().new_page()
        join(phone, a, code, "Grace")
        add_demand(phone, "Sent through server A, shown by server B")
        expect(wall.get_by_text("Sent through server A, shown by server B")).to_be_visible(timeout=10_000)
        expect(wall.get_by_text(re.compile(r"\d+ in the room"))).to_contain_text("1 in the room")
