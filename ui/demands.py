"""Demand widgets: the participant's Inner customer section and the voice coach."""

import streamlit as st

import ui
from planning.demands import add_demand, delete_own_demand, edit_own_demand, list_my_view
from planning.models import AREA_LABELS
from planning.voice import coach_demand
from planning.votes import cast_vote, get_ballot, retract_vote
from planning.workshops import WorkshopView

AREAS = [None, *AREA_LABELS]
PAGE = 10  # demands per page of the room's list: what a rerun draws, timed ones included


@st.fragment(run_every=5)
def section(token: str, w: WorkshopView) -> None:
    """Inner customer: add demands in the customer's voice, see the room's, dot-vote.

    One fragment, re-read only when the workshop changed: adding, voting and editing rerun it alone,
    never the whole page. With a full rerun per submit and the list as its own timed fragment, 9 of 20
    participants of bench/load.py lost the add form (Streamlit's frontend kept a stale copy of the list
    and never redrew the page body) when a timed rerun landed during the submit's full rerun."""
    if not w.locked:
        _add_form(token)
        _coach(token)
    _room(token, w)


def _submit(token: str) -> None:
    text = st.session_state.get("participant_new_demand", "")
    added = ui.attempt_in_callback("participant_add_refusal", add_demand, token, text,
                                   st.session_state.get("participant_new_area"))
    if added:
        st.session_state["participant_coach"] = (added.id, added.area, coach_demand(added.text))
        st.session_state["participant_notice"] = "Demand added."
    else:  # refused or not stored: the draft is set back, next to the reason. The browser does not show it
        # yet (it has just emptied the form); a new form per press would, but its old copy lingered on the
        # page while a run drew, so the add form keeps one identity (tests/e2e/test_drafts.py).
        st.session_state["participant_new_demand"] = text


def _add_form(token: str) -> None:
    # The browser empties the form on submit. Emptying it from the server instead raced with the timed
    # reruns under load: a tick sent before the empty value arrived put the old text back (bench/load.py).
    with st.form("participant_add", clear_on_submit=True):
        st.text_area("Your demand, as the customer", key="participant_new_demand", max_chars=500,
                     placeholder="I need you to…")
        st.selectbox("Self-check area (optional)", AREAS, key="participant_new_area", format_func=ui.area_label)
        st.form_submit_button("Add demand", type="primary", on_click=_submit, args=(token,))
    ui.show_refusal("participant_add_refusal")
    if notice := st.session_state.pop("participant_notice", None):
        st.success(notice, icon=":material/check:")


def _coach(token: str) -> None:
    coach = st.session_state.get("participant_coach")
    if not coach or coach[2].customer_voice:
        return
    demand_id, area, advice = coach
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
                    ui.refresh()
        if st.button("Keep mine", key="participant_dismiss_coach"):
            st.session_state.pop("participant_coach")
            ui.refresh()


def _own_tools(token: str, d) -> None:
    with st.popover("Edit", icon=":material/edit:"):
        with st.form(f"participant_edit_{d.id}"):
            text = st.text_area("Demand", value=d.text, max_chars=500)
            area = st.selectbox("Area", AREAS, index=AREAS.index(d.area), format_func=ui.area_label)
            save, delete = st.columns(2)
            if save.form_submit_button("Save", type="primary") and ui.attempt(edit_own_demand, token, d.id, text, area):
                ui.refresh()
            if delete.form_submit_button("Delete") and ui.attempt(delete_own_demand, token, d.id):
                ui.refresh()


def _room(token: str, w: WorkshopView) -> None:
    """One's own demands, newest first, then the others', most voted first and a page at a time (a
    timed rerun draws at most PAGE of them however large the room): re-read only when it changed."""
    demands, ballot = ui.until_changed("participant_snapshot", w.code, token, lambda _revision: (
        list_my_view(ui.db(), token), get_ballot(ui.db(), token)))
    voting = not w.locked and not w.items_private
    mine = sorted((d for d in demands if d.mine), key=lambda d: d.id, reverse=True)
    others = [d for d in demands if not d.mine]
    if voting:
        st.markdown(f"**Votes left: {ballot.left} of {ballot.budget}** (at most {ballot.cap} on one demand)")
    st.subheader(f"Your demands ({len(mine)})")
    for d in mine:
        _row(token, w, d, voting)
    if w.items_private:
        st.caption("Only your own demands are shown until the facilitator reveals everyone's.")
        return
    st.subheader(f"The room's demands ({len(others)})")
    if not others:
        st.caption("No demands from others yet.")
    for d in ui.page_of(others, "participant_demand_page", PAGE):
        _row(token, w, d, voting)


def _row(token: str, w: WorkshopView, d, voting: bool) -> None:
    card, tools = st.columns([5, 2], vertical_alignment="center")
    with card:
        ui.demand_card(d)
    with tools.container(horizontal=True):  # one block, not nested columns: a rerun sends fewer messages
        if voting:
            if st.button("−1", key=f"participant_unvote_{d.id}", disabled=d.my_votes == 0,
                         help="Take a vote back") and ui.attempt(retract_vote, token, d.id):
                ui.refresh()
            if st.button(f"+1 ({d.my_votes})", key=f"participant_vote_{d.id}", help="Add a vote") and ui.attempt(
                cast_vote, token, d.id
            ):
                ui.refresh()
        if d.mine and not w.locked:
            _own_tools(token, d)
