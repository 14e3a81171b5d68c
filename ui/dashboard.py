"""The Review dashboard, drawn the same on its own page, the big screen and participants' phones."""

import plotly.graph_objects as go
import streamlit as st

import ui
from planning.analytics import MIN_N, QUADRANT_ADVICE, Dashboard, get_dashboard
from planning.charts import balance_bars
from planning.matrix import matrix_numbers, value_exchange_matrix
from planning.models import AREA_LABELS
from planning.workshops import get_revision

CHART_CONFIG = {"displayModeBar": False, "responsive": True}
LEGEND_CSS = """<style>
ol.hp-matrix-legend {list-style: none; margin: 0; padding: .2rem .4rem; max-height: 18rem; overflow-y: auto;
  border: 1px solid rgba(49,51,63,.15); border-radius: .5rem}
.hp-matrix-legend li {display: flex; gap: .6rem; align-items: baseline; overflow-wrap: anywhere; padding: .1rem 0}
.hp-matrix-legend b {min-width: 2ch; text-align: right; flex: none}
</style>"""


@st.cache_resource(max_entries=32, show_spinner=False)  # shared, never changed: no copy per viewer
def figures(code: str, revision: int) -> tuple[Dashboard, go.Figure | None, go.Figure | None]:
    """The dashboard and its figures, computed once per workshop revision for every viewer."""
    dash = get_dashboard(ui.db(), code)
    if not dash.revealed:
        return dash, None, None
    return dash, value_exchange_matrix(dash), balance_bars(dash.balance)


def current(code: str) -> tuple[Dashboard, go.Figure | None, go.Figure | None]:
    return figures(code, get_revision(ui.db(), code))


def _mean(label: str, value: float | None, n: int) -> None:
    few = " — fewer than 3 ratings" if n < MIN_N else ""
    st.metric(label, "not yet rated" if value is None else f"{value:.1f} / 10")
    st.caption(f"rests on {n} rating{'s' if n != 1 else ''}{few}")


def show(dash: Dashboard, matrix: go.Figure | None, bars: go.Figure | None, *, key: str, full: bool = True) -> None:
    """The matrix, the balance and (when `full`) disagreement, demand coverage and the ranking."""
    p = dash.progress
    if not dash.revealed:
        st.info(f"Results appear when the facilitator reveals them. {p.finished} of {p.participants} "
                f"have rated all {p.initiatives} initiatives.", icon=":material/visibility_off:")
        return
    if not dash.initiatives:
        st.info("No initiatives on the board yet.")
        return
    chart, side = st.columns([3, 2], gap="large") if full else (st.container(), st.container())
    with chart:
        st.subheader("Value exchange")
        st.plotly_chart(matrix, key=f"{key}_matrix", config=CHART_CONFIG)
        legend(dash)
        unrated = [i for i in dash.initiatives if i.quadrant is None]
        if unrated:
            st.caption(f"Not yet rated on both axes, so not drawn: {len(unrated)} initiative(s).")
    with side:
        b = dash.balance
        st.subheader("Balance")
        left, right = st.columns(2)
        with left:
            _mean("To customers (mean)", b.mean_customer, b.n_customer)
        with right:
            _mean("To the company (mean)", b.mean_company, b.n_company)
        st.plotly_chart(bars, key=f"{key}_bars", config=CHART_CONFIG)
        if b.leans_self_serving:
            st.warning("The room leans self-serving: its ideas return more to the company than they give "
                       "customers. Look for the customer's gain before pursuing them.", icon=":material/balance:")
    if full:
        details(dash)


def legend(dash: Dashboard) -> None:
    """The number each dot of the matrix carries and its initiative, as typed (a box that scrolls when long)."""
    rows = "".join(f"<li><b>{n}</b><span>{ui.esc(title)}</span></li>" for n, title in matrix_numbers(dash))
    if rows:
        st.html(f'{LEGEND_CSS}<ol class="hp-matrix-legend" aria-label="Matrix legend">{rows}</ol>')


def details(dash: Dashboard) -> None:
    """Disagreement, demand coverage and the ranking, as tables (user text stays literal there)."""
    st.subheader("Where the room is split")
    split = dash.disputed
    if split:
        st.caption("Wide spread (interquartile range of 4 or more): discuss these before deciding.")
        st.dataframe([{"Initiative": i.title, "Customer spread": i.customer.spread,
                       "Company spread": i.company.spread, "Ratings": i.customer.n} for i in split],
                     hide_index=True)
    else:
        st.caption("No initiative splits the room.")
    st.subheader("Demand coverage")
    gaps = [c for c in dash.coverage if c.unanswered_top]
    if gaps:
        st.warning(f"{len(gaps)} of the most voted demands have no initiative answering them.",
                   icon=":material/report:")
    st.dataframe([{"Demand": c.text, "Votes": c.votes, "Initiatives answering": c.answered_by,
                   "Top demand left unanswered": "⚠ yes" if c.unanswered_top else ""} for c in dash.coverage],
                 hide_index=True)
    st.subheader("Ranking")
    st.dataframe([{
        "Initiative": i.title, "Votes": i.votes, "Quadrant": i.quadrant.value if i.quadrant else "not yet rated",
        "Customer median": i.customer.median, "Customer spread": i.customer.spread, "n (customer)": i.customer.n,
        "Company median": i.company.median, "Company spread": i.company.spread, "n (company)": i.company.n,
        "Split": "yes" if i.disputed else "", "Effort": i.effort.value if i.effort else "",
        "Few ratings": "⚠ fewer than 3" if i.customer.few or i.company.few else "",
        "Areas": ", ".join(AREA_LABELS[a] for a in i.areas),
        "Advice": QUADRANT_ADVICE[i.quadrant] if i.quadrant else "",
    } for i in dash.initiatives], hide_index=True)
