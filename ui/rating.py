"""The participant's Score & vote section: two 0-10 ratings per initiative and dots from a budget.

Sliders keep one key each for the whole phase and save in their own callback, so a redraw of the room between
drawing and touching one can never swallow the touch. Cards are sorted when the list is first drawn (not yet
rated first) and then hold still.
"""

import streamlit as st

import ui
from planning.models import Axis
from planning.ratings import rate_initiative
from planning.votes import cast_initiative_vote, retract_initiative_vote
from ui import live
from ui.initiatives import card

PAGE = 5  # initiatives per page: each has two sliders and two buttons
AXES = ((Axis.CUSTOMER, "Value to the customer (0–10)"), (Axis.COMPANY, "Value returned to the company (0–10)"))


@live.fragment("participant_rate")
def section(code: str, now, token: str, drawn_settings: tuple) -> None:
    """Rate every initiative on both axes, then spend the votes; 'done' once everything is rated."""
    w = ui.follow_settings(code, now, drawn_settings)
    room = ui.room_at(code, now.room, token if w.items_private else None)
    marks = ui.marks(token, w, room)
    rated = {v.id for v in room.initiatives if all((v.id, axis) in marks.ratings for axis in Axis)}
    total, ballot = len(room.initiatives), marks.initiative_ballot
    if total and len(rated) == total:
        st.success(f"Done — you have rated all {total} initiatives. Waiting for the others; you can still change a "
                   "rating or move a vote.", icon=":material/done_all:")
    st.progress(len(rated) / total if total else 0.0, text=f"{len(rated)} of {total} rated")
    st.markdown(f"**Votes left: {ballot.left} of {ballot.budget}** (at most {ballot.cap} on one initiative)")
    st.caption("Rate on your own: nobody sees anyone's scores until the facilitator reveals the results.")
    ui.note("participant_rate")
    texts = room.demand_text()
    by_id = {v.id: v for v in room.initiatives}
    order = ui.stable_order("participant_rate_order", sorted(by_id, key=lambda i: (i in rated, i)))
    for initiative_id in ui.page_of(order, "participant_rating_page", PAGE):
        v = by_id[initiative_id]
        with st.container(border=True, key=f"hp_card_rate_{v.id}"):
            card(v, texts, show_votes=False, plain=True)  # others' votes stay out of sight while rating
            _sliders(token, w.locked, v.id, marks.ratings)
            _dots(token, w.locked, v.id, marks.initiative_dots.get(v.id, 0), ballot)


def _sliders(token: str, locked: bool, initiative_id: int, ratings: dict) -> None:
    for column, (axis, label) in zip(st.columns(2), AXES, strict=True):
        key = f"participant_rate_{initiative_id}_{axis}"
        stored = ratings.get((initiative_id, axis))
        shown = 5 if stored is None else stored
        if st.session_state.get(f"{key}_stored", "unset") != stored:  # changed elsewhere (another device): follow
            st.session_state[key] = shown
            st.session_state[f"{key}_stored"] = stored
        # Its default is what is stored too: a browser shows the default when it draws a slider from a run that did
        # not set it (one stopped by a live rerun after the line above), and sends it back with the next press.
        column.slider(label, 0, 10, value=shown, key=key, disabled=locked, on_change=_rate,
                      args=(token, initiative_id, axis))
        if stored is None:
            column.caption("Not rated yet: move the slider, or keep 5.")
            column.button("Keep 5", key=f"participant_keep_{initiative_id}_{axis}", disabled=locked,
                          on_click=_rate, args=(token, initiative_id, axis))


def _rate(token: str, initiative_id: int, axis: Axis) -> None:
    key = f"participant_rate_{initiative_id}_{axis}"
    if not ui.act("participant_rate", rate_initiative, token, initiative_id, axis.value, st.session_state[key]):
        stored = st.session_state.get(f"{key}_stored")
        st.session_state[key] = 5 if stored is None else stored  # refused: the slider shows what is stored


def _dots(token: str, locked: bool, initiative_id: int, mine: int, ballot) -> None:
    with st.container(horizontal=True):
        st.button("−1 vote", key=f"participant_unvote_initiative_{initiative_id}", disabled=locked or mine == 0,
                  on_click=_vote, args=(retract_initiative_vote, token, initiative_id))
        full = ballot.left == 0 or mine >= ballot.cap
        st.button(f"+1 vote · {mine} mine", key=f"participant_vote_initiative_{initiative_id}", type="primary",
                  disabled=locked or full, on_click=_vote, args=(cast_initiative_vote, token, initiative_id),
                  help=("No votes left: take one back to move it" if ballot.left == 0 else
                        f"At most {ballot.cap} on one initiative") if full else "Add a vote")


def _vote(service, token: str, initiative_id: int) -> None:
    ui.act("participant_rate", service, token, initiative_id)
