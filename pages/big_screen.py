"""Big screen: the join code and QR, the phase and its timer, and a live feed, for the wall."""

import streamlit as st

import ui
from planning.demands import list_shown_demands
from planning.models import Phase
from planning.workshops import get_revision, get_workshop

FEED = 10
code = st.query_params.get("code", "")
if not ui.attempt(get_workshop, code):
    ui.home_link()
    st.stop()
ui.style()
st.html("<style>header[data-testid='stHeader']{display:none} .block-container{padding-top:1rem}</style>")


@st.fragment(run_every=1)
def screen() -> None:
    """Re-read the room only when its revision moved (one cheap query a tick); the clock ticks anyway."""
    revision = get_revision(ui.db(), code)
    cached = st.session_state.get("big_screen_snapshot")
    if cached is None or cached[0] != (code, revision):
        cached = ((code, revision), get_workshop(ui.db(), code), list_shown_demands(ui.db(), code))
        st.session_state["big_screen_snapshot"] = cached
    _, room, demands = cached
    info, clock, qr = st.columns([4, 2, 1.3], vertical_alignment="center")
    with info:
        st.html(f'<div class="hp-big">Join at {ui.esc(ui.base_url())}/join with code</div>'
                f'<p class="hp-code" data-testid="hp-join-code">{ui.esc(room.code)}</p>'
                f'<div class="hp-big"><strong>{room.participant_count}</strong> in the room · '
                f"{ui.esc(room.phase_label)}{' · locked' if room.locked else ''}</div>")
    with clock:
        seconds = room.seconds_left()
        if seconds is not None:
            done = " hp-done" if seconds == 0 else ""
            st.html(f'<div class="hp-timer{done}" data-testid="hp-timer">{ui.timer_text(seconds)}</div>')
    qr.image(ui.qr_png(ui.link("join", code=room.code)), caption="Scan to join", width="stretch")
    ui.prompt(room)
    if room.phase == Phase.LOBBY:
        return
    if room.items_private:
        st.html(f'<div class="hp-big">{room.demand_count} demands so far · private until the reveal</div>')
        return
    newest, top = st.columns(2, gap="large")
    with newest:
        st.subheader(f"Latest demands ({len(demands)})")
        for d in sorted(demands, key=lambda d: d.created_at, reverse=True)[:FEED]:
            ui.demand_card(d, show_votes=False)
    with top:
        st.subheader("Most voted")
        for d in [d for d in demands if d.votes][:FEED]:
            ui.demand_card(d)


screen()
