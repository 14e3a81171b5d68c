"""Facilitator console: phases, timer, room settings, lock, the reveal, moderation and the plan; live like the wall."""

import streamlit as st

import ui
from planning import workshops as ws
from ui import console, followup, live, moderation, people, plan

code, key = st.query_params.get("code", ""), st.query_params.get("key", "")
w = ui.attempt(ws.check_facilitator, code, key)
if not w:
    st.caption("Open the console with the private facilitator link you got when creating the workshop.")
    ui.home_link()
    st.stop()
code = w.code
ui.style()
ui.heading(w.title, f"Facilitator console · code {w.code}", f"{w.company} · customer: {w.segment}")
# A phase change (from another tab, or a co-facilitator) redraws the console once, as a whole page: its seven live
# fragments each firing in turn lost one fire in two phase changes at 200 phones, and the console then showed the
# old phase for 7 s (bench/live.py).
live.page(code, w.revisions)

facilitator_link = ui.link("facilitator", code=code, key=key)
if st.session_state.pop("facilitator_new", False):
    st.warning("Keep this private link: it is the only way back to this console. "
               "Copy it now (button at the right of the box); nobody can recover it for you.",
               icon=":material/key:")
    st.code(facilitator_link, language=None, wrap_lines=True)
else:
    with st.expander("Your private facilitator link"):
        st.code(facilitator_link, language=None, wrap_lines=True)
ui.unreachable_warning()
left, right = st.columns(2)
left.link_button("Open the big screen", ui.link("big_screen", code=code), icon=":material/tv:", type="primary")
right.code(ui.link("join", code=code), language=None)

console.status(code)
console.controls(code, key)
followup.console(code, key)
with st.expander("Export and backup", icon=":material/download:"):
    ui.export_buttons(code, key)

demand_tab, initiative_tab, people_tab, plan_tab = st.tabs(["Demands", "Initiatives", "People", "Plan"])
with people_tab:
    people.people(code, key)
with demand_tab:
    moderation.demands(code, key)
with initiative_tab:
    moderation.initiatives(code, key)
with plan_tab:
    plan.live_editor(code, key)
