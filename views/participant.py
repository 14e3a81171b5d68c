"""Participant: what the current phase asks of them, on a phone or a laptop."""

import streamlit as st

import ui
from planning.models import Phase
from planning.participants import get_participant
from ui import dashboard, demands, live, plan, proposals, rating, review, selfcheck
from ui.clock import clock

token = st.query_params.get("p") or st.session_state.get("participant_token")
me = ui.attempt(get_participant, token) if token else None
if me is None:
    st.info("Join a workshop with its code to take part.")
    st.page_link("views/join.py", label="Join with a code", icon=":material/login:")
    st.stop()
st.session_state["participant_token"] = token
st.query_params["p"] = token  # the URL is the rejoin link: a refresh brings this person back
w = ui.workshop_now(me.code)
settings = ui.settings_of(w)
ui.style()
ui.heading(w.title, f"{w.phase_label} · code {w.code}", f"You take part as {me.name}")
ui.prompt(w)
live.page(w.code, w.revisions)



@live.fragment("participant_clock", field_name="timer")
def timer(code: str, now) -> None:
    """The countdown, redrawn when the facilitator starts or stops it (it ticks in the browser)."""
    clock(ui.workshop_at(code, now).seconds_left(), key="participant_clock", size="phone")


timer(w.code)
if w.locked:
    st.warning("The facilitator has locked the workshop: you can read, not change.", icon=":material/lock:")


@live.fragment("participant_follow")
def follow(code: str, now, drawn: tuple, draw) -> None:
    """Whatever the phase shows that no form sits in: redrawn with the room, and the whole page with the phase."""
    ui.follow_settings(code, now, drawn)
    draw()


def results() -> None:
    dashboard.show(*dashboard.current(w.code), key="participant", full=False)
    st.page_link("views/dashboard.py", label="The full dashboard", icon=":material/monitoring:",
                 query_params={"code": w.code})


def waiting() -> None:
    """The Lobby; in a follow-up, what became of the last session's plan below (read-only)."""
    st.info("Waiting for the facilitator to start. This page updates by itself.", icon=":material/hourglass:")
    review.view(w.code, key="participant")


def planning() -> None:
    review.view(w.code, key="participant")
    plan.view(w.code, key="participant")


# A tab set per phase: a new phase opens on its own work, even for someone who was on the self-check's tab.
work, check = (st.tabs([w.phase_label, "Self-check"], key=f"participant_tabs_{w.phase}", default=w.phase_label)
               if w.selfcheck_run is not None else (st.container(), None))
with work:
    if w.phase == Phase.INNER_CUSTOMER:
        demands.section(token, w)
    elif w.phase == Phase.VALUE_EXCHANGE:
        proposals.section(token, w)
    elif w.phase == Phase.SCORE_VOTE:
        rating.section(w.code, token, settings)
    elif w.phase == Phase.PLAN:
        follow(w.code, settings, planning)
    elif w.phase == Phase.LOBBY:
        follow(w.code, settings, waiting)
    else:
        follow(w.code, settings, results)
if check is not None:
    with check:
        selfcheck.participant_section(token, w.locked)
with st.expander("Your personal link (to come back as yourself from any device)"):
    st.code(ui.link("participant", p=token), language=None, wrap_lines=True)
