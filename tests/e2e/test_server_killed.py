"""The server is killed (SIGKILL) in the middle of a burst of writes and restarted on the same database:
every acknowledged demand is there exactly once, nothing is stored twice, and each participant's rejoin
link brings them back as themselves, able to keep adding demands."""

from __future__ import annotations

import os
import signal
import subprocess
from collections import Counter
from pathlib import Path

import pytest
from sqlmodel import select

from planning.db import Database
from planning.demands import list_shown_demands
from planning.models import Demand, Participant, Workshop
from planning.workshops import create_workshop, set_phase
from tests.e2e.conftest import SERVER_LOG, free_port, start_app, stop, wait_healthy
from tests.e2e.test_live_room import WAIT, add_demand, join

try:
    from playwright.sync_api import Browser, expect
except ImportError:
    pass

pytestmark = pytest.mark.e2e
NAMES = ("Ada Quill", "Boris Vell", "Chen Yarrow")
ACKNOWLEDGED_BEFORE_KILL = 6


def start_server(database_url: str, port: int, log: Path) -> subprocess.Popen:
    """conftest's server, but the Popen is ours to SIGKILL; both runs append to one log, shown on a failure."""
    return start_app(database_url, port, log, mode="ab")


def stored(db: Database, code: str) -> tuple[list[str], list[str]]:
    """The workshop's participant names and the text of every demand row it holds."""
    with db.read() as s:
        w = s.exec(select(Workshop).where(Workshop.join_code == code)).one()
        names = s.exec(select(Participant.name).where(Participant.workshop_id == w.id)).all()
        texts = s.exec(select(Demand.text).where(Demand.workshop_id == w.id)).all()
    return sorted(names), list(texts)


def test_acknowledged_demands_survive_a_sigkill_once_and_rejoin_links_still_work(
    browser: Browser, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'killed.db'}"
    db = Database(url)
    db.migrate()
    created = create_workshop(db, title="Killed", company="Northwind", segment="shippers")
    code = created.workshop.code
    set_phase(db, code, created.facilitator_key, "inner_customer")

    log = tmp_path / "streamlit.log"
    request.node.stash[SERVER_LOG] = log
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    servers: list[subprocess.Popen] = []
    try:
        servers.append(proc := start_server(url, port, log))
        wait_healthy(base, proc, log)
        pages, links = {}, {}
        for name in NAMES:
            page = browser.new_context().new_page()
            join(page, base, code, name)
            pages[name], links[name] = page, page.url

        acknowledged: list[tuple[str, str]] = []
        for i in range(ACKNOWLEDGED_BEFORE_KILL):
            name = NAMES[i % len(NAMES)]
            add_demand(pages[name], text := f"{name} demand {i:02d}")
            acknowledged.append((name, text))
        in_flight = [f"{name} demand in flight" for name in NAMES[:2]]
        for name, text in zip(NAMES, in_flight, strict=False):  # two press submit at once...
            pages[name].get_by_test_id("stTextArea").locator("textarea").fill(text)
            pages[name].get_by_test_id("stFormSubmitButton").locator("button").click()
        os.kill(proc.pid, signal.SIGKILL)  # ...and the server dies as those writes arrive: some done, some not
        proc.wait(10)
        assert proc.returncode == -signal.SIGKILL

        servers.append(proc := start_server(url, port, log))
        wait_healthy(base, proc, log)
        for name in NAMES:
            page = pages[name]
            page.goto(links[name])
            expect(page.get_by_text(f"You take part as {name}", exact=True)).to_be_visible(timeout=WAIT)
            for _author, text in (a for a in acknowledged if a[0] == name):
                expect(page.get_by_text(text)).to_be_visible(timeout=WAIT)
        names, texts = stored(db, code)
        assert names == sorted(NAMES), "a rejoin link made a new participant instead of bringing one back"

        shown = Counter(d.text for d in list_shown_demands(db, code))
        for _name, text in acknowledged:
            assert shown[text] == 1, f"acknowledged {text!r} is shown {shown[text]} times after the restart"
        assert all(shown[text] <= 1 for text in in_flight), f"a demand in flight at the kill twice: {shown}"
        assert not [t for t, n in Counter(texts).items() if n > 1], f"a demand stored twice: {texts}"

        for i, name in enumerate(NAMES, start=ACKNOWLEDGED_BEFORE_KILL + 1):
            add_demand(pages[name], text := f"{name} demand {i:02d}")
            expect(pages[name].get_by_text(text)).to_be_visible(timeout=WAIT)
        _names, texts = stored(db, code)
        survived = sum(texts.count(text) for text in in_flight)
        assert len(texts) == len(set(texts)) == ACKNOWLEDGED_BEFORE_KILL + len(NAMES) + survived
    finally:
        for server in servers:
            stop(server)
        db.dispose()
