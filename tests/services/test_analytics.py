import random

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import text
from sqlmodel import select

from planning import analytics as an
from planning import demands as dm
from planning import workshops as ws
from planning.errors import NotFound
from planning.export import export_as_operator, import_backup
from planning.initiatives import hide_initiative, merge_initiatives
from planning.models import (
    Area,
    Demand,
    DemandVote,
    Effort,
    Initiative,
    InitiativeArea,
    InitiativeDemand,
    InitiativeVote,
    Participant,
    Rating,
    Workshop,
)
from planning.ratings import RoomProgress, rate_initiative, rating_progress
from planning.votes import cast_initiative_vote, cast_vote
from tests.factories import make_busy_room, make_initiative, make_room


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
    room, _, win, trap = _room_with_ratings(db)
    hide_initiative(db, room.code, room.key, trap)
    ws.set_phase(db, room.code, room.key, "review")
    dash = an.get_dashboard(db, room.code)
    assert {i.title for i in dash.initiatives} == {"Win", "Unrated"}
    assert dash.balance.n_customer == 3


@given(st.lists(st.integers(0, 30), min_size=11, max_size=11))
def test_statistics_from_a_tally_row_are_those_of_the_histogram(counts):
    hist = {score: n for score, n in enumerate(counts) if n}
    stats = an.counts_stats(tuple(counts))
    if not hist:
        assert stats == an.AxisStats(None, None, None, 0)
        return
    assert (stats.median, stats.q1, stats.q3, stats.n) == (
        an.quantile(hist, 0.5), an.quantile(hist, 0.25), an.quantile(hist, 0.75), sum(counts))


def _root(parent: dict[int, int | None], i: int) -> int:
    seen = set()
    while parent.get(i) is not None and i not in seen:
        seen.add(i)
        i = parent[i]
    return i


def _axis(scores: list[int]) -> an.AxisStats:
    if not scores:
        return an.AxisStats(None, None, None, 0)
    q1, median, q3 = (float(np.percentile(scores, p)) for p in (25, 50, 75))
    return an.AxisStats(median, q1, q3, len(scores))


def _reference(db, code: str) -> an.Dashboard:
    """Today's dashboard computed the plain way: every rating and vote row, numpy's percentiles."""
    with db.read() as s:
        w = s.exec(select(Workshop).where(Workshop.join_code == code)).one()
        rows = {m: s.exec(select(m).where(m.workshop_id == w.id)).all()
                for m in (Initiative, Demand, Rating, InitiativeVote, DemandVote, Participant)}
        ids = [i.id for i in rows[Initiative]]
        links = s.exec(select(InitiativeDemand).where(InitiativeDemand.initiative_id.in_(ids))).all()
        areas = s.exec(select(InitiativeArea).where(InitiativeArea.initiative_id.in_(ids))).all()
    parent = {i.id: i.merged_into_id for i in rows[Initiative]}
    shown = [i for i in rows[Initiative] if not i.hidden and i.merged_into_id is None]
    on_board = {i.id for i in shown}
    scores = {(r.initiative_id, r.axis): [] for r in rows[Rating]}
    for r in rows[Rating]:
        scores[r.initiative_id, r.axis].append(r.score)
    stats = [an.InitiativeStats(
        id=i.id, title=i.title, customer=_axis(scores.get((i.id, "customer"), [])),
        company=_axis(scores.get((i.id, "company"), [])),
        votes=sum(v.dots for v in rows[InitiativeVote] if _root(parent, v.initiative_id) == i.id),
        demand_ids=tuple(sorted({x.demand_id for x in links if _root(parent, x.initiative_id) == i.id})),
        areas=tuple(dict.fromkeys(Area(x.area) for x in sorted(areas, key=lambda x: (x.initiative_id, x.area))
                                  if _root(parent, x.initiative_id) == i.id)),
        effort=Effort(i.effort) if i.effort else None,
    ) for i in shown]
    stats.sort(key=lambda i: (-i.votes, -(i.customer.median or -1), i.id))
    return an.Dashboard(True, _progress(rows, on_board), tuple(stats), _balance(rows, on_board, stats),
                        _coverage(rows, stats))


def _progress(rows, on_board: set[int]) -> RoomProgress:
    per_person: dict[int, int] = {}
    for r in rows[Rating]:
        if r.initiative_id in on_board:
            per_person[r.participant_id] = per_person.get(r.participant_id, 0) + 1
    finished = sum(1 for n in per_person.values() if n == 2 * len(on_board)) if on_board else 0
    return RoomProgress(finished, len(per_person), len(rows[Participant]), len(on_board))


def _balance(rows, on_board: set[int], stats) -> an.Balance:
    means = []
    for axis in ("customer", "company"):
        values = [r.score for r in rows[Rating] if r.axis == axis and r.initiative_id in on_board]
        means += [sum(values) / len(values) if values else None, len(values)]
    counts = {q: sum(1 for i in stats if i.quadrant == q) for q in an.Quadrant}
    return an.Balance(*means, counts, sum(1 for i in stats if i.quadrant is None))


def _coverage(rows, stats) -> tuple[an.Coverage, ...]:
    parent = {d.id: d.merged_into_id for d in rows[Demand]}
    shown = [d for d in rows[Demand] if not d.hidden and d.merged_into_id is None]
    votes = {d.id: sum(v.dots for v in rows[DemandVote] if _root(parent, v.demand_id) == d.id) for d in shown}
    ranked = sorted(shown, key=lambda d: (-votes[d.id], d.id))
    return tuple(an.Coverage(d.id, d.text, votes[d.id], sum(1 for i in stats if d.id in i.demand_ids),
                             rank < an.TOP_DEMANDS and votes[d.id] > 0) for rank, d in enumerate(ranked))


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_dashboard_equals_a_plain_computation_on_a_randomised_workshop(db, seed):
    room = make_busy_room(db, random.Random(seed))
    dash = an.get_dashboard(db, room.code)
    assert dash == _reference(db, room.code)
    assert dash.progress == rating_progress(db, room.code)
    assert dash.progress.finished >= 1 and dash.progress.started > dash.progress.finished
    assert sum(i.votes for i in dash.initiatives) > 0 and any(c.votes for c in dash.coverage)


def test_a_restored_backup_shows_the_same_dashboard(db):
    room = make_busy_room(db, random.Random(4))
    restored = import_backup(db, export_as_operator(db, room.code, "json").data)
    dash = an.get_dashboard(db, restored.workshop.code)
    assert dash == _reference(db, restored.workshop.code)
    assert [(i.title, i.customer, i.votes) for i in dash.initiatives] == [
        (i.title, i.customer, i.votes) for i in an.get_dashboard(db, room.code).initiatives]


def test_progress_before_the_reveal_counts_only_initiatives_on_the_board(db):
    room, _, win, trap = _room_with_ratings(db)
    merge_initiatives(db, room.code, room.key, trap, win)
    dash = an.get_dashboard(db, room.code)
    assert not dash.revealed
    assert dash.progress == rating_progress(db, room.code) == RoomProgress(0, 3, 3, 2)


RECOUNTS = {  # each tally (its non-zero rows) as a plain GROUP BY over the rows it counts
    "rating_tally": ("SELECT workshop_id, initiative_id, axis, "
                     + ", ".join(f"n{k}" for k in an.SCORES) + " FROM rating_tally WHERE "
                     + " + ".join(f"n{k}" for k in an.SCORES) + " <> 0",
                     "SELECT workshop_id, initiative_id, axis, "
                     + ", ".join(f"SUM(CASE WHEN score = {k} THEN 1 ELSE 0 END)" for k in an.SCORES)
                     + " FROM rating GROUP BY workshop_id, initiative_id, axis"),
    "rater_tally": ("SELECT workshop_id, participant_id, n FROM rater_tally WHERE n <> 0",
                    "SELECT workshop_id, participant_id, COUNT(*) FROM rating GROUP BY workshop_id, participant_id"),
    "demand_vote_tally": ("SELECT workshop_id, demand_id, dots FROM demand_vote_tally WHERE dots <> 0",
                          "SELECT workshop_id, demand_id, SUM(dots) FROM demand_vote GROUP BY workshop_id, demand_id"),
    "initiative_vote_tally": ("SELECT workshop_id, initiative_id, dots FROM initiative_vote_tally WHERE dots <> 0",
                              "SELECT workshop_id, initiative_id, SUM(dots) FROM initiative_vote "
                              "GROUP BY workshop_id, initiative_id"),
}


def _tallies_and_recounts(db) -> dict[str, tuple[set, set]]:
    with db.read() as s:
        return {name: tuple({tuple(row) for row in s.connection().execute(text(q))} for q in queries)
                for name, queries in RECOUNTS.items()}


def test_the_tallies_follow_writes_of_every_shape(db):
    """Services, a restore, and statements the services never run (a rating or a vote moved to another
    row key, dots changed in place, a bulk delete): every tally still equals a recount."""
    room = make_busy_room(db, random.Random(6))
    import_backup(db, export_as_operator(db, room.code, "json").data)
    with db.write() as s:
        conn = s.connection()
        r = conn.execute(text("SELECT id, workshop_id, initiative_id, axis FROM rating ORDER BY id")).first()
        other = conn.execute(text(
            "SELECT p.id FROM participant p WHERE p.workshop_id = :w AND NOT EXISTS (SELECT 1 FROM rating x "
            "WHERE x.participant_id = p.id AND x.initiative_id = :i AND x.axis = :a)"),
            {"w": r.workshop_id, "i": r.initiative_id, "a": r.axis}).first()
        conn.execute(text("UPDATE rating SET participant_id = :p, score = 10 - score WHERE id = :r"),
                     {"p": other.id, "r": r.id})
        conn.execute(text("UPDATE initiative_vote SET dots = dots + 2 "
                          "WHERE id = (SELECT MIN(id) FROM initiative_vote)"))
        conn.execute(text("UPDATE demand_vote SET dots = 0 WHERE id = (SELECT MAX(id) FROM demand_vote)"))
        conn.execute(text("DELETE FROM rating WHERE initiative_id = :i"), {"i": r.initiative_id})
    for name, (kept, recounted) in _tallies_and_recounts(db).items():
        assert kept == recounted, name
        assert recounted, name


@pytest.mark.parametrize("code", ["NOPE2345", "", None, "x" * 100])
def test_dashboard_of_an_unknown_code_is_refused(db, code):
    with pytest.raises(NotFound, match="No workshop has that code"):
        an.get_dashboard(db, code)


def test_dashboard_takes_the_code_as_people_type_it(db):
    room, *_ = _room_with_ratings(db)
    typed = f" {room.code[:4].lower()}-{room.code[4:]} "
    assert an.get_dashboard(db, typed) == an.get_dashboard(db, room.code)
