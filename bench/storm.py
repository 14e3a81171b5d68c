"""The write storm: `python -m bench.storm` from the repository root.

200 concurrent writers (threads in this process, then the same split over 4 processes) add demands
through `planning/` to one SQLite file. Measured in the same run: raw SQLite inserts, one commit
each, with the same durability settings (WAL, synchronous=NORMAL, busy timeout) and the same
concurrency. Reports lost writes, errors a user would see, and throughput as a ratio to raw.
"""

import multiprocessing
import os
import sqlite3
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from planning.db import BUSY_TIMEOUT_MS, Database  # noqa: E402
from planning.demands import add_demand, list_shown_demands  # noqa: E402
from planning.participants import join_workshop  # noqa: E402
from planning.workshops import create_workshop, set_phase  # noqa: E402

WRITERS, EACH, PROCESSES = 200, 10, 4


def _threads(target, tokens: list[str]) -> tuple[float, list[str]]:
    errors: list[str] = []

    def run(token: str) -> None:
        for n in range(EACH):
            try:
                target(token, n)
            except Exception as error:  # noqa: BLE001 - counted: any exception here would reach a user
                errors.append(repr(error))

    threads = [threading.Thread(target=run, args=(t,)) for t in tokens]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return time.perf_counter() - start, errors


def planning_writers(url: str, tokens: list[str]) -> tuple[float, list[str]]:
    db = Database(url)
    try:
        return _threads(lambda token, n: add_demand(db, token, f"storm {token[:6]} {n}"), tokens)
    finally:
        db.dispose()


def raw_writers(path: str, tokens: list[str]) -> tuple[float, list[str]]:
    local = threading.local()

    def insert(token: str, n: int) -> None:
        if not hasattr(local, "conn"):
            local.conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
            local.conn.execute("PRAGMA synchronous=NORMAL")
        local.conn.execute("BEGIN IMMEDIATE")
        local.conn.execute("INSERT INTO raw (who, n) VALUES (?, ?)", (token, n))
        local.conn.execute("COMMIT")

    return _threads(insert, tokens)


def _in_process(kind: str, target: str, tokens: list[str], out) -> None:
    out.put((planning_writers if kind == "planning" else raw_writers)(target, tokens))


def processes(kind: str, target: str, tokens: list[str]) -> tuple[float, list[str]]:
    """The writers split over PROCESSES processes; wall time from the first start to the last end."""
    queue = multiprocessing.get_context("fork").Queue()
    chunks = [tokens[i::PROCESSES] for i in range(PROCESSES)]
    procs = [multiprocessing.get_context("fork").Process(target=_in_process, args=(kind, target, c, queue))
             for c in chunks]
    start = time.perf_counter()
    for p in procs:
        p.start()
    results = [queue.get() for _ in procs]
    for p in procs:
        p.join()
    return time.perf_counter() - start, [e for _, errors in results for e in errors]


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="hyperplan-storm-"))
    url, raw_path = f"sqlite:///{work / 'storm.db'}", str(work / "raw.db")
    db = Database(url)
    db.migrate()
    created = create_workshop(db, title="Storm", company="C", segment="S")
    code = created.workshop.code
    set_phase(db, code, created.facilitator_key, "inner_customer")
    tokens = [join_workshop(db, code, f"W{i}").token for i in range(WRITERS)]
    conn = sqlite3.connect(raw_path)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("CREATE TABLE raw (id INTEGER PRIMARY KEY, who TEXT, n INTEGER)")
    conn.close()
    rows = []
    for label, run in [("threads", lambda kind, target: (planning_writers if kind == "planning" else raw_writers)(
            target, tokens)), (f"{PROCESSES} processes", lambda kind, target: processes(kind, target, tokens))]:
        raw_s, raw_errors = run("raw", raw_path)
        ours_s, our_errors = run("planning", url)
        rows.append((label, raw_s, ours_s, raw_errors, our_errors))
    stored = len(list_shown_demands(db, code))
    expected = 2 * WRITERS * EACH - sum(len(r[4]) for r in rows)  # what planning acknowledged
    print(f"Write storm: {WRITERS} concurrent writers x {EACH} demands, as threads and as {PROCESSES} processes; "
          f"{os.cpu_count()} cores")
    for label, raw_s, ours_s, raw_errors, our_errors in rows:
        n = WRITERS * EACH
        print(f"  {label:<12} raw SQLite {n / raw_s:7.0f}/s   planning {n / ours_s:7.0f}/s   "
              f"ratio {raw_s / ours_s:4.2f} (goal >= 0.3)   errors: raw {len(raw_errors)}, planning {len(our_errors)}")
        for error in our_errors[:3]:
            print("    ", error)
    print(f"  stored {stored} of {expected} acknowledged demands: {'none lost' if stored == expected else 'LOST'}")
    db.dispose()


if __name__ == "__main__":
    main()
