"""Another process holding the write lock delays writes but never loses one."""

import sqlite3
import threading
import time

import pytest
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from planning import demands as dm
from planning.db import Database
from tests.factories import make_room


def _hold_write_lock(path: str, seconds: float, started: threading.Event) -> None:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("BEGIN IMMEDIATE")
    started.set()
    time.sleep(seconds)
    conn.execute("ROLLBACK")
    conn.close()


def test_a_held_lock_delays_a_write_without_losing_it(sqlite_url):
    db = Database(sqlite_url, busy_timeout_ms=5000)
    room = make_room(db)
    started = threading.Event()
    holder = threading.Thread(target=_hold_write_lock, args=(make_url(sqlite_url).database, 0.8, started))
    holder.start()
    started.wait()
    begun = time.perf_counter()
    dm.add_demand(db, room.tokens[0], "Written while another process held the lock")
    waited = time.perf_counter() - begun
    holder.join()
    assert waited >= 0.5
    assert [d.text for d in dm.list_shown_demands(db, room.code)] == ["Written while another process held the lock"]
    db.dispose()


def test_a_lock_held_past_the_busy_timeout_is_reported_as_busy_and_writes_nothing(sqlite_url):
    db = Database(sqlite_url, busy_timeout_ms=100)
    room = make_room(db)
    started = threading.Event()
    holder = threading.Thread(target=_hold_write_lock, args=(make_url(sqlite_url).database, 0.8, started))
    holder.start()
    started.wait()
    with pytest.raises(OperationalError) as error:
        dm.add_demand(db, room.tokens[0], "Too early")
    holder.join()
    assert Database.is_busy(error.value)
    assert dm.list_shown_demands(db, room.code) == []
    db.dispose()
