"""The load and polling benchmarks, small, so they keep working: the real server, real browsers for
the load, Streamlit's websocket protocol for the polling. The full runs are `python -m bench.load`
and `python -m bench.polling`; their figures are in the README."""

import asyncio

import pytest

import bench.load
import bench.polling
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
    wall = result["big screen"]
    assert wall["demands seen"] == wall["of"] == 3 * bench.load.DEMANDS  # fewer than the wall's 10
    assert 0 < wall["median ms"] <= wall["p95 ms"]


def test_an_unchanged_workshop_costs_one_query_a_poll_on_the_real_server(tmp_path, monkeypatch):
    monkeypatch.setattr(bench.polling, "SETTLE", 6.0)
    monkeypatch.setattr(bench.polling, "WINDOW", 10.0)
    url = f"sqlite:///{tmp_path / 'polling.db'}"
    tokens = bench.polling.seed(url, 5)
    result = asyncio.run(bench.polling.measure("app.py", "participant", [f"p={t}" for t in tokens], url, tmp_path))
    assert result["errors"] == []
    assert result["polls"] >= 5 * 2 * 10 / 5 - 5  # two timed fragments a page, every 5 s
    assert result["runs finished, by status"]["FINISHED_SUCCESSFULLY"] == 5  # each page's first run
    sql = result["sql per poll"]
    assert 0.5 <= sql["SELECT"] <= 1.05, sql  # one revision read a poll (two requests may share a run)
    assert not sql.get("INSERT") and not sql.get("UPDATE"), sql
