"""Facilitator console: phases, timer, room settings, lock, and moderation of demands."""

import streamlit as st

import ui
from planning import workshops as ws
from planning.demands import edit_demand, hide_demand, list_demands, merge_demands, unmerge_demand
from planning.models import AREA_LABELS, PHASE_LABELS, Phase

AREAS = [None, *AREA_LABELS]
code, key = st.query_params.get("code", ""), st.query_params.get("key", "")
w = ui.attempt(ws.check_facilitator, code, key)
if not w:
    st.caption("Open the console with the private facilitator link you got when creating the workshop.")
    ui.home_link()
    st.stop()
ui.style()
st.title(f"Console · {w.code}")
ui.literal(w.title)
st.caption(f"{w.participant_count} in the room · phase: {w.phase_label}" + (" · locked" if w.locked else ""))

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
    if column.button(PHASE_LABELS[phase], key=f"facilitator_phase_{phase}", icon=":material/check:" if current else None,
                     type="primary" if current else "secondary", width="stretch"):
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
    rev = w.revision  # a fresh widget per revision, so a refused change cannot leave a stale toggle
    anonymous = st.toggle("Anonymous: hide authors on shared screens", value=w.anonymous,
                          key=f"facilitator_anonymous_{rev}")
    private = st.toggle("Private until reveal: each participant sees only their own items",
                        value=w.private_until_reveal, key=f"facilitator_private_{rev}")
    changes = [(anonymous != w.anonymous, ws.set_anonymous, anonymous),
               (private != w.private_until_reveal, ws.set_private_until_reveal, private)]
    for changed, service, value in changes:
        if changed and ui.attempt(service, code, key, value):
            st.rerun()
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


def moderate(d, shown) -> None:
    with st.popover("Edit", icon=":material/edit:"):
        with st.form(f"facilitator_edit_{d.id}"):
            text = st.text_area("Demand", value=d.text, max_chars=500)
            area = st.selectbox("Area", AREAS, index=AREAS.index(d.area), format_func=ui.area_label)
            if st.form_submit_button("Save") and ui.attempt(edit_demand, code, key, d.id, text, area):
                st.rerun(scope="fragment")
    if st.button("Show again" if d.hidden else "Hide", key=f"facilitator_hide_{d.id}"):
        if ui.attempt(hide_demand, code, key, d.id, not d.hidden):
            st.rerun(scope="fragment")
    if d.merged_into:
        if st.button(f"Undo merge into #{d.merged_into}", key=f"facilitator_unmerge_{d.id}"):
            if ui.attempt(unmerge_demand, code, key, d.id):
                st.rerun(scope="fragment")
    elif targets := [t for t in shown if t.id != d.id]:
        with st.popover("Merge", icon=":material/merge:"):
            into = st.selectbox("Duplicate of", targets, key=f"facilitator_merge_into_{d.id}",
                                format_func=lambda t: f"#{t.id} · {t.text[:60]}")
            if st.button("Merge", key=f"facilitator_merge_{d.id}") and ui.attempt(
                merge_demands, code, key, d.id, into.id
            ):
                st.rerun(scope="fragment")


@st.fragment(run_every=3)
def demands() -> None:
    """Every demand with its moderation tools; re-read only when the workshop changed."""
    revision = ws.get_revision(ui.db(), code)
    cached = st.session_state.get("facilitator_snapshot")
    if cached is None or cached[0] != (code, revision):
        cached = ((code, revision), list_demands(ui.db(), code, key))
        st.session_state["facilitator_snapshot"] = cached
    items = cached[1]
    shown = [d for d in items if not d.hidden and d.merged_into is None]
    st.subheader(f"Demands ({len(shown)} shown, {len(items) - len(shown)} hidden or merged)")
    for d in items:
        card, tools = st.columns([4, 2], vertical_alignment="center")
        with card:
            ui.demand_card(d)
            if d.hidden or d.merged_into:
                st.caption("Hidden" if d.hidden else f"Merged into #{d.merged_into}")
        with tools:
            moderate(d, shown)


demands()
