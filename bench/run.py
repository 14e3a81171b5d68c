"""The dashboard benchmark: `python -m bench.run` from the repository root.

Seeds a large and a small workshop into one temporary SQLite file, then measures, interleaved in
one run so the machine's noise hits every figure alike: the dashboard page's rerun (large vs
small), the same page against a bare Streamlit page drawing the same precomputed figures, and a
participant's rating page on the large workshop. The cold figures and `get_dashboard` are taken
right after a change (one rating rescored, the workshop's revision moved), as the first viewer after
a change meets them. Prints a table and writes bench/results.json.
"""

import json
import os
import pickle
import platform
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

import streamlit as st
from sqlalchemy import update
from sqlmodel import select
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.seed import seed  # noqa: E402
from planning.access import workshop_by_code  # noqa: E402
from planning.analytics import get_dashboard  # noqa: E402
from planning.backup import data_of  # noqa: E402
from planning.charts import balance_bars  # noqa: E402
from planning.db import Database  # noqa: E402
from planning.export import FORMATS, export_as_operator, tables  # noqa: E402
from planning.matrix import value_exchange_matrix  # noqa: E402
from planning.models import Phase, Rating, Workshop, utcnow  # noqa: E402

ROUNDS, RERUNS = 5, 8


def open_view(view: str, **params: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    for name, value in params.items():
        at.query_params[name] = value
    at.run()
    at.switch_page(f"views/{view}.py").run()
    assert not at.exception, at.exception
    return at


def bare(pickled: Path) -> AppTest:
    os.environ["HYPERPLAN_BENCH_FIGURES"] = str(pickled)
    at = AppTest.from_file(str(ROOT / "bench" / "bare_dashboard.py"), default_timeout=300)
    at.run()
    assert not at.exception, at.exception
    return at


def rerun_ms(at: AppTest, before=None) -> float:
    """Median time of RERUNS reruns of an already-drawn page, in milliseconds."""
    times = []
    for _ in range(RERUNS):
        if before:
            before()
        start = time.perf_counter()
        at.run()
        times.append((time.perf_counter() - start) * 1000)
    assert not at.exception, at.exception
    return statistics.median(times)


def direct_ms(fn, before=None) -> float:
    times = []
    for _ in range(RERUNS):
        if before:
            before()
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def a_change(db: Database, code: str):
    """A change to the workshop as a rating brings it: one rating rescored, the revision moved (the
    workshop sits in Review, where the rating service refuses, so this writes the rows directly)."""
    rng = random.Random(code)
    with db.read() as s:
        w = s.exec(select(Workshop).where(Workshop.join_code == code)).one()
        ids = s.exec(select(Rating.id).where(Rating.workshop_id == w.id)).all()

    def change() -> None:
        with db.write() as s:
            s.execute(update(Rating).where(Rating.id == rng.choice(ids)).values(score=rng.randint(0, 10)))
            s.execute(update(Workshop).where(Workshop.id == w.id).values(revision=Workshop.revision + 1))

    return change


def main(url: str | None = None) -> dict:
    """The whole run on a temporary SQLite file, or on `url` (an empty PostgreSQL database, say)."""
    workdir = Path(tempfile.mkdtemp(prefix="hyperplan-bench-"))
    url = url or f"sqlite:///{workdir / 'bench.db'}"
    os.environ["DATABASE_URL"] = url
    db = Database(url)
    db.migrate()
    start = time.perf_counter()
    large, small = seed(db)
    seeded_s = time.perf_counter() - start
    pickled = workdir / "figures.pickle"
    dash = get_dashboard(db, large.code)
    pickled.write_bytes(pickle.dumps((dash, value_exchange_matrix(dash), balance_bars(dash.balance))))
    st.cache_resource.clear()
    st.cache_data.clear()

    pages = {
        "dashboard large": open_view("dashboard", code=large.code),
        "dashboard small": open_view("dashboard", code=small.code),
        "bare large": bare(pickled),
    }
    large_change, small_change = a_change(db, large.code), a_change(db, small.code)
    samples: dict[str, list[float]] = {name: [] for name in
                                       [*pages, "dashboard large (cold)", "dashboard small (cold)",
                                        "get_dashboard large", "get_dashboard small"]}
    for _ in range(ROUNDS):
        for name, at in pages.items():
            samples[name].append(rerun_ms(at))
        samples["dashboard large (cold)"].append(rerun_ms(pages["dashboard large"], large_change))
        samples["dashboard small (cold)"].append(rerun_ms(pages["dashboard small"], small_change))
        samples["get_dashboard large"].append(direct_ms(lambda: get_dashboard(db, large.code), large_change))
        samples["get_dashboard small"].append(direct_ms(lambda: get_dashboard(db, small.code), small_change))

    with db.write() as s:  # the rating page: the large and the small workshop in Score & vote
        s.execute(update(Workshop).values(phase=Phase.SCORE_VOTE, results_revealed=False))
    rating = {"rating page large": open_view("participant", p=large.token),
              "rating page small": open_view("participant", p=small.token)}
    for _ in range(ROUNDS):
        for name, at in rating.items():
            samples.setdefault(name, []).append(rerun_ms(at))
    return report(samples, large.counts, small.counts, seeded_s, export_times(db, large.code, rounds=1),
                  db.engine.dialect.name)


def export_times(db: Database, code: str, rounds: int) -> dict[str, tuple[float, float, int]]:
    """Wall and CPU seconds (medians of `rounds`, formats interleaved) and bytes of each export of the workshop,
    and of the data exports' shared first step (the backup read and flattened into tables) on its own. CPU
    seconds are this process's: on a shared machine they move less than the wall clock."""
    times: dict[str, list[tuple[float, float]]] = {}
    sizes: dict[str, int] = {}

    def timed(name: str, fn) -> None:
        wall, cpu = time.perf_counter(), time.process_time()
        sizes[name] = fn()
        times.setdefault(name, []).append((time.perf_counter() - wall, time.process_time() - cpu))

    def flattened() -> int:
        with db.read() as s:
            w = workshop_by_code(s, code)
            backup, ratings = data_of(s, w, utcnow())
            return len(tables(backup, w.anonymous, ratings))

    for _ in range(rounds):
        for fmt in FORMATS:
            timed(fmt, lambda fmt=fmt: len(export_as_operator(db, code, fmt).data))
        timed("tables", flattened)
    return {name: (statistics.median(w for w, _ in values), statistics.median(c for _, c in values), sizes[name])
            for name, values in times.items()}


def exports_only(rounds: int = 3) -> dict:
    """`python -m bench.run exports`: seed the large workshop and time only the exports."""
    workdir = Path(tempfile.mkdtemp(prefix="hyperplan-bench-"))
    db = Database(f"sqlite:///{workdir / 'bench.db'}")
    db.migrate()
    large, _ = seed(db)
    exports = export_times(db, large.code, rounds)
    print(f"export of the large workshop ({large.counts}), median of {rounds} interleaved rounds")
    print_exports(exports)
    return exports


def print_exports(exports: dict[str, tuple[float, float, int]]) -> None:
    print(f"  {'format':<8} {'wall s':>7} {'cpu s':>7} {'MB':>7}")
    for fmt, (wall, cpu, size) in exports.items():
        if fmt == "tables":
            print(f"  {'(of which xlsx and csv first read the workshop into tables)':<8} {wall:>7.2f} {cpu:>7.2f}")
        else:
            print(f"  {fmt:<8} {wall:>7.2f} {cpu:>7.2f} {size / 1e6:>7.2f}")


def report(samples: dict[str, list[float]], large: dict, small: dict, seeded_s: float, exports: dict,
           database: str) -> dict:
    med = {name: statistics.median(values) for name, values in samples.items()}
    ratios = {
        "dashboard large / small (warm; goal <= 2)": med["dashboard large"] / med["dashboard small"],
        "dashboard page / bare page, large (warm; goal <= 1.3)": med["dashboard large"] / med["bare large"],
        "dashboard large / small (cold cache)": med["dashboard large (cold)"] / med["dashboard small (cold)"],
        "rating page large / small": med["rating page large"] / med["rating page small"],
    }
    import streamlit

    env = {"database": database, "cores": os.cpu_count(), "python": platform.python_version(),
           "streamlit": streamlit.__version__,
           "large": large, "small": small, "seed seconds": round(seeded_s, 2),
           "method": f"AppTest reruns, median of {RERUNS} per round, median of {ROUNDS} interleaved rounds"}
    print(f"Hyperplan dashboard benchmark — {env['method']}")
    print(f"  large: {large}\n  small: {small}\n  seeded in {seeded_s:.1f} s on {database}; "
          f"{env['cores']} cores, Python {env['python']}, Streamlit {env['streamlit']}\n")
    print(f"  {'measurement':<40} {'median ms':>10}")
    for name, value in med.items():
        print(f"  {name:<40} {value:>10.1f}")
    print()
    for name, value in ratios.items():
        print(f"  {name:<58} {value:>6.2f}x")
    print("\n  export of the large workshop")
    print_exports(exports)
    results = {"environment": env, "median_ms": med, "ratios": ratios,
               "export_seconds": {fmt: round(wall, 3) for fmt, (wall, _, _) in exports.items()},
               "export_cpu_seconds": {fmt: round(cpu, 3) for fmt, (_, cpu, _) in exports.items()}}
    (ROOT / "bench" / "results.json").write_text(json.dumps(results, indent=2))
    return results


if __name__ == "__main__":
    if sys.argv[1:] == ["exports"]:
        exports_only()
    else:
        main(sys.argv[1] if len(sys.argv) > 1 else None)
