"""Initiative widgets shared by screens: the card, and the facilitator's edit form."""

import streamlit as st

import ui
from planning.demands import DemandView
from planning.initiatives import InitiativeInput, InitiativeView
from planning.models import AREA_LABELS

EFFORTS = [None, "S", "M", "L"]


def card(v: InitiativeView, demand_text: dict[int, str], *, show_votes: bool = True, mine: bool | None = None,
         plain: bool = False) -> None:
    """One initiative: both sides of the exchange and the demands it answers, all literal. `plain` draws no card of
    its own (for a card container that also holds buttons); `mine` overrides the view's own flag."""
    mine = v.mine if mine is None else mine
    meta = [ui.area_label(a) for a in v.areas]
    if v.effort:
        meta.append(f"effort {v.effort.value}")
    meta.append("yours" if mine else (v.author or ""))
    if show_votes:
        meta.append(f"{v.votes} vote{'s' if v.votes != 1 else ''}")
    answers = [demand_text.get(d, f"demand #{d}") for d in v.demand_ids]
    answered = "".join(f"<li>{ui.esc(t)}</li>" for t in answers[:5]) or "<li>no recorded demand</li>"
    body = (f'<strong>{ui.esc(v.title)}</strong>'
            f'<div><em>Customer gets:</em> {ui.esc(v.customer_value or "—")}</div>'
            f'<div><em>Company gets:</em> {ui.esc(v.company_value or "—")}</div>'
            f'<div class="hp-meta">Answers:<ul>{answered}</ul>{ui.esc(" · ".join(m for m in meta if m))}</div>')
    klass = "hp-text" if plain else f"hp-card{' hp-mine' if mine else ''}"
    st.html(f'<div class="{klass}">{body}</div>')


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
