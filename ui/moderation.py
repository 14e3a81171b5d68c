"""The facilitator's moderation lists: edit, hide (and show again), merge duplicates (and undo)."""

import streamlit as st

import ui
from planning import demands as dm
from planning import initiatives as im
from ui import initiatives as iw


def _common(code: str, key: str, item, shown, noun: str, hide, merge, unmerge) -> None:
    tag = "" if noun == "demand" else f"{noun}_"  # widget keys: facilitator_hide_12, facilitator_hide_initiative_3
    if st.button("Show again" if item.hidden else "Hide", key=f"facilitator_hide_{tag}{item.id}"):
        if ui.attempt(hide, code, key, item.id, not item.hidden):
            ui.refresh()
    if item.merged_into:
        if st.button(f"Undo merge into #{item.merged_into}", key=f"facilitator_unmerge_{tag}{item.id}"):
            if ui.attempt(unmerge, code, key, item.id):
                ui.refresh()
    elif targets := [t for t in shown if t.id != item.id]:
        with st.popover("Merge", icon=":material/merge:"):
            into = st.selectbox("Duplicate of", targets, key=f"facilitator_merge_into_{tag}{item.id}",
                                format_func=lambda t: f"#{t.id} · {getattr(t, 'text', None) or t.title}"[:80])
            if st.button("Merge", key=f"facilitator_merge_{tag}{item.id}") and ui.attempt(
                merge, code, key, item.id, into.id
            ):
                ui.refresh()


def _status(item) -> None:
    if item.hidden or item.merged_into:
        st.caption("Hidden" if item.hidden else f"Merged into #{item.merged_into}")


@st.fragment(run_every=3)
def demands(code: str, key: str) -> None:
    """Every demand with its tools; re-read only when the workshop changed."""
    items = ui.until_changed("facilitator_demands_snapshot", code, key, lambda _: dm.list_demands(ui.db(), code, key))
    shown = [d for d in items if not d.hidden and d.merged_into is None]
    st.caption(f"{len(shown)} shown, {len(items) - len(shown)} hidden or merged")
    areas = [None, *ui.AREA_LABELS]
    for d in items:
        card, tools = st.columns([4, 2], vertical_alignment="center")
        with card:
            ui.demand_card(d)
            _status(d)
        with tools:
            with st.popover("Edit", icon=":material/edit:"), st.form(f"facilitator_edit_{d.id}"):
                text = st.text_area("Demand", value=d.text, max_chars=500)
                area = st.selectbox("Area", areas, index=areas.index(d.area), format_func=ui.area_label)
                if st.form_submit_button("Save") and ui.attempt(dm.edit_demand, code, key, d.id, text, area):
                    ui.refresh()
            _common(code, key, d, shown, "demand", dm.hide_demand, dm.merge_demands, dm.unmerge_demand)


@st.fragment(run_every=3)
def initiatives(code: str, key: str) -> None:
    """Every initiative with its tools; re-read only when the workshop changed."""
    items = ui.until_changed("facilitator_initiatives_snapshot", code, key,
                             lambda _: im.list_initiatives(ui.db(), code, key))
    demand_list = ui.until_changed("facilitator_demands_snapshot", code, key,
                                   lambda _: dm.list_demands(ui.db(), code, key))
    room_demands = [d for d in demand_list if not d.hidden and d.merged_into is None]
    texts = {d.id: d.text for d in demand_list}
    shown = [i for i in items if not i.hidden and i.merged_into is None]
    st.caption(f"{len(shown)} shown, {len(items) - len(shown)} hidden or merged")
    for v in items:
        card, tools = st.columns([4, 2], vertical_alignment="center")
        with card:
            iw.card(v, texts)
            _status(v)
        with tools:
            with st.popover("Edit", icon=":material/edit:"):
                inp = iw.form(f"facilitator_edit_initiative_{v.id}", room_demands, v)
                if inp and ui.attempt(im.edit_initiative, code, key, v.id, inp):
                    ui.refresh()
            _common(code, key, v, shown, "initiative", im.hide_initiative, im.merge_initiatives,
                    im.unmerge_initiative)
            if not v.hidden and v.merged_into is None:
                label = "Chosen for the plan ✓" if v.chosen else "Choose for the plan"
                if st.button(label, key=f"facilitator_choose_{v.id}", type="primary" if v.chosen else "secondary"):
                    if ui.attempt(im.choose_initiative, code, key, v.id, not v.chosen):
                        ui.refresh()

