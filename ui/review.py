"""The follow-up's review of the plan carried from the last session (planning/plan/review.py): the facilitator
records what became of each action on the console's Plan tab; phones show it read-only.

Like the moderation lists: one card component a page, and one panel above it for the action being recorded
(a late action's new due date or reason, a dropped action's reason). "Done" needs nothing more: one press."""

from functools import partial

import streamlit as st

import ui
from planning.models import Review
from planning.plan.actions import ActionView
from planning.plan.review import MAX_REASON, PlanReview, detail_of, plan_review, planned_of, review_action
from planning.workshops import get_revision
from ui.cards import Button, Card, cards

SCOPE = "facilitator_review"
PAGE = 20  # cards a page on the console
HEADING = "The plan from the last session"
HOW = ("Record what became of each action: done; late, with its new due date or the reason; dropped, with the "
       "reason. The room sees it on the wall and on their phones.")


@st.cache_resource(max_entries=64, show_spinner=False)
def _review_at(code: str, revision: int) -> PlanReview:
    """The review as of `revision`, read once per change for every phone (frozen views, shared)."""
    return plan_review(ui.db(), code)


def current(code: str) -> PlanReview:
    return _review_at(code, get_revision(ui.db(), code))


def card(a: ActionView, buttons: tuple[Button, ...] = ()) -> Card:
    """One carried action: what, its initiative and owner, what was planned, and the outcome (text literal)."""
    outcome = a.review_label + (f": {detail_of(a)}" if detail_of(a) else "")
    return Card(a.id, outcome, title=a.what, lines=(f"{a.initiative} · {a.owner} · {planned_of(a)}",),
                buttons=buttons)


def view(code: str, *, key: str) -> None:
    """The carried plan and its review, read-only (phones); nothing outside a follow-up."""
    review = current(code)
    if not review.actions:
        return
    st.subheader(HEADING)
    st.caption(review.summary)
    cards(f"{key}_review", [card(a) for a in review.actions])


def _buttons(a: ActionView) -> tuple[Button, ...]:
    return (Button(Review.DONE, "Done", "It was done", primary=a.review == Review.DONE),
            Button(Review.LATE, "Late…", "Give its new due date or say why", primary=a.review == Review.LATE),
            Button(Review.DROPPED, "Dropped…", "Say why", primary=a.review == Review.DROPPED))


def editor(code: str, key: str) -> None:
    """The facilitator's review of the carried plan, above the plan editor; nothing outside a follow-up."""
    review = plan_review(ui.db(), code)
    if not review.actions:
        return
    st.subheader(HEADING)
    st.caption(f"{review.summary}. {HOW}")
    ui.note(SCOPE)
    _panel(code, key, review)
    shown = ui.page_of(list(review.actions), f"{SCOPE}_page", PAGE)
    cards(f"{SCOPE}_cards", [card(a, _buttons(a)) for a in shown], on_press=partial(_press, code, key))


def _press(code: str, key: str, action_id: int, outcome: str) -> None:
    if outcome == Review.DONE:
        _close()
        ui.act(SCOPE, review_action, code, key, action_id, Review.DONE)
        return
    a = next((x for x in plan_review(ui.db(), code).actions if x.id == action_id), None)
    same = a is not None and a.review == outcome
    st.session_state.update({f"{SCOPE}_open": (action_id, outcome),
                             f"{SCOPE}_reason": (a.review_reason or "") if same else "",
                             f"{SCOPE}_due": a.due if same and a.due != a.carried_due else None})
    st.session_state.get("hp_notes", {}).pop(SCOPE, None)


def _close() -> None:
    st.session_state[f"{SCOPE}_open"] = None


def _record(code: str, key: str, action_id: int, outcome: Review) -> None:
    get = st.session_state.get
    if ui.act(SCOPE, review_action, code, key, action_id, outcome, reason=get(f"{SCOPE}_reason"),
              new_due=get(f"{SCOPE}_due") if outcome == Review.LATE else None):
        _close()


def _panel(code: str, key: str, review: PlanReview) -> None:
    """The action being recorded late or dropped: its new due date (late) and the reason."""
    action_id, outcome = st.session_state.get(f"{SCOPE}_open") or (None, None)
    a = next((x for x in review.actions if x.id == action_id), None)
    if a is None:
        return
    late = outcome == Review.LATE
    with st.container(border=True):
        st.markdown(f"**{'Late' if late else 'Dropped'}:**")
        ui.literal(a.what)
        with st.form(f"{SCOPE}_form", border=False):
            if late:
                st.date_input("New due date", key=f"{SCOPE}_due")
            st.text_input("Reason" + (" (or give the new due date)" if late else " (needed)"), max_chars=MAX_REASON,
                          key=f"{SCOPE}_reason")
            save, close = st.columns(2)
            save.form_submit_button("Record", type="primary", on_click=_record, args=(code, key, a.id, Review(outcome)))
            close.form_submit_button("Close", on_click=_close)
