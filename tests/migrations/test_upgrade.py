"""An upgrade keeps yesterday's workshop: build at the first migration with data, upgrade, read it back."""

import random
import uuid
from datetime import UTC, datetime

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, inspect, make_url, text

from planning.analytics import get_dashboard
from planning.db import MIGRATIONS, Database
from planning.demands import list_shown_demands
from planning.workshops import get_workshop
from tests.factories import make_busy_room

AT = datetime(2026, 11, 22, 10, 0, tzinfo=UTC)


def _upgrade(db: Database, revision: str) -> None:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)


def _downgrade(db: Database, revision: str) -> None:
    """As `Database.migrate` runs migrations: on SQLite with foreign keys off (batch operations rebuild tables
    that others refer to), then checked."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with db.engine.connect() as conn:
        driver = conn.connection.driver_connection
        if db.is_sqlite:
            driver.execute("PRAGMA foreign_keys=OFF")  # outside a transaction, or SQLite ignores it
        with conn.begin():
            if db.is_sqlite:
                driver.execute("BEGIN")
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, revision)
            if db.is_sqlite:
                assert conn.exec_driver_sql("PRAGMA foreign_key_check").first() is None
        if db.is_sqlite:
            driver.execute("PRAGMA foreign_keys=ON")


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql)])
def empty_url(request, tmp_path):
    """An empty database (no tables at all) on SQLite and on the test PostgreSQL server."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'old.db'}"
        return
    server = make_url(request.getfixturevalue("postgres_url"))
    name = f"upgrade_{uuid.uuid4().hex[:8]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"CREATE DATABASE {name}"))
    yield server.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(text(f"DROP DATABASE {name} WITH (FORCE)"))
    admin.dispose()


def test_upgrade_from_the_first_migration_keeps_the_workshop(empty_url):
    db = Database(empty_url)
    _upgrade(db, "0001")
    with db.engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO workshop (id, join_code, title, company, segment, facilitator_key_hash, phase, anonymous,"
            " private_until_reveal, revealed, vote_budget, vote_cap, locked, revision, is_demo, created_at)"
            " VALUES (1, 'OLDCODE2', 'Yesterday', 'Acme', 'shippers', 'x', 'inner_customer', :f, :f, :f, 5, 3, :f, 7,"
            " :f, :at)"
        ), {"f": False, "at": AT})
        conn.execute(text("INSERT INTO participant (id, workshop_id, name, token_hash, joined_at)"
                          " VALUES (1, 1, 'Ana', 'h', :at)"), {"at": AT})
        conn.execute(text("INSERT INTO demand (id, workshop_id, participant_id, text, hidden, created_at, updated_at)"
                          " VALUES (1, 1, 1, 'Deliver on time ✓', :f, :at, :at)"), {"f": False, "at": AT})
    db.migrate()
    w = get_workshop(db, "OLDCODE2")
    assert (w.title, w.phase, w.revision, w.participant_count, w.results_revealed) == (
        "Yesterday", "inner_customer", 7, 1, False)
    assert [d.text for d in list_shown_demands(db, "OLDCODE2")] == ["Deliver on time ✓"]
    db.dispose()


def test_the_tallies_migration_counts_what_was_there_and_goes_back_cleanly(empty_url):
    db = Database(empty_url)
    db.migrate()
    room = make_busy_room(db, random.Random(7))
    before = get_dashboard(db, room.code)
    _downgrade(db, "0011")
    with db.engine.connect() as conn:
        assert not {"rating_tally", "demand_vote_tally"} & set(inspect(conn).get_table_names())
    db.migrate()
    assert get_dashboard(db, room.code) == before and before.progress.started > 0
    db.dispose()


def test_migrating_twice_changes_nothing(tmp_path):
    db = Database(f"sqlite:///{tmp_path / 'twice.db'}")
    db.migrate()
    db.migrate()
    with db.engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one() == "0014"
    db.dispose()


def test_the_models_and_the_migrations_agree(tmp_path):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlmodel import SQLModel

    db = Database(f"sqlite:///{tmp_path / 'models.db'}")
    db.migrate()
    with db.engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), SQLModel.metadata) == []
    db.dispose()
