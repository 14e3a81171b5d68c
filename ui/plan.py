"""The plan: the facilitator's editor (actions, process steps) and the read-only view for everyone."""

import streamlit as st

import ui
from planning.charts import plan_timeline, swimlanes
from planning.initiatives import list_initiatives
from planning.models import STATUS_LABELS, STEP_VALUE_LABELS, ActionStatus, StepValue, utcnow
from planning.plan import actions as ac
from planning.plan import process as pr

STATUSES, VALUES = list(ActionStatus), list(StepValue)


def view(code: str, *, key: str, quiet: bool = False) -> None:
    """Timeline, actions and process maps, for the room and the big screen (user text stays literal)."""
    actions, maps = ac.list_actions(ui.db(), code), pr.list_process_maps(ui.db(), code)
    if not actions and not maps:
        if not quiet:
                st.caption("No actions or process maps yet: the facilitator adds them for the chosen initiatives.")
        return
    today = utcnow().date()
    if actions:
        st.subheader("The plan")
        st.plotly_chart(plan_timeline(actions, today), key=f"{key}_timeline", config={"displayModeBar": False})
        overdue = [a for a in actions if a.overdue(today)]
        if overdue:
            st.warning(f"{len(overdue)} action(s) overdue.", icon=":material/schedule:")
        st.dataframe([{"Initiative": a.initiative, "Action": a.what, "Owner": a.owner, "Due": a.due,
                       "Status": a.status_label, "Overdue": "⚠" if a.overdue(today) else ""} for a in actions],
                     hide_index=True)
    for m in maps:
        st.subheader("Process value map")
        ui.literal(m.initiative)
        st.plotly_chart(swimlanes(m), key=f"{key}_map_{m.initiative_id}", config={"displayModeBar": False})
        st.markdown(f"**{m.adding_share:.0%}** of {len(m.steps)} steps add value for the customer.")
        if m.to_remove:
            st.caption("No customer value, candidates to remove:")
            for step in m.to_remove:
                ui.literal(f"{step.position}. {step.actor}: {step.what}")


def editor(code: str, key: str) -> None:
    """For each chosen initiative: its actions and its process map, with forms to add and change them."""
    chosen = [i for i in list_initiatives(ui.db(), code, key) if i.chosen and not i.hidden and not i.merged_into]
    if not chosen:
        st.caption("Choose initiatives in the Initiatives tab first; each chosen one gets actions here.")
        return
    actions, maps = ac.list_actions(ui.db(), code), {m.initiative_id: m for m in pr.list_process_maps(ui.db(), code)}
    stamp = utcnow()
    left, right = st.columns(2)
    left.download_button("Plan (CSV)", ac.plan_csv(actions), f"hyperplan-{code}-plan.csv", "text/csv",
                         key="facilitator_plan_csv", on_click="ignore", icon=":material/download:")
    right.download_button("Due dates (.ics)", ac.plan_ics(actions, code, stamp), f"hyperplan-{code}-plan.ics",
                          "text/calendar", key="facilitator_plan_ics", on_click="ignore", icon=":material/event:")
    for item in chosen:
        with st.expander(f"Initiative #{item.id}", expanded=True):
            ui.literal(item.title)
            _actions(code, key, item.id, [a for a in actions if a.initiative_id == item.id])
            _steps(code, key, item.id, maps.get(item.id))


def _actions(code: str, key: str, initiative_id: int, actions: list) -> None:
    for a in actions:
        text, status, drop = st.columns([4, 2, 1], vertical_alignment="center")
        with text:
            ui.literal(f"{a.what} — {a.owner}, due {a.due.isoformat()}")
        new = status.selectbox("Status", STATUSES, index=STATUSES.index(a.status), format_func=STATUS_LABELS.get,
                               key=f"facilitator_action_status_{a.id}_{a.status}", label_visibility="collapsed")
        if new != a.status and ui.attempt(ac.update_action, code, key, a.id, a.what, a.owner, a.due, new):
            st.rerun()
        if drop.button("Delete", key=f"facilitator_action_delete_{a.id}") and ui.attempt(
                ac.delete_action, code, key, a.id):
            st.rerun()
    with st.form(f"facilitator_action_form_{initiative_id}", clear_on_submit=False):
        what, owner, due = st.columns([3, 2, 2])
        text = what.text_input("Action", max_chars=300)
        who = owner.text_input("Owner", max_chars=80)
        when = due.date_input("Due", value=None)
        if st.form_submit_button("Add action") and ui.attempt(ac.add_action, code, key, initiative_id, text, who,
                                                              when):
            st.rerun()


def _steps(code: str, key: str, initiative_id: int, process) -> None:
    st.markdown("**Process value map** — steps in order, judged by the value they add for the customer")
    for step in process.steps if process else ():
        text, up, down, drop = st.columns([6, 1, 1, 1], vertical_alignment="center")
        with text:
            ui.literal(f"{step.position}. {step.actor}: {step.what} [{STEP_VALUE_LABELS[step.value]}]"
                       + (f" → {step.information}" if step.information else ""))
        for column, label, offset in ((up, "↑", -1), (down, "↓", 1)):
            if column.button(label, key=f"facilitator_step_move_{step.id}_{offset}") and ui.attempt(
                    pr.move_step, code, key, step.id, offset):
                st.rerun()
        if drop.button("Delete", key=f"facilitator_step_delete_{step.id}") and ui.attempt(
                pr.delete_step, code, key, step.id):
            st.rerun()
    with st.form(f"facilitator_step_form_{initiative_id}"):
        actor, what = st.columns([2, 3])
        who = actor.text_input("Who does it (function or stakeholder)", max_chars=80)
        text = what.text_input("What happens", max_chars=300)
        info = st.text_input("Information that moves with the work", max_chars=300)
        value = st.radio("Value to the customer", VALUES, format_func=STEP_VALUE_LABELS.get, horizontal=True)
        if st.form_submit_button("Add step") and ui.attempt(pr.add_step, code, key, initiative_id, who, text, info,
                                                            value):
            st.rerun()
