"""Participant: the current phase's task, the room's demands and one's dot votes."""

import streamlit as st

import ui
from planning.demands import add_demand, delete_own_demand, edit_own_demand, list_my_view
from planning.models import AREA_LABELS, Phase
from planning.participants import get_participant
from planning.voice import coach_demand
from planning.votes import cast_vote, get_ballot, retract_vote
from planning.workshops import get_revision, get_workshop

AREAS = [None, *AREA_LABELS]

token = st.query_params.get("p") or st.session_state.get("participant_token")
me = ui.attempt(get_participant, token) if token else None
if me is None:
    st.info("Join a workshop with its code to take part.")
    st.page_link("pages/join.py", label="Join with a code", icon=":material/login:")
    st.stop()
st.session_state["participant_token"] = token
st.query_params["p"] = token  # the URL is the rejoin link: a refresh brings this person back
w = ui.attempt(get_workshop, me.code)
ui.style()
st.title(w.title)
st.caption(f"{w.phase_label} · you are taking part as the name below · code {w.code}")
ui.literal(me.name)
ui.prompt(w)
if w.locked:
    st.warning("The facilitator has locked the workshop: you can read, not change.", icon=":material/lock:")
with st.expander("Your personal link (to come back as yourself from any device)"):
    st.code(ui.link("participant", p=token), language=None, wrap_lines=True)


def submit_demand() -> None:
    text = st.session_state.get("participant_new_demand", "")
    added = ui.attempt(add_demand, token, text, st.session_state.get("participant_new_area"))
    if added:
        st.session_state["participant_new_demand"] = ""
        st.session_state["participant_coach"] = (added.id, added.area, coach_demand(added.text))
        st.session_state["participant_notice"] = "Demand added."


if w.phase == Phase.INNER_CUSTOMER and not w.locked:
    with st.form("participant_add"):
        st.text_area("Your demand, as the customer", key="participant_new_demand", max_chars=500,
                     placeholder="I need you to…")
        st.selectbox("Self-check area (optional)", AREAS, key="participant_new_area",
                     format_func=ui.area_label)
        st.form_submit_button("Add demand", type="primary", on_click=submit_demand)
    if notice := st.session_state.pop("participant_notice", None):
        st.success(notice, icon=":material/check:")
    if coach := st.session_state.get("participant_coach"):
        demand_id, area, advice = coach
        if not advice.customer_voice:
            with st.container(border=True):
                st.markdown("**Voice coach** — a suggestion, nothing is blocked:")
                for tip in advice.tips:
                    st.markdown(f"- {tip}")
                if advice.rephrasing:
                    st.caption("In the customer's voice, it could read:")
                    ui.literal(advice.rephrasing)
                    if st.button("Use this wording", key="participant_use_rephrasing"):
                        if ui.attempt(edit_own_demand, token, demand_id, advice.rephrasing, area):
                            st.session_state.pop("participant_coach")
                            st.rerun()
                if st.button("Keep mine", key="participant_dismiss_coach"):
                    st.session_state.pop("participant_coach")
                    st.rerun()


def own_demand_tools(d) -> None:
    with st.popover("Edit", icon=":material/edit:"):
        with st.form(f"participant_edit_{d.id}"):
            text = st.text_area("Demand", value=d.text, max_chars=500)
            area = st.selectbox("Area", AREAS, index=AREAS.index(d.area), format_func=ui.area_label)
            save, delete = st.columns(2)
            if save.form_submit_button("Save", type="primary"):
                if ui.attempt(edit_own_demand, token, d.id, text, area):
                    st.rerun(scope="fragment")
            if delete.form_submit_button("Delete"):
                if ui.attempt(delete_own_demand, token, d.id):
                    st.rerun(scope="fragment")


@st.fragment(run_every=5)
def room() -> None:
    """The room's demands and the votes: re-read only when the workshop changed."""
    revision = get_revision(ui.db(), me.code)
    snapshot = st.session_state.get("participant_snapshot")
    if snapshot is None or snapshot[0] != (token, revision):
        now = get_workshop(ui.db(), me.code)
        if (now.phase, now.locked, now.items_private, now.vote_budget, now.vote_cap) != (
            w.phase, w.locked, w.items_private, w.vote_budget, w.vote_cap
        ):
            st.rerun(scope="app")
        snapshot = ((token, revision), list_my_view(ui.db(), token), get_ballot(ui.db(), token))
        st.session_state["participant_snapshot"] = snapshot
    _, demands, ballot = snapshot
    voting = w.phase == Phase.INNER_CUSTOMER and not w.locked and not w.items_private
    if w.items_private:
        st.caption("Only your own demands are shown until the facilitator reveals everyone's.")
    if voting:
        st.markdown(f"**Votes left: {ballot.left} of {ballot.budget}** (at most {ballot.cap} on one demand)")
    if not demands:
        st.caption("No demands yet.")
    for d in demands:
        card, tools = st.columns([5, 2], vertical_alignment="center")
        with card:
            ui.demand_card(d)
        with tools:
            if voting:
                minus, plus = st.columns(2)
                if minus.button("−1", key=f"participant_unvote_{d.id}", disabled=d.my_votes == 0,
                                help="Take a vote back"):
                    if ui.attempt(retract_vote, token, d.id):
                        st.rerun(scope="fragment")
                if plus.button(f"+1 ({d.my_votes})", key=f"participant_vote_{d.id}", help="Add a vote"):
                    if ui.attempt(cast_vote, token, d.id):
                        st.rerun(scope="fragment")
            if d.mine and w.phase == Phase.INNER_CUSTOMER and not w.locked:
                own_demand_tools(d)


st.subheader("The room's demands" if not w.items_private else "Your demands")
room()
