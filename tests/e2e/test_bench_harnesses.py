"""The load, live and console benchmarks, small, so they keep working: the real server, real browsers for the load,
Streamlit's websocket protocol and the live stream for the live benchmark. The full runs are
`python -m bench.load`, `python -m bench.live` and `python -m bench.console`; their figures are in the README."""

import asyncio

import pytest

import bench.live
import bench.load
import bench.seed
from tests.e2e.conftest import chromium_path, missing, sync_playwright

pytestmark = pytest.mark.e2e


def test_a_small_room_under_load_loses_nothing_and_sees_no_error():
    if sync_playwright is None or chromium_path() is None:
        missing("the load harness needs the playwright package and Chromium")
    result = asyncio.run(bench.load.run(participants=3))
    assert result["errors"] == []
    assert result["acknowledged"] == result["stored"] == {
        "joins": 3, "demands": 3 * bench.load.DEMANDS, "votes": 3 * bench.load.VOTES,
        "ratings": 3 * 2 * bench.load.INITIATIVES}
    assert result["pressed"] == {k: v for k, v in result["stored"].items() if k != "joins"}
    assert result["per person, where pressed, acknowledged and stored differ"] == []
    wall = result["big screen"]
    assert wall["demands seen"] == wall["of"] == 3 * bench.load.DEMANDS
    assert 0 < wall["median ms"] <= wall["p95 ms"]


def test_every_open_page_receives_each_change_and_an_idle_room_costs_no_rerun(monkeypatch):
    monkeypatch.setattr(bench.live, "SETTLE", 6.0)
    monkeypatch.setattr(bench.live, "IDLE_WINDOW", 6.0)
    monkeypatch.setattr(bench.live, "BETWEEN", 0.5)
    result = asyncio.run(bench.live.run(pages=6))
    app = result["app"]
    assert app["errors"] == []
    for what, change in app["changes"].items():
        assert change["missed"] == 0 and change["p95 s"] < 5, (what, change)  # loose: CI shares its cores
        drawn = change["drawn"]  # and the run that drew it ended, on every page, after it came
        assert drawn["missed"] == 0 and change["median s"] <= drawn["median s"] < 10, (what, change)
    assert app["idle"]["reruns"] == 0  # nothing changed, so no page ran anything on the server
    assert result["bare 1-second fragment"]["reruns"] > 0
    floor = result["bare page, every page's full rerun at once"]  # the bare phone page ran to its end, each time
    assert floor["errors"] == [] and all(r["missed"] == 0 for r in floor["rounds"]), floor
    assert len(floor["rounds"]) == bench.live.PHASE_ROUNDS and floor["server cpu ms a page"] > 0


def test_the_console_benchmark_draws_both_consoles_and_its_lock_control_works():
    if sync_playwright is None or chromium_path() is None:
        missing("the console benchmark needs the playwright package and Chromium")
    import bench.console  # imports Playwright

    tiny = {"participants": 3, "demands": 5, "initiatives": 2, "votes_each": 1}
    result = bench.console.run(rounds=1, sizes=(bench.seed.SMALL, tiny))
    for name in ("large", "small"):
        assert len(result["seconds"][name]["drawn"]) == len(result["seconds"][name]["control"]) == 1
        assert 0 < result["medians"][name]["drawn"] < 60 and 0 < result["medians"][name]["control"] < 60
