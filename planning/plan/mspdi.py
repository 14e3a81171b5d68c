"""The plan as Microsoft Project XML (MSPDI), which MS Project, ProjectLibre and GanttProject open as it is.

One summary task per initiative, its actions below it (outline by initiative); owners become resources,
each assigned to their actions; finish-to-start links; milestones of zero length. The file carries its
own calendar in which every day is a working day from 08:00 to 17:00, so the dates a project tool
computes from durations and links are the ones the room planned (weekends included).
"""

import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from datetime import date, datetime, time

from planning.models import Review
from planning.plan.actions import ActionView
from planning.plan.review import detail_of
from planning.plan.schedule import Schedule, schedule_of

NS = "http://schemas.microsoft.com/project"
HOURS_A_DAY = 8
START, FINISH = time(8), time(17)
FINISH_TO_START, START_NO_EARLIER_THAN, AS_SOON_AS_POSSIBLE = "1", "4", "0"


def _when(day: date, at: time) -> str:
    return datetime.combine(day, at).strftime("%Y-%m-%dT%H:%M:%S")


def _hours(days: int) -> str:
    return f"PT{days * HOURS_A_DAY}H0M0S"


def _one_line(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def resource_name(owner: str) -> str:
    """MS Project refuses [ ] and the list separator in resource names: they become ( ) and a space."""
    return _one_line(owner.replace("[", "(").replace("]", ")").replace(",", " "))


def _add(parent: ET.Element, **children: object) -> ET.Element:
    """Child elements in the given order (MSPDI is a sequence: order matters to MS Project)."""
    for name, value in children.items():
        ET.SubElement(parent, name).text = str(value)
    return parent


def _calendar(project: ET.Element) -> None:
    calendar = _add(ET.SubElement(ET.SubElement(project, "Calendars"), "Calendar"), UID=1,
                    Name="Hyperplan: every day, 08:00-17:00", IsBaseCalendar=1, BaseCalendarUID=-1)
    days = ET.SubElement(calendar, "WeekDays")
    for day_type in range(1, 8):
        times = ET.SubElement(_add(ET.SubElement(days, "WeekDay"), DayType=day_type, DayWorking=1), "WorkingTimes")
        for start, finish in (("08:00:00", "12:00:00"), ("13:00:00", "17:00:00")):
            _add(ET.SubElement(times, "WorkingTime"), FromTime=start, ToTime=finish)


def _span(plan: Schedule, a: ActionView) -> tuple[str, str, int]:
    """Start, finish and length in days of an action as the project tool shows it."""
    first, days = plan.first_day(a.id), plan.end[a.id] - plan.begin[a.id]
    if a.milestone:
        return _when(a.due, FINISH), _when(a.due, FINISH), 0
    return _when(first, START), _when(a.due, FINISH), days


def _task(tasks: ET.Element, uid: int, name: str, outline: str, active: int = 1, **rest: object) -> ET.Element:
    task = _add(ET.SubElement(tasks, "Task"), UID=uid, ID=uid, Name=_one_line(name), Active=active, Manual=0, Type=1,
                WBS=outline, OutlineNumber=outline, OutlineLevel=outline.count(".") + 1)
    return _add(task, **rest)


def _action_task(tasks: ET.Element, uid: int, outline: str, a: ActionView, plan: Schedule,
                 uids: dict[int, int]) -> None:
    start, finish, days = _span(plan, a)
    anchored = a.milestone or a.start or not a.depends_on
    dropped = a.review == Review.DROPPED  # in a follow-up: kept for the record, inactive as MS Project has it
    task = _task(tasks, uid, a.what, outline, 0 if dropped else 1, Start=start, Finish=finish, Duration=_hours(days),
                 DurationFormat=7, Milestone=int(a.milestone), Summary=0, Critical=int(a.id in plan.critical),
                 PercentComplete=100 if a.status == "done" else 0,
                 ConstraintType=START_NO_EARLIER_THAN if anchored else AS_SOON_AS_POSSIBLE)
    if anchored:
        _add(task, ConstraintDate=start)
    _add(task, Deadline=_when(a.due, FINISH),
         Notes=f"Owner: {_one_line(a.owner)}. Status: {a.status_label}. Initiative: {_one_line(a.initiative)}."
         + (f" Reviewed: {a.review_label}{f' ({_one_line(detail_of(a))})' if detail_of(a) else ''}." if a.carried
            else ""))
    for d in a.depends_on:
        if d in uids:
            _add(ET.SubElement(task, "PredecessorLink"), PredecessorUID=uids[d], Type=FINISH_TO_START,
                 CrossProject=0, LinkLag=0, LagFormat=7)


def _outline(actions: Sequence[ActionView], plan: Schedule) -> list[tuple[int, str, list[ActionView]]]:
    """Initiatives in the order they were chosen for the plan, each with its actions by first day."""
    groups: dict[int, list[ActionView]] = {}
    for a in sorted(actions, key=lambda a: (a.initiative_id, plan.begin[a.id], a.due, a.id)):
        groups.setdefault(a.initiative_id, []).append(a)
    return [(i, items[0].initiative, items) for i, items in groups.items()]


def _tasks(project: ET.Element, actions: Sequence[ActionView], plan: Schedule) -> dict[int, int]:
    """Summary tasks and action tasks; returns action id -> task UID."""
    tasks, outline = ET.SubElement(project, "Tasks"), _outline(actions, plan)
    uids, uid = {}, 0
    for items in (g[2] for g in outline):
        uid += 1
        for a in items:
            uid += 1
            uids[a.id] = uid
    uid = 0
    for n, (_, title, items) in enumerate(outline, start=1):
        uid += 1
        spans = [_span(plan, a) for a in items]
        first, last = min(s[0] for s in spans), max(s[1] for s in spans)
        days = 0 if first == last else (date.fromisoformat(last[:10]) - date.fromisoformat(first[:10])).days + 1
        _task(tasks, uid, title, str(n), Start=first, Finish=last, Duration=_hours(days), DurationFormat=7,
              Milestone=0, Summary=1)
        for m, a in enumerate(items, start=1):
            uid += 1
            _action_task(tasks, uid, f"{n}.{m}", a, plan, uids)
    return uids


def _resources(project: ET.Element, actions: Sequence[ActionView], plan: Schedule, uids: dict[int, int]) -> None:
    """One resource per owner (same name, same person), each assigned to their actions."""
    owners = list(dict.fromkeys(resource_name(a.owner) for a in actions))
    resources = ET.SubElement(project, "Resources")
    for n, owner in enumerate(owners, start=1):
        _add(ET.SubElement(resources, "Resource"), UID=n, ID=n, Name=owner, Type=1, MaxUnits=1)
    assignments = ET.SubElement(project, "Assignments")
    for n, a in enumerate(sorted(actions, key=lambda a: uids[a.id]), start=1):
        start, finish, days = _span(plan, a)
        _add(ET.SubElement(assignments, "Assignment"), UID=n, TaskUID=uids[a.id],
             ResourceUID=owners.index(resource_name(a.owner)) + 1, Finish=finish, Start=start, Units=1,
             Work=_hours(days))


def to_mspdi(title: str, company: str, file_name: str, actions: Sequence[ActionView], stamp: datetime) -> bytes:
    """The plan as an MSPDI document (UTF-8 XML; user text is escaped by the XML writer)."""
    plan = schedule_of(actions, stamp.date())
    project = ET.Element("Project", xmlns=NS)
    _add(project, SaveVersion=14, Name=file_name, Title=_one_line(title), Company=_one_line(company),
         CreationDate=stamp.strftime("%Y-%m-%dT%H:%M:%S"), ScheduleFromStart=1)
    if actions:
        _add(project, StartDate=_when(date.fromordinal(min(plan.begin.values())), START),
             FinishDate=_when(plan.finish, FINISH))
    _add(project, CalendarUID=1, DefaultStartTime="08:00:00", DefaultFinishTime="17:00:00",
         MinutesPerDay=HOURS_A_DAY * 60, MinutesPerWeek=HOURS_A_DAY * 60 * 7, DaysPerMonth=30, DurationFormat=7)
    _calendar(project)
    uids = _tasks(project, actions, plan)
    _resources(project, actions, plan, uids)
    ET.indent(project)
    return ET.tostring(project, encoding="UTF-8", xml_declaration=True)
