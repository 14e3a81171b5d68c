from planning import analytics as an
from planning.charts import balance_bars, plain
from tests.services.test_matrix import dashboard


def test_plain_escapes_only_what_plotly_reads_as_markup():
    assert plain('He said "no" & it\'s <b>x</b>') == "He said \"no\" &amp; it's &lt;b&gt;x&lt;/b&gt;"
    assert plain("&quot; stays as typed") == "&amp;quot; stays as typed"


def test_plain_wraps_long_text_with_line_breaks():
    assert plain("word " * 30, 20).count("<br>") == 7


def test_balance_bars_count_each_quadrant():
    bars = balance_bars(dashboard().balance).data[0]
    assert dict(zip(bars.y, bars.x, strict=True)) == {an.Quadrant.WIN_WIN.value: 1, "Find the return": 1,
                                                      "Self-serving": 1, "Drop": 0}
