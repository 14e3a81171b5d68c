"""Migration 0013: yesterday's self-check answers keep their results and lose who gave them."""

from datetime import UTC, datetime

from sqlalchemy import inspect, text

from planning.db import Database
from planning.models import Area, Level
from planning.selfcheck import selfcheck_results
from planning.workshops import get_workshop
from tests.migrations.test_upgrade import _upgrade, empty_url  # noqa: F401 - the fixture, on both databases

AT = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)
ANSWERED = datetime(2026, 11, 24, 10, 7, 31, 246813, tzinfo=UTC)
# (run, participant, area, level): run 1 closed, run 2 left open
ANSWERS = [(1, 1, "strategy", "risk"), (1, 1, "marketing", "great"), (1, 2, "strategy", "great"),
           (1, 2, "marketing", "great"), (1, 2, "relationships", "great"), (2, 1, "strategy", "improve")]


def _yesterday(db: Database) -> None:
    _upgrade(db, "0012")
    with db.engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO workshop (id, join_code, title, company, segment, facilitator_key_hash, phase, anonymous,"
            " private_until_reveal, revealed, vote_budget, vote_cap, locked, revision, room_revision, is_demo,"
            " results_revealed, wall_selfcheck, items_per_person, items_per_minute, created_at) VALUES (1, 'OLDCODE2',"
            " 'Yesterday', 'Acme', 'shippers', 'x', 'review', :f, :f, :f, 5, 3, :f, 7, 4, :f, :f, :f, 50, 10, :at)"),
            {"f": False, "at": AT})
        for n in (1, 2):
            conn.execute(text("INSERT INTO participant (id, workshop_id, name, token_hash, joined_at, removed)"
                              " VALUES (:n, 1, :name, :hash, :at, :f)"),
                         {"n": n, "name": f"P{n}", "hash": f"h{n}", "at": AT, "f": False})
        conn.execute(text("INSERT INTO selfcheck_run (id, workshop_id, number, opened_at, closed_at)"
                          " VALUES (1, 1, 1, :at, :at), (2, 1, 2, :at, NULL)"), {"at": AT})
        for run, person, area, level in ANSWERS:
            conn.execute(text("INSERT INTO selfcheck_rating (run_id, participant_id, area, level, updated_at)"
                              " VALUES (:run, :person, :area, :level, :at)"),
                         {"run": run, "person": person, "area": area, "level": level, "at": ANSWERED})


def test_answers_keep_their_results_and_lose_their_participant(empty_url):  # noqa: F811
    db = Database(empty_url)
    _yesterday(db)
    db.migrate()
    first, second = selfcheck_results(db, "OLDCODE2")
    assert (first.respondents, first.great_heavy, first.open) == (2, 1, False)
    assert first.distribution[Area.MARKETING][Level.GREAT] == 2 and first.distribution[Area.STRATEGY][Level.RISK] == 1
    assert (second.respondents, second.open) == (1, False)  # left open, it would count a changed answer twice
    w = get_workshop(db, "OLDCODE2")
    assert (w.revision, w.room_revision, w.selfcheck_run) == (8, 5, None)
    with db.engine.connect() as conn:
        columns = {c["name"] for c in inspect(conn).get_columns("selfcheck_rating")}
        keys = conn.execute(text("SELECT run_id, respondent FROM selfcheck_rating")).all()
    assert columns == {"run_id", "respondent", "area", "level"}
    assert len(set(keys)) == 3 and all(len(k) == 64 and k not in ("h1", "h2") for _, k in keys)
    db.dispose()
