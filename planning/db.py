"""The engine and its transactions: one use case, one `write()` or `read()`."""

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import OperationalError
from sqlmodel import Session

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"
BUSY_TIMEOUT_MS = 10_000


def _sqlite_engine(url: str, busy_timeout_ms: int) -> Engine:
    path = make_url(url).database
    if path and path != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(
        url,
        connect_args={"check_same_thread": False, "timeout": busy_timeout_ms / 1000},
        pool_size=20,
        max_overflow=40,
    )

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_conn, _record) -> None:
        # Database emits BEGIN itself (SQLAlchemy's pysqlite recipe), so transactions are real.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cur.close()

    return engine


def make_engine(url: str, busy_timeout_ms: int = BUSY_TIMEOUT_MS) -> Engine:
    """An engine for `url`: SQLite with WAL and locking set up, or PostgreSQL via psycopg.

    On SQLite the driver is in autocommit mode: transactions are those `Database` begins."""
    if url.startswith("sqlite"):
        return _sqlite_engine(url, busy_timeout_ms)
    return create_engine(url, pool_pre_ping=True, pool_size=20, max_overflow=40)


class Database:
    """The app's database: `write()` and `read()` each open one committed transaction."""

    def __init__(self, url: str, busy_timeout_ms: int = BUSY_TIMEOUT_MS) -> None:
        self.url = url
        self.engine = make_engine(url, busy_timeout_ms)
        # SQLite has one writer at a time. Threads of this process queue here, woken in turn, instead of
        # in SQLite's busy handler, which sleeps up to 100 ms between tries while the lock sits free
        # (measured by bench/storm.py). Other processes still meet the busy timeout.
        self._write_turn = threading.Lock() if self.is_sqlite else None
        self._busy_timeout_s = busy_timeout_ms / 1000

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @contextmanager
    def _turn(self) -> Iterator[None]:
        """This process's turn to write (SQLite); waiting longer than the busy timeout is 'locked'."""
        if self._write_turn is None:
            yield
            return
        if not self._write_turn.acquire(timeout=self._busy_timeout_s):
            raise OperationalError("BEGIN IMMEDIATE", None, sqlite3.OperationalError("database is locked"))
        try:
            yield
        finally:
            self._write_turn.release()

    @contextmanager
    def _transaction(self, mode: str, *, commit: bool = True) -> Iterator[Connection]:
        """A pooled connection in a transaction, committed on exit (unless not `commit`), rolled back on any
        exception.

        On SQLite, BEGIN `mode` goes straight to the driver. SQLAlchemy's recipe emits it from a "begin"
        event hook, but any hook makes every statement dispatch events: a fifth of a write (bench/storm.py)."""
        with self.engine.connect() as conn, conn.begin() as transaction:
            if self.is_sqlite:
                try:
                    conn.connection.driver_connection.execute(f"BEGIN {mode}")
                except sqlite3.OperationalError as error:  # "locked": as SQLAlchemy would have raised it
                    raise OperationalError(f"BEGIN {mode}", None, error) from error
            yield conn
            if not commit:
                transaction.rollback()

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A session whose transaction commits on exit and rolls back on any exception."""
        # BEGIN IMMEDIATE: a deferred read-then-write cannot wait for SQLite's lock.
        with self._turn(), self._transaction("IMMEDIATE") as conn, Session(conn, expire_on_commit=False) as session:
            yield session
            session.flush()

    @contextmanager
    def write_rows(self) -> Iterator[Connection]:
        """Like `write()`, for the busiest use cases: a bare connection, rows instead of objects."""
        with self._turn(), self._transaction("IMMEDIATE") as conn:
            yield conn

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A session for queries, on one snapshot of the database; its transaction is rolled back on exit."""
        with self._transaction("DEFERRED", commit=False) as conn, Session(conn, expire_on_commit=False) as session:
            yield session

    def migrate(self) -> None:
        """Bring the schema to the newest migration (creates it on an empty database)."""
        from alembic import command
        from alembic.config import Config

        cfg = Config()
        cfg.set_main_option("script_location", str(MIGRATIONS))
        with self.engine.connect() as conn:
            if self.is_sqlite:  # batch migrations rebuild tables: SQLite's advice is FKs off, then check
                conn.connection.driver_connection.execute("PRAGMA foreign_keys=OFF")  # outside a transaction
            with conn.begin():
                if self.is_sqlite:
                    conn.connection.driver_connection.execute("BEGIN")
                cfg.attributes["connection"] = conn
                command.upgrade(cfg, "head")
                if self.is_sqlite and conn.exec_driver_sql("PRAGMA foreign_key_check").first():
                    raise RuntimeError("A migration left rows pointing at nothing; nothing was changed")
            if self.is_sqlite:
                conn.connection.driver_connection.execute("PRAGMA foreign_keys=ON")

    @staticmethod
    def is_busy(error: BaseException) -> bool:
        """Whether an error means another writer held the database longer than the busy timeout."""
        text = str(getattr(error, "orig", error)).lower()
        return isinstance(error, OperationalError) and ("locked" in text or "lock timeout" in text)

    def dispose(self) -> None:
        self.engine.dispose()
