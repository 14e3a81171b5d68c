"""Live polling cost: `python -m bench.polling [pages]` from the repository root.

Starts the real server (`streamlit run app.py` on 127.0.0.1, through bench/counted_server.py, which
counts the SQL statements the server sends) on a workshop in Inner customer with 200 participants
and 200 demands, and opens one participant page per participant. Each page is a client of
Streamlit's own websocket protocol, sending what a browser tab sends: the first run of the page, then
every timed fragment rerun the server asks for (an `auto_rerun` message: the room list and the
phase watcher, every 5 s each). Nothing changes in the workshop while it measures, so every poll
should cost one cheap query.

Over a measured window it reports polls (timed fragment reruns the pages asked for), the server's CPU time (from
/proc), and the SQL statements sent, per poll; and the same for bench/bare_poll.py, a bare Streamlit
page with the same two timed fragments doing nothing, run in the same way in the same run, so the
app's cost per poll is also a ratio to Streamlit's own. Results go to bench/polling_results.json.
"""

import asyncio
import json
import os
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

import websockets

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from streamlit.proto.BackMsg_pb2 import BackMsg  # noqa: E402
from streamlit.proto.ClientState_pb2 import ClientState  # noqa: E402
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg  # noqa: E402

from planning.db import Database  # noqa: E402
from planning.demands import add_demand  # noqa: E402
from planning.participants import join_workshop  # noqa: E402
from planning.workshops import create_workshop, set_phase  # noqa: E402
from tests.e2e.conftest import free_port, wait_healthy  # noqa: E402

PAGES, SETTLE, WINDOW = 200, 15.0, 30.0  # seconds: pages open and warm up, then are measured
TICKS = os.sysconf("SC_CLK_TCK")


class Room:
    """What the simulated pages saw, counted across all of them."""

    def __init__(self) -> None:
        self.polls = 0  # timed fragment reruns asked for
        self.runs: dict[str, int] = {}  # script runs finished, by how they finished
        self.errors: list[str] = []


async def page(ws_url: str, query: str, name: str, room: Room, stop: asyncio.Event) -> None:
    """One open page: the first run, then each fragment's timed rerun, as Streamlit's frontend does."""
    async with websockets.connect(ws_url, subprotocols=["streamlit"], max_size=None) as ws:
        state = ClientState(query_string=query, page_name=name)

        async def send(fragment_id: str = "") -> None:
            ask = ClientState()
            ask.CopyFrom(state)
            ask.fragment_id, ask.is_auto_rerun = fragment_id, bool(fragment_id)
            await ws.send(BackMsg(rerun_script=ask).SerializeToString())

        async def every(fragment_id: str, seconds: float) -> None:
            while not stop.is_set():
                await asyncio.sleep(seconds)
                await send(fragment_id)
                room.polls += 1

        timers: dict[str, asyncio.Task] = {}
        await send()
        try:
            while not stop.is_set():
                try:
                    raw = await asyncio.wait_for(ws.recv(), timeout=1)
                except TimeoutError:
                    continue
                msg = ForwardMsg.FromString(raw)
                kind = msg.WhichOneof("type")
                if kind == "new_session":
                    state.page_script_hash = msg.new_session.page_script_hash
                elif kind == "auto_rerun" and msg.auto_rerun.fragment_id not in timers:
                    timers[msg.auto_rerun.fragment_id] = asyncio.create_task(
                        every(msg.auto_rerun.fragment_id, msg.auto_rerun.interval))
                elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element" and \
                        msg.delta.new_element.WhichOneof("type") == "exception":
                    room.errors.append(msg.delta.new_element.exception.message)
                elif kind == "script_finished":
                    status = ForwardMsg.ScriptFinishedStatus.Name(msg.script_finished)
                    room.runs[status] = room.runs.get(status, 0) + 1
        finally:
            for timer in timers.values():
                timer.cancel()


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime + stime


@contextmanager
def server(script: str, database_url: str, work: Path):
    """bench/counted_server.py running `script` on a free port of 127.0.0.1; yields (base, pid, counts)."""
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
            proc.terminate()
            proc.wait(10)


def statements(counts: Path) -> dict[str, int]:
    time.sleep(0.3)  # the server writes its counts every 0.1 s
    return json.loads(counts.read_text()) if counts.exists() else {}


async def measure(script: str, name: str, queries: list[str], database_url: str, work: Path) -> dict:
    room, stop = Room(), asyncio.Event()
    with server(script, database_url, work) as (host, pid, counts):
        tasks = []
        for query in queries:  # pages open a few at a time, as a room arrives
            tasks.append(asyncio.create_task(page(f"ws://{host}/_stcore/stream", query, name, room, stop)))
            await asyncio.sleep(0.02)
        await asyncio.sleep(SETTLE)
        polls, cpu, sql = room.polls, cpu_seconds(pid), statements(counts)
        began = time.perf_counter()
        await asyncio.sleep(WINDOW)
        polls, cpu = room.polls - polls, cpu_seconds(pid) - cpu
        seconds, sql = time.perf_counter() - began, {k: v - sql.get(k, 0) for k, v in statements(counts).items()}
        stop.set()
        await asyncio.gather(*tasks, return_exceptions=True)
    return {"pages": len(queries), "polls": polls, "polls per s": polls / seconds,
            "server cpu ms per poll": 1000 * cpu / polls if polls else None,
            "server cpu % of one core": 100 * cpu / seconds,
            "sql per poll": {k: v / polls for k, v in sql.items()} if polls else None,
            "runs finished, by status": room.runs, "errors": room.errors[:5]}


def seed(database_url: str, pages: int) -> list[str]:
    db = Database(database_url)
    db.migrate()
    created = create_workshop(db, title="Polling", company="Northwind", segment="shippers")
    code = created.workshop.code
    set_phase(db, code, created.facilitator_key, "inner_customer")
    tokens = [join_workshop(db, code, f"Participant {i}").token for i in range(pages)]
    for i, token in enumerate(tokens):
        add_demand(db, token, f"Tell me the moment shipment {i} is late")
    db.dispose()
    return tokens


async def run(pages: int = PAGES) -> dict:
    work = Path(tempfile.mkdtemp(prefix="hyperplan-polling-"))
    url = f"sqlite:///{work / 'polling.db'}"
    tokens = seed(url, pages)
    ours = await measure("app.py", "participant", [f"p={t}" for t in tokens], url, work)
    bare = await measure("bench/bare_poll.py", "", [""] * pages, url, work)
    return {"cores": os.cpu_count(), "window s": WINDOW, "app": ours, "bare Streamlit page": bare,
            "cpu per poll, app / bare": ours["server cpu ms per poll"] / bare["server cpu ms per poll"]}


def main() -> None:
    r = asyncio.run(run(int(sys.argv[1]) if len(sys.argv) > 1 else PAGES))
    (ROOT / "bench" / "polling_results.json").write_text(json.dumps(r, indent=2) + "\n")
    print(f"Polling: {r['app']['pages']} open pages, nothing changing, {r['window s']:.0f} s window, "
          f"{r['cores']} cores")
    for label in ("app", "bare Streamlit page"):
        m = r[label]
        sql = ", ".join(f"{v:.2f} {k}" for k, v in sorted((m["sql per poll"] or {}).items())) or "none"
        print(f"  {label:<20} {m['polls per s']:5.1f} polls/s   server CPU {m['server cpu ms per poll']:5.2f} ms/poll "
              f"({m['server cpu % of one core']:4.1f}% of a core)   SQL per poll: {sql}   errors: {len(m['errors'])}")
    print(f"  CPU per poll, app / bare page: {r['cpu per poll, app / bare']:.2f}")


if __name__ == "__main__":
    main()
