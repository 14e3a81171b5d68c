"""Races with real threads, on SQLite and PostgreSQL: a workshop's writes take turns, whatever the database."""

import sqlite3
import threading
import time
from collections.abc import Callable

import pytest
from sqlalchemy import func, text
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlmodel import select

from planning import demands as dm
from planning import workshops as ws
from planning.db import Database
from planning.errors import PlanningError, WorkshopLocked
from planning.initiatives import merge_initiatives
from planning.models import Demand, Initiative, Rating
from planning.ratings import rate_initiative
from planning.votes import cast_vote, retract_vote
from tests.factories import make_initiative, make_room


def together(*calls: Callable[[], object]) -> list[object]:
    """Run the calls in threads released at the same instant; each one's result or exception, in order."""
    start = threading.Barrier(len(calls))
    out: list[object] = [None] * len(calls)

    def run(i: int, call: Callable[[], object]) -> None:
        start.wait()
        try:
            out[i] = call()
        except BaseException as error:  # noqa: BLE001 - returned to the test, which asserts on it
            out[i] = error

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return out


def unexpected(outcomes: list[object]) -> list[BaseException]:
    """Exceptions other than a typed refusal: each one would reach a person as a crash or a 'busy'."""
    return [o for o in outcomes if isinstance(o, BaseException) and not isinstance(o, PlanningError)]


@pytest.mark.parametrize(("model", "merge"), [(Demand, dm.merge_demands), (Initiative, merge_initiatives)])
def test_two_tabs_merging_a_into_b_and_b_into_a_never_leave_a_cycle(db, model, merge):
    room = make_room(db, participants_count=3, phase="inner_customer" if model is Demand else "value_exchange")
    room_limits(db, room)
    for trial in range(12):
        if model is Demand:
            a, b = (dm.add_demand(db, room.tokens[i], f"Duplicate {trial}").id for i in (0, 1))
        else:
            a, b = (make_initiative(db, room.tokens[i], f"Duplicate {trial}").id for i in (0, 1))
        outcomes = together(*(lambda one=one, other=other: merge(db, room.code, room.key, one, other)
                              for one, other in ((a, b), (b, a))))
        assert unexpected(outcomes) == []
        with db.read() as s:
            parents = dict(s.exec(select(model.id, model.merged_into_id).where(model.id.in_([a, b]))).all())
        assert parents in ({a: b, b: None}, {a: None, b: a}), f"trial {trial}: {parents}"


def test_one_person_rating_from_two_devices_at_once_keeps_one_rating(db):
    room = make_room(db, participants_count=4, phase="value_exchange")
    items = [make_initiative(db, room.tokens[1 + i % 3], f"Idea {i}").id for i in range(9)]
    ws.set_phase(db, room.code, room.key, "score_vote")
    for item in items:
        for axis in ("customer", "company"):
            outcomes = together(lambda item=item, axis=axis: rate_initiative(db, room.tokens[0], item, axis, 3),
                                lambda item=item, axis=axis: rate_initiative(db, room.tokens[0], item, axis, 8))
            assert unexpected(outcomes) == [], f"initiative {item} {axis}"
    with db.read() as s:
        rows = s.exec(select(Rating.initiative_id, Rating.axis, Rating.score)).all()
    assert len(rows) == 2 * len(items) and {score for *_, score in rows} <= {3, 8}


def _writer(db: Database, token: str, stop: threading.Event, refused: list[BaseException]) -> None:
    n = 0
    while not stop.is_set():
        try:
            dm.add_demand(db, token, f"demand {n}")
            n += 1
        except WorkshopLocked:
            return
        except BaseException as error:  # noqa: BLE001 - asserted by the test
            refused.append(error)
            return


def _count(db: Database, room) -> int:
    with db.read() as s:
        return s.exec(select(func.count()).select_from(Demand)).one()


@pytest.mark.parametrize("trial", range(3))
def test_once_lock_workshop_returns_no_demand_is_stored(db, trial):
    room = make_room(db, participants_count=16)
    room_limits(db, room)
    stop, refused = threading.Event(), []
    writers = [threading.Thread(target=_writer, args=(db, t, stop, refused)) for t in room.tokens]
    for w in writers:
        w.start()
    deadline = time.monotonic() + 10
    while _count(db, room) < 40 and time.monotonic() < deadline:
        time.sleep(0.01)
    ws.lock_workshop(db, room.code, room.key)
    at_lock = _count(db, room)
    time.sleep(0.2)
    stop.set()
    for w in writers:
        w.join(30)
    assert refused == []
    assert _count(db, room) == at_lock


def test_participant_writes_never_deadlock_with_facilitator_controls(db):
    room = make_room(db, participants_count=8)
    room_limits(db, room)
    target = dm.add_demand(db, room.tokens[0], "Target").id
    rounds = 15

    def participant(token: str) -> None:
        for n in range(rounds):
            dm.add_demand(db, token, f"demand {n}")
            cast_vote(db, token, target)
            retract_vote(db, token, target)

    def facilitator() -> None:
        for n in range(rounds):
            ws.set_anonymous(db, room.code, room.key, n % 2 == 0)
            ws.start_timer(db, room.code, room.key, 5)
            dm.hide_demand(db, room.code, room.key, target, hidden=False)

    outcomes = together(*(lambda t=t: participant(t) for t in room.tokens), facilitator, facilitator, facilitator)
    assert [o for o in outcomes if o is not None] == []
    assert _count(db, room) == 1 + rounds * len(room.tokens)


def room_limits(db: Database, room) -> None:
    """Raise the per-person limits: these races add far more, far faster, than a person could."""
    ws.set_item_limits(db, room.code, room.key, per_person=1000, per_minute=120)


# --- what counts as "busy, try again": by error code, never by the words of the message


def _driver_error(db: Database, sql: str) -> DBAPIError:
    with pytest.raises(DBAPIError) as caught, db.engine.connect() as conn:
        conn.exec_driver_sql(sql)
    return caught.value


def test_an_error_whose_message_says_locked_is_not_busy(db):
    error = _driver_error(db, "SELECT locked_out FROM workshop_is_locked")
    assert "locked" in str(error)
    assert not Database.is_busy(error)


def test_sqlite_busy_is_busy_whether_from_the_driver_or_from_our_own_queue(sqlite_url):
    db = Database(sqlite_url, busy_timeout_ms=100)
    room = make_room(db)
    holder = sqlite3.connect(db.engine.url.database, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    with pytest.raises(OperationalError) as from_driver:
        dm.add_demand(db, room.tokens[0], "Too early")
    holder.execute("ROLLBACK")
    holder.close()
    held, release = threading.Event(), threading.Event()

    def hold_turn() -> None:
        with db.write():
            held.set()
            release.wait(5)

    thread = threading.Thread(target=hold_turn)
    thread.start()
    held.wait(5)
    with pytest.raises(OperationalError) as from_queue:
        dm.add_demand(db, room.tokens[0], "Also too early")
    release.set()
    thread.join()
    assert Database.is_busy(from_driver.value) and Database.is_busy(from_queue.value)
    db.dispose()


@pytest.mark.postgresql
def test_postgres_lock_timeout_deadlock_and_serialization_failures_are_busy(postgres_url):
    db = Database(postgres_url)
    room = make_room(db, participants_count=0)
    errors = [_lock_timeout(db, room.code), _deadlock(db), _serialization_failure(db, room.code)]
    assert [getattr(e.orig, "sqlstate", None) for e in errors] == ["55P03", "40P01", "40001"]
    assert [Database.is_busy(e) for e in errors] == [True, True, True]
    db.dispose()


def _lock_timeout(db: Database, code: str) -> OperationalError:
    with db.engine.connect() as holder, holder.begin():
        holder.execute(text("SELECT id FROM workshop WHERE join_code = :c FOR UPDATE"), {"c": code})
        with pytest.raises(OperationalError) as caught, db.engine.connect() as waiter, waiter.begin():
            waiter.exec_driver_sql("SET LOCAL lock_timeout = '50ms'")
            waiter.execute(text("SELECT id FROM workshop WHERE join_code = :c FOR UPDATE"), {"c": code})
    return caught.value


def _deadlock(db: Database) -> OperationalError:
    with db.engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE IF NOT EXISTS race_pair (id int PRIMARY KEY)")
        conn.exec_driver_sql("INSERT INTO race_pair VALUES (1), (2) ON CONFLICT DO NOTHING")
    both = threading.Barrier(2)

    def cross(first: int, second: int) -> OperationalError | None:
        with db.engine.connect() as conn, conn.begin():
            conn.exec_driver_sql(f"SELECT id FROM race_pair WHERE id = {first} FOR UPDATE")
            both.wait()
            try:
                conn.exec_driver_sql(f"SELECT id FROM race_pair WHERE id = {second} FOR UPDATE")
            except OperationalError as error:
                return error
        return None

    outcomes = together(lambda: cross(1, 2), lambda: cross(2, 1))
    with db.engine.begin() as conn:
        conn.exec_driver_sql("DROP TABLE race_pair")
    return next(o for o in outcomes if isinstance(o, OperationalError))


def _serialization_failure(db: Database, code: str) -> OperationalError:
    with db.engine.connect() as first, db.engine.connect() as second:
        first.begin()
        first.exec_driver_sql("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        first.execute(text("SELECT title FROM workshop WHERE join_code = :c"), {"c": code})
        with second.begin():
            second.execute(text("UPDATE workshop SET title = 'changed' WHERE join_code = :c"), {"c": code})
        with pytest.raises(OperationalError) as caught:
            first.execute(text("UPDATE workshop SET title = 'changed again' WHERE join_code = :c"), {"c": code})
        first.rollback()
    return caught.value
