"""Facilitator console: phases, timer, room settings, lock, and moderation of demands."""

import streamlit as st

import ui
from planning import workshops as ws
from planning.models import PHASE_LABELS, Phase
from planning.ratings import rating_progress
from planning.selfcheck import close_selfcheck, open_selfcheck
from ui import moderation, plan

code, key = st.query_params.get("code", ""), st.query_params.get("key", "")
w = ui.attempt(ws.check_facilitator, code, key)
if not w:
    st.caption("Open the console with the private facilitator link you got when creating the workshop.")
    ui.home_link()
    st.stop()
ui.style()
ui.heading(
    w.title, f"Facilitator console · code {w.code} · {w.participant_count} in the room · phase: {w.phase_label}"
    + (" · locked" if w.locked else ""), f"{w.company} · customer: {w.segment}",
)

facilitator_link = ui.link("facilitator", code=w.code, key=key)
if st.session_state.pop("facilitator_new", False):
    st.warning("Keep this private link: it is the only way back to this console. "
               "Copy it now (button at the right of the box); nobody can recover it for you.",
               icon=":material/key:")
    st.code(facilitator_link, language=None, wrap_lines=True)
else:
    with st.expander("Your private facilitator link"):
        st.code(facilitator_link, language=None, wrap_lines=True)
left, right = st.columns(2)
left.link_button("Open the big screen", ui.link("big_screen", code=w.code), icon=":material/tv:", type="primary")
right.code(ui.link("join", code=w.code), language=None)

st.subheader("Phase")
for column, phase in zip(st.columns(len(Phase)), Phase, strict=True):
    current = phase == w.phase
    if column.button(PHASE_LABELS[phase], key=f"facilitator_phase_{phase}", width="stretch",
                     icon=":material/check:" if current else None, type="primary" if current else "secondary"):
        if not current and ui.attempt(ws.set_phase, code, key, phase):
            st.rerun()

timer, settings = st.columns(2, gap="large")
with timer:
    st.subheader("Timer")
    left_seconds = w.seconds_left()
    st.write(f"Running: {ui.timer_text(left_seconds)} left" if left_seconds is not None else "No timer running.")
    minutes = st.number_input("Minutes", min_value=0.5, max_value=240.0, value=5.0, step=0.5,
                              key="facilitator_minutes")
    start, stop = st.columns(2)
    if start.button("Start timer", key="facilitator_timer_start") and ui.attempt(ws.start_timer, code, key, minutes):
        st.rerun()
    if stop.button("Stop timer", key="facilitator_timer_stop") and ui.attempt(ws.stop_timer, code, key):
        st.rerun()
with settings:
    st.subheader("Room settings")
    # A fresh widget per revision and per refusal, so a refused change cannot leave a flipped toggle.
    rev = f"{w.revision}_{st.session_state.get('facilitator_refusals', 0)}"
    anonymous = st.toggle("Anonymous: hide authors on shared screens", value=w.anonymous,
                          key=f"facilitator_anonymous_{rev}")
    private = st.toggle("Private until reveal: each participant sees only their own items",
                        value=w.private_until_reveal, key=f"facilitator_private_{rev}")
    changes = [(anonymous != w.anonymous, ws.set_anonymous, anonymous),
               (private != w.private_until_reveal, ws.set_private_until_reveal, private)]
    for changed, service, value in changes:
        if changed:
            if ui.attempt(service, code, key, value):
                st.rerun()
            st.session_state["facilitator_refusals"] = st.session_state.get("facilitator_refusals", 0) + 1
    if w.private_until_reveal and st.button("Hide again" if w.revealed else "Reveal everyone's items",
                                            key="facilitator_reveal"):
        if ui.attempt(ws.reveal_items, code, key, not w.revealed):
            st.rerun()
    with st.form("facilitator_votes"):
        budget = st.number_input("Votes per participant", 1, ws.MAX_VOTE_BUDGET, w.vote_budget)
        cap = st.number_input("At most on one item", 1, ws.MAX_VOTE_BUDGET, w.vote_cap)
        if st.form_submit_button("Save votes") and ui.attempt(ws.set_vote_budget, code, key, int(budget), int(cap)):
            st.rerun()
    lock = ws.unlock_workshop if w.locked else ws.lock_workshop
    if st.button("Unlock the workshop" if w.locked else "Lock the workshop (read-only for everyone)",
                 key="facilitator_lock", icon=":material/lock:") and ui.attempt(lock, code, key):
        st.rerun()


st.subheader("Scoring")
progress = rating_progress(ui.db(), code)
st.write(f"{progress.finished} of {progress.participants} participants have rated all "
         f"{progress.initiatives} initiatives ({progress.started} started).")
if st.button("Hide the results" if w.results_revealed else "Reveal the results", key="facilitator_results"):
    if ui.attempt(ws.reveal_results, code, key, not w.results_revealed):
        st.rerun()
st.page_link("views/dashboard.py", label="Open the dashboard", icon=":material/monitoring:",
             query_params={"code": code})

st.subheader("Self-check")
if w.selfcheck_run is None:
    if st.button("Open the self-check", key="facilitator_selfcheck_open") and ui.attempt(open_selfcheck, code, key):
        st.rerun()
else:
    st.write(f"Run {w.selfcheck_run} is open: participants see it on their page whatever the phase.")
    if st.button("Close the self-check", key="facilitator_selfcheck_close") and ui.attempt(close_selfcheck, code, key):
        st.rerun()

with st.expander("Export and backup", icon=":material/download:"):
    ui.export_buttons(code, key)

demand_tab, initiative_tab, plan_tab = st.tabs(["Demands", "Initiatives", "Plan"])
with demand_tab:
    moderation.demands(code, key)
with initiative_tab:
    moderation.initiatives(code, key)
with plan_tab:
    plan.editor(code, key)
