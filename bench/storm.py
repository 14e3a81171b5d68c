"""The write storm: `python -m bench.storm` from the repository root.

200 concurrent writers (threads in this process, then the same split over 4 processes) add demands
through `planning/` to one SQLite file. Measured in the same run: raw SQLite inserts, one commit
each, with the same durability settings (WAL, synchronous=NORMAL, busy timeout) and the same
concurrency. Raw and planning alternate for ROUNDS rounds and the medians are compared, since one
round of raw inserts lasts a fraction of a second on a shared, noisy machine. Reports lost writes,
errors a user would see, and throughput as a ratio to raw.
"""

import multiprocessing
import os
import sqlite3
import statistics
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
from planning.workshops import create_workshop, set_item_limits, set_phase  # noqa: E402

WRITERS, EACH, PROCESSES, ROUNDS = 200, 10, 4, 5


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
    set_item_limits(db, code, created.facilitator_key, per_person=1000, per_minute=120)  # a storm, not a person
    tokens = [join_workshop(db, code, f"W{i}").token for i in range(WRITERS)]
    conn = sqlite3.connect(raw_path)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("CREATE TABLE raw (id INTEGER PRIMARY KEY, who TEXT, n INTEGER)")
    conn.close()
    modes = {"threads": lambda kind, target: (planning_writers if kind == "planning" else raw_writers)(target, tokens),
             f"{PROCESSES} processes": lambda kind, target: processes(kind, target, tokens)}
    n, acknowledged = WRITERS * EACH, 0
    print(f"Write storm: {WRITERS} concurrent writers x {EACH} demands, as threads and as {PROCESSES} processes, "
          f"{ROUNDS} alternating rounds each; {os.cpu_count()} cores")
    for label, run in modes.items():
        raw_rates, our_rates, raw_errors, our_errors = [], [], [], []
        for _ in range(ROUNDS):
            seconds, errors = run("raw", raw_path)
            raw_rates.append(n / seconds)
            raw_errors += errors
            seconds, errors = run("planning", url)
            our_rates.append(n / seconds)
            our_errors += errors
            acknowledged += n - len(errors)
        raw, ours = statistics.median(raw_rates), statistics.median(our_rates)
        rounds = ", ".join(f"{o / r:.2f}" for o, r in zip(our_rates, raw_rates, strict=True))
        print(f"  {label:<12} median raw SQLite {raw:7.0f}/s   planning {ours:7.0f}/s   ratio {ours / raw:4.2f} "
              f"(goal >= 0.3; per round {rounds})   "
              f"errors: raw {len(raw_errors)}, planning {len(our_errors)}")
        for error in our_errors[:3]:
            print("    ", error)
    stored = len(list_shown_demands(db, code))
    print(f"  stored {stored} of {acknowledged} acknowledged demands: "
          f"{'none lost' if stored == acknowledged else 'LOST'}")
    db.dispose()


if __name__ == "__main__":
    main()
