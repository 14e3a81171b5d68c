"""The console's list of the people in the room: rename one, merge a duplicate (what they did follows), remove one.

A closed tab used to count as a participant forever and "priya" joined beside "Priya"; the facilitator now sees
who took part and tidies the room. Progress counts only those who took part.
"""

import streamlit as st

import ui
from planning import roster
from ui import live
from ui.cards import Button, Card, cards

SCOPE = "facilitator_people"
MATCHES = 6


@st.cache_resource(max_entries=16, show_spinner=False)
def _people(code: str, key: str, revision: int) -> tuple:
    return tuple(roster.list_people(ui.db(), code, key))


def _did(p) -> str:
    done = [f"{n} {what}{'s' if n != 1 else ''}" for n, what in
            ((p.demands, "demand"), (p.initiatives, "initiative"), (p.votes, "vote"), (p.ratings, "rating")) if n]
    return ", ".join(done) if done else "joined, nothing yet"


def _card(p) -> Card:
    meta = f"joined {p.joined_at:%H:%M} · {_did(p)}" + (" · REMOVED" if p.removed else "")
    buttons = (Button("takeback", "Take back") if p.removed else Button("remove", "Remove", "They can no longer act "
                                                                        "or count; what they did stays"),
               Button("rename", "Rename"), Button("merge", "Same person as…", "Fold this duplicate into another"))
    return Card(p.id, p.name, meta, buttons=buttons if not p.removed else buttons[:2])


def _press(code: str, key: str, person_id: int, action: str) -> None:
    if action in ("remove", "takeback"):
        ui.act(SCOPE, roster.remove_participant, code, key, person_id, action == "remove")
    elif action in ("rename", "merge"):
        st.session_state[f"facilitator_{action}_person"] = person_id
        st.session_state.get("hp_notes", {}).pop(SCOPE, None)


@live.fragment("facilitator_people", field_name="revision", every_ms=1000)
def people(code: str, now, key: str) -> None:
    """Who joined, what each did, and the tools to rename, merge or remove them."""
    everyone = _people(code, key, now.revision)
    took_part = sum(1 for p in everyone if p.took_part and not p.removed)
    st.caption(f"{len(everyone)} joined · {took_part} took part · progress counts only those who took part")
    _rename_panel(code, key, everyone)
    _merge_panel(code, key, everyone)
    ui.note(SCOPE)
    cards("facilitator_people_cards", [_card(p) for p in ui.page_of(list(everyone), "facilitator_people_page", 30)],
          lambda person_id, action: _press(code, key, person_id, action))
    if not everyone:
        st.caption("Nobody has joined yet: the join code and QR code are on the big screen.")


def _rename_panel(code: str, key: str, everyone) -> None:
    p = next((p for p in everyone if p.id == st.session_state.get("facilitator_rename_person")), None)
    if p is None:
        return
    with st.form("facilitator_rename_form"):
        st.text_input("New name", value=p.name, max_chars=40, key=f"facilitator_new_name_{p.id}")
        with st.container(horizontal=True):
            st.form_submit_button("Rename", type="primary", on_click=_renamed, args=(code, key, p.id))
            st.form_submit_button("Cancel", on_click=st.session_state.pop, args=("facilitator_rename_person", None))


def _renamed(code: str, key: str, person_id: int) -> None:
    if ui.act(SCOPE, roster.rename_participant, code, key, person_id,
              st.session_state.get(f"facilitator_new_name_{person_id}", ""), done="Renamed."):
        st.session_state.pop("facilitator_rename_person", None)


def _merge_panel(code: str, key: str, everyone) -> None:
    dup = next((p for p in everyone if p.id == st.session_state.get("facilitator_merge_person")), None)
    if dup is None:
        return
    with st.container(border=True):
        st.markdown("**The same person joined twice?** Everything this one did moves to the person you pick:")
        ui.literal(dup.name)
        query = st.text_input("Find the other", key="facilitator_merge_person_find").strip().casefold()
        others = [p for p in everyone if p.id != dup.id and not p.removed and query in p.name.casefold()][:MATCHES]
        cards("facilitator_merge_person_targets", [
            Card(p.id, p.name, _did(p), buttons=(Button("into", "Same person", primary=True),)) for p in others],
            lambda target, _action: _merged(code, key, dup.id, target))
        st.button("Cancel", key="facilitator_merge_person_cancel",
                  on_click=st.session_state.pop, args=("facilitator_merge_person", None))


def _merged(code: str, key: str, duplicate: int, into: int) -> None:
    merged = ui.act(SCOPE, roster.merge_participants, code, key, duplicate, into)
    if merged:
        dropped = (f" {merged.dropped_votes} vote(s) past the budget or cap were dropped."
                   if merged.dropped_votes else "")
        st.session_state["hp_notes"][SCOPE] = ("success", f"Merged.{dropped}", ":material/check:")
        st.session_state.pop("facilitator_merge_person", None)
