import threading

import pytest
from sqlalchemy import inspect, text
from sqlmodel import SQLModel

from planning import demands as dm
from planning import workshops as ws
from planning.votes import cast_vote, get_ballot
from tests.factories import make_room


def test_sqlite_runs_in_wal_mode_with_foreign_keys(sqlite_url):
    from planning.db import Database

    db = Database(sqlite_url)
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000
    db.dispose()


def test_the_migrated_schema_has_every_table(db):
    tables = set(inspect(db.engine).get_table_names())
    assert {t.name for t in SQLModel.metadata.sorted_tables} <= tables
    assert "alembic_version" in tables


def test_a_failed_use_case_writes_nothing(db):
    room = make_room(db)
    for transaction in (db.write, db.write_rows):  # a session, and a bare connection
        with pytest.raises(RuntimeError), transaction() as s:
            s.execute(text("UPDATE workshop SET title = 'half written'"))
            raise RuntimeError("crash in the middle")
    with db.read() as s:  # a read changes nothing, even if asked to
        s.execute(text("UPDATE workshop SET title = 'written by a read'"))
    with db.read() as s:
        assert s.execute(text("SELECT title FROM workshop WHERE join_code = :c"), {"c": room.code}).scalar() \
            == "Freight 2027"


def test_concurrent_read_then_write_use_cases_lose_nothing_and_never_see_locked(db):
    """Two threads hammer services that read then write: BEGIN IMMEDIATE makes the second wait, not fail."""
    room = make_room(db, participants_count=2, budget=50, cap=50)
    ws.set_item_limits(db, room.code, room.key, per_person=100, per_minute=120)  # 41 in a second: no person
    target = dm.add_demand(db, room.tokens[0], "Target").id
    errors: list[BaseException] = []

    def work(token: str) -> None:
        try:
            for i in range(40):
                dm.add_demand(db, token, f"demand {i}")
                cast_vote(db, token, target)
        except BaseException as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(t,)) for t in room.tokens]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(dm.list_shown_demands(db, room.code)) == 81
    assert [get_ballot(db, t).used for t in room.tokens] == [40, 40]
