"""The room under load: `python -m bench.load [participants]` from the repository root.

Starts the real server (`streamlit run server.py` on 127.0.0.1, a fresh SQLite file) and drives it with
Debian's Chromium: a big-screen context watches while every participant, each in its own browser
context, at once joins with the code, adds demands, dot-votes, and then rates initiatives. It reports
contributions acknowledged on the participants' pages against rows stored in the database (they must
be equal), errors participants saw (must be 0), and how long a submitted demand takes to appear on
the big screen (median and 95th percentile). Results go to bench/load_results.json.
"""

import asyncio
import json
import os
import random
import re
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from playwright.async_api import Browser, Page, async_playwright, expect  # noqa: E402
from playwright.async_api import Error as PlaywrightError  # noqa: E402
from sqlalchemy import func  # noqa: E402
from sqlmodel import select  # noqa: E402

from bench.live import cpu_seconds, server  # noqa: E402
from planning.db import Database  # noqa: E402
from planning.initiatives import InitiativeInput, propose_initiative  # noqa: E402
from planning.models import Demand, DemandVote, Participant, Rating, Workshop  # noqa: E402
from planning.participants import join_workshop  # noqa: E402
from planning.workshops import create_workshop, set_phase  # noqa: E402
from tests.e2e.conftest import CHROMIUM_ARGS, chromium_path  # noqa: E402

PARTICIPANTS, DEMANDS, VOTES, INITIATIVES = 20, 3, 2, 2
WAIT = 90_000  # ms: twenty browsers share two cores with the server
TAG = re.compile(r"load-p\d+-d\d+")
# The big screen notes when each tagged demand first shows up, in the browser's own clock (Date.now,
# the same wall clock as the harness's time.time on this machine).
WATCH = """() => {
  window.__seen = {};
  const scan = () => {
    for (const m of document.body.textContent.matchAll(/load-p\\d+-d\\d+/g)) window.__seen[m[0]] ??= Date.now();
  };
  new MutationObserver(scan).observe(document.body, {childList: true, subtree: true, characterData: true});
  scan();
}"""
# Known harmless noise, as in tests/e2e/test_live_room.py.
NOISE = re.compile(r"/_stcore/(health|host-config)$|^https://fonts\.gstatic\.com/")


@dataclass
class Tally:
    submitted: dict[str, float] = field(default_factory=dict)  # demand tag -> time of the click (ms)
    confirmed: dict[str, float] = field(default_factory=dict)  # demand tag -> when its page showed it stored
    demands: int = 0  # acknowledged on the participants' pages
    votes: int = 0
    ratings: int = 0
    joins: int = 0
    errors: list[str] = field(default_factory=list)
    # Per person, to tell a write applied twice from an acknowledgement missed: presses made and acknowledged.
    pressed: dict[str, dict[str, int]] = field(default_factory=dict)  # "Participant 3" -> {"votes": 2, ...}
    acked: dict[str, dict[str, int]] = field(default_factory=dict)

    def press(self, n: int, what: str) -> None:
        person = self.pressed.setdefault(f"Participant {n}", {})
        person[what] = person.get(what, 0) + 1

    def ack(self, n: int, what: str) -> None:
        person = self.acked.setdefault(f"Participant {n}", {})
        person[what] = person.get(what, 0) + 1


def watch(page: Page, tally: Tally, who: str) -> Page:
    def on_console(msg) -> None:
        if msg.type == "error" and not NOISE.search((msg.location or {}).get("url", "")):
            tally.errors.append(f"{who} console: {msg.text}")

    page.on("pageerror", lambda exc: tally.errors.append(f"{who} page error: {exc}"))
    page.on("console", on_console)
    return page


async def confirmed(page: Page, expectation, tally: Tally, who: str) -> bool:
    """Await the page's confirmation; an error in the page or a timeout counts as an error a user saw."""
    try:
        await expectation
    except AssertionError as error:
        tally.errors.append(f"{who}: no confirmation: {str(error).splitlines()[0]}")
        return False
    for alert in ("stException", "stAlertContentError"):
        if await page.get_by_test_id(alert).count():
            tally.errors.append(f"{who}: {alert}: {await page.get_by_test_id(alert).first.inner_text()}")
            return False
    return True


async def contribute(browser: Browser, base: str, code: str, n: int, tally: Tally, doors: asyncio.Event) -> Page:
    """Join, add demands, dot-vote: what one participant does in Inner customer."""
    who = f"p{n:02d}"
    context = await browser.new_context(viewport={"width": 390, "height": 844})  # a phone
    context.set_default_timeout(WAIT)
    page = watch(await context.new_page(), tally, who)
    try:
        await _contribute(page, base, code, n, tally, doors)
    except PlaywrightError as error:  # a timeout or a vanished element: an error they saw; the room goes on
        tally.errors.append(f"{who}: {str(error).splitlines()[0]}")
    return page


async def _contribute(page: Page, base: str, code: str, n: int, tally: Tally, doors: asyncio.Event) -> None:
    who, rng = f"p{n:02d}", random.Random(n)
    await page.goto(f"{base}/join?code={code}")
    await expect(page.get_by_label("Workshop code")).to_have_value(code, timeout=WAIT)
    await doors.wait()  # everyone joins at once
    await page.get_by_label("Your name, as the room will see it").fill(f"Participant {n}")
    await page.get_by_test_id("stFormSubmitButton").locator("button").click()
    if not await confirmed(page, expect(page.get_by_text(f"You take part as Participant {n}")).to_be_visible(
            timeout=WAIT), tally, who):
        return
    tally.joins += 1
    box = page.get_by_test_id("stTextArea").locator("textarea")
    error = page.get_by_test_id("stAlertContentError").or_(page.get_by_test_id("stException"))
    for d in range(DEMANDS):
        tag = f"load-{who}-d{d}"
        await box.fill(f"Tell me the moment my shipment {tag} is late, and what you are doing about it")
        await asyncio.sleep(rng.uniform(0, 1.5))  # people do not all press at the same instant
        tally.submitted[tag] = time.time() * 1000
        tally.press(n, "demands")
        await page.get_by_role("button", name="Add demand").click()
        mine = page.locator(".hp-card", has_text=tag)  # acknowledged: it is in the participant's own list
        if await confirmed(page, expect(mine.or_(error).first).to_be_visible(timeout=WAIT), tally, who):
            tally.confirmed[tag] = time.time() * 1000
            tally.demands += 1
            tally.ack(n, "demands")
        try:
            await expect(box).to_have_value("", timeout=WAIT)
        except AssertionError:
            tally.errors.append(f"{who}: the demand form was not emptied and ready after {tag}")
            await page.reload()  # the rejoin link brings them back; the run goes on
            await expect(box).to_have_value("", timeout=WAIT)
    votes_left = page.get_by_text(re.compile(r"Votes left: \d+ of"))
    for v in range(VOTES):
        # While a rerun is drawing, Streamlit shows the previous run's elements faded next to the new
        # ones: wait for the run to finish (one count left) before reading it.
        await expect(votes_left).to_have_count(1, timeout=WAIT)
        before = await votes_left.inner_text(timeout=WAIT)
        # A dot on the v-th demand of the room's list as the page shows it (eight to a page).
        await page.get_by_role("button", name=re.compile(r"^\+1 · \d+ mine")).nth(v).click()
        tally.press(n, "votes")
        if await confirmed(page, expect(votes_left.filter(has_not_text=before)).to_have_count(1, timeout=WAIT),
                           tally, who):
            tally.votes += 1
            tally.ack(n, "votes")


async def rate(page: Page, n: int, tally: Tally) -> None:
    """Score & vote: the page follows the room there by itself; each "Keep 5" press rates one axis."""
    who = f"p{n:02d}"
    try:
        await expect(page.get_by_text(re.compile(r"\d+ of \d+ rated"))).to_be_visible(timeout=WAIT)
        buttons = page.get_by_role("button", name="Keep 5", exact=True)
        await expect(buttons).to_have_count(2 * INITIATIVES, timeout=WAIT)  # drawn, two axes an initiative
        for _ in range(2 * INITIATIVES):
            left = await buttons.count()
            await buttons.first.click()
            tally.press(n, "ratings")
            if await confirmed(page, expect(buttons).to_have_count(left - 1, timeout=WAIT), tally, who):
                tally.ratings += 1
                tally.ack(n, "ratings")
    except PlaywrightError as error:
        tally.errors.append(f"{who}: {str(error).splitlines()[0]}")
    await page.context.close()


def busy() -> float:
    """CPU seconds the whole machine has spent busy since boot (all cores; /proc/stat)."""
    user, nice, system, _idle, _iowait, irq, softirq, steal = map(int, Path("/proc/stat").read_text().split()[1:9])
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def spread(ms: list[float]) -> dict:
    """Median and 95th percentile (nearest rank) of sorted times."""
    if not ms:
        return {"median ms": None, "p95 ms": None}
    return {"median ms": round(statistics.median(ms)), "p95 ms": round(ms[-(-len(ms) * 95 // 100) - 1])}


def stored(db: Database, code: str) -> dict[str, int]:
    with db.read() as s:
        w = s.exec(select(Workshop.id).where(Workshop.join_code == code)).one()
        count = {name: s.exec(select(what).where(model.workshop_id == w)).one() or 0
                 for name, what, model in [("joins", func.count(Participant.id), Participant),
                                           ("demands", func.count(Demand.id), Demand),
                                           ("votes", func.sum(DemandVote.dots), DemandVote),
                                           ("ratings", func.count(Rating.id), Rating)]}
    count["joins"] -= 1  # the seeded author of the initiatives
    return count


def stored_by_person(db: Database, code: str) -> dict[str, dict[str, int]]:
    """Each participant's demands, dots and ratings as the database holds them."""
    people: dict[str, dict[str, int]] = {}
    with db.read() as s:
        w = s.exec(select(Workshop.id).where(Workshop.join_code == code)).one()
        for what, model, amount in [("demands", Demand, func.count(Demand.id)), ("votes", DemandVote,
                                    func.sum(DemandVote.dots)), ("ratings", Rating, func.count(Rating.id))]:
            rows = s.exec(select(Participant.name, amount).join(model, model.participant_id == Participant.id)
                          .where(Participant.workshop_id == w).group_by(Participant.name)).all()
            for name, n in rows:
                people.setdefault(name, {})[what] = n
    return people


def mismatches(tally: Tally, by_person: dict[str, dict[str, int]]) -> list[str]:
    """Where a person's stored rows differ from their presses or acknowledgements: more stored than pressed is a
    write applied twice; as many stored as pressed but fewer acknowledged is a confirmation the page never showed."""
    out = []
    for name in sorted(set(tally.pressed) | set(by_person), key=lambda n: (len(n), n)):
        for what in ("demands", "votes", "ratings"):
            pressed = tally.pressed.get(name, {}).get(what, 0)
            acked = tally.acked.get(name, {}).get(what, 0)
            kept = by_person.get(name, {}).get(what, 0)
            if not pressed == acked == kept:
                out.append(f"{name}: {what} pressed {pressed}, acknowledged {acked}, stored {kept}")
    return out


async def run(participants: int = PARTICIPANTS, out: Path | None = None) -> dict:
    work = Path(tempfile.mkdtemp(prefix="hyperplan-load-"))
    url = f"sqlite:///{work / 'load.db'}"
    db = Database(url)
    db.migrate()
    created = create_workshop(db, title="Load", company="Northwind", segment="shippers")
    code, key = created.workshop.code, created.facilitator_key
    set_phase(db, code, key, "inner_customer")
    tally = Tally()
    with server("server.py", url, work) as (host, pid, _counts):
        base = f"http://{host}"
        async with async_playwright() as p:
            browser = await p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
            wall = watch(await (await browser.new_context(viewport={"width": 1400, "height": 900})).new_page(),
                         tally, "big screen")
            await wall.goto(f"{base}/big_screen?code={code}")
            await expect(wall.get_by_test_id("hp-join-code")).to_have_text(code, timeout=WAIT)
            await wall.evaluate(WATCH)
            doors = asyncio.Event()
            room = [asyncio.create_task(contribute(browser, base, code, n, tally, doors)) for n in range(participants)]
            await asyncio.sleep(3)  # the join pages load before the doors open
            began, cpu, machine = time.perf_counter(), cpu_seconds(pid), busy()
            doors.set()
            pages = await asyncio.gather(*room)
            await asyncio.sleep(3)  # the big screen's last ticks
            seen = await wall.evaluate("() => window.__seen")
            author = join_workshop(db, code, "Initiative author").token
            set_phase(db, code, key, "value_exchange")
            for i in range(INITIATIVES):
                propose_initiative(db, author, InitiativeInput(
                    title=f"Late-shipment alerts {i}", customer_value="Know before the customer calls",
                    company_value="Fewer support calls", answers_no_demand=True))
            set_phase(db, code, key, "score_vote")
            await asyncio.gather(*(rate(page, n, tally) for n, page in enumerate(pages)))
            seconds, cpu, machine = time.perf_counter() - began, cpu_seconds(pid) - cpu, busy() - machine
            await browser.close()
    latencies = sorted(seen[tag] - clicked for tag, clicked in tally.submitted.items() if tag in seen)
    round_trips = sorted(tally.confirmed[tag] - clicked for tag, clicked in tally.submitted.items()
                         if tag in tally.confirmed)
    result = {
        "participants": participants, "cores": os.cpu_count(), "seconds": round(seconds, 1),
        # Where the time went: the server's CPU as a share of one core, the machine's of all its cores.
        "server cpu % of one core": round(100 * cpu / seconds), "machine busy %": round(100 * machine / seconds
                                                                                        / os.cpu_count()),
        "acknowledged": {"joins": tally.joins, "demands": tally.demands, "votes": tally.votes,
                         "ratings": tally.ratings},
        "stored": stored(db, code),
        "pressed": {what: sum(p.get(what, 0) for p in tally.pressed.values()) for what in ("demands", "votes",
                                                                                           "ratings")},
        "per person, where pressed, acknowledged and stored differ": mismatches(tally, stored_by_person(db, code)),
        "errors": tally.errors,
        "big screen": {"demands seen": len(latencies), "of": len(tally.submitted), **spread(latencies)},
        "submit to confirmed on the participant's page": spread(round_trips),
    }
    db.dispose()
    if out:
        out.write_text(json.dumps(result, indent=2) + "\n")
    return result


def main() -> None:
    participants = int(sys.argv[1]) if len(sys.argv) > 1 else PARTICIPANTS
    r = asyncio.run(run(participants, ROOT / "bench" / "load_results.json"))
    ack, got, wall = r["acknowledged"], r["stored"], r["big screen"]
    print(f"Load: {r['participants']} participants in real browser contexts and a big screen, "
          f"{r['cores']} cores, {r['seconds']} s; the server used {r['server cpu % of one core']}% of a core, "
          f"the machine was {r['machine busy %']}% busy")
    for what in ack:
        print(f"  {what:<8} acknowledged {ack[what]:4}   stored {got[what]:4}   "
              f"{'equal' if ack[what] == got[what] else 'DIFFERENT'}")
    print(f"  pressed: {r['pressed']}")
    for line in r["per person, where pressed, acknowledged and stored differ"][:10]:
        print("    ", line)
    print(f"  errors participants saw: {len(r['errors'])}")
    for error in r["errors"][:5]:
        print("    ", error)
    trip = r["submit to confirmed on the participant's page"]
    print(f"  submit -> confirmed on the participant's page: median {trip['median ms']} ms, p95 {trip['p95 ms']} ms")
    print(f"  submit -> big screen: median {wall['median ms']} ms, p95 {wall['p95 ms']} ms "
          f"({wall['demands seen']} of {wall['of']} demands seen; the wall lists the newest 10)")


if __name__ == "__main__":
    main()
