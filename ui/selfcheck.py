"""The self-check: each participant's six ratings, and the room's results with the investment view."""

import streamlit as st

import ui
from planning.charts import selfcheck_bars
from planning.models import AREA_LABELS, LEVEL_LABELS, Area, Level
from planning.selfcheck import (
    QUESTIONS,
    Investment,
    RunResult,
    get_my_selfcheck,
    investment_view,
    rate_area,
    selfcheck_results,
)

LEVELS = list(Level)


@st.fragment(key="participant_selfcheck")
def participant_section(token: str, locked: bool) -> None:
    """Shown whenever the facilitator has the self-check open, whatever the phase (in its own tab)."""
    mine = get_my_selfcheck(ui.db(), token)
    if mine.number is None:
        st.caption("The self-check has just closed.")
        return
    st.caption(f"Run {mine.number} · anonymous · {len(mine.levels)} of 6 areas rated. Rate where the company "
               "stands today, as honestly as a customer would. You can change a rating until it closes.")
    ui.note("participant_selfcheck")
    for area in Area:
        key = f"participant_selfcheck_{mine.number}_{area}"
        stored = mine.levels.get(area)
        if st.session_state.get(f"{key}_stored", "unset") != stored:  # what is saved, even from another device
            st.session_state[key], st.session_state[f"{key}_stored"] = stored, stored
        st.radio(AREA_LABELS[area], LEVELS, format_func=LEVEL_LABELS.get, key=key, disabled=locked,
                 on_change=_rate, args=(token, area, key))
        st.caption(" · ".join(QUESTIONS[area]))


def _rate(token: str, area: Area, key: str) -> None:
    if not ui.act("participant_selfcheck", rate_area, token, area, st.session_state[key]):
        st.session_state[key] = st.session_state.get(f"{key}_stored")  # refused: show what is saved, not the click


def results(code: str, *, key: str, wall: bool = False) -> None:
    """Every run's distribution, the weakest areas, a gentle honesty note, the comparison and the investment view;
    on the `wall`, the latest run at wall size (body 28.8 px at 1920) and what moved since the run before."""
    runs = [r for r in selfcheck_results(ui.db(), code) if r.respondents]
    if wall:
        _on_wall(runs, investment_view(ui.db(), code) if runs else None, key)
        return
    if not runs:
        return
    st.subheader("Customer-alignment self-check")
    columns = st.columns(min(len(runs), 2))
    for column, run in zip(columns, runs[-2:], strict=False):
        with column:
            st.markdown(f"**Run {run.number}**{' (open)' if run.open else ''} · {run.respondents} answered")
            st.plotly_chart(selfcheck_bars(run), key=f"{key}_selfcheck_{run.number}",
                            config={"displayModeBar": False})
            st.markdown("Weakest: " + ", ".join(AREA_LABELS[a] for a in run.weakest))
            if run.honesty_note:
                st.info(run.honesty_note, icon=":material/psychology:")
    if len(runs) >= 2:
        before, after = runs[-2], runs[-1]
        st.caption(f"What moved between run {before.number} and run {after.number} (3 = doing great, 0 = at risk):")
        rows = []
        for a in Area:
            was, now = before.means[a], after.means[a]
            change = None if was is None or now is None else now - was
            rows.append({"Area": AREA_LABELS[a], f"Run {before.number}": was, f"Run {after.number}": now,
                         "Change": change})
        st.dataframe(rows, hide_index=True)
    invest = investment_view(ui.db(), code)
    if invest:
        st.markdown(f"**Investing where we are weakest** ({invest.basis} initiatives)")
        st.dataframe([{"Initiative": title, "Strengthens": ", ".join(AREA_LABELS[a] for a in areas) or "—"}
                      for title, areas in invest.planned], hide_index=True)
        if invest.unaddressed:
            st.warning("No planned initiative strengthens: " + ", ".join(AREA_LABELS[a] for a in invest.unaddressed),
                       icon=":material/report:")


def _on_wall(runs: list[RunResult], invest: Investment | None, key: str) -> None:
    """The latest run's chart beside its weakest areas, the honesty note, what moved since the run before and
    where the planned initiatives land: text in the wall's classes (ui/wall.py), figures with 24 px type."""
    if not runs:
        st.html('<div class="hp-w"><p class="hp-w-h">Customer-alignment self-check</p>'
                "<p>No answers yet: the results appear here as the room answers on their phones.</p></div>")
        return
    run = runs[-1]
    chart, side = st.columns([3, 2], gap="large")  # one element a column: a redraw replaces it (ui/wall.py)
    with chart:
        fig = selfcheck_bars(run)
        fig.update_layout(height=640, font={"size": 24}, margin={"l": 10, "r": 10, "t": 10, "b": 10},
                          legend={"font": {"size": 24}, "y": -0.22, "yanchor": "top"},
                          xaxis={"tickfont": {"size": 24}, "title": {"font": {"size": 24}}, "automargin": True},
                          yaxis={"tickfont": {"size": 26}, "automargin": True})
        st.plotly_chart(fig, key=f"{key}_selfcheck_wall", config={"displayModeBar": False, "staticPlot": True},
                        theme=None)
    side.html(_wall_side(runs, invest))


def _wall_side(runs: list[RunResult], invest: Investment | None) -> str:
    run = runs[-1]
    out = [f'<h2 class="hp-w-h">Customer-alignment self-check</h2><p class="hp-count">run {run.number} · '
           f"{run.respondents} answered</p>",
           f"<p><strong>Weakest:</strong> {', '.join(AREA_LABELS[a] for a in run.weakest)}</p>"]
    if run.honesty_note:
        out.append(f'<p class="hp-note">{ui.esc(run.honesty_note)}</p>')
    if len(runs) >= 2:
        before = runs[-2]
        rows = "".join(f"<tr><th>{AREA_LABELS[a]}</th><td>{_mean(before.means[a])}</td><td>{_mean(run.means[a])}</td>"
                       f"<td>{_change(before.means[a], run.means[a])}</td></tr>" for a in Area)
        out.append(f"<p>Since run {before.number} (3 = doing great, 0 = at risk):</p><table class='hp-stats'>"
                   f"<tr><th></th><th>run {before.number}</th><th>run {run.number}</th><th>change</th></tr>"
                   f"{rows}</table>")
    if invest and invest.unaddressed:
        out.append('<p class="hp-note">No planned initiative strengthens '
                   f"{', '.join(AREA_LABELS[a] for a in invest.unaddressed)}.</p>")
    return f'<div class="hp-w" data-testid="hp-wall-selfcheck">{"".join(out)}</div>'


def _mean(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}"


def _change(was: float | None, now: float | None) -> str:
    return "–" if was is None or now is None else f"{now - was:+.1f}"
