"""The plan: the facilitator's editor (actions, dependencies, milestones, process steps, downloads) and the
read-only view for everyone (Gantt, table, process maps).

Plain functions that draw into the current container: widget keys are stable, changes happen in widget
callbacks, and a refusal stays in session state, drawn beside what was refused, until the person's next
action (so a timed rerun cannot wipe it)."""

from datetime import date
from functools import partial

import pandas as pd
import streamlit as st

import ui
from planning.charts import gantt, swimlanes
from planning.initiatives import list_initiatives
from planning.models import STATUS_LABELS, STEP_VALUE_LABELS, ActionStatus, StepValue, utcnow
from planning.plan import actions as ac
from planning.plan import dependencies as dp
from planning.plan import process as pr
from planning.plan.files import FORMATS, plan_file
from planning.plan.schedule import schedule_of
from planning.workshops import get_revision
from ui import live, review

STATUSES, VALUES = list(ActionStatus), list(StepValue)
SCOPE = "facilitator_plan:"  # notes (ui.note) of the plan editor, one per form or row
MATCHES = 6  # dependency search results shown at once
DOWNLOADS = [("mspdi", "Microsoft Project (XML)", ":material/account_tree:"),
             ("csv", "Jira / Asana (CSV)", ":material/table:"), ("ics", "Due dates (.ics)", ":material/event:"),
             ("book-html", "Process book (HTML)", ":material/menu_book:"),
             ("book-pdf", "Process book (PDF)", ":material/picture_as_pdf:")]


@st.cache_resource(max_entries=64, show_spinner=False)
def _plan_at(code: str, revision: int) -> tuple[tuple, tuple]:
    """The plan as of `revision`: read once per change for every open page (frozen views, shared)."""
    return tuple(ac.list_actions(ui.db(), code)), tuple(pr.list_process_maps(ui.db(), code))


def view(code: str, *, key: str, quiet: bool = False, wall: bool | None = None, revision: int | None = None) -> None:
    """Gantt, actions and process maps for the room, the wall (`wall`: larger type; by default for the
    big screen's key) and phones. User text stays literal. `revision`: the workshop's, when the caller has just
    read it."""
    wall = key.startswith("big_screen") if wall is None else wall
    revision = get_revision(ui.db(), code) if revision is None else revision
    actions, maps = _plan_at(code, revision)
    if not actions and not maps:
        if not quiet:
            st.caption("No actions or process maps yet: the facilitator adds them for the chosen initiatives.")
        return
    if actions:
        _gantt(code, revision, actions, key, wall)
    if maps:
        _maps(code, revision, key, wall)


@st.cache_resource(max_entries=64, show_spinner=False)
def _maps(code: str, revision: int, key: str, wall: bool) -> None:
    """The process maps as of `revision`, drawn once per change for every open page of one kind: Streamlit
    records the elements a cached function draws and replays them, so 200 phones do not each turn the same
    figures into JSON."""
    for m in _plan_at(code, revision)[1]:
        st.subheader("Process value map")
        ui.literal(m.initiative)
        st.plotly_chart(swimlanes(m, wall=wall), key=f"{key}_map_{m.initiative_id}", config={"displayModeBar": False})
        if wall:  # the room reads the steps in the wall's type; a table's canvas draws small
            st.html('<div class="hp-w"><ol>' + "".join(
                f"<li>{ui.esc(s.actor)}: {ui.esc(s.what)}{' → ' + ui.esc(s.information) if s.information else ''}"
                f" ({ui.esc(STEP_VALUE_LABELS[s.value])})</li>" for s in m.steps) + "</ol></div>")
        else:
            st.dataframe([{"#": n, "Who": s.actor, "What happens": s.what, "Information that moves": s.information,
                           "Value to the customer": STEP_VALUE_LABELS[s.value]}
                          for n, s in enumerate(m.steps, start=1)], hide_index=True)
        st.markdown(f"**{m.adding_share:.0%}** of {len(m.steps)} steps add value for the customer.")
        if m.to_remove:
            st.caption("No customer value, candidates to remove:")
            for step in m.to_remove:
                ui.literal(f"{step.position}. {step.actor}: {step.what}")


def _gantt(code: str, revision: int, actions: tuple, key: str, wall: bool) -> None:
    st.subheader("The plan")
    titles = dict.fromkeys(a.initiative_id for a in sorted(actions, key=lambda a: a.initiative_id))
    titles.update({a.initiative_id: a.initiative for a in actions})
    scope = None
    if len(titles) > 1 and not wall:  # the wall shows the whole plan
        scope = st.selectbox("Show", [None, *titles], key=f"{key}_plan_scope",
                             format_func=lambda i: "The whole plan" if i is None else titles.get(i, "—"))
    _schedule(code, revision, scope, utcnow().date(), key, wall)


@st.cache_resource(max_entries=64, show_spinner=False)
def _schedule(code: str, revision: int, scope: int | None, today: date, key: str, wall: bool) -> None:
    """The Gantt, its notes and the table of the plan (or of one initiative's part, `scope`), drawn once per
    change for every open page of one kind: Streamlit records the elements a cached function draws and replays
    them (200 phones each turning the same figure into JSON and the same table into Arrow spent about 3 ms apiece,
    bench/live.py)."""
    actions = [a for a in _plan_at(code, revision)[0] if scope in (None, a.initiative_id)]
    plan = schedule_of(actions, today)
    names = {a.id: a.what for a in actions}
    st.plotly_chart(gantt(actions, plan, today, wall=wall), key=f"{key}_gantt", config={"displayModeBar": False})
    st.caption(f"Bars run from an action's first day to its due date; diamonds are milestones. Black outline and "
               f"heavy links: the critical path, the actions that set the end date ({plan.finish}). Red ring: "
               "overdue. Dashed red: starts before what it waits for is due.")
    if plan.overdue:
        st.warning(f"{len(plan.overdue)} action(s) overdue.", icon=":material/schedule:")
    if plan.conflicts:
        st.warning(f"{len(plan.conflicts)} action(s) start before what they wait for is due: move their start or "
                   "the other's due date.", icon=":material/warning:")
        for a, d in plan.conflicts:
            ui.literal(f"• {names[a]} — waits for: {names[d]}")
    if wall:  # the Gantt's labels name each action and its owner in the wall's type
        return
    st.dataframe(pd.DataFrame([{
        "Initiative": a.initiative, "Action": a.what, "Owner": a.owner,
        "Start": None if a.milestone else plan.first_day(a.id), "Due": a.due,
        "Waits for": "; ".join(names[d] for d in a.depends_on if d in names),
        "Status": ("Milestone · " if a.milestone else "") + a.status_label,
        "Critical": "●" if a.id in plan.critical else "", "Overdue": "⚠" if a.id in plan.overdue else ""}
        for a in actions]), hide_index=True)


def _forget() -> None:
    """The plan's last refusal goes with the person's next action in the plan."""
    notes = st.session_state.setdefault("hp_notes", {})
    for scope in [s for s in notes if s.startswith(SCOPE)]:
        del notes[scope]


def _act(where: str, service, *args, **kwargs) -> bool:
    """Run a service from a widget callback; a refusal is kept for `where` until the next action in the plan."""
    _forget()
    return bool(ui.act(f"{SCOPE}{where}", service, *args, **kwargs))


def _refusal(where: str) -> None:
    ui.note(f"{SCOPE}{where}")


def editor(code: str, key: str) -> None:
    """For each chosen initiative: its actions and process map, with forms to add, edit and reorder them."""
    chosen = [i for i in list_initiatives(ui.db(), code, key) if i.chosen and not i.hidden and not i.merged_into]
    if not chosen:
        st.caption("Choose initiatives in the Initiatives tab first; each chosen one gets actions here.")
        return
    actions, maps = ac.list_actions(ui.db(), code), {m.initiative_id: m for m in pr.list_process_maps(ui.db(), code)}
    columns = st.columns(3)
    for n, (fmt, label, icon) in enumerate(DOWNLOADS):
        columns[n % 3].download_button(
            label, data=lambda fmt=fmt: plan_file(ui.db(), code, key, fmt).data, on_click="ignore",
            file_name=f"hyperplan-{code}-{FORMATS[fmt][1]}", mime=FORMATS[fmt][0], key=f"facilitator_plan_{fmt}",
            icon=icon)
    for item in chosen:
        with st.expander(f"Initiative #{item.id}", expanded=True):
            ui.literal(item.title)
            _actions(code, key, item.id, actions)
            _steps(code, key, item.id, maps.get(item.id))


def _describe(a, names: dict[int, str]) -> str:
    when = f"milestone {a.due}" if a.milestone else (f"{a.start} → {a.due}" if a.start else f"due {a.due}")
    waits = f" · waits for: {'; '.join(names[d] for d in a.depends_on)}" if a.depends_on else ""
    return f"{a.what} — {a.owner} · {when}{waits}"


def _actions(code: str, key: str, initiative_id: int, everything: list) -> None:
    names = {a.id: a.what for a in everything}
    for a in (a for a in everything if a.initiative_id == initiative_id):
        text, status, edit, drop = st.columns([5, 2, 1, 1], vertical_alignment="center")
        with text:
            ui.literal(_describe(a, names))
        status_key = f"facilitator_action_status_{a.id}"
        st.session_state[status_key] = a.status  # the stored status: a refused change snaps back beside its reason
        status.selectbox("Status", STATUSES, format_func=STATUS_LABELS.get, key=status_key,
                         label_visibility="collapsed", on_change=lambda a=a, k=status_key: _act(
                             f"action_{a.id}", ac.set_action_status, code, key, a.id, st.session_state[k]))
        edit.button("Edit", key=f"facilitator_action_edit_{a.id}", on_click=_open_action, args=(a,))
        drop.button("Delete", key=f"facilitator_action_delete_{a.id}",
                    on_click=lambda a=a: _act(f"action_{a.id}", ac.delete_action, code, key, a.id))
        _refusal(f"action_{a.id}")
        if st.session_state.get("facilitator_action_editing") == a.id:
            _edit_action(code, key, a, everything)
    _add_action_form(code, key, initiative_id)


FIELDS = ("what", "owner", "start", "duration", "due", "milestone")


def _add_action_form(code: str, key: str, initiative_id: int) -> None:
    """The browser empties the form as it is sent (a second press adds nothing); each press gets fresh widgets,
    empty after a success, holding the draft after a refusal (values set into a form the browser has just
    emptied do not show: tests/e2e/test_drafts.py)."""
    press = st.session_state.get(f"facilitator_action_presses_{initiative_id}", 0)
    draft = st.session_state.get(f"facilitator_action_draft_{initiative_id}") or {}
    prefix = f"facilitator_action_{initiative_id}_{press}"
    with st.form(f"facilitator_action_form_{initiative_id}", clear_on_submit=True):
        what, owner = st.columns([3, 2])
        what.text_input("Action", value=draft.get("what", ""), max_chars=300, key=f"{prefix}_what")
        owner.text_input("Owner", value=draft.get("owner", ""), max_chars=80, key=f"{prefix}_owner")
        start, duration, due, milestone = st.columns([2, 2, 2, 2], vertical_alignment="bottom")
        start.date_input("Start (optional)", value=draft.get("start"), key=f"{prefix}_start")
        duration.number_input("or days it takes", min_value=1, max_value=ac.MAX_DURATION, step=1,
                              value=draft.get("duration"), key=f"{prefix}_duration")
        due.date_input("Due", value=draft.get("due"), key=f"{prefix}_due")
        milestone.checkbox("Milestone", value=draft.get("milestone", False), key=f"{prefix}_milestone")
        st.form_submit_button("Add action", on_click=_add_action, args=(code, key, initiative_id, prefix))
    _refusal(f"add_action_{initiative_id}")


def _add_action(code: str, key: str, initiative_id: int, prefix: str) -> None:
    typed = {f: st.session_state.get(f"{prefix}_{f}") for f in FIELDS}
    done = _act(f"add_action_{initiative_id}", ac.add_action, code, key, initiative_id, typed["what"],
                typed["owner"], typed["due"], start=typed["start"], duration=typed["duration"],
                milestone=typed["milestone"])
    st.session_state[f"facilitator_action_draft_{initiative_id}"] = None if done else typed
    presses = f"facilitator_action_presses_{initiative_id}"
    st.session_state[presses] = st.session_state.get(presses, 0) + 1


def _open_action(a) -> None:
    _forget()
    st.session_state.update({"facilitator_action_editing": a.id, "facilitator_edit_what": a.what,
                             "facilitator_edit_owner": a.owner, "facilitator_edit_start": a.start,
                             "facilitator_edit_due": a.due, "facilitator_edit_milestone": a.milestone,
                             "facilitator_dep_search": ""})


def _save_action(code: str, key: str, a) -> None:
    get = st.session_state.get
    if _act(f"edit_{a.id}", ac.update_action, code, key, a.id, get("facilitator_edit_what"),
            get("facilitator_edit_owner"), get("facilitator_edit_due"), a.status, start=get("facilitator_edit_start"),
            milestone=get("facilitator_edit_milestone")):
        st.session_state["facilitator_action_editing"] = None


def _edit_action(code: str, key: str, a, everything: list) -> None:
    with st.container(border=True):
        with st.form(f"facilitator_action_edit_form_{a.id}"):
            what, owner = st.columns([3, 2])
            what.text_input("Action", max_chars=300, key="facilitator_edit_what")
            owner.text_input("Owner", max_chars=80, key="facilitator_edit_owner")
            start, due, milestone = st.columns(3, vertical_alignment="bottom")
            start.date_input("Start (optional)", key="facilitator_edit_start")
            due.date_input("Due", key="facilitator_edit_due")
            milestone.checkbox("Milestone", key="facilitator_edit_milestone")
            save, close = st.columns(2)
            save.form_submit_button("Save action", type="primary", on_click=_save_action, args=(code, key, a))
            close.form_submit_button("Close", on_click=lambda: (_forget(), st.session_state.update(
                {"facilitator_action_editing": None})))
        _refusal(f"edit_{a.id}")
        _dependencies(code, key, a, everything)


def _dependencies(code: str, key: str, a, everything: list) -> None:
    """What the action waits for, and a search for more (a few matches at a time, however long the plan)."""
    names = {x.id: x for x in everything}
    st.markdown("**Waits for** (finish-to-start)")
    for d in a.depends_on:
        text, drop = st.columns([6, 1], vertical_alignment="center")
        with text:
            ui.literal(f"{names[d].what} — {names[d].owner}, due {names[d].due}")
        drop.button("Remove", key=f"facilitator_dep_remove_{a.id}_{d}", on_click=lambda d=d: _act(
            f"dep_{a.id}", dp.remove_dependency, code, key, a.id, d))
    query = st.text_input("Find an action it waits for (type part of its name, owner or initiative)",
                          key="facilitator_dep_search", max_chars=80).strip().casefold()
    if query:
        found = [x for x in everything if x.id != a.id and x.id not in a.depends_on
                 and query in f"{x.what} {x.owner} {x.initiative}".casefold()]
        for x in found[:MATCHES]:
            text, add = st.columns([6, 1], vertical_alignment="center")
            with text:
                ui.literal(f"{x.what} — {x.owner}, due {x.due} ({x.initiative})")
            add.button("Wait for it", key=f"facilitator_dep_add_{a.id}_{x.id}", on_click=lambda x=x: _act(
                f"dep_{a.id}", dp.add_dependency, code, key, a.id, x.id))
        st.caption(f"{len(found)} match(es)" + (f", the first {MATCHES} shown: type more" if len(found) > MATCHES
                                                else "") if found else "No action matches.")
    _refusal(f"dep_{a.id}")


def _steps(code: str, key: str, initiative_id: int, process) -> None:
    st.markdown("**Process value map** — steps in order, judged by the value they add for the customer")
    for n, step in enumerate(process.steps if process else (), start=1):
        text, up, down, edit, drop = st.columns([5, 1, 1, 1, 1], vertical_alignment="center")
        with text:
            ui.literal(f"{n}. {step.actor}: {step.what} [{STEP_VALUE_LABELS[step.value]}]"
                       + (f" → {step.information}" if step.information else ""))
        for column, label, offset in ((up, "↑", -1), (down, "↓", 1)):
            column.button(label, key=f"facilitator_step_move_{step.id}_{offset}", help="Move earlier" if offset < 0
                          else "Move later", on_click=lambda s=step, o=offset: _act(
                              f"step_{s.id}", pr.move_step, code, key, s.id, o))
        edit.button("Edit", key=f"facilitator_step_edit_{step.id}", on_click=_open_step, args=(step,))
        drop.button("Delete", key=f"facilitator_step_delete_{step.id}",
                    on_click=lambda s=step: _act(f"step_{s.id}", pr.delete_step, code, key, s.id))
        _refusal(f"step_{step.id}")
        if st.session_state.get("facilitator_step_editing") == step.id:
            _step_form(f"facilitator_step_edit_form_{step.id}", "facilitator_step_edit", "Save step",
                       partial(_save_step, code, key, step.id))
            _refusal(f"edit_step_{step.id}")
    press = st.session_state.get(f"facilitator_step_presses_{initiative_id}", 0)
    prefix = f"facilitator_step_{initiative_id}_{press}"
    _step_form(f"facilitator_step_form_{initiative_id}", prefix, "Add step",
               partial(_add_step, code, key, initiative_id, prefix),
               st.session_state.get(f"facilitator_step_draft_{initiative_id}") or {})
    _refusal(f"add_step_{initiative_id}")


def _step_form(form_key: str, prefix: str, label: str, submit, draft: dict | None = None) -> None:
    """A step's fields; with a draft (the add form) the browser empties it on submit and each press gets
    fresh widgets, like the action form."""
    adding = draft is not None
    values = draft or {}
    with st.form(form_key, clear_on_submit=adding):
        actor, what = st.columns([2, 3])
        actor.text_input("Who does it (function or stakeholder)", max_chars=80, key=f"{prefix}_actor",
                         **({"value": values.get("actor", "")} if adding else {}))
        what.text_input("What happens", max_chars=300, key=f"{prefix}_what",
                        **({"value": values.get("what", "")} if adding else {}))
        st.text_input("Information that moves with the work", max_chars=300, key=f"{prefix}_info",
                      **({"value": values.get("info", "")} if adding else {}))
        st.radio("Value to the customer", VALUES, format_func=STEP_VALUE_LABELS.get, horizontal=True,
                 key=f"{prefix}_value", **({"index": VALUES.index(values.get("value", VALUES[0]))} if adding else {}))
        st.form_submit_button(label, on_click=submit)


def _typed_step(prefix: str) -> dict:
    return {f: st.session_state.get(f"{prefix}_{f}") for f in ("actor", "what", "info", "value")}


def _add_step(code: str, key: str, initiative_id: int, prefix: str) -> None:
    typed = _typed_step(prefix)
    done = _act(f"add_step_{initiative_id}", pr.add_step, code, key, initiative_id, typed["actor"], typed["what"],
                typed["info"], typed["value"])
    st.session_state[f"facilitator_step_draft_{initiative_id}"] = None if done else typed
    presses = f"facilitator_step_presses_{initiative_id}"
    st.session_state[presses] = st.session_state.get(presses, 0) + 1


def _open_step(step) -> None:
    _forget()
    st.session_state.update({"facilitator_step_editing": step.id, "facilitator_step_edit_actor": step.actor,
                             "facilitator_step_edit_what": step.what, "facilitator_step_edit_info": step.information,
                             "facilitator_step_edit_value": step.value})


def _save_step(code: str, key: str, step_id: int) -> None:
    typed = _typed_step("facilitator_step_edit")
    if _act(f"edit_step_{step_id}", pr.edit_step, code, key, step_id, typed["actor"], typed["what"], typed["info"],
            typed["value"]):
        st.session_state["facilitator_step_editing"] = None


@live.fragment("facilitator_plan", every_ms=1000)
def live_editor(code: str, _now, key: str) -> None:
    """The editor in the console's Plan tab, redrawn when the plan changes (another facilitator tab, say); in a
    follow-up, the review of the last session's plan above it."""
    review.editor(code, key)
    editor(code, key)
