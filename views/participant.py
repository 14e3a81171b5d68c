"""Participant: what the current phase asks of them, on a phone or a laptop."""

import streamlit as st

import ui
from planning.models import Phase
from planning.participants import get_participant
from planning.workshops import get_workshop
from ui import dashboard, demands, initiatives, plan, selfcheck

token = st.query_params.get("p") or st.session_state.get("participant_token")
me = ui.attempt(get_participant, token) if token else None
if me is None:
    st.info("Join a workshop with its code to take part.")
    st.page_link("views/join.py", label="Join with a code", icon=":material/login:")
    st.stop()
st.session_state["participant_token"] = token
st.query_params["p"] = token  # the URL is the rejoin link: a refresh brings this person back
w = get_workshop(ui.db(), me.code)
ui.style()
ui.heading(w.title, f"{w.phase_label} · code {w.code}", f"You take part as {me.name}")
ui.prompt(w)
if w.locked:
    st.warning("The facilitator has locked the workshop: you can read, not change.", icon=":material/lock:")
with st.expander("Your personal link (to come back as yourself from any device)"):
    st.code(ui.link("participant", p=token), language=None, wrap_lines=True)
ui.follow_room(w)
if w.selfcheck_run is not None:
    selfcheck.participant_section(token)

if w.phase == Phase.LOBBY:
    st.info("Waiting for the facilitator to start. This page updates by itself.", icon=":material/hourglass:")
elif w.phase == Phase.INNER_CUSTOMER:
    demands.section(token, w)
elif w.phase == Phase.VALUE_EXCHANGE:
    initiatives.propose_section(token, w)
elif w.phase == Phase.SCORE_VOTE:
    initiatives.rate_section(token, w)
elif w.phase == Phase.PLAN:
    plan.view(w.code, key="participant")
else:
    dashboard.show(*dashboard.current(w.code), key="participant", full=False)
    st.page_link("views/dashboard.py", label="The full dashboard", icon=":material/monitoring:",
                 query_params={"code": w.code})
