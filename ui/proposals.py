"""The participant's Value exchange section: propose (or change) an initiative, and the room's initiatives.

The proposal is plain widgets in its own fragment, never redrawn by the room: what someone types stays until it
is stored (then the fields empty) or refused (then they stay, next to the reason). Demands are picked by tapping
cards that show their whole text, found with a search box: a multiselect was read-only on touch screens and cut
options mid-word.
"""

from functools import partial

import streamlit as st

import ui
from planning.initiatives import InitiativeInput, edit_own_initiative, propose_initiative, withdraw_own_initiative
from planning.models import Area
from planning.room import list_own
from planning.voice import coach_initiative
from planning.workshops import WorkshopView
from ui import live
from ui.cards import Button, Card, cards

PICKS = 6  # demands offered at once: the search narrows the rest
FIELDS = {"participant_title": "", "participant_customer": "", "participant_company": "", "participant_picked": [],
          "participant_none": False, "participant_areas": [], "participant_effort": None,
          "participant_demand_search": "", "participant_editing": None}


def section(token: str, w: WorkshopView) -> None:
    """Value exchange: propose initiatives, see the coach's advice, change or withdraw one's own."""
    if not w.locked:
        proposal(token, w)
    initiative_list(w.code, token, ui.settings_of(w))


@st.fragment(key="participant_propose")
def proposal(token: str, w: WorkshopView) -> None:
    with ui.filling("participant_propose"):
        _draft(token, w)


def _draft(token: str, w: WorkshopView) -> None:
    for name, empty in _blank().items():
        st.session_state.setdefault(name, empty)
    editing = st.session_state["participant_editing"]
    with st.container(border=True):
        st.subheader("Change your initiative" if editing else "Propose an initiative")
        st.text_input("Short title", max_chars=120, key="participant_title")
        st.text_area("What the customer gets (new value, in their terms)", max_chars=500, key="participant_customer")
        st.text_area("What comes back to the company", max_chars=500, key="participant_company")
        _picker(token, w)
        st.checkbox("It answers no recorded demand", key="participant_none")
        st.pills("Self-check areas it strengthens", list(Area), selection_mode="multi", format_func=ui.area_label,
                 key="participant_areas")
        st.segmented_control("Rough effort (leave empty if not sure)", ["S", "M", "L"], key="participant_effort")
        with st.container(horizontal=True):
            st.button("Save changes" if editing else "Propose initiative", type="primary", key="participant_submit",
                      on_click=_submit, args=(token,))
            if editing:
                st.button("Cancel", key="participant_cancel_edit", on_click=_clear)
        ui.note("participant_propose")
        for tip in st.session_state.get("participant_tips", ()):
            st.info(tip, icon=":material/record_voice_over:")


def _picker(token: str, w: WorkshopView) -> None:
    """The demands it answers: picked ones first, then the best matches of the search, each a card to tap."""
    room = ui.room_at(w.code, live.now(w.code).room, token if w.items_private else None)
    demands = {d.id: d for d in room.demands}
    picked = [i for i in st.session_state["participant_picked"] if i in demands]
    st.markdown(f"**Demands it answers** · {len(picked)} picked")
    query = st.text_input("Find a demand by a word in it", key="participant_demand_search").strip().casefold()
    matches = [i for i in demands if i not in picked and query in demands[i].text.casefold()]
    cards("participant_pick", [Card(
        i, demands[i].text, "picked" if i in picked else "", mine=i in picked,
        buttons=(Button("pick", "Picked: tap to remove" if i in picked else "It answers this",
                        primary=i in picked),)) for i in picked + matches[:PICKS]], lambda i, _action: _toggle(i))
    if len(matches) > PICKS:
        st.caption(f"{len(matches) - PICKS} more match: type a word to narrow them.")


def _toggle(demand_id: int) -> None:
    picked = st.session_state["participant_picked"]
    st.session_state["participant_picked"] = ([i for i in picked if i != demand_id] if demand_id in picked
                                              else [*picked, demand_id])


def _typed() -> InitiativeInput:
    get = st.session_state.get
    return InitiativeInput(title=get("participant_title", ""), customer_value=get("participant_customer", ""),
                           company_value=get("participant_company", ""),
                           demand_ids=tuple(get("participant_picked", ())),
                           answers_no_demand=bool(get("participant_none")), areas=tuple(get("participant_areas", ())),
                           effort=get("participant_effort"))


def _submit(token: str) -> None:
    draft, editing = _typed(), st.session_state.get("participant_editing")
    if editing:
        done = ui.act("participant_propose", edit_own_initiative, token, editing, draft, done="Initiative changed.")
    else:
        done = ui.act("participant_propose", propose_initiative, token, draft, done="Initiative proposed.")
    if done:
        _clear()
        st.session_state["participant_tips"] = coach_initiative(draft.customer_value, draft.company_value,
                                                                draft.answers_no_demand).tips


def _blank() -> dict:
    """An empty proposal (its lists new, never shared with the session's)."""
    return {name: list(empty) if isinstance(empty, list) else empty for name, empty in FIELDS.items()}


def _clear() -> None:
    ui.fill("participant_propose", **_blank())
    st.session_state["participant_tips"] = ()


def _edit(v) -> None:
    """Load one's own initiative into the proposal, to change it there."""
    ui.fill("participant_propose", participant_title=v.title, participant_customer=v.customer_value,
            participant_company=v.company_value, participant_picked=list(v.demand_ids),
            participant_none=v.answers_no_demand, participant_areas=list(v.areas),
            participant_effort=v.effort.value if v.effort else None, participant_editing=v.id)
    st.session_state["participant_tips"] = ()
    st.session_state.get("hp_notes", {}).pop("participant_propose", None)
    st.rerun()  # the proposal is another fragment: only a whole-page run shows the values set into it


def _withdraw(token: str, initiative_id: int) -> None:
    ui.act("participant_initiatives", withdraw_own_initiative, token, initiative_id, done="Initiative withdrawn.")


@live.fragment("participant_initiatives")
def initiative_list(code: str, now, token: str, drawn_settings: tuple) -> None:
    """One's own initiatives first, then the room's (only one's own while items are private)."""
    w = ui.follow_settings(code, now, drawn_settings)
    room = ui.room_at(code, now.room, token if w.items_private else None)
    mine = ui.marks(token, w, room).initiatives
    texts = room.demand_text()
    ui.note("participant_initiatives")
    items = sorted(room.initiatives, key=lambda v: (v.id not in mine, -v.id if v.id in mine else 0))
    st.subheader("Your initiatives" if w.items_private else f"Initiatives ({len(items)})")
    if not items:
        st.caption("None yet.")
    withdrawing = st.session_state.get("participant_withdrawing")
    cards("participant_initiative_cards", [_card(v, texts, v.id in mine and not w.locked, v.id == withdrawing)
                                            for v in ui.page_of(items, "participant_initiative_page", 8)],
          partial(_press, token))


def _card(v, texts: dict[int, str], own: bool, withdrawing: bool) -> Card:
    buttons = ()
    if own and withdrawing:
        buttons = (Button("withdraw", "Yes, withdraw it", primary=True), Button("keep", "Keep it"))
    elif own:
        buttons = (Button("change", "Change", "Change it in the form above"), Button("ask", "Withdraw"))
    meta = [ui.area_label(a) for a in v.areas] + ([f"effort {v.effort.value}"] if v.effort else [])
    return Card(v.id, "", " · ".join([*meta, "yours" if own or v.mine else (v.author or "")]).strip(" ·"),
                title=v.title, lines=(f"Customer gets: {v.customer_value or '—'}",
                                      f"Company gets: {v.company_value or '—'}"),
                bullets=tuple(texts.get(d, f"demand #{d}") for d in v.demand_ids[:5]) or ("no recorded demand",),
                mine=own, buttons=buttons)


def _press(token: str, initiative_id: int, action: str) -> None:
    if action == "change":
        v = next((v for v in list_own(ui.db(), token).initiatives if v.id == initiative_id), None)
        if v is not None:
            _edit(v)
    elif action == "ask":
        st.session_state["participant_withdrawing"] = initiative_id
    elif action == "keep":
        st.session_state["participant_withdrawing"] = None
    elif action == "withdraw":
        st.session_state["participant_withdrawing"] = None
        _withdraw(token, initiative_id)
