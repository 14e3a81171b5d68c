"""Big screen: the join code and QR, the phase and its timer, and what the room adds, for the wall."""

from dataclasses import dataclass

import streamlit as st

import ui
from planning.demands import DemandView, list_shown_demands
from planning.initiatives import InitiativeView, list_shown_initiatives
from planning.models import Phase
from planning.plan.review import PlanReview, plan_review
from planning.ratings import RoomProgress, rating_progress
from planning.roster import list_joined_names
from planning.workshops import WorkshopView, get_revision
from ui import live, plan, selfcheck, wall

code = st.query_params.get("code", "")
if ui.attempt(get_revision, code) is None:  # a wrong code is refused here; nothing else is read per run
    ui.home_link()
    st.stop()
ui.style()
wall.style()


@dataclass(frozen=True)
class Room:
    w: WorkshopView
    names: tuple[str, ...] = ()
    demands: tuple[DemandView, ...] = ()
    initiatives: tuple[InitiativeView, ...] = ()
    progress: RoomProgress | None = None
    review: PlanReview | None = None  # a follow-up's review of the last session's plan (Lobby and Plan)


@st.cache_resource(max_entries=64, show_spinner=False)
def room(code: str, revision: int) -> Room:
    """What the wall shows at this revision, read once for every screen showing it (frozen views)."""
    db, w = ui.db(), ui.get_workshop(ui.db(), code)
    if w.phase == Phase.LOBBY:
        return Room(w, names=list_joined_names(db, code, limit=wall.NAMES_SHOWN), review=plan_review(db, code))
    if w.phase == Phase.PLAN:
        return Room(w, review=plan_review(db, code))
    items = w.phase in (Phase.VALUE_EXCHANGE, Phase.SCORE_VOTE, Phase.REVIEW, Phase.CLOSED)
    cards = w.phase in (Phase.INNER_CUSTOMER, Phase.VALUE_EXCHANGE, Phase.SCORE_VOTE)
    return Room(w, demands=tuple(list_shown_demands(db, code)) if cards else (),
                initiatives=tuple(list_shown_initiatives(db, code)) if items else (),
                progress=rating_progress(db, code) if w.phase in (Phase.SCORE_VOTE, Phase.REVIEW) else None)


def body(code: str, revision: int, r: Room) -> None:
    """The phase's content: always one element or block (see ui/wall.py)."""
    w = r.w
    if w.items_private and w.phase in (Phase.INNER_CUSTOMER, Phase.VALUE_EXCHANGE):
        wall.private(w)
    elif w.phase == Phase.LOBBY and r.review and r.review.actions:
        with st.container():  # one block: who joined beside what became of the last session's plan
            people, carried = st.columns([2, 3], gap="large")
            with people:
                wall.names(w, r.names)
            with carried:
                wall.plan_review(r.review)
    elif w.phase == Phase.LOBBY:
        wall.names(w, r.names)
    elif w.phase == Phase.INNER_CUSTOMER:
        wall.paged("demands", wall.demand_pages(list(r.demands)))
    elif w.phase == Phase.VALUE_EXCHANGE:
        wall.paged("initiatives", wall.initiative_pages("Latest initiatives", list(r.initiatives), list(r.demands)))
    elif w.phase == Phase.SCORE_VOTE:
        pages = wall.initiative_pages("Rate each one on your phone", list(r.initiatives), list(r.demands),
                                      "No initiatives on the board to rate.")
        wall.paged("scoring", [wall.progress(r.progress) + page for page in pages])
    elif w.phase == Phase.PLAN:
        with st.container():  # one block in the wall's body slot, however many parts the plan has (ui/wall.py)
            if r.review and r.review.actions:
                wall.plan_review(r.review)
            plan.view(code, key="big_screen")
    else:
        wall.review(code, revision, w, r.initiatives, r.progress)


@live.fragment("big_screen", field_name="revision", every_ms=500)
def screen(code: str, now) -> None:
    """Redrawn when anything in the workshop changed (at most twice a second); the clock ticks in the browser and
    long lists turn their pages by themselves."""
    r = room(code, now.revision)
    wall.header(r.w)
    if r.w.wall_selfcheck:
        selfcheck.results(code, key="big_screen", wall=True)
    else:
        body(code, now.revision, r)


screen(code)
