"""The restore benchmark: `python -m bench.restore` from the repository root.

Seeds the 200-person benchmark workshop (bench/seed.py) and one twice its size, backs each up, then
restores each in a fresh process while a participant of another workshop adds demands, 50 a second,
from a thread of the same process (what a Streamlit server does) and 50 a second from a second
process (another server on the same database): 5 times what a busy room of 200 writes. It reports
how long the restore took, the longest and the 99th-percentile time one of those demands waited, how
many were stored during the restore or failed as busy, and how much memory the restoring process
added (peak RSS over its RSS with the file already read).

DATABASE_URL (PostgreSQL) measures there instead of a temporary SQLite file. Writes bench/restore_results.json.
"""

import json
import multiprocessing
import os
import random
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy.exc import OperationalError  # noqa: E402

from bench.seed import LARGE, seed_workshop  # noqa: E402
from planning import demands, participants, workshops  # noqa: E402
from planning.db import Database  # noqa: E402
from planning.export import export_as_operator, import_backup  # noqa: E402

WRITE_EVERY_S = 0.02  # 50 demands a second from each writer: 100/s in all, 5 times a busy room of 200
DOUBLE = {"participants": 400, "demands": 4000, "initiatives": 400, "votes_each": 50}  # 320,000 ratings


def _rss_kb(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def _write_demands(url: str, tokens: list[str], stop, waits: list[float], in_restore, during: list[int],
                   errors: list[int]) -> None:
    """Add a demand every WRITE_EVERY_S, in turn from each of `tokens` (a busy room, each person within the
    limits per minute), until `stop` is set; each call's time is how long it waited."""
    db = Database(url)
    while not stop.is_set():
        start = time.perf_counter()
        try:
            demands.add_demand(db, tokens[len(waits) % len(tokens)], "Tell me before a delivery slips")
        except OperationalError:  # busy past the timeout: the page retries, then says nothing was saved
            errors.append(1)
        waits.append(time.perf_counter() - start)
        during.append(1 if in_restore.is_set() else 0)
        time.sleep(max(0.0, WRITE_EVERY_S - waits[-1]))
    db.dispose()


def _other_process(url: str, tokens: list[str], stop, in_restore, out) -> None:
    waits: list[float] = []
    during: list[int] = []
    errors: list[int] = []
    _write_demands(url, tokens, stop, waits, in_restore, during, errors)
    out.put((waits, during, errors))


def _restore(url: str, path: str, tokens: list[str], out) -> None:
    """In its own process: read the file, then restore it while two writers add demands elsewhere."""
    data = Path(path).read_bytes()
    db = Database(url)
    base_kb = _rss_kb("VmRSS")
    ctx = multiprocessing.get_context("spawn")
    stop, in_restore, queue = ctx.Event(), ctx.Event(), ctx.Queue()
    thread_waits: list[float] = []
    thread_during: list[int] = []
    thread_errors: list[int] = []
    writer = threading.Thread(target=_write_demands, args=(url, tokens, stop, thread_waits, in_restore, thread_during,
                                                           thread_errors))
    other = ctx.Process(target=_other_process, args=(url, tokens, stop, in_restore, queue))
    other.start()
    writer.start()
    time.sleep(1.0)
    in_restore.set()
    start = time.perf_counter()
    try:
        code = import_backup(db, data).workshop.code
    except Exception as error:  # noqa: BLE001 - reported, so the run ends
        code = f"not restored: {type(error).__name__}"
    seconds = time.perf_counter() - start
    in_restore.clear()
    time.sleep(0.5)
    stop.set()
    writer.join()
    process_waits, process_during, process_errors = queue.get(timeout=120)
    other.join()
    db.dispose()
    out.put({"restore_s": seconds, "code": code, "peak_added_mb": (_rss_kb("VmHWM") - base_kb) / 1024,
             "thread": _waits(thread_waits, thread_during, thread_errors),
             "process": _waits(process_waits, process_during, process_errors)})


def _waits(waits: list[float], during: list[int], errors: list[int]) -> dict:
    inside = [w for w, d in zip(waits, during, strict=True) if d]
    return {"demands_during_restore": len(inside), "busy_errors": len(errors),
            "max_wait_ms": max(inside, default=0) * 1000,
            "p99_wait_ms": (statistics.quantiles(inside, n=100)[98] if len(inside) > 1 else 0) * 1000,
            "max_wait_outside_restore_ms": max((w for w, d in zip(waits, during, strict=True) if not d),
                                               default=0) * 1000}


def measure(url: str, path: Path, tokens: list[str]) -> dict:
    ctx = multiprocessing.get_context("spawn")
    out = ctx.Queue()
    child = ctx.Process(target=_restore, args=(url, str(path), tokens, out))
    child.start()
    try:
        return out.get(timeout=1800)
    finally:  # a child that died without an answer must not hang the run: join it and say so
        child.join(10)


def run(url: str, sizes: dict[str, dict], tmp: Path) -> dict:
    """Seed, back up and restore each size on `url`, measuring as the module docstring says."""
    db = Database(url)
    db.migrate()
    rng = random.Random(42)
    other = workshops.create_workshop(db, title="Another room", company="Acme", segment="shippers")
    workshops.set_phase(db, other.workshop.code, other.facilitator_key, "inner_customer")
    workshops.set_item_limits(db, other.workshop.code, other.facilitator_key, workshops.MAX_ITEMS_PER_PERSON,
                              workshops.MAX_ITEMS_PER_MINUTE)
    tokens = [participants.join_workshop(db, other.workshop.code, f"Writer {n}").token for n in range(60)]
    results = {"database": db.engine.dialect.name, "cores": os.cpu_count()}
    for name, size in sizes.items():
        seeded = seed_workshop(db, size, rng, name)
        path = tmp / f"{name.split()[0]}.json"
        path.write_bytes(export_as_operator(db, seeded.code, "json").data)
        results[name] = {"backup_mb": path.stat().st_size / 1e6, **seeded.counts, **measure(url, path, tokens)}
        print(name, json.dumps(results[name], indent=1))  # noqa: T201
    db.dispose()
    return results


def main() -> dict:
    tmp = Path(tempfile.mkdtemp(prefix="hyperplan-restore-"))
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{tmp / 'bench.db'}"
    results = run(url, {"benchmark workshop": LARGE, "twice its size": DOUBLE}, tmp)
    (ROOT / "bench" / "restore_results.json").write_text(json.dumps(results, indent=2))
    return results


if __name__ == "__main__":
    main()
