"""Fixtures: a real, migrated database per test, on SQLite (a file, WAL) and on PostgreSQL."""

import os
import shutil

import pytest
from sqlalchemy import text
from sqlmodel import SQLModel

from planning.db import Database
from tests import pg

IN_CI = os.environ.get("CI") == "true"


def missing(reason: str) -> None:
    """Skip where the machine lacks a part; under CI a missing part fails the run."""
    if IN_CI:
        pytest.fail(f"{reason} (required when CI=true)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory):
    """A SQLite file migrated once; tests get copies of it."""
    path = tmp_path_factory.mktemp("template") / "template.db"
    db = Database(f"sqlite:///{path}")
    db.migrate()
    db.dispose()
    return path


@pytest.fixture
def sqlite_url(sqlite_template, tmp_path) -> str:
    """The URL of a fresh, migrated SQLite file for this test."""
    path = tmp_path / "hyperplan.db"
    shutil.copy(sqlite_template, path)
    return f"sqlite:///{path}"


@pytest.fixture(scope="session")
def postgres_url():
    """A migrated PostgreSQL database: HYPERPLAN_TEST_POSTGRES_URL, else a throwaway local server."""
    url = os.environ.get("HYPERPLAN_TEST_POSTGRES_URL")
    server = None
    if not url:
        bindir = pg.binaries()
        if bindir is None:
            missing("PostgreSQL is not installed (apt-get install postgresql)")
        server = pg.Server(bindir)
        url = server.url
    db = Database(url)
    db.migrate()
    db.dispose()
    yield url
    if server:
        server.stop()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql)])
def db(request):
    """A Database on a fresh migrated schema: every service test runs on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        database = Database(request.getfixturevalue("sqlite_url"))
    else:
        database = Database(request.getfixturevalue("postgres_url"))
        tables = ", ".join(t.name for t in SQLModel.metadata.sorted_tables)
        with database.engine.begin() as conn:
            conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    yield database
    database.dispose()
