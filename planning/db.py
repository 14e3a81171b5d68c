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
# Worth another try: serialization failure, deadlock detected, lock not available (PostgreSQL's lock_timeout).
BUSY_SQLSTATES = frozenset({"40001", "40P01", "55P03"})
BUSY_SQLITE_CODES = frozenset({sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED})  # primary codes, without extensions


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

    On SQLite the driver is in autocommit mode: transactions are those `Database` begins. On PostgreSQL a
    write waits for a row lock at most the busy timeout, as SQLite waits for its lock, then fails as busy."""
    if url.startswith("sqlite"):
        return _sqlite_engine(url, busy_timeout_ms)
    return create_engine(url, pool_pre_ping=True, pool_size=20, max_overflow=40,
                         connect_args={"options": f"-c lock_timeout={int(busy_timeout_ms)}"})


def busy_error(statement: str) -> OperationalError:
    """'database is locked', as SQLite's driver reports it (with its error code), for our own queue's timeout."""
    error = sqlite3.OperationalError("database is locked")
    error.sqlite_errorcode, error.sqlite_errorname = sqlite3.SQLITE_BUSY, "SQLITE_BUSY"
    return OperationalError(statement, None, error)


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
            raise busy_error("BEGIN IMMEDIATE")
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
        """A session whose transaction commits on exit and rolls back on any exception.

        Its `info["lock_rows"]` tells planning.access to lock the workshop row first (PostgreSQL), which makes a
        workshop's writes take turns as BEGIN IMMEDIATE makes every write take turns on SQLite."""
        # BEGIN IMMEDIATE: a deferred read-then-write cannot wait for SQLite's lock.
        with self._turn(), self._transaction("IMMEDIATE") as conn, Session(
            conn, expire_on_commit=False, info={"lock_rows": not self.is_sqlite}
        ) as session:
            yield session
            session.flush()

    @contextmanager
    def write_rows(self) -> Iterator[Connection]:
        """Like `write()`, for the busiest use cases: a bare connection, rows instead of objects."""
        with self._turn(), self._transaction("IMMEDIATE") as conn:
            yield conn

    @contextmanager
    def read_rows(self) -> Iterator[Connection]:
        """Like `read()`, for the reads every live screen makes: a bare connection, rows instead of objects."""
        with self._transaction("DEFERRED", commit=False) as conn:
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
        """Whether an error means the use case met other writers and is worth trying again (nothing was written):
        SQLite busy or locked, PostgreSQL's serialization failure, deadlock or lock timeout. Read from the
        driver's error code, never from the words of its message."""
        driver = getattr(error, "orig", error)
        if getattr(driver, "sqlstate", None) in BUSY_SQLSTATES:
            return True
        code = getattr(driver, "sqlite_errorcode", None)
        return isinstance(code, int) and code & 0xFF in BUSY_SQLITE_CODES

    def dispose(self) -> None:
        self.engine.dispose()
