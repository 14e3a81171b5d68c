import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from planning import analytics as an
from planning import demands as dm
from planning import workshops as ws
from planning.ratings import rate_initiative
from planning.votes import cast_initiative_vote, cast_vote
from tests.factories import make_initiative, make_room


@pytest.mark.parametrize(("hist", "median", "q1", "q3", "n"), [
    ({3: 1, 5: 1, 9: 1}, 5, 4, 7, 3),
    ({2: 1, 4: 1, 6: 1, 8: 1}, 5, 3.5, 6.5, 4),
    ({7: 1}, 7, 7, 7, 1),
    ({0: 2, 10: 2}, 5, 0, 10, 4),
    ({}, None, None, None, 0),
    ({4: 0}, None, None, None, 0),
])
def test_axis_stats_by_hand(hist, median, q1, q3, n):
    s = an.axis_stats(hist)
    assert (s.median, s.q1, s.q3, s.n) == (median, q1, q3, n)


@given(st.dictionaries(st.integers(0, 10), st.integers(1, 30), min_size=1))
def test_quantiles_match_numpy_default_percentiles(hist):
    values = [score for score, count in hist.items() for _ in range(count)]
    for p in (0.25, 0.5, 0.75):
        assert an.quantile(hist, p) == pytest.approx(np.percentile(values, p * 100))


@pytest.mark.parametrize(("customer", "company", "quadrant"), [
    (5, 5, an.Quadrant.WIN_WIN),
    (10, 9.5, an.Quadrant.WIN_WIN),
    (5, 4.5, an.Quadrant.FIND_THE_RETURN),
    (4.5, 5, an.Quadrant.SELF_SERVING),
    (0, 0, an.Quadrant.DROP),
    (None, 5, None),
    (5, None, None),
])
def test_quadrant_rule_with_five_counting_as_high(customer, company, quadrant):
    assert an.quadrant(customer, company) == quadrant


def _stats(customer, company, votes=0):
    return an.InitiativeStats(1, "x", an.axis_stats(customer), an.axis_stats(company), votes, (), (), None)


def test_disputed_needs_a_wide_spread_and_at_least_three_ratings():
    assert _stats({0: 2, 10: 2}, {5: 4}).disputed
    assert not _stats({4: 2, 6: 2}, {5: 4}).disputed
    assert not _stats({0: 1, 10: 1}, {5: 2}).disputed


def test_balance_means_counts_and_lean():
    stats = [_stats({8: 1}, {8: 1}), _stats({2: 1}, {9: 1}), _stats({2: 1}, {7: 1}), _stats({}, {})]
    hists = {(1, "customer"): {8: 1, 2: 2}, (1, "company"): {8: 1, 9: 1, 7: 1}}
    b = an.balance_of(stats, hists)
    assert (b.mean_customer, b.n_customer, b.mean_company, b.n_company) == (4, 3, 8, 3)
    assert b.counts[an.Quadrant.SELF_SERVING] == 2 and b.counts[an.Quadrant.WIN_WIN] == 1 and b.not_rated == 1
    assert b.leans_self_serving


def _room_with_ratings(db):
    """Three people rate two initiatives; one initiative stays unrated; known demand votes."""
    room = make_room(db, participants_count=3)
    demands = [dm.add_demand(db, room.tokens[0], t).id for t in ("Warn me early", "One invoice", "Saturdays")]
    cast_vote(db, room.tokens[0], demands[1])
    cast_vote(db, room.tokens[1], demands[1])
    cast_vote(db, room.tokens[2], demands[0])
    ws.set_phase(db, room.code, room.key, "value_exchange")
    win = make_initiative(db, room.tokens[0], "Win", [demands[0]]).id
    trap = make_initiative(db, room.tokens[1], "Trap", [demands[0]]).id
    make_initiative(db, room.tokens[2], "Unrated")
    ws.set_phase(db, room.code, room.key, "score_vote")
    for token, (wc, wk, tc, tk) in zip(room.tokens, [(8, 7, 1, 9), (9, 5, 2, 8), (6, 6, 0, 10)], strict=True):
        for item, axis, score in [(win, "customer", wc), (win, "company", wk), (trap, "customer", tc),
                                  (trap, "company", tk)]:
            rate_initiative(db, token, item, axis, score)
    cast_initiative_vote(db, room.tokens[0], win)
    cast_initiative_vote(db, room.tokens[1], win)
    return room, demands, win, trap


def test_dashboard_stays_closed_until_the_results_are_revealed(db):
    room, *_ = _room_with_ratings(db)
    dash = an.get_dashboard(db, room.code)
    assert (dash.revealed, dash.initiatives, dash.progress.finished, dash.progress.started) == (False, (), 0, 3)


def test_dashboard_figures_match_a_hand_computation(db):
    room, demands, win, trap = _room_with_ratings(db)
    ws.set_phase(db, room.code, room.key, "review")
    dash = an.get_dashboard(db, room.code)
    by_title = {i.title: i for i in dash.initiatives}
    assert [i.title for i in dash.initiatives][0] == "Win"
    assert (by_title["Win"].customer.median, by_title["Win"].company.median, by_title["Win"].votes) == (8, 6, 2)
    assert (by_title["Win"].customer.q1, by_title["Win"].customer.q3) == (7, 8.5)
    assert by_title["Win"].quadrant == an.Quadrant.WIN_WIN
    assert (by_title["Trap"].customer.median, by_title["Trap"].company.median) == (1, 9)
    assert by_title["Trap"].quadrant == an.Quadrant.SELF_SERVING
    unrated = by_title["Unrated"]
    assert (unrated.customer.median, unrated.customer.n, unrated.quadrant) == (None, 0, None)
    assert dash.balance.mean_customer == pytest.approx((8 + 9 + 6 + 1 + 2 + 0) / 6)
    assert dash.balance.mean_company == pytest.approx((7 + 5 + 6 + 9 + 8 + 10) / 6)
    assert dash.balance.not_rated == 1 and dash.balance.leans_self_serving
    coverage = {c.text: c for c in dash.coverage}
    assert [c.text for c in dash.coverage] == ["One invoice", "Warn me early", "Saturdays"]
    assert (coverage["One invoice"].votes, coverage["One invoice"].answered_by) == (2, 0)
    assert coverage["One invoice"].unanswered_top
    assert (coverage["Warn me early"].answered_by, coverage["Warn me early"].unanswered_top) == (2, False)
    assert not coverage["Saturdays"].top


def test_hidden_initiatives_leave_the_dashboard(db):
    from planning.initiatives import hide_initiative

    room, _, win, trap = _room_with_ratings(db)
    hide_initiative(db, room.code, room.key, trap)
    ws.set_phase(db, room.code, room.key, "review")
    dash = an.get_dashboard(db, room.code)
    assert {i.title for i in dash.initiatives} == {"Win", "Unrated"}
    assert dash.balance.n_customer == 3
