"""A real `streamlit run app.py` on a fresh database, and Debian's Chromium driven by Playwright.

Missing parts (Chromium, the playwright package) skip these tests on a laptop and fail them on CI.
"""

from __future__ import annotations  # the annotations name Playwright types, which may be missing

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

try:
    from playwright.sync_api import Browser, sync_playwright
except ImportError:  # reported by the `browser` fixture: skip locally, fail on CI
    sync_playwright = None

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM_CANDIDATES = ("/usr/lib/chromium/chromium", "/usr/bin/chromium")  # the first skips Debian's wrapper
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
HEALTH_DEADLINE = 30.0
# The page has no run under way (wait for it before a press that must not land on a run a live redraw began)
IDLE = "document.querySelector('[data-testid=stApp]')?.getAttribute('data-test-script-state') === 'notRunning'"
SERVER_LOG = pytest.StashKey[Path]()


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "e2e: drives a real browser against a running Streamlit server")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item) -> Iterator[pytest.TestReport]:
    """On a failure, attach the server's log to the report (datasette's pattern, shortened)."""
    report = yield
    log = item.stash.get(SERVER_LOG, None)
    if report.failed and log is not None and log.exists():
        report.sections.append(("streamlit server log", log.read_text(errors="replace")[-20_000:]))
    return report


def missing(reason: str) -> None:
    """A part the test needs is not here: a skip on a laptop, a failure on CI."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI=true, so this is a failure, not a skip)", pytrace=False)
    pytest.skip(reason)


def chromium_path() -> str | None:
    """HYPERPLAN_CHROMIUM when set (and only it), else Debian's binary, else its wrapper script."""
    chosen = os.environ.get("HYPERPLAN_CHROMIUM")
    for candidate in [chosen] if chosen else CHROMIUM_CANDIDATES:
        if found := shutil.which(candidate):
            return found
    return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_healthy(base: str, proc: subprocess.Popen, log: Path) -> None:
    """Poll /_stcore/health until it answers "ok"; fail at once if the server died."""
    deadline = time.monotonic() + HEALTH_DEADLINE
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{base}/_stcore/health", timeout=1) as response:
                if response.read().strip() == b"ok":
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        try:
            proc.wait(0.1)  # the polling interval, and a quick exit if the server died
        except subprocess.TimeoutExpired:
            continue
        pytest.fail(f"streamlit exited with {proc.returncode}:\n{log.read_text(errors='replace')}")
    pytest.fail(f"streamlit not healthy after {HEALTH_DEADLINE:.0f} s:\n{log.read_text(errors='replace')}")


@pytest.fixture
def server(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The app on 127.0.0.1 with its own SQLite file; yields the base URL."""
    log = tmp_path / "streamlit.log"
    request.node.stash[SERVER_LOG] = log
    with app_server(f"sqlite:///{tmp_path / 'e2e.db'}", log) as base:
        yield base


def start_app(database_url: str, port: int, log: Path, mode: str = "wb") -> subprocess.Popen:
    """`streamlit run app.py` on 127.0.0.1:`port` with this database, its output to `log`; not waited for."""
    env = {**os.environ, "DATABASE_URL": database_url}
    for name in ("HYPERPLAN_ORGANISER_PASSCODE", "HYPERPLAN_PUBLIC_URL"):
        env.pop(name, None)
    command = [sys.executable, "-m", "streamlit", "run", "server.py", "--server.address", "127.0.0.1",
               "--server.port", str(port), "--server.headless", "true", "--browser.gatherUsageStats", "false",
               "--server.fileWatcherType", "none"]
    with log.open(mode) as out:
        return subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)


@contextlib.contextmanager
def app_server(database_url: str, log: Path) -> Iterator[str]:
    """`streamlit run app.py` on a free port of 127.0.0.1 with this database; stopped on exit."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    proc = start_app(database_url, port, log)
    try:
        wait_healthy(base, proc, log)
        yield base
    finally:
        stop(proc)


def stop(proc: subprocess.Popen) -> None:
    """Ask the server to stop; kill it if it has not within 10 s."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)


@pytest.fixture
def browser() -> Iterator[Browser]:
    if sync_playwright is None:
        missing("the playwright package is not installed (pip install -r requirements-dev.txt)")
    executable = chromium_path()
    if executable is None:
        missing(f"no Chromium at {os.environ.get('HYPERPLAN_CHROMIUM') or CHROMIUM_CANDIDATES}: "
                "apt-get install chromium, or set HYPERPLAN_CHROMIUM")
    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()
