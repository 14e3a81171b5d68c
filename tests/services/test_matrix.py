import pytest

from planning import analytics as an
from planning.charts import QUADRANT_COLOURS
from planning.matrix import (
    LABEL_PX,
    RANGE,
    dots,
    label_box,
    labels,
    matrix_number_of,
    matrix_numbers,
    place,
    value_exchange_matrix,
)


def item(i, title, customer, company, votes):
    return an.InitiativeStats(i, title, an.axis_stats(customer), an.axis_stats(company), votes, (1,), (), None)


def dashboard(*extra):
    items = [item(1, '<b>Win</b> & "co"', {8: 3}, {7: 3}, 4), item(2, "Trap", {2: 3}, {9: 3}, 0),
             item(3, "Few", {6: 1}, {2: 1}, 1), item(4, "Unrated", {}, {}, 0), *extra]
    items.sort(key=lambda i: (-i.votes, i.id))
    coverage = (an.Coverage(1, "<script>x</script>", 3, 2, True),)
    return an.Dashboard(True, an.RoomProgress(3, 3, 3, 4), tuple(items), an.balance_of(items, {}), coverage)


def _traces(fig):
    return {t.name.split(" (")[0]: t for t in fig.data}


def test_matrix_has_a_trace_per_quadrant_with_points_at_the_medians():
    traces = _traces(value_exchange_matrix(dashboard()))
    assert set(traces) == {q.value for q in an.Quadrant} | {"numbers"}
    win = traces["Win–win"]
    assert win.x[0] == pytest.approx(7, abs=0.25) and win.y[0] == pytest.approx(8, abs=0.25)
    assert win.marker.color == QUADRANT_COLOURS[an.Quadrant.WIN_WIN]
    assert _each(traces["Find the return"], "symbol") == ["circle-open"]  # fewer than 3 ratings
    assert _each(win, "symbol") == ["circle"]
    assert sum(len(traces[q.value].x) for q in an.Quadrant) == 3  # the unrated one is not drawn as zero


def test_numbers_follow_the_ranking_and_skip_what_the_matrix_does_not_draw():
    dash = dashboard()
    assert matrix_numbers(dash) == [(1, '<b>Win</b> & "co"'), (2, "Few"), (3, "Trap")]
    assert matrix_number_of(dash) == {1: 1, 3: 2, 2: 3}


def test_every_dot_carries_its_number_beside_it():
    dash = dashboard()
    labels_trace = _traces(value_exchange_matrix(dash))["numbers"]
    by_number = {d.number: d for d in dots(dash)}
    assert sorted(int(t) for t in labels_trace.text) == sorted(by_number)
    for text, x, y in zip(labels_trace.text, labels_trace.x, labels_trace.y, strict=True):
        assert (x, y) == (by_number[int(text)].x, by_number[int(text)].y)
    assert labels_trace.textfont.size >= 18 and labels_trace.marker.opacity == 0


def test_initiatives_at_the_same_medians_share_one_label_that_clears_their_dots():
    twins = [item(10 + k, f"Twin {k}", {8: 3}, {7: 3}, 0) for k in range(5)]
    drawn = dots(dashboard(*twins))
    found = labels(drawn)
    assert [lb.text for lb in found if "<br>" in lb.text] == ["1, 4, 5, 6<br>7, 8"]
    for lb, where in zip(found, place(found, drawn), strict=True):
        box = label_box(where, lb)
        for d in drawn:  # no dot under a label, its own group's included
            cx, cy, r = d.x * 27, d.y * 38, d.size / 2
            assert not (box[0] < cx + r - 1 and cx - r + 1 < box[2] and box[1] < cy + r - 1 and cy - r + 1 < box[3])


def test_labels_go_where_nothing_else_is():
    crowd = [item(10 + k, f"Near {k}", {9: 3}, {k: 3}, k) for k in range(11)]
    drawn = dots(dashboard(*crowd))
    found = labels(drawn)
    boxes = [label_box(w, lb) for w, lb in zip(place(found, drawn), found, strict=True)]
    overlapping = [(a, b) for n, a in enumerate(boxes) for b in boxes[n + 1:]
                   if a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]]
    assert overlapping == []
    assert all(RANGE[0] * 27 <= b[0] and b[2] <= RANGE[1] * 27 for b in boxes)


def test_quadrant_labels_sit_outside_the_plot_once_each():
    notes = value_exchange_matrix(dashboard()).layout.annotations
    assert sorted(a.text for a in notes) == ["<b>Drop</b> (0)", "<b>Find the return</b> (1)",
                                             "<b>Self-serving</b> (1)", "<b>Win–win</b> (1)"]
    for a in notes:
        assert a.xref == a.yref == "paper" and a.font.size >= LABEL_PX
        assert (a.y == 1 and a.yanchor == "bottom") or (a.y == 0 and a.yanchor == "top" and a.yshift < -40)


def test_matrix_draws_quadrant_lines_at_five_and_ticks_up_to_ten():
    fig = value_exchange_matrix(dashboard())
    shapes = fig.layout.shapes
    assert {(s.x0, s.x1) for s in shapes if s.x0 == s.x1} == {(5, 5)}
    assert {(s.y0, s.y1) for s in shapes if s.y0 == s.y1} == {(5, 5)}
    assert fig.layout.yaxis.tickvals[-1] == 10 and fig.layout.yaxis.range[1] > 10.5


def test_matrix_hover_escapes_markup_but_keeps_quotes():
    hover = _traces(value_exchange_matrix(dashboard()))["Win–win"].hovertext[0]
    assert '<b>1 · &lt;b&gt;Win&lt;/b&gt; &amp; "co"</b>' in hover and "&lt;script&gt;" in hover
    assert "<script>" not in hover and "&quot;" not in hover


def _each(trace, what: str) -> list:
    """A marker's symbol, opacity or outline width for each of the trace's dots (one value stands for all)."""
    value = trace.marker.line.width if what == "width" else trace.marker[what]
    return list(value) if isinstance(value, tuple) else [value] * len(trace.x)


def test_highlight_emphasises_one_dot_and_dims_the_others():
    fig = value_exchange_matrix(dashboard(), highlight=2)
    traces = _traces(fig)
    assert _each(traces["Self-serving"], "opacity") == [0.85] and _each(traces["Self-serving"], "width") == [5]
    assert _each(traces["Win–win"], "opacity") == [0.2] and _each(traces["Find the return"], "opacity") == [0.2]
    numbers = traces["numbers"]
    assert dict(zip(numbers.text, numbers.textfont.color, strict=True)) == {
        "1": "#bbb", "2": "#bbb", "<b>3</b>": "#1d1d1d"}


@pytest.mark.parametrize("highlight", [None, 4, 999])
def test_no_highlight_or_one_not_drawn_dims_nothing(highlight):
    traces = _traces(value_exchange_matrix(dashboard(), highlight=highlight))
    assert all(o == 0.85 for q in an.Quadrant for o in _each(traces[q.value], "opacity"))
    assert all(w == 2 for q in an.Quadrant for w in _each(traces[q.value], "width"))
