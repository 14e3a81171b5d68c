"""Migration 0014: yesterday's workshop, in the Plan phase, keeps everything, carries nothing and can be followed up."""

from datetime import UTC, date, datetime

from sqlalchemy import text

from planning import followup
from planning.access import digest
from planning.db import Database
from planning.demands import list_shown_demands
from planning.plan.actions import list_actions
from planning.selfcheck import selfcheck_results
from tests.migrations.test_upgrade import _downgrade, _upgrade, empty_url  # noqa: F401 - the fixture, on both

AT = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)


def _yesterday(db: Database) -> None:
    _upgrade(db, "0013")
    with db.engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO workshop (id, join_code, title, company, segment, facilitator_key_hash, phase, anonymous,"
            " private_until_reveal, revealed, vote_budget, vote_cap, locked, revision, room_revision, is_demo,"
            " results_revealed, wall_selfcheck, items_per_person, items_per_minute, created_at) VALUES (1, 'OLDCODE2',"
            " 'Yesterday', 'Acme', 'shippers', :key, 'plan', :f, :f, :f, 5, 3, :t, 7, 4, :f, :t, :f, 50, 10, :at)"),
            {"f": False, "t": True, "at": AT, "key": digest("old-key")})
        conn.execute(text("INSERT INTO demand (id, workshop_id, text, hidden, created_at, updated_at)"
                          " VALUES (1, 1, 'Deliver on time', :f, :at, :at)"), {"f": False, "at": AT})
        conn.execute(text("INSERT INTO initiative (id, workshop_id, title, customer_value, company_value,"
                          " answers_no_demand, hidden, chosen, created_at, updated_at)"
                          " VALUES (1, 1, 'Tracking', 'I see it', 'Fewer calls', :f, :f, :t, :at, :at)"),
                     {"f": False, "t": True, "at": AT})
        conn.execute(text("INSERT INTO initiative_demand (initiative_id, demand_id) VALUES (1, 1)"))
        conn.execute(text("INSERT INTO action (id, workshop_id, initiative_id, what, owner, due, status, created_at,"
                          " start, milestone) VALUES (1, 1, 1, 'Pilot', 'Dagny', :due, 'in_progress', :at, NULL, :f)"),
                     {"f": False, "at": AT, "due": date(2027, 3, 31)})
        conn.execute(text("INSERT INTO selfcheck_run (id, workshop_id, number, opened_at, closed_at)"
                          " VALUES (1, 1, 1, :at, :at)"), {"at": AT})
        conn.execute(text("INSERT INTO selfcheck_rating (run_id, respondent, area, level)"
                          " VALUES (1, 'k1', 'strategy', 'risk')"))
        if not db.is_sqlite:  # rows inserted with their ids: the sequences go past them, as the app's own would
            for table in ("workshop", "demand", "initiative", "action", "selfcheck_run"):
                conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), 1)"))


def test_yesterdays_workshop_keeps_its_plan_carries_nothing_and_can_be_followed_up(empty_url):  # noqa: F811
    db = Database(empty_url)
    _yesterday(db)
    db.migrate()
    [action] = list_actions(db, "OLDCODE2")
    assert (action.what, action.due, action.status, action.carried, action.review) == (
        "Pilot", date(2027, 3, 31), "in_progress", False, None)
    [demand] = list_shown_demands(db, "OLDCODE2")
    assert (demand.text, demand.carried_votes) == ("Deliver on time", None)
    [run] = selfcheck_results(db, "OLDCODE2")
    assert (run.respondents, run.baseline) == (1, False)
    assert followup.get_chain(db, "OLDCODE2", "old-key") == followup.Chain()
    code = followup.start_followup(db, "OLDCODE2", "old-key").workshop.code
    [carried] = list_actions(db, code)
    assert (carried.what, carried.carried_status, carried.carried_due) == ("Pilot", "in_progress", date(2027, 3, 31))
    _downgrade(db, "0013")  # and back: the columns go, yesterday's rows stay
    with db.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM action")).scalar_one() == 2
    db.dispose()
