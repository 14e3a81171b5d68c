"""Big screen: the join code and QR, the phase and its timer, and what the room adds, for the wall."""

import streamlit as st

import ui
from planning.demands import list_shown_demands
from planning.initiatives import list_shown_initiatives
from planning.models import Phase
from planning.ratings import rating_progress
from planning.workshops import get_revision
from ui import dashboard, live, plan
from ui import initiatives as iw
from ui.clock import clock

FEED = 10
code = st.query_params.get("code", "")
if ui.attempt(get_revision, code) is None:  # a wrong code is refused here; nothing else is read per run
    ui.home_link()
    st.stop()
ui.style()
st.html("<style>header[data-testid='stHeader']{display:none} .block-container{padding-top:1rem}"
        ".hp-card{font-size:clamp(1rem,1.6vw,1.6rem)}</style>")


@st.cache_data(max_entries=64, show_spinner=False)
def room(code: str, revision: int) -> tuple:
    """What the wall shows at this revision, computed once for every screen showing it."""
    return (ui.get_workshop(ui.db(), code), list_shown_demands(ui.db(), code),
            list_shown_initiatives(ui.db(), code), rating_progress(ui.db(), code))


def header(w) -> None:
    compact = w.phase in (Phase.SCORE_VOTE, Phase.REVIEW, Phase.CLOSED)  # room the results need
    info, timer, qr = st.columns([4, 2, 0.8 if compact else 1.3], vertical_alignment="center")
    with info:
        st.html(f'<div class="hp-big">Join at {ui.esc(ui.base_url())}/join with code</div>'
                f'<p class="hp-code{" hp-small" if compact else ""}" data-testid="hp-join-code">{ui.esc(w.code)}</p>'
                f'<div class="hp-big"><strong>{w.participant_count}</strong> in the room · '
                f"{ui.esc(w.phase_label)}{' · locked' if w.locked else ''}</div>")
    with timer:
        clock(w.seconds_left(), key="big_screen_clock", size="wall")
    qr.image(ui.qr_png(ui.link("join", code=w.code)), caption="Scan to join", width="stretch")
    ui.prompt(w)


def feed(demands, initiatives) -> None:
    newest, top = st.columns(2, gap="large")
    with newest:
        st.subheader(f"Latest initiatives ({len(initiatives)})" if initiatives else f"Latest demands ({len(demands)})")
        texts = {d.id: d.text for d in demands}
        for item in sorted(initiatives or demands, key=lambda i: i.created_at, reverse=True)[:FEED]:
            if initiatives:
                iw.card(item, texts, show_votes=False)
            else:
                ui.demand_card(item, show_votes=False)
    with top:
        st.subheader("Most voted demands")
        voted = [d for d in demands if d.votes][:FEED]
        for d in voted:
            ui.demand_card(d)
        if not voted:
            st.caption("No votes yet.")


@live.fragment("big_screen", field_name="revision", every_ms=500)
def screen(code: str, now) -> None:
    """Redrawn when anything in the workshop changed (at most twice a second); the clock ticks in the browser."""
    revision = now.revision
    w, demands, initiatives, progress = room(code, revision)
    header(w)
    if w.phase == Phase.LOBBY:
        return
    if w.items_private and w.phase in (Phase.INNER_CUSTOMER, Phase.VALUE_EXCHANGE):
        counted = (f"{w.demand_count} demands" if w.phase == Phase.INNER_CUSTOMER
                   else f"{w.initiative_count} initiatives")
        st.html(f'<div class="hp-big">{counted} so far · private until the reveal</div>')
    elif w.phase == Phase.INNER_CUSTOMER:
        feed(demands, [])
    elif w.phase == Phase.VALUE_EXCHANGE:
        feed(demands, initiatives)
    elif w.phase == Phase.SCORE_VOTE:
        st.html(f'<div class="hp-big"><strong>{progress.finished}</strong> of {progress.participants} '
                f"have rated all {progress.initiatives} initiatives</div>")
        texts = {d.id: d.text for d in demands}
        for column, item in zip(st.columns(2) * len(initiatives), initiatives, strict=False):
            with column:
                iw.card(item, texts, show_votes=False)
    elif w.phase == Phase.PLAN:
        plan.view(code, key="big_screen")
    else:
        dashboard.show(*dashboard.figures(code, revision), key="big_screen", full=False)


live.page(code)
screen(code)
