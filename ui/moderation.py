"""The facilitator's lists of demands and initiatives: find, edit, hide (and show again), merge duplicates (and
undo), choose initiatives for the plan.

A list is one card component a page at a time, with one editor and one merge panel above it for the item being
worked on. Each card used to carry its own edit form and a merge popover listing every other demand, so the page
grew with the square of the room: at 400 demands Streamlit dropped the console (its send queue holds 500
messages) and the Lock button did nothing. Merge targets are found by search.
"""

from dataclasses import dataclass

import streamlit as st

import ui
from planning import demands as dm
from planning import initiatives as im
from ui import initiatives as iw
from ui import live
from ui.cards import Button, Card, cards

PAGE = 20  # cards a page
MATCHES = 6  # merge targets offered at once
SCOPE = "facilitator_moderation"


@dataclass(frozen=True)
class _Kind:
    noun: str
    hide: object
    merge: object
    unmerge: object


DEMANDS = _Kind("demand", dm.hide_demand, dm.merge_demands, dm.unmerge_demand)
INITIATIVES = _Kind("initiative", im.hide_initiative, im.merge_initiatives, im.unmerge_initiative)


@st.cache_resource(max_entries=32, show_spinner=False)
def _lists(code: str, key: str, revision: int) -> tuple[tuple, tuple]:
    """Every demand and initiative (hidden and merged ones too), read once per change for the console's tabs."""
    return tuple(dm.list_demands(ui.db(), code, key)), tuple(im.list_initiatives(ui.db(), code, key))


def _text(item) -> str:
    return getattr(item, "text", None) or item.title


def _found(items, kind: _Kind) -> list:
    """The items matching the search box and the filter, in their order."""
    query = st.text_input(f"Find a {kind.noun}", key=f"facilitator_find_{kind.noun}",
                          placeholder="a word, or #12").strip().casefold()
    which = st.segmented_control("Show", ["All", "On the board", "Hidden or merged"], default="All",
                                 key=f"facilitator_filter_{kind.noun}")
    out = []
    for item in items:
        off = item.hidden or item.merged_into is not None
        if which == "On the board" and off or which == "Hidden or merged" and not off:
            continue
        if query and query not in _text(item).casefold() and query.lstrip("#") != str(item.id):
            continue
        out.append(item)
    return out


def _status(item, anonymous_authors: bool) -> str:
    meta = [f"#{item.id}", *(ui.area_label(a) for a in item.areas)]
    if item.author and not anonymous_authors:
        meta.append(item.author)
    meta.append(f"{item.votes} vote{'s' if item.votes != 1 else ''}")
    if item.hidden:
        meta.append("HIDDEN")
    if item.merged_into is not None:
        meta.append(f"MERGED into #{item.merged_into}")
    if getattr(item, "chosen", False):
        meta.append("CHOSEN for the plan")
    return " · ".join(meta)


def _buttons(item, kind: _Kind) -> tuple[Button, ...]:
    buttons = [Button("edit", "Edit", f"Rewrite this {kind.noun}"),
               Button("show" if item.hidden else "hide", "Show again" if item.hidden else "Hide")]
    if item.merged_into is not None:
        buttons.append(Button("unmerge", f"Undo merge into #{item.merged_into}"))
    elif not item.hidden:
        buttons.append(Button("merge", "Merge into…", "It repeats another: fold it into that one"))
    if kind is INITIATIVES and not item.hidden and item.merged_into is None:
        buttons.append(Button("unchoose" if item.chosen else "choose",
                              "Chosen for the plan ✓" if item.chosen else "Choose for the plan", primary=item.chosen))
    return tuple(buttons)


def _card(item, kind: _Kind, texts: dict[int, str]) -> Card:
    if kind is DEMANDS:
        return Card(item.id, item.text, _status(item, False), buttons=_buttons(item, kind))
    answers = tuple(texts.get(d, f"demand #{d}") for d in item.demand_ids[:5]) or ("no recorded demand",)
    return Card(item.id, "", _status(item, False), title=item.title, bullets=answers,
                lines=(f"Customer gets: {item.customer_value or '—'}", f"Company gets: {item.company_value or '—'}"),
                buttons=_buttons(item, kind))


def _press(code: str, key: str, kind: _Kind, item_id: int, action: str) -> None:
    if action in ("hide", "show"):
        ui.act(SCOPE, kind.hide, code, key, item_id, action == "hide")
    elif action == "unmerge":
        ui.act(SCOPE, kind.unmerge, code, key, item_id)
    elif action in ("choose", "unchoose"):
        ui.act(SCOPE, im.choose_initiative, code, key, item_id, action == "choose")
    elif action in ("edit", "merge"):
        st.session_state[f"facilitator_{action}_{kind.noun}"] = item_id
        st.session_state.get("hp_notes", {}).pop(SCOPE, None)


def _merge_panel(code: str, key: str, kind: _Kind, items) -> None:
    duplicate = next((i for i in items if i.id == st.session_state.get(f"facilitator_merge_{kind.noun}")), None)
    if duplicate is None:
        return
    with st.container(border=True):
        st.markdown(f"**Merge #{duplicate.id} into another {kind.noun}** (its votes count there; undo any time):")
        ui.literal(_text(duplicate))
        query = st.text_input(f"Find the {kind.noun} it repeats", key=f"facilitator_merge_find_{kind.noun}",
                              placeholder="a word, or #12").strip().casefold()
        targets = [i for i in items if i.id != duplicate.id and not i.hidden and i.merged_into is None and (
            not query or query in _text(i).casefold() or query.lstrip("#") == str(i.id))][:MATCHES]
        cards(f"facilitator_merge_targets_{kind.noun}", [
            Card(t.id, _text(t), f"#{t.id}", buttons=(Button("into", "Merge into this one", primary=True),))
            for t in targets], lambda target, _action: _merged(code, key, kind, duplicate.id, target))
        st.button("Cancel", key=f"facilitator_merge_cancel_{kind.noun}",
                  on_click=st.session_state.pop, args=(f"facilitator_merge_{kind.noun}", None))


def _merged(code: str, key: str, kind: _Kind, duplicate: int, target: int) -> None:
    if ui.act(SCOPE, kind.merge, code, key, duplicate, target, done=f"Merged #{duplicate} into #{target}."):
        st.session_state.pop(f"facilitator_merge_{kind.noun}", None)


def _demand_editor(code: str, key: str, items) -> None:
    d = next((i for i in items if i.id == st.session_state.get("facilitator_edit_demand")), None)
    if d is None:
        return
    areas = [None, *ui.AREA_LABELS]
    with st.form("facilitator_edit_demand_form"):
        st.markdown(f"**Rewrite demand #{d.id}** (its author can no longer change it)")
        st.text_area("Demand", value=d.text, max_chars=500, key=f"facilitator_edit_text_{d.id}")
        st.selectbox("Area", areas, index=areas.index(d.area), format_func=ui.area_label,
                     key=f"facilitator_edit_area_{d.id}")
        with st.container(horizontal=True):
            st.form_submit_button("Save", type="primary", on_click=_save_demand, args=(code, key, d.id))
            st.form_submit_button("Cancel", on_click=st.session_state.pop, args=("facilitator_edit_demand", None))


def _save_demand(code: str, key: str, demand_id: int) -> None:
    if ui.act(SCOPE, dm.edit_demand, code, key, demand_id, st.session_state[f"facilitator_edit_text_{demand_id}"],
              st.session_state[f"facilitator_edit_area_{demand_id}"], done=f"Demand #{demand_id} rewritten."):
        st.session_state.pop("facilitator_edit_demand", None)


def _initiative_editor(code: str, key: str, items, demand_list) -> None:
    v = next((i for i in items if i.id == st.session_state.get("facilitator_edit_initiative")), None)
    if v is None:
        return
    on_board = [d for d in demand_list if not d.hidden and d.merged_into is None]
    st.markdown(f"**Rewrite initiative #{v.id}**")
    typed = iw.form(f"facilitator_edit_initiative_{v.id}", on_board, v)
    if typed is not None and ui.attempt(im.edit_initiative, code, key, v.id, typed):
        st.session_state.pop("facilitator_edit_initiative", None)
        st.rerun(scope="fragment")
    st.button("Cancel", key="facilitator_edit_initiative_cancel",
              on_click=st.session_state.pop, args=("facilitator_edit_initiative", None))


def _listed(code: str, key: str, kind: _Kind, items, texts: dict[int, str]) -> None:
    shown = sum(1 for i in items if not i.hidden and i.merged_into is None)
    st.caption(f"{shown} on the board, {len(items) - shown} hidden or merged")
    found = _found(items, kind)
    ui.note(SCOPE)
    page = ui.page_of(found, f"facilitator_page_{kind.noun}", PAGE)
    cards(f"facilitator_{kind.noun}_cards", [_card(i, kind, texts) for i in page],
          lambda item_id, action: _press(code, key, kind, item_id, action))
    if not found:
        st.caption("Nothing matches." if items else f"No {kind.noun}s yet.")


@live.fragment("facilitator_demands", field_name="revision", every_ms=1000)
def demands(code: str, now, key: str) -> None:
    """Every demand, found by search, a page at a time; one editor and one merge panel for the one at hand."""
    items, _ = _lists(code, key, now.revision)
    _demand_editor(code, key, items)
    _merge_panel(code, key, DEMANDS, items)
    _listed(code, key, DEMANDS, items, {})


@live.fragment("facilitator_initiatives", field_name="revision", every_ms=1000)
def initiatives(code: str, now, key: str) -> None:
    """Every initiative, found by search, a page at a time, with the choice for the plan."""
    demand_list, items = _lists(code, key, now.revision)
    _initiative_editor(code, key, items, demand_list)
    _merge_panel(code, key, INITIATIVES, items)
    _listed(code, key, INITIATIVES, items, {d.id: d.text for d in demand_list})
