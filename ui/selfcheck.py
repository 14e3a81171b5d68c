"""The self-check: each participant's six ratings, and the room's results with the investment view."""

import streamlit as st

import ui
from planning.charts import selfcheck_bars
from planning.models import AREA_LABELS, LEVEL_LABELS, Area, Level
from planning.selfcheck import QUESTIONS, get_my_selfcheck, investment_view, rate_area, selfcheck_results

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


def results(code: str, *, key: str) -> None:
    """Every run's distribution, the weakest areas, a gentle honesty note, the comparison and the investment view."""
    runs = [r for r in selfcheck_results(ui.db(), code) if r.respondents]
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
