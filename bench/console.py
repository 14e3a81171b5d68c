"""The facilitator's console in a real browser: `python -m bench.console [rounds]` from the repository root.

Seeds the large benchmark workshop (200 participants, 2,000 demands, 400 initiatives, in Review) and the small one
into a fresh SQLite file (bench/seed.py), starts the real server (`streamlit run server.py` on 127.0.0.1) and
opens each console in Debian's Chromium at 1920x1080, the two interleaved, each round in a new browser context
(a facilitator opening the console). For each it times:

1. drawn: from navigation until the console is ready to use: its status line, the Lock button and the Demands
   tab's first page are shown, and Streamlit says it is no longer running;
2. a control: a press of "Lock the workshop" until the console shows "Unlock the workshop" and the database
   says locked (then it is unlocked again, through the console).

Results go to bench/console_results.json; the goal (issue 12) is a large console drawn in at most 3 s.
"""

import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from playwright.sync_api import Page, expect, sync_playwright  # noqa: E402

from bench.seed import LARGE, SMALL, seed_workshop  # noqa: E402
from planning.db import Database  # noqa: E402
from planning.workshops import get_workshop  # noqa: E402
from tests.e2e.conftest import CHROMIUM_ARGS, app_server, chromium_path  # noqa: E402

ROUNDS, WALL, WAIT = 5, {"width": 1920, "height": 1080}, 60_000
LOCK, UNLOCK = "Lock the workshop (read-only for everyone)", "Unlock the workshop"


def drawn(page: Page, base: str, code: str, key: str) -> float:
    """Seconds from navigation until the console is ready to use."""
    began = time.perf_counter()
    page.goto(f"{base}/facilitator?code={code}&key={key}", wait_until="commit")
    expect(page.get_by_test_id("hp-console-status")).to_be_visible(timeout=WAIT)
    expect(page.get_by_role("button", name=LOCK)).to_be_visible(timeout=WAIT)
    expect(page.get_by_role("tab", name="Demands")).to_be_visible(timeout=WAIT)
    expect(page.get_by_test_id("stStatusWidget")).to_have_count(0, timeout=WAIT)
    return time.perf_counter() - began


def control(page: Page, db: Database, code: str) -> float:
    """Seconds from a press of Lock until the console shows it and the database has it; then unlocked again."""
    began = time.perf_counter()
    page.get_by_role("button", name=LOCK).click()
    expect(page.get_by_role("button", name=UNLOCK)).to_be_visible(timeout=WAIT)
    while not get_workshop(db, code).locked:
        time.sleep(0.01)
    seconds = time.perf_counter() - began
    page.get_by_role("button", name=UNLOCK).click()
    expect(page.get_by_role("button", name=LOCK)).to_be_visible(timeout=WAIT)
    return seconds


def run(rounds: int = ROUNDS, sizes: tuple[dict, dict] = (LARGE, SMALL)) -> dict:
    work = Path(tempfile.mkdtemp(prefix="hyperplan-console-"))
    url = f"sqlite:///{work / 'console.db'}"
    db = Database(url)
    db.migrate()
    rng = random.Random(42)
    workshops = {"large": seed_workshop(db, sizes[0], rng, "Large benchmark"),
                 "small": seed_workshop(db, sizes[1], rng, "Small benchmark")}
    times: dict[str, dict[str, list[float]]] = {name: {"drawn": [], "control": []} for name in workshops}
    with app_server(url, work / "server.log") as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        for w in workshops.values():  # a first, discarded visit of each: the server's cold imports
            context = browser.new_context(viewport=WALL)
            drawn(context.new_page(), base, w.code, w.key)
            context.close()
        for _ in range(rounds):
            for name, w in workshops.items():
                context = browser.new_context(viewport=WALL)
                page = context.new_page()
                times[name]["drawn"].append(drawn(page, base, w.code, w.key))
                times[name]["control"].append(control(page, db, w.code))
                context.close()
        browser.close()
    medians = {name: {what: statistics.median(values) for what, values in t.items()} for name, t in times.items()}
    return {"rounds": rounds, "sizes": {"large": sizes[0], "small": sizes[1]}, "seconds": times, "medians": medians,
            "drawn, large / small": medians["large"]["drawn"] / medians["small"]["drawn"]}


def main() -> None:
    r = run(int(sys.argv[1]) if len(sys.argv) > 1 else ROUNDS)
    (ROOT / "bench" / "console_results.json").write_text(json.dumps(r, indent=2) + "\n")
    m = r["medians"]
    print(f"Console in Chromium at 1920x1080, medians of {r['rounds']} rounds:")
    for name in ("large", "small"):
        print(f"  {name}: drawn in {m[name]['drawn']:.2f} s, "
              f"Lock pressed until stored and shown {m[name]['control']:.2f} s")
    print(f"  drawn, large / small: {r['drawn, large / small']:.2f} (goal: large drawn in at most 3 s)")


if __name__ == "__main__":
    main()
