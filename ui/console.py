"""The facilitator's controls: phases, timer, room settings, lock, results and the reveal, the self-check.

Every control keeps one key for the life of the console and applies its change in its own callback. A control
whose key carried the workshop's revision was drawn anew whenever the room changed, and a click that landed
between the drawing and the rerun was lost ("the anonymity switch ignores the first click"). The controls follow
changes made elsewhere (another tab) when they are drawn, and a refused change puts the control back and says why.
"""

import streamlit as st

import ui
from planning import workshops as ws
from planning.models import PHASE_LABELS, Phase
from planning.ratings import rating_progress
from planning.selfcheck import close_selfcheck, open_selfcheck
from planning.workshops import WorkshopView
from ui import dashboard, live
from ui.clock import clock

SCOPE = "facilitator_controls"


def _toggle(label: str, name: str, value: bool, service, code: str, key: str) -> None:
    """A switch showing what is stored, whose change is saved on the first click (or put back with the reason).

    Its default is the stored value too: a browser shows the default when it draws the switch from a run that did
    not set it (one stopped by a live rerun), and sends it back with the next click, which would flip the setting."""
    widget = f"facilitator_{name}"
    if st.session_state.get(f"{widget}_stored", "unset") != value:
        st.session_state[widget] = st.session_state[f"{widget}_stored"] = value
    st.toggle(label, value=value, key=widget, on_change=_switched, args=(widget, service, code, key))


def _switched(widget: str, service, code: str, key: str) -> None:
    wanted = st.session_state[widget]
    if ui.act(SCOPE, service, code, key, wanted):
        st.session_state[f"{widget}_stored"] = wanted
    else:
        st.session_state[widget] = st.session_state[f"{widget}_stored"]


def _do(service, code: str, key: str, *args, **kwargs) -> None:
    ui.act(SCOPE, service, code, key, *args, **kwargs)


@live.fragment("facilitator_controls", every_ms=500)
def controls(code: str, now, key: str) -> None:
    """Phases, timer, room settings, lock, results, reveal and self-check, as stored now."""
    w = ui.workshop_at(code, now)
    ui.note(SCOPE)
    st.subheader("Phase")
    with st.container(horizontal=True):
        for phase in Phase:
            current = phase == w.phase
            st.button(PHASE_LABELS[phase], key=f"facilitator_phase_{phase}", disabled=w.locked,
                      type="primary" if current else "secondary", icon=":material/check:" if current else None,
                      help="The room is here now" if current else None,
                      on_click=None if current else _phase, args=None if current else (code, key, phase))
    st.checkbox("Keep the timer running when the phase changes", key="facilitator_keep_timer")
    timer, settings = st.columns(2, gap="large")
    with timer:
        _timer(code, key, w)
    with settings:
        _settings(code, key, w)
    results, check = st.columns(2, gap="large")
    with results:
        _results(code, key, w)
    with check:
        _selfcheck(code, key, w)


def _phase(code: str, key: str, phase: Phase) -> None:
    ui.act(SCOPE, ws.set_phase, code, key, phase, keep_timer=bool(st.session_state.get("facilitator_keep_timer")))


def _timer(code: str, key: str, w: WorkshopView) -> None:
    st.subheader("Timer")
    st.caption("Running on every screen." if w.timer_ends_at else "No timer running.")
    st.number_input("Minutes", min_value=0.5, max_value=float(ws.MAX_TIMER_MINUTES), value=5.0, step=0.5,
                    key="facilitator_minutes")
    with st.container(horizontal=True):
        st.button("Start timer", key="facilitator_timer_start", disabled=w.locked, on_click=lambda: _do(
            ws.start_timer, code, key, float(st.session_state["facilitator_minutes"])))
        st.button("Stop timer", key="facilitator_timer_stop", disabled=w.locked or not w.timer_ends_at,
                  on_click=_do, args=(ws.stop_timer, code, key))


def _settings(code: str, key: str, w: WorkshopView) -> None:
    st.subheader("Room settings")
    _toggle("Anonymous: hide authors on shared screens and in exports", "anonymous", w.anonymous, ws.set_anonymous,
            code, key)
    _toggle("Private until reveal: each participant sees only their own items", "private", w.private_until_reveal,
            ws.set_private_until_reveal, code, key)
    if w.private_until_reveal:
        st.button("Hide again" if w.revealed else "Reveal everyone's items", key="facilitator_reveal",
                  on_click=_do, args=(ws.reveal_items, code, key, not w.revealed))
    for name, value in (("budget", w.vote_budget), ("cap", w.vote_cap)):
        if st.session_state.get(f"facilitator_{name}_stored") != value:
            st.session_state[f"facilitator_{name}"] = st.session_state[f"facilitator_{name}_stored"] = value
    with st.form("facilitator_votes"):
        st.number_input("Votes per participant", 1, ws.MAX_VOTE_BUDGET, w.vote_budget, key="facilitator_budget")
        st.number_input("At most on one item", 1, ws.MAX_VOTE_BUDGET, w.vote_cap, key="facilitator_cap")
        st.form_submit_button("Save votes", on_click=lambda: _do(ws.set_vote_budget, code, key, int(
            st.session_state["facilitator_budget"]), int(st.session_state["facilitator_cap"])))
    _limits(code, key, w)
    lock = ws.unlock_workshop if w.locked else ws.lock_workshop
    st.button("Unlock the workshop" if w.locked else "Lock the workshop (read-only for everyone)",
              key="facilitator_lock", icon=":material/lock:", on_click=_do, args=(lock, code, key))


def _limits(code: str, key: str, w: WorkshopView) -> None:
    """How much one participant may add: defaults no real room meets, there to stop a runaway tab."""
    for name, value in (("per_person", w.items_per_person), ("per_minute", w.items_per_minute)):
        if st.session_state.get(f"facilitator_{name}_stored") != value:
            st.session_state[f"facilitator_{name}"] = st.session_state[f"facilitator_{name}_stored"] = value
    with st.expander("Limits per participant"):
        with st.form("facilitator_limits", border=False):
            st.number_input("Demands, and apart initiatives, one person may add", 1, ws.MAX_ITEMS_PER_PERSON,
                            w.items_per_person, key="facilitator_per_person")
            st.number_input("... and in one minute", 1, ws.MAX_ITEMS_PER_MINUTE, w.items_per_minute,
                            key="facilitator_per_minute")
            st.form_submit_button("Save limits", on_click=lambda: _do(ws.set_item_limits, code, key, int(
                st.session_state["facilitator_per_person"]), int(st.session_state["facilitator_per_minute"])))


def _results(code: str, key: str, w: WorkshopView) -> None:
    st.subheader("Results")
    st.button("Hide the results" if w.results_revealed else "Reveal the results", key="facilitator_results",
              disabled=w.locked, on_click=_do, args=(ws.reveal_results, code, key, not w.results_revealed))
    st.page_link("views/dashboard.py", label="Open the dashboard", icon=":material/monitoring:",
                 query_params={"code": code})
    if w.phase != Phase.REVIEW or not w.results_revealed:
        return
    order = [i.id for i in dashboard.current(code)[0].initiatives if i.quadrant is not None]
    at = order.index(w.spotlight_id) if w.spotlight_id in order else None
    st.markdown("**Reveal on the wall, one initiative at a time**" + (f" · {at + 1} of {len(order)}" if at is not None
                                                                       else ""))
    with st.container(horizontal=True):
        st.button("Previous", key="facilitator_spotlight_previous", disabled=at is None or at == 0,
                  on_click=_do, args=(ws.set_spotlight, code, key, order[at - 1] if at else None))
        step = order[0] if at is None and order else (order[at + 1] if at is not None and at + 1 < len(order)
                                                      else None)
        st.button("Start the reveal" if at is None else "Next", key="facilitator_spotlight_next", type="primary",
                  disabled=step is None, on_click=_do, args=(ws.set_spotlight, code, key, step))
        st.button("Show all", key="facilitator_spotlight_all", disabled=at is None,
                  on_click=_do, args=(ws.set_spotlight, code, key, None))


def _selfcheck(code: str, key: str, w: WorkshopView) -> None:
    st.subheader("Self-check")
    if w.selfcheck_run is None:
        st.button("Open the self-check", key="facilitator_selfcheck_open", disabled=w.locked,
                  on_click=_do, args=(open_selfcheck, code, key))
    else:
        st.caption(f"Run {w.selfcheck_run} is open: participants see it in a tab of their page, whatever the phase.")
        st.button("Close the self-check", key="facilitator_selfcheck_close", disabled=w.locked,
                  on_click=_do, args=(close_selfcheck, code, key))
    _toggle("Show the self-check results on the wall", "wall_selfcheck", w.wall_selfcheck, ws.show_selfcheck_on_wall,
            code, key)


@st.cache_resource(max_entries=64, show_spinner=False)
def _progress(code: str, revision: int):
    return rating_progress(ui.db(), code)


@live.fragment("facilitator_status", field_name="revision", every_ms=1000)
def status(code: str, now) -> None:
    """Who is in the room, the phase, the clock, and how far the room has got: live, like the wall."""
    w = ui.workshop_at(code, now)
    facts = [f"{w.participant_count} in the room", w.phase_label, *(["locked"] if w.locked else [])]
    if w.phase == Phase.INNER_CUSTOMER:
        facts.append(f"{w.demand_count} demand{'s' if w.demand_count != 1 else ''}")
    elif w.phase == Phase.VALUE_EXCHANGE:
        facts.append(f"{w.initiative_count} initiative{'s' if w.initiative_count != 1 else ''}")
    info, timer = st.columns([3, 1], vertical_alignment="center")
    info.html(f'<div class="hp-status" data-testid="hp-console-status">{ui.esc(" · ".join(facts))}</div>')
    with timer:
        clock(w.seconds_left(), key="facilitator_clock", size="console")
    if w.phase == Phase.SCORE_VOTE:
        p = _progress(code, now.revision)
        st.progress(p.finished / p.participants if p.participants else 0.0,
                    text=f"{p.finished} of {p.participants} have rated all {p.initiatives} initiatives "
                         f"({p.started} started)")
