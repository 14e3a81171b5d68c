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
        # We emit BEGIN ourselves (SQLAlchemy's pysqlite recipe), so transactions are real.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cur.close()

    @event.listens_for(engine, "begin")
    def _begin(conn) -> None:
        # BEGIN IMMEDIATE for writes: a deferred read-then-write cannot wait for the lock.
        mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
        conn.exec_driver_sql(f"BEGIN {mode}")

    return engine


def make_engine(url: str, busy_timeout_ms: int = BUSY_TIMEOUT_MS) -> Engine:
    """An engine for `url`: SQLite with WAL and locking set up, or PostgreSQL via psycopg."""
    if url.startswith("sqlite"):
        return _sqlite_engine(url, busy_timeout_ms)
    return create_engine(url, pool_pre_ping=True, pool_size=20, max_overflow=40)


class Database:
    """The app's database: `write()` and `read()` each open one committed transaction."""

    def __init__(self, url: str, busy_timeout_ms: int = BUSY_TIMEOUT_MS) -> None:
        self.url = url
        self.engine = make_engine(url, busy_timeout_ms)
        self._writer = self.engine.execution_options(sqlite_begin="IMMEDIATE")
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
    def write(self) -> Iterator[Session]:
        """A session whose transaction commits on exit and rolls back on any exception."""
        with self._turn(), Session(self._writer, expire_on_commit=False) as session, session.begin():
            yield session

    @contextmanager
    def write_rows(self) -> Iterator[Connection]:
        """Like `write()`, for the busiest use cases: a bare connection, rows instead of objects."""
        with self._turn(), self._writer.begin() as conn:
            yield conn

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A session for queries; its transaction is rolled back when it closes."""
        with Session(self.engine, expire_on_commit=False) as session:
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
