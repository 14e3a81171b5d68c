"""The participant's Inner customer section: the add form with the voice coach, and the room's demands with votes.

The form is its own fragment and never redraws when the room changes, so nobody loses what they are typing; the
list is a live fragment, redrawn when the room changes, in an order that holds still under a finger.
"""

from functools import partial

import streamlit as st

import ui
from planning.demands import add_demand, delete_own_demand, edit_own_demand
from planning.models import AREA_LABELS
from planning.room import list_own
from planning.voice import coach_demand
from planning.votes import cast_vote, retract_vote
from planning.workshops import WorkshopView
from ui import live
from ui.cards import Button, Card, cards

AREAS = [None, *AREA_LABELS]
PAGE = 8  # the room's demands per page: what a redraw draws, however large the room


def section(token: str, w: WorkshopView) -> None:
    """Inner customer: add demands in the customer's voice, see the room's, dot-vote."""
    if not w.locked:
        add_form(token)
    demand_list(w.code, token, ui.settings_of(w))


@st.fragment(key="participant_add")
def add_form(token: str) -> None:
    # No clear_on_submit: the form empties only once the demand is stored (in the callbacks), so a refusal or a busy
    # database leaves the draft in the box; ui.fill keeps the emptying when a live rerun stops the run after it.
    with ui.filling("participant_add"):
        _form(token)
    ui.note("participant_add")
    _coach(token)


def _form(token: str) -> None:
    editing = st.session_state.get("participant_editing_demand")
    if editing:
        st.caption("Changing one of your demands: save it, delete it, or cancel.")
    with st.form("participant_add_form"):
        st.text_area("Your demand, as the customer", key="participant_new_demand", max_chars=500,
                     placeholder="I need you to…")
        st.selectbox("Self-check area (optional)", AREAS, key="participant_new_area", format_func=ui.area_label)
        with st.container(horizontal=True):
            if editing:
                st.form_submit_button("Save the change", type="primary", on_click=_save, args=(token, editing))
                st.form_submit_button("Delete it", on_click=_delete, args=(token, editing))
                st.form_submit_button("Cancel", on_click=_clear)
            else:
                st.form_submit_button("Add demand", type="primary", on_click=_submit, args=(token,))


def _submit(token: str) -> None:
    text = st.session_state.get("participant_new_demand", "")
    added = ui.act("participant_add", add_demand, token, text, st.session_state.get("participant_new_area"),
                   done="Demand added.")
    if added:
        _clear()
        st.session_state["participant_coach"] = (added.id, added.area, coach_demand(added.text))


def _clear() -> None:
    ui.fill("participant_add", participant_new_demand="", participant_new_area=None, participant_editing_demand=None)


def _start_edit(token: str, demand_id: int) -> None:
    """Load one's own demand into the form above, to change or delete it there."""
    d = next((d for d in list_own(ui.db(), token).demands if d.id == demand_id), None)
    if d is not None:
        ui.fill("participant_add", participant_new_demand=d.text, participant_new_area=d.area,
                participant_editing_demand=d.id, participant_coach=None)
        st.session_state.get("hp_notes", {}).pop("participant_add", None)
    st.rerun()  # the form is another fragment: only a whole-page run shows the values set into it


def _save(token: str, demand_id: int) -> None:
    if ui.act("participant_add", edit_own_demand, token, demand_id, st.session_state.get("participant_new_demand"),
              st.session_state.get("participant_new_area"), done="Demand changed."):
        _clear()


def _delete(token: str, demand_id: int) -> None:
    if ui.act("participant_add", delete_own_demand, token, demand_id, done="Demand deleted."):
        _clear()


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
            st.button("Use this wording", key="participant_use_rephrasing", on_click=_rephrase,
                      args=(token, demand_id, advice.rephrasing, area))
        st.button("Keep mine", key="participant_dismiss_coach", on_click=st.session_state.pop,
                  args=("participant_coach", None))


def _rephrase(token: str, demand_id: int, text: str, area) -> None:
    if ui.act("participant_add", edit_own_demand, token, demand_id, text, area, done="Wording changed."):
        st.session_state.pop("participant_coach", None)


@live.fragment("participant_demands")
def demand_list(code: str, now, token: str, drawn_settings: tuple) -> None:
    """One's own demands, newest first, then the room's a page at a time, in the order first seen."""
    w = ui.follow_settings(code, now, drawn_settings)
    room = ui.room_at(code, now.room, token if w.items_private else None)
    marks = ui.marks(token, w, room)
    voting = not w.locked and not w.items_private
    mine = sorted((d for d in room.demands if d.id in marks.demands), key=lambda d: d.id, reverse=True)
    others = {d.id: d for d in room.demands if d.id not in marks.demands}
    ballot = marks.demand_ballot
    if voting:
        st.markdown(f"**Votes left: {ballot.left} of {ballot.budget}** (at most {ballot.cap} on one demand)")
        if ballot.left == 0:
            st.caption("All your votes are placed. Take one back (−1) to move it.")
    ui.note("participant_votes")
    press = partial(_press, token)
    st.subheader(f"Your demands ({len(mine)})")
    cards("participant_my_demands", [_card(d, marks, voting, mine=not w.locked) for d in mine], press)
    if w.items_private:
        st.caption("Only your own demands are shown until the facilitator reveals everyone's.")
        return
    st.subheader(f"The room's demands ({len(others)})")
    if not others:
        st.caption("No demands from others yet.")
    order = ui.stable_order("participant_demand_order", list(others))
    page = ui.page_of(order, "participant_demand_page", PAGE)
    cards("participant_room_demands", [_card(others[i], marks, voting, mine=False) for i in page], press)


def _card(d, marks, voting: bool, *, mine: bool) -> Card:
    """A demand with its votes and, inside the card, its buttons (and Edit on one's own, while it may change)."""
    dots, ballot = marks.demand_dots.get(d.id, 0), marks.demand_ballot
    meta = [ui.area_label(a) for a in d.areas] + ["yours" if d.id in marks.demands else (d.author or "")]
    meta.append(f"{d.votes} vote{'s' if d.votes != 1 else ''}")
    buttons = []
    if voting:
        full = ballot.left == 0 or dots >= ballot.cap
        buttons += [Button("unvote", "−1", "You have no vote on it" if dots == 0 else "Take a vote back",
                           disabled=dots == 0),
                    Button("vote", f"+1 · {dots} mine", ("No votes left: take one back to move it" if ballot.left == 0
                                                         else f"At most {ballot.cap} on one demand") if full
                           else "Add a vote", disabled=full, primary=True)]
    if mine:
        buttons.append(Button("edit", "Edit", "Change or delete it in the form above"))
    return Card(d.id, d.text, " · ".join(m for m in meta if m), mine=d.id in marks.demands, buttons=tuple(buttons))


def _press(token: str, demand_id: int, action: str) -> None:
    if action == "vote":
        ui.act("participant_votes", cast_vote, token, demand_id)
    elif action == "unvote":
        ui.act("participant_votes", retract_vote, token, demand_id)
    elif action == "edit":
        _start_edit(token, demand_id)
