from planning import workshops as ws
from planning.ratings import rate_initiative
from tests.factories import make_initiative, make_room
from tests.views.conftest import plotly_specs


def _rated_room(db):
    room = make_room(db, phase="value_exchange")
    items = [make_initiative(db, room.tokens[0], title).id for title in ("Win", "<b>Trap</b>")]
    ws.set_phase(db, room.code, room.key, "score_vote")
    for token in room.tokens:
        rate_initiative(db, token, items[0], "customer", 8)
        rate_initiative(db, token, items[0], "company", 7)
        rate_initiative(db, token, items[1], "customer", 1)
        rate_initiative(db, token, items[1], "company", 9)
    return room


def test_results_stay_hidden_until_revealed(open_view, db):
    room = _rated_room(db)
    at = open_view("dashboard", code=room.code)
    assert "Results appear when the facilitator reveals them. 3 of 3 have rated all 2" in at.info[0].value
    assert not plotly_specs(at)


def test_the_dashboard_draws_matrix_balance_coverage_and_ranking(open_view, db):
    room = _rated_room(db)
    ws.set_phase(db, room.code, room.key, "review")
    at = open_view("dashboard", code=room.code)
    matrix, bars = plotly_specs(at)
    assert [t["name"] for t in matrix["data"]] == ["Win–win (1)", "Find the return (0)", "Self-serving (1)",
                                                   "Drop (0)", "numbers"]
    assert bars["data"][0]["type"] == "bar"
    ranking = at.dataframe[-1].value
    assert list(ranking["Initiative"]) == ["Win", "<b>Trap</b>"]
    assert list(ranking["Quadrant"]) == ["Win–win", "Self-serving"]
    assert any("The room leans self-serving" in w.value for w in at.warning)  # means 4.5 vs 8


def test_a_wrong_code_is_refused(open_view):
    assert "No workshop has that code" in open_view("dashboard", code="NOPE2345").error[0].value


def test_the_dashboard_shows_self_check_results_and_the_investment_view(open_view, db):
    from planning.selfcheck import close_selfcheck, open_selfcheck, rate_area

    room = _rated_room(db)
    open_selfcheck(db, room.code, room.key)
    for token in room.tokens:
        rate_area(db, token, "process_design", "risk")
        rate_area(db, token, "strategy", "great")
    close_selfcheck(db, room.code, room.key)
    at = open_view("dashboard", code=room.code)
    bars = [s for s in plotly_specs(at) if s["data"] and s["data"][0].get("type") == "bar"]
    assert [t["name"] for t in bars[-1]["data"]] == ["Doing great", "Could stand some improvement",
                                                      "Needs prompt attention", "Putting us at risk with customers"]
    assert any("Weakest: Process design, Strategy" in m.value for m in at.markdown)
    assert any("No planned initiative strengthens: Process design" in w.value for w in at.warning)
