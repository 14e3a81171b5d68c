"""The self-check: each participant's six ratings, and the room's results with the investment view."""

import streamlit as st

import ui
from planning.charts import selfcheck_bars
from planning.models import AREA_LABELS, LEVEL_LABELS, Area, Level
from planning.selfcheck import (
    QUESTIONS,
    Investment,
    RunResult,
    Shift,
    get_my_selfcheck,
    investment_view,
    rate_area,
    selfcheck_results,
    shift_of,
)
from planning.workshops import get_revision

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


@st.cache_resource(max_entries=32, show_spinner=False)
def _results_at(code: str, revision: int) -> tuple[list[RunResult], Investment | None]:
    """The runs someone answered and the investment view, read once per workshop revision for every screen."""
    runs = [r for r in selfcheck_results(ui.db(), code) if r.respondents]
    return runs, investment_view(ui.db(), code) if runs else None


def results(code: str, *, key: str, wall: bool = False, revision: int | None = None) -> None:
    """Every run's distribution, the weakest areas, a gentle honesty note, the comparison and the investment view;
    on the `wall`, the latest run at wall size (body 28.8 px at 1920) and what moved since the run before.
    `revision`: the workshop's, when the caller has just read it."""
    runs, invest = _results_at(code, get_revision(ui.db(), code) if revision is None else revision)
    if wall:
        _on_wall(runs, invest, key)
        return
    if not runs:
        return
    st.subheader("Customer-alignment self-check")
    _latest_two(runs, key)
    shift = shift_of(runs)
    if shift:
        shift_table(shift)
    if len(runs) >= 2 and (shift is None or runs[-2] is not shift.before):
        _run_to_run(runs[-2], runs[-1])
    if invest:
        st.markdown(f"**Investing where we are weakest** ({invest.basis} initiatives)")
        st.dataframe([{"Initiative": title, "Strengthens": ", ".join(AREA_LABELS[a] for a in areas) or "—"}
                      for title, areas in invest.planned], hide_index=True)
        if invest.unaddressed:
            st.warning("No planned initiative strengthens: " + ", ".join(AREA_LABELS[a] for a in invest.unaddressed),
                       icon=":material/report:")


def _latest_two(runs: list[RunResult], key: str) -> None:
    """The last two runs side by side (in a follow-up, often the last session's beside this one's)."""
    columns = st.columns(min(len(runs), 2))
    for column, run in zip(columns, runs[-2:], strict=False):
        with column:
            st.markdown(f"**Run {run.number}**{' · last session' if run.baseline else ''}"
                        f"{' (open)' if run.open else ''} · {run.respondents} answered")
            st.plotly_chart(selfcheck_bars(run), key=f"{key}_selfcheck_{run.number}",
                            config={"displayModeBar": False})
            st.markdown("Weakest: " + ", ".join(AREA_LABELS[a] for a in run.weakest))
            if run.honesty_note:
                st.info(run.honesty_note, icon=":material/psychology:")


def _run_to_run(before: RunResult, after: RunResult) -> None:
    st.caption(f"What moved between run {before.number} and run {after.number} (3 = doing great, 0 = at risk):")
    st.dataframe([{"Area": AREA_LABELS[a], f"Run {before.number}": before.means[a],
                   f"Run {after.number}": after.means[a], "Change": _delta(before.means[a], after.means[a])}
                  for a in Area], hide_index=True)


def _delta(was: float | None, now: float | None) -> float | None:
    return None if was is None or now is None else now - was


def _share(part: float | None) -> str:
    return "–" if part is None else f"{part:.0%}"


def shift_table(shift: Shift) -> None:
    """Per area, the last session's latest run beside this session's: the mean then, now and the shift, and the
    share of answers at "needs prompt attention" or worse."""
    before, after = shift.before, shift.after
    st.markdown(f"**Since the last session:** run {before.number} (last session, {_day(before)}) → run "
                f"{after.number} (this session{', open' if after.open else ''})")
    st.dataframe([{"Area": AREA_LABELS[x.area], "Then (mean)": _mean(x.mean_before), "Now (mean)": _mean(x.mean_after),
                   "Shift": _change(x.mean_before, x.mean_after),
                   "Needs attention or worse, then → now": f"{_share(x.weak_before)} → {_share(x.weak_after)}"}
                  for x in shift.areas], hide_index=True)
    st.caption("Means run from 3 (doing great) to 0 (putting us at risk with customers): a positive shift is a "
               f"better rating. {before.respondents} answered then, {after.respondents} now.")


def _day(run: RunResult) -> str:
    return f"{run.opened_at.day} {run.opened_at:%b %Y}" if run.opened_at else "date unknown"


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
           f"{'last session · ' if run.baseline else ''}{run.respondents} answered</p>",
           f"<p><strong>Weakest:</strong> {', '.join(AREA_LABELS[a] for a in run.weakest)}</p>"]
    if run.honesty_note:
        out.append(f'<p class="hp-note">{ui.esc(run.honesty_note)}</p>')
    shift = shift_of(runs)
    if shift:
        out.append(_wall_table(f"Since the last session (run {shift.before.number} → run {run.number}; 3 = doing "
                               "great, 0 = at risk):", "then", "now",
                               [(x.area, x.mean_before, x.mean_after) for x in shift.areas]))
    elif len(runs) >= 2:
        before = runs[-2]
        out.append(_wall_table(f"Since run {before.number} (3 = doing great, 0 = at risk):", f"run {before.number}",
                               f"run {run.number}", [(a, before.means[a], run.means[a]) for a in Area]))
    if invest and invest.unaddressed:
        out.append('<p class="hp-note">No planned initiative strengthens '
                   f"{', '.join(AREA_LABELS[a] for a in invest.unaddressed)}.</p>")
    return f'<div class="hp-w" data-testid="hp-wall-selfcheck">{"".join(out)}</div>'


def _wall_table(title: str, then: str, now: str, rows: list[tuple[Area, float | None, float | None]]) -> str:
    """Per area, the mean then and now and the change, in the wall's type."""
    cells = "".join(f"<tr><th>{AREA_LABELS[a]}</th><td>{_mean(was)}</td><td>{_mean(is_)}</td>"
                    f"<td>{_change(was, is_)}</td></tr>" for a, was, is_ in rows)
    return (f"<p>{title}</p><table class='hp-stats'><tr><th></th><th>{then}</th><th>{now}</th><th>change</th></tr>"
            f"{cells}</table>")


def _mean(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}"


def _change(was: float | None, now: float | None) -> str:
    return "–" if was is None or now is None else f"{now - was:+.1f}"
