"""Propagation and idle cost of live screens: `python -m bench.live [pages]` from the repository root.

Starts the real server (`streamlit run server.py` on 127.0.0.1) on a workshop in Inner customer and opens one
participant page per participant, plus the big screen and the facilitator console. Each page is a client of
Streamlit's own websocket protocol doing what a browser tab does: the first run, and, as the page's live
component does in JavaScript, one server-sent event stream (/api/live/...) on which, when the counter a live
fragment was drawn at has moved, it asks Streamlit to rerun that fragment (the component's trigger).

1. Idle: nothing changes for a window; the server's CPU (from /proc) against the same number of bare Streamlit
   pages with one 1-second timed fragment each (bench/bare_live.py), the cheapest way Streamlit itself offers to
   follow a change within a second.
2. Propagation: changes written through planning/ (a new demand, a vote, a timer start, a facilitator setting,
   a phase change there and back, and in Plan a new action) while every page is open; for each change and each
   page, the time from the write until that page received the redrawn content. Reports the median, p95 and max
   over all (change, page) pairs.

Results go to bench/live_results.json.
"""

import asyncio
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

import websockets
from websockets.protocol import State

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from streamlit.components.v2.bidi_component.main import _make_trigger_id  # noqa: E402
from streamlit.proto.BackMsg_pb2 import BackMsg  # noqa: E402
from streamlit.proto.ClientState_pb2 import ClientState  # noqa: E402
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg  # noqa: E402
from streamlit.proto.WidgetStates_pb2 import WidgetState  # noqa: E402

from planning import demands, initiatives, votes, workshops  # noqa: E402
from planning.db import Database  # noqa: E402
from planning.participants import join_workshop  # noqa: E402
from planning.plan.actions import add_action  # noqa: E402
from tests.e2e.conftest import free_port, stop, wait_healthy  # noqa: E402

PAGES, SETTLE, IDLE_WINDOW = 200, 20.0, 20.0
PHASE_ROUNDS = 3  # bursts of full reruns of bench/bare_phase.py
BETWEEN = 2.0  # seconds between two changes
TICKS = os.sysconf("SC_CLK_TCK")
CHANGE_TIMEOUT = 15.0


def cpu_seconds(pid: int) -> float:
    """CPU seconds (user + system) the process has used, from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


@contextmanager
def server(script: str, database_url: str, work: Path):
    """bench/counted_server.py running `script` on a free port of 127.0.0.1; yields (host, pid, counts file)."""
    port, counts, log = free_port(), work / f"{Path(script).stem}.counts", work / f"{Path(script).stem}.log"
    env = {**os.environ, "DATABASE_URL": database_url, "HYPERPLAN_QUERY_COUNTS": str(counts)}
    command = [sys.executable, "bench/counted_server.py", script, "--server.address", "127.0.0.1",
               "--server.port", str(port), "--server.headless", "true", "--browser.gatherUsageStats", "false",
               "--server.fileWatcherType", "none"]
    with log.open("wb") as out:
        proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
        try:
            wait_healthy(f"http://127.0.0.1:{port}", proc, log)
            yield f"127.0.0.1:{port}", proc.pid, counts
        finally:
            stop(proc)


class Page:
    """One open tab: its websocket, its live fragments and what it has received."""

    def __init__(self, host: str, query: str, name: str) -> None:
        self.host, self.state = host, ClientState(query_string=query, page_name=name)
        self.fragments: dict[str, dict] = {}  # fragment id -> listener (component id, url, field, drawn, pending)
        self.texts: list[tuple[float, str]] = []  # (time received, html/markdown body) since the last reset
        self.first_run = asyncio.Event()
        self.runs = 0  # script runs the server finished for this page (full or fragment)
        self.errors: list[str] = []
        self.ws = None
        self.last: dict = {}  # the counters the stream last reported
        self.fired: dict[str, float] = {}  # fragment name -> when its listener last fired
        self.queue = asyncio.Lock()
        self.awaited: dict[str, float] = {}  # fragment name -> when its fire, not yet answered, was sent
        self.latency = 0.0  # seconds the server took to draw a fragment again after its last answered fire
        self.asked_again = 0  # fires repeated because the fragment was not drawn again within 3 s
        self.running = False  # between a run's start (new_session) and its end, as the page's script state says
        self.this_run: set[str] = set()  # the fragments whose listener the current run drew
        self.finished: list[float] = []  # when each run that ran to its end (full or fragment) finished

    async def send(self, fragment_id: str = "", trigger: WidgetState | None = None) -> None:
        ask = ClientState()
        ask.CopyFrom(self.state)
        ask.fragment_id = fragment_id
        if trigger is not None:
            ask.widget_states.widgets.append(trigger)
        await self.ws.send(BackMsg(rerun_script=ask).SerializeToString())

    def take(self, msg: ForwardMsg) -> None:
        kind = msg.WhichOneof("type")
        if kind == "navigation":  # the page that ran: a full rerun asked from a fragment runs that page again
            self.state.page_script_hash = msg.navigation.page_script_hash
        elif kind == "new_session":
            self.running = True
        elif kind == "script_finished":
            self.running = False
            self.runs += 1
            if msg.script_finished in (ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY):
                self.finished.append(time.perf_counter())
            if msg.script_finished == ForwardMsg.FINISHED_SUCCESSFULLY:  # a full run: listeners it did not draw
                self.fragments = {f: v for f, v in self.fragments.items() if f in self.this_run}  # are gone
            self.this_run = set()
            self.first_run.set()
        elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
            element = msg.delta.new_element
            which = element.WhichOneof("type")
            if which == "exception":
                self.errors.append(element.exception.message)
            elif which in ("html", "markdown", "heading", "text"):
                self.texts.append((time.perf_counter(), getattr(element, which).body))
            elif which in ("button", "checkbox"):  # a control drawn again after the change
                self.texts.append((time.perf_counter(), getattr(element, which).label))
            elif which == "plotly_chart":  # the plan's Gantt names its actions in the figure
                self.texts.append((time.perf_counter(), element.plotly_chart.spec))
            elif which == "bidi_component" and element.bidi_component.component_name == "hyperplan_live":
                data = json.loads(element.bidi_component.json)
                self.fragments[msg.delta.fragment_id] = {"id": element.bidi_component.id, **data, "pending": False}
                self.this_run.add(msg.delta.fragment_id)
                if data["name"] in self.awaited:  # drawn again after a fire: how long the server took
                    self.latency = time.perf_counter() - self.awaited.pop(data["name"])
            elif which == "bidi_component":  # the cards a phone lists: their text is in the component's data
                self.texts.append((time.perf_counter(), element.bidi_component.json))

    async def listen(self, stop: asyncio.Event) -> None:
        """The websocket, as the frontend reads it."""
        async with websockets.connect(f"ws://{self.host}/_stcore/stream", subprotocols=["streamlit"],
                                      max_size=None) as self.ws:
            await self.send()
            while not stop.is_set():
                try:
                    self.take(ForwardMsg.FromString(await asyncio.wait_for(self.ws.recv(), timeout=1)))
                except TimeoutError:
                    continue

    async def stream(self, stop: asyncio.Event) -> None:
        """The page's EventSource, as ui/live.py's component uses it."""
        await self.first_run.wait()
        url = next(iter(self.fragments.values()))["url"]
        reader, writer = await asyncio.open_connection(*self.host.split(":"))
        writer.write(f"GET {url} HTTP/1.1\r\nHost: {self.host}\r\nAccept: text/event-stream\r\n\r\n".encode())
        await writer.drain()
        try:
            while not stop.is_set():
                try:
                    line = await asyncio.wait_for(reader.readline(), timeout=1)
                except TimeoutError:
                    continue
                if line.startswith(b"data: "):
                    await self.changed(json.loads(line[6:]))
        finally:
            writer.close()

    async def changed(self, now: dict) -> None:
        """What ui/live.py's component does with each message of the stream."""
        self.last = now
        for fragment_id, listener in list(self.fragments.items()):
            self.check(fragment_id, listener)

    def check(self, fragment_id: str, listener: dict) -> None:
        now, field = self.last, listener["field"]
        if not now or listener["pending"]:
            return
        if (now[field] != listener["drawn"]) if field in ("timer", "phase") else (now[field] > listener["drawn"]):
            if field != "phase" and any(page["field"] == "phase" and page["drawn"] != now["phase"]
                                        for page in self.fragments.values()):
                return  # the page's own listener reruns the whole page, which draws this fragment again
            listener["pending"] = True  # one rerun per drawing: the next drawing listens again
            asyncio.create_task(self.fire(fragment_id, listener))

    async def fire(self, fragment_id: str, listener: dict) -> None:
        """Like the browser: at most one fire per fragment per `every` ms, one after another 80 ms apart (Streamlit
        merges triggers sent at once and drops all but one), and again after 3 s (or twice the server's last answer,
        or 30 ms for each page following the room; twice as long at each repeat) if the fragment was not drawn again
        and the page is not running."""
        every = listener.get("every", 0) / 1000
        await asyncio.sleep(max(0.0, self.fired.get(listener["name"], 0.0) + every - time.perf_counter()))
        async with self.queue:
            while self.running and self.ws.state is State.OPEN:  # never while the page runs, as the browser
                await asyncio.sleep(0.1)
            if self.fragments.get(fragment_id) is not listener or self.ws.state is not State.OPEN:
                return  # drawn again meanwhile
            self.fired[listener["name"]] = self.awaited[listener["name"]] = time.perf_counter()
            trigger = WidgetState(id=_make_trigger_id(listener["id"], "events"),
                                  json_trigger_value=json.dumps([{"event": "changed", "value": self.last}]))
            await self.send(fragment_id, trigger)
            await asyncio.sleep(0.08)
        patience = max(3.0, 2 * self.latency, 0.03 * self.last.get("pages", 0))
        await asyncio.sleep(min(patience * 2 ** listener.get("asked", 0), 60.0) + every)
        while self.running and self.fragments.get(fragment_id) is listener:  # asking now would restart that run
            await asyncio.sleep(0.5)
        if self.fragments.get(fragment_id) is listener and self.ws.state is State.OPEN:
            self.asked_again += 1
            listener["asked"] = listener.get("asked", 0) + 1  # each time waiting twice as long, as the browser does
            listener["pending"] = False
            self.check(fragment_id, listener)

    def received(self, marker: str | tuple[str, ...], since: float, start: int = 0) -> tuple[float | None, int]:
        """Seconds from `since` until a text holding the marker (or one of them) arrived, None if none did, looking
        at the texts from `start` on; and where to start the next look."""
        markers = (marker,) if isinstance(marker, str) else marker
        texts = self.texts[start:]
        found = next((at - since for at, body in texts if at >= since and any(m in body for m in markers)), None)
        return found, start + len(texts)


async def _open(host: str, queries: list[tuple[str, str]], stop: asyncio.Event) -> tuple[list[Page], list]:
    pages, tasks = [], []
    for query, name in queries:  # pages open a few at a time, as a room arrives
        page = Page(host, query, name)
        pages.append(page)
        tasks += [asyncio.create_task(page.listen(stop)), asyncio.create_task(page.stream(stop))]
        await asyncio.sleep(0.02)
    return pages, tasks


async def _change(pages: list[Page], write, markers: dict[str, str]) -> tuple[list[float | None], list[float | None]]:
    """Write one change, then wait until every page received the text that shows it there, and the run that drew it
    ended (or the timeout). For each page: seconds until the text came, and until that run ended (a phone's whole
    page, on a phase change, which draws its heading first)."""
    for page in pages:
        page.texts.clear()
    since = time.perf_counter()
    await asyncio.to_thread(write)
    deadline = since + CHANGE_TIMEOUT
    shown: dict[int, float] = {}
    looked = [0] * len(pages)  # each page's texts already looked at: the harness must not starve its own sockets
    drawn: dict[int, float] = {}
    while time.perf_counter() < deadline and len(drawn) < len(pages):
        await asyncio.sleep(0.02)
        for n, page in enumerate(pages):
            if n not in shown:
                found, looked[n] = page.received(markers[page.state.page_name], since, looked[n])
                if found is not None:
                    shown[n] = found
            if n in shown and n not in drawn:
                ended = next((t for t in page.finished if t - since >= shown[n]), None)
                if ended is not None:
                    drawn[n] = ended - since
    return [shown.get(n) for n in range(len(pages))], [drawn.get(n) for n in range(len(pages))]


def _seed(url: str, pages: int) -> tuple[str, str, list[str]]:
    db = Database(url)
    db.migrate()
    created = workshops.create_workshop(db, title="Live", company="Northwind", segment="shippers")
    code, key = created.workshop.code, created.facilitator_key
    workshops.set_phase(db, code, key, "inner_customer")
    workshops.set_item_limits(db, code, key, 100, 100)  # the seeding writes one person's 30 demands at once
    tokens = [join_workshop(db, code, f"Participant {i}").token for i in range(pages)]
    for i in range(30):
        demands.add_demand(db, tokens[0], f"Tell me the moment shipment {i} is late")
    workshops.set_phase(db, code, key, "value_exchange")  # an initiative chosen for the plan, for Plan's change
    chosen = initiatives.propose_initiative(db, tokens[1], initiatives.InitiativeInput(
        title="Live pallet tracking", customer_value="I see where my pallets are", company_value="Fewer calls",
        answers_no_demand=True))
    initiatives.choose_initiative(db, code, key, chosen.id)
    workshops.set_phase(db, code, key, "inner_customer")
    db.dispose()
    return code, key, tokens


def _changes(url: str, code: str, key: str, tokens: list[str]) -> list[tuple[str, object, dict[str, str]]]:
    """(what, write, the text each kind of page shows after it) for each change measured."""
    db = Database(url)
    first = min(demands.list_shown_demands(db, code), key=lambda d: d.id)  # first seen: on every page's first page
    chosen = initiatives.list_shown_initiatives(db, code)[0]
    new, action = "Call me before the truck leaves", "Fit trackers to the first 40 pallets"
    clock = ('"text": "09:3', '"text": "09:2')  # a 9.5-minute countdown, drawn within its first 10 s
    return [
        ("a new demand", lambda: demands.add_demand(db, tokens[0], new),
         {"participant": "(31)", "big_screen": new, "facilitator": "· 31 demands"}),
        ("a vote", lambda: votes.cast_vote(db, tokens[2], first.id),
         {"participant": "1 vote", "big_screen": "1 vote", "facilitator": "1 vote"}),
        ("a timer start", lambda: workshops.start_timer(db, code, key, 9.5),
         {"participant": clock, "big_screen": clock, "facilitator": clock}),
        ("a facilitator setting", lambda: workshops.set_private_until_reveal(db, code, key, True),
         {"participant": "Only your own demands are shown", "big_screen": "Private until the facilitator",
          "facilitator": "Reveal everyone's items"}),
        ("and back", lambda: workshops.set_private_until_reveal(db, code, key, False),
         {"participant": first.text, "big_screen": new, "facilitator": "Private until reveal"}),
        ("a phase change", lambda: workshops.set_phase(db, code, key, "value_exchange"),
         {"participant": "Value exchange · code", "big_screen": " · Value exchange",
          "facilitator": " · Value exchange"}),
        ("back to Inner customer", lambda: workshops.set_phase(db, code, key, "inner_customer"),
         {"participant": "Inner customer · code", "big_screen": " · Inner customer",
          "facilitator": " · Inner customer"}),
        ("to Plan", lambda: workshops.set_phase(db, code, key, "plan"),
         {"participant": "Plan · code", "big_screen": " · Plan", "facilitator": " · Plan"}),
        ("a plan action", lambda: add_action(db, code, key, chosen.id, action, "Ana", "2027-03-01"),
         {"participant": action, "big_screen": action, "facilitator": action}),
    ]


async def _idle(host: str, pid: int, pages: list[Page]) -> dict:
    cpu, began, runs = cpu_seconds(pid), time.perf_counter(), sum(p.runs for p in pages)
    await asyncio.sleep(IDLE_WINDOW)
    seconds = time.perf_counter() - began
    return {"pages": len(pages), "server cpu % of one core": 100 * (cpu_seconds(pid) - cpu) / seconds,
            "reruns": sum(p.runs for p in pages) - runs}


async def measure_app(url: str, pages: int, work: Path) -> dict:
    code, key, tokens = _seed(url, pages)
    stop = asyncio.Event()
    with server("server.py", url, work) as (host, pid, _counts):
        queries = [(f"p={t}", "participant") for t in tokens] + [(f"code={code}", "big_screen"),
                                                                 (f"code={code}&key={key}", "facilitator")]
        opened, tasks = await _open(host, queries, stop)
        await asyncio.sleep(SETTLE)
        idle = await _idle(host, pid, opened)
        results = {}
        for what, write, markers in _changes(url, code, key, tokens):
            cpu, runs, again = cpu_seconds(pid), sum(p.runs for p in opened), sum(p.asked_again for p in opened)
            times, drawn = await _change(opened, write, markers)
            results[what] = _summary(times)
            results[what]["drawn"] = _summary(drawn, keep=False)
            # Until the last page had it and its run ended (or the timeout): the server's CPU, the runs it finished
            # (full or fragment) and the fires asked again because a fragment was not drawn again within 3 s.
            results[what] |= {"server cpu s": cpu_seconds(pid) - cpu, "runs": sum(p.runs for p in opened) - runs,
                              "asked again": sum(p.asked_again for p in opened) - again}
            results[what]["wall and console s"] = [t for p, t in zip(opened, times, strict=True)
                                                   if p.state.page_name != "participant"]
            results[what]["missed pages"] = [p.state.page_name for p, t in zip(opened, times, strict=True)
                                             if t is None]
            await asyncio.sleep(BETWEEN)
        stop.set()
        await asyncio.gather(*tasks, return_exceptions=True)
    all_times = [t for r in results.values() for t in r.pop("_times")]
    return {"idle": idle, "changes": results, "all changes": _summary(all_times, keep=False),
            "asked again": sum(p.asked_again for p in opened), "errors": [e for p in opened for e in p.errors][:5]}


async def measure_bare(url: str, pages: int, work: Path) -> dict:
    stop = asyncio.Event()
    with server("bench/bare_live.py", url, work) as (host, pid, _counts):
        opened = [Page(host, "", "") for _ in range(pages)]
        tasks = []
        for page in opened:
            tasks.append(asyncio.create_task(_bare_page(page, stop)))
            await asyncio.sleep(0.02)
        await asyncio.sleep(SETTLE)
        idle = await _idle(host, pid, opened)
        stop.set()
        await asyncio.gather(*tasks, return_exceptions=True)
    return idle


async def measure_bare_phase(url: str, pages: int, work: Path) -> dict:
    """bench/bare_phase.py, a bare page drawing what a phone draws in Value exchange: every page reruns in full at
    once (what a phase change asks of every phone), PHASE_ROUNDS times. The floor a phase change could reach."""
    stop = asyncio.Event()
    with server("bench/bare_phase.py", url, work) as (host, pid, _counts):
        opened, tasks = [], []
        for _ in range(pages):
            opened.append(Page(host, "", ""))
            tasks.append(asyncio.create_task(opened[-1].listen(stop)))
            await asyncio.sleep(0.02)
        await asyncio.wait_for(asyncio.gather(*(page.first_run.wait() for page in opened)), CHANGE_TIMEOUT)
        await asyncio.sleep(BETWEEN)
        rounds = []
        for _ in range(PHASE_ROUNDS):
            rounds.append(await _everyone_reruns(opened, pid))
            await asyncio.sleep(BETWEEN)
        stop.set()
        await asyncio.gather(*tasks, return_exceptions=True)
    middle = sorted(rounds, key=lambda r: r.get("p95 s", math.inf))[len(rounds) // 2]
    return {**middle, "rounds": rounds, "errors": [e for page in opened for e in page.errors][:5]}


async def _everyone_reruns(pages: list[Page], pid: int) -> dict:
    """Every page asks for a full run at once; seconds until each run ended, and the server's CPU for each page."""
    for page in pages:
        page.finished.clear()
    cpu, since = cpu_seconds(pid), time.perf_counter()
    await asyncio.gather(*(page.send() for page in pages))
    while time.perf_counter() - since < CHANGE_TIMEOUT and not all(page.finished for page in pages):
        await asyncio.sleep(0.02)
    return {**_summary([page.finished[0] - since if page.finished else None for page in pages], keep=False),
            "server cpu ms a page": 1000 * (cpu_seconds(pid) - cpu) / len(pages)}


async def _bare_page(page: Page, stop: asyncio.Event) -> None:
    """A bare page: its first run, then each timed fragment rerun the server asks for (as the frontend does)."""
    async with websockets.connect(f"ws://{page.host}/_stcore/stream", subprotocols=["streamlit"],
                                  max_size=None) as page.ws:
        await page.send()
        timers = []
        while not stop.is_set():
            try:
                msg = ForwardMsg.FromString(await asyncio.wait_for(page.ws.recv(), timeout=1))
            except TimeoutError:
                continue
            page.take(msg)
            if msg.WhichOneof("type") == "auto_rerun":
                timers.append(asyncio.create_task(_every(page, msg.auto_rerun.fragment_id, msg.auto_rerun.interval,
                                                         stop)))
        for timer in timers:
            timer.cancel()


async def _every(page: Page, fragment_id: str, seconds: float, stop: asyncio.Event) -> None:
    while not stop.is_set():
        await asyncio.sleep(seconds)
        await page.send(fragment_id)


def _summary(times: list[float | None], keep: bool = True) -> dict:
    got = sorted(t for t in times if t is not None)
    out = {"pages": len(times), "missed": len(times) - len(got)}
    if got:
        out |= {"median s": statistics.median(got), "p95 s": got[math.ceil(0.95 * len(got)) - 1],
                "max s": got[-1]}
    if keep:
        out["_times"] = times
    return out


async def run(pages: int = PAGES) -> dict:
    work = Path(tempfile.mkdtemp(prefix="hyperplan-live-"))
    url = f"sqlite:///{work / 'live.db'}"
    ours = await measure_app(url, pages, work)
    bare = await measure_bare(url, pages, work)
    floor = await measure_bare_phase(url, pages, work)
    phase = ours["changes"]["a phase change"]
    return {"cores": os.cpu_count(), "pages": pages, "app": ours, "bare 1-second fragment": bare,
            "idle cpu, app / bare": ours["idle"]["server cpu % of one core"] / bare["server cpu % of one core"],
            "bare page, every page's full rerun at once": floor,
            "phase change p95, app / bare full rerun": phase.get("p95 s", math.nan) / floor.get("p95 s", math.nan)}


def main() -> None:
    r = asyncio.run(run(int(sys.argv[1]) if len(sys.argv) > 1 else PAGES))
    (ROOT / "bench" / "live_results.json").write_text(json.dumps(r, indent=2) + "\n")
    app, bare = r["app"], r["bare 1-second fragment"]
    print(f"Live screens: {r['pages']} participant pages + wall + console open, {r['cores']} cores")
    print(f"  idle: app {app['idle']['server cpu % of one core']:.1f}% of a core, bare pages with a 1 s fragment "
          f"{bare['server cpu % of one core']:.1f}%: ratio {r['idle cpu, app / bare']:.2f}")
    for what, s in {**app["changes"], "all": app["all changes"]}.items():
        print(f"  {what:<24} median {s.get('median s', float('nan')):.2f} s  p95 {s.get('p95 s', float('nan')):.2f} s"
              f"  max {s.get('max s', float('nan')):.2f} s  missed {s['missed']} of {s['pages']}"
              + (f"  server cpu {s['server cpu s']:.2f} s, {s['runs']} runs, {s['asked again']} asked again"
                 if "server cpu s" in s else ""))
    print("  until the run that drew it ended (a phone's whole page, on a phase change):")
    for what, s in app["changes"].items():
        d = s["drawn"]
        print(f"    {what:<22} median {d.get('median s', float('nan')):.2f} s  p95 {d.get('p95 s', float('nan')):.2f} s"
              f"  max {d.get('max s', float('nan')):.2f} s  missed {d['missed']} of {d['pages']}")
    print(f"  fires asked again after 3 s: {app['asked again']}; errors: {app['errors'] or 'none'}")
    floor, phase = r["bare page, every page's full rerun at once"], app["changes"]["a phase change"]
    print(f"  a phase change: p95 {phase.get('p95 s', math.nan):.2f} s, "
          f"{1000 * phase['server cpu s'] / max(phase['runs'], 1):.1f} ms of server CPU a run; bare pages drawing the "
          f"same elements (bench/bare_phase.py), all rerun at once: p95 {floor.get('p95 s', math.nan):.2f} s, "
          f"{floor['server cpu ms a page']:.1f} ms a page; ratio {r['phase change p95, app / bare full rerun']:.2f}")


if __name__ == "__main__":
    main()
