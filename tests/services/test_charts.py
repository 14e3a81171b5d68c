import pytest

from planning import analytics as an
from planning.charts import QUADRANT_COLOURS, balance_bars, value_exchange_matrix


def _dash():
    def item(i, title, customer, company, votes):
        return an.InitiativeStats(i, title, an.axis_stats(customer), an.axis_stats(company), votes, (1,), (), None)

    items = (item(1, "<b>Win</b> & co", {8: 3}, {7: 3}, 4), item(2, "Trap", {2: 3}, {9: 3}, 0),
             item(3, "Few", {6: 1}, {2: 1}, 1), item(4, "Unrated", {}, {}, 0))
    coverage = (an.Coverage(1, "<script>x</script>", 3, 2, True),)
    progress = an.RoomProgress(3, 3, 3, 4)
    return an.Dashboard(True, progress, items, an.balance_of(list(items), {}), coverage)


def test_matrix_has_a_trace_per_quadrant_with_points_at_the_medians():
    fig = value_exchange_matrix(_dash())
    traces = {t.name.split(" (")[0]: t for t in fig.data}
    assert set(traces) == {q.value for q in an.Quadrant}
    win = traces["Win–win"]
    assert win.x[0] == pytest.approx(7, abs=0.25) and win.y[0] == pytest.approx(8, abs=0.25)
    assert win.marker.color == QUADRANT_COLOURS[an.Quadrant.WIN_WIN]
    assert traces["Find the return"].marker.symbol == ("circle-open",)  # fewer than 3 ratings
    assert sum(len(t.x) for t in fig.data) == 3  # the unrated one is not drawn as zero


def test_matrix_hover_text_escapes_user_text():
    hover = value_exchange_matrix(_dash()).data[0].hovertext[0]
    assert "&lt;b&gt;Win&lt;/b&gt; &amp; co" in hover and "&lt;script&gt;" in hover
    assert "<script>" not in hover


def test_matrix_draws_quadrant_lines_at_five():
    shapes = value_exchange_matrix(_dash()).layout.shapes
    assert {(s.x0, s.x1) for s in shapes if s.x0 == s.x1} == {(5, 5)}
    assert {(s.y0, s.y1) for s in shapes if s.y0 == s.y1} == {(5, 5)}


def test_balance_bars_count_each_quadrant():
    bars = balance_bars(_dash().balance).data[0]
    assert dict(zip(bars.y, bars.x, strict=True)) == {"Win–win": 1, "Find the return": 1, "Self-serving": 1,
                                                      "Drop": 0}
