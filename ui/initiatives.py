"""Initiative widgets: the card, the proposal form, and the participant's propose and rate sections."""

import streamlit as st

import ui
from planning.demands import DemandView, list_my_view, list_shown_demands
from planning.initiatives import (
    InitiativeInput,
    InitiativeView,
    edit_own_initiative,
    list_my_initiatives,
    list_shown_initiatives,
    propose_initiative,
    withdraw_own_initiative,
)
from planning.models import AREA_LABELS, Axis
from planning.ratings import get_my_ratings, rate_initiative
from planning.voice import coach_initiative
from planning.votes import (
    cast_initiative_vote,
    get_initiative_ballot,
    get_my_initiative_dots,
    retract_initiative_vote,
)
from planning.workshops import WorkshopView

EFFORTS = [None, "S", "M", "L"]
PAGE = 10  # initiatives per page while rating: a rerun stays cheap however large the room


def card(v: InitiativeView, demand_text: dict[int, str], *, show_votes: bool = True) -> None:
    """One initiative: both sides of the exchange and the demands it answers, all literal."""
    meta = [ui.area_label(a) for a in v.areas]
    if v.effort:
        meta.append(f"effort {v.effort.value}")
    meta.append("yours" if v.mine else (v.author or ""))
    if show_votes:
        meta.append(f"{v.votes} vote{'s' if v.votes != 1 else ''}")
    answers = [demand_text.get(d, f"demand #{d}") for d in v.demand_ids]
    answered = "".join(f"<li>{ui.esc(t)}</li>" for t in answers[:5]) or "<li>no recorded demand</li>"
    klass = "hp-card hp-mine" if v.mine else "hp-card"
    st.html(
        f'<div class="{klass}"><strong>{ui.esc(v.title)}</strong>'
        f'<div><em>Customer gets:</em> {ui.esc(v.customer_value or "—")}</div>'
        f'<div><em>Company gets:</em> {ui.esc(v.company_value or "—")}</div>'
        f'<div class="hp-meta">Answers:<ul style="margin:0">{answered}</ul>'
        f'{ui.esc(" · ".join(m for m in meta if m))}</div></div>'
    )


def form(key: str, demands: list[DemandView], initial: InitiativeView | InitiativeInput | None = None, *,
         on_submit=None, args: tuple = (), form_key: str | None = None) -> InitiativeInput | None:
    """The initiative form; returns what was typed when submitted (checked by planning, not here).

    With `on_submit` it proposes a new initiative: the submit runs that callback instead, and `initial` is
    the draft to start from."""
    by_id = {d.id: d for d in demands}
    effort = getattr(initial.effort, "value", initial.effort) if initial else None
    with st.form(form_key or key, clear_on_submit=on_submit is not None):
        st.text_input("Short title", value=initial.title if initial else "", max_chars=120, key=f"{key}_title")
        st.text_area("What the customer gets (new value, in their terms)", max_chars=500,
                     value=initial.customer_value if initial else "", key=f"{key}_customer")
        st.text_area("What comes back to the company", max_chars=500,
                     value=initial.company_value if initial else "", key=f"{key}_company")
        st.multiselect(
            "Demands it answers (type to search)", list(by_id), format_func=lambda i: f"#{i} · {by_id[i].text[:90]}",
            default=[i for i in initial.demand_ids if i in by_id] if initial else None, key=f"{key}_demands",
        )
        st.checkbox("It answers no recorded demand", value=bool(initial and initial.answers_no_demand),
                    key=f"{key}_none")
        st.multiselect("Self-check areas it strengthens", list(AREA_LABELS), format_func=ui.area_label,
                       default=list(initial.areas) if initial else None, key=f"{key}_areas")
        st.radio("Rough effort", EFFORTS, horizontal=True, format_func=lambda e: e or "not sure", key=f"{key}_effort",
                 index=EFFORTS.index(effort))
        submitted = st.form_submit_button("Propose initiative" if on_submit else "Save initiative", type="primary",
                                          on_click=on_submit, args=args)
    return _typed(key) if submitted and on_submit is None else None


def _typed(key: str) -> InitiativeInput:
    """What is in the form `key` now."""
    field = lambda name: st.session_state[f"{key}_{name}"]  # noqa: E731
    return InitiativeInput(title=field("title"), customer_value=field("customer"), company_value=field("company"),
                           demand_ids=tuple(field("demands")), answers_no_demand=field("none"),
                           areas=tuple(field("areas")), effort=field("effort"))


def _propose(token: str, form_key: str) -> None:
    """The browser empties the form as it is sent, so a second press cannot propose it twice. Each press
    then gets a new form: empty after a proposal, holding the draft after a refusal. (A new form, since
    the browser did not show values set into the form it had just emptied: tests/e2e/test_drafts.py.)"""
    draft = _typed(form_key)
    added = ui.attempt_in_callback("participant_propose_refusal", propose_initiative, token, draft)
    st.session_state["participant_proposed"] = added or None
    st.session_state["participant_propose_draft"] = None if added else draft
    st.session_state["participant_propose_form"] = st.session_state.get("participant_propose_form", 0) + 1


@st.fragment(run_every=5)
def propose_section(token: str, w: WorkshopView) -> None:
    """Value exchange: propose initiatives, see the coach's advice, edit or withdraw one's own.

    One fragment, re-read only when the workshop changed; proposing reruns it alone, never the whole
    page (see ui.demands.section for what a full rerun per submit did under load)."""
    demands, items = ui.until_changed("participant_initiatives_snapshot", w.code, token, lambda _revision: (
        list_my_view(ui.db(), token), list_my_initiatives(ui.db(), token)))  # while private: their own only
    if not w.locked:
        key = f"participant_propose_{st.session_state.get('participant_propose_form', 0)}"
        form(key, demands, st.session_state.get("participant_propose_draft"), on_submit=_propose, args=(token, key),
             form_key="participant_propose")  # one form, new widgets for each press
        ui.show_refusal("participant_propose_refusal")
        if added := st.session_state.pop("participant_proposed", None):
            st.success("Initiative proposed.", icon=":material/check:")
            for tip in coach_initiative(added.customer_value, added.company_value, added.answers_no_demand).tips:
                st.info(tip, icon=":material/record_voice_over:")
    demand_text = {d.id: d.text for d in demands}
    st.subheader("Your initiatives" if w.items_private else f"Initiatives ({len(items)})")
    for v in items:
        card(v, demand_text, show_votes=False)
        if v.mine and not w.locked:
            with st.expander("Edit or withdraw"):
                inp = form(f"participant_edit_initiative_{v.id}", demands, v)
                if inp and ui.attempt(edit_own_initiative, token, v.id, inp):
                    ui.refresh()
                if st.button("Withdraw", key=f"participant_withdraw_{v.id}"):
                    if ui.attempt(withdraw_own_initiative, token, v.id):
                        ui.refresh()


@st.cache_data(max_entries=64, show_spinner=False)
def shown_at(code: str, revision: int) -> tuple[list[InitiativeView], dict[int, str]]:
    """The room's initiatives and demand texts at this revision: read once for every participant."""
    return list_shown_initiatives(ui.db(), code), {d.id: d.text for d in list_shown_demands(ui.db(), code)}


def _to_rate(token: str, w: WorkshopView) -> tuple:
    """What the rating page shows, re-read only when the workshop changed."""

    def load(revision: int) -> tuple:
        if w.items_private:
            items = list_my_initiatives(ui.db(), token)
            texts = {d.id: d.text for d in list_my_view(ui.db(), token)}
        else:
            items, texts = shown_at(w.code, revision)
        return (items, texts, get_my_ratings(ui.db(), token), get_initiative_ballot(ui.db(), token),
                get_my_initiative_dots(ui.db(), token))

    return ui.until_changed("participant_rating_snapshot", w.code, token, load)


@st.fragment(run_every=10)
def rate_section(token: str, w: WorkshopView) -> None:
    """Score & vote: two 0-10 sliders per initiative (not yet rated first, a page at a time) and votes."""
    items, demand_text, mine, ballot, dots = _to_rate(token, w)
    st.progress(mine.rated / mine.total if mine.total else 0.0, text=f"{mine.rated} of {mine.total} rated")
    st.markdown(f"**Votes left: {ballot.left} of {ballot.budget}** (at most {ballot.cap} on one initiative)")
    st.caption("Rate on your own: nobody sees anyone's scores until the facilitator reveals the results.")
    done = {i for (i, _axis) in mine.scores if (i, Axis.CUSTOMER) in mine.scores and (i, Axis.COMPANY) in mine.scores}
    items = sorted(items, key=lambda v: (v.id in done, v.id))
    for v in ui.page_of(items, "participant_rating_page", PAGE):
        card(v, demand_text, show_votes=False)  # others' votes stay out of sight while rating
        _sliders(token, w, v, mine)
        mine_on_it = dots.get(v.id, 0)
        minus, plus = st.columns(2)
        if minus.button("−1 vote", key=f"participant_unvote_initiative_{v.id}", disabled=mine_on_it == 0):
            if ui.attempt(retract_initiative_vote, token, v.id):
                ui.refresh()
        if plus.button(f"+1 vote ({mine_on_it})", key=f"participant_vote_initiative_{v.id}"):
            if ui.attempt(cast_initiative_vote, token, v.id):
                ui.refresh()


def _sliders(token: str, w: WorkshopView, v: InitiativeView, mine) -> None:
    left, right = st.columns(2)
    for column, axis, label in [(left, Axis.CUSTOMER, "Value to the customer"),
                                (right, Axis.COMPANY, "Value returned to the company")]:
        current = mine.scores.get((v.id, axis))
        score = column.slider(f"{label} (0–10)", 0, 10, value=current if current is not None else 5,
                              key=f"participant_rate_{v.id}_{axis}_{current}",
                              disabled=w.locked, help="Not rated yet" if current is None else None)
        if current is None:
            column.caption("not rated yet: move the slider, or press Rate to keep 5")
            if column.button("Rate", key=f"participant_rate_keep_{v.id}_{axis}", disabled=w.locked):
                if ui.attempt(rate_initiative, token, v.id, axis.value, score):
                    ui.refresh()
        if score != (current if current is not None else 5):
            if ui.attempt(rate_initiative, token, v.id, axis.value, score):
                ui.refresh()
