"""An upgrade keeps yesterday's workshop: build at the first migration with data, upgrade, read it back."""

from alembic import command
from alembic.config import Config
from sqlalchemy import text

from planning.db import MIGRATIONS, Database
from planning.demands import list_shown_demands
from planning.workshops import get_workshop


def _upgrade(db: Database, revision: str) -> None:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)


def test_upgrade_from_the_first_migration_keeps_the_workshop(tmp_path):
    db = Database(f"sqlite:///{tmp_path / 'old.db'}")
    _upgrade(db, "0001")
    with db.engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO workshop (id, join_code, title, company, segment, facilitator_key_hash, phase, anonymous,"
            " private_until_reveal, revealed, vote_budget, vote_cap, locked, revision, is_demo, created_at)"
            " VALUES (1, 'OLDCODE2', 'Yesterday', 'Acme', 'shippers', 'x', 'inner_customer', 0, 0, 0, 5, 3, 0, 7, 0,"
            " '2026-11-22 10:00:00')"
        ))
        conn.execute(text("INSERT INTO participant (id, workshop_id, name, token_hash, joined_at)"
                          " VALUES (1, 1, 'Ana', 'h', '2026-11-22 10:01:00')"))
        conn.execute(text("INSERT INTO demand (id, workshop_id, participant_id, text, hidden, created_at, updated_at)"
                          " VALUES (1, 1, 1, 'Deliver on time ✓', 0, '2026-11-22 10:02:00', '2026-11-22 10:02:00')"))
    db.migrate()
    w = get_workshop(db, "OLDCODE2")
    assert (w.title, w.phase, w.revision, w.participant_count, w.results_revealed) == (
        "Yesterday", "inner_customer", 7, 1, False)
    assert [d.text for d in list_shown_demands(db, "OLDCODE2")] == ["Deliver on time ✓"]
    db.dispose()


def test_migrating_twice_changes_nothing(tmp_path):
    db = Database(f"sqlite:///{tmp_path / 'twice.db'}")
    db.migrate()
    db.migrate()
    with db.engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one() == "0005"
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
