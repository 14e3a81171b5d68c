"""The plan's downloads: Microsoft Project XML, a CSV for Jira's and Asana's importers, the .ics, the process book."""

import csv
import io
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from icalendar import Calendar, Event
from sqlmodel import Session, select

from planning.access import facilitated
from planning.db import Database
from planning.errors import InvalidInput
from planning.models import ActionStatus, Initiative, Workshop, utcnow
from planning.plan import book
from planning.plan.actions import ActionView, actions_of
from planning.plan.mspdi import to_mspdi
from planning.plan.process import maps_of
from planning.plan.schedule import in_order, schedule_of
from planning.text import safe_cell

FORMATS = {  # name: (mime, file name ending, what it is)
    "mspdi": ("application/xml", "plan.xml", "Microsoft Project XML"),
    "csv": ("text/csv", "plan.csv", "CSV for Jira and Asana"),
    "ics": ("text/calendar", "plan.ics", "due dates as a calendar"),
    "book-html": ("text/html", "process-book.html", "process book (HTML)"),
    "book-pdf": ("application/pdf", "process-book.pdf", "process book (PDF)"),
}
JIRA_STATUS = {ActionStatus.NOT_STARTED: "To Do", ActionStatus.IN_PROGRESS: "In Progress",
               ActionStatus.DONE: "Done", ActionStatus.BLOCKED: "To Do"}
CSV_DATE = "%m/%d/%Y"  # what Asana's importer reads; Jira's asks for the format (MM/dd/yyyy)


@dataclass(frozen=True)
class PlanFile:
    file_name: str
    mime: str
    data: bytes


def _one_line(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _names(actions: Sequence[ActionView]) -> dict[int, str]:
    """Task names, made unique (Asana links dependencies by name): a repeated name gets its issue number."""
    counts = Counter(_one_line(a.what) for a in actions)
    return {a.id: _one_line(a.what) + (f" (#{n})" if counts[_one_line(a.what)] > 1 else "")
            for n, a in enumerate(actions, start=1)}


def plan_csv(actions: Sequence[ActionView], stamp: datetime) -> bytes:
    """One row per action, dependencies above the actions that wait for them; safe in a spreadsheet.

    Columns named as Asana's importer expects (Name first), plus Jira's Issue ID, Issue Type, Status, Labels
    and one "Blocked By" column per link (Jira takes a repeated column for several values)."""
    ordered = in_order(actions)
    plan = schedule_of(ordered, stamp.date())
    number = {a.id: n for n, a in enumerate(ordered, start=1)}
    names = {i: safe_cell(name) for i, name in _names(ordered).items()}
    labels = {a.id: [x for x, on in (("milestone", a.milestone), ("blocked", a.status == ActionStatus.BLOCKED)) if on]
              for a in ordered}
    links, tags = max((len(a.depends_on) for a in ordered), default=0) or 1, max(map(len, labels.values()),
                                                                                 default=0) or 1
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["Name", "Description", "Section", "Assignee", "Start Date", "Due Date", "Dependencies",
                     "Issue ID", "Issue Type", "Status", *["Labels"] * tags, *["Blocked By"] * links])
    for a in ordered:
        waits = [d for d in a.depends_on if d in number]
        writer.writerow([
            names[a.id], safe_cell(_description(a)), safe_cell(_one_line(a.initiative)), safe_cell(_one_line(a.owner)),
            "" if a.milestone else plan.first_day(a.id).strftime(CSV_DATE), a.due.strftime(CSV_DATE),
            ", ".join(names[d] for d in waits), number[a.id], "Task", JIRA_STATUS[a.status],
            *(labels[a.id] + [""] * tags)[:tags], *([str(number[d]) for d in waits] + [""] * links)[:links],
        ])
    return out.getvalue().encode("utf-8-sig")


def _description(a: ActionView) -> str:
    kind = "Milestone" if a.milestone else "Action"
    return (f"{kind} of the initiative: {_one_line(a.initiative)}. Owner: {_one_line(a.owner)}. "
            f"Status: {a.status_label}.")


def plan_ics(actions: Sequence[ActionView], workshop_code: str, stamp: datetime) -> bytes:
    """The plan's due dates as an iCalendar file: one all-day event per action."""
    cal = Calendar()
    cal.add("prodid", "-//Hyperplan//plan//EN")
    cal.add("version", "2.0")
    for a in actions:
        event = Event()
        event.add("uid", f"action-{a.id}-{workshop_code}@hyperplan")
        event.add("dtstamp", stamp)
        event.add("dtstart", a.due)
        event.add("summary", f"{a.what} ({a.owner})")
        event.add("description", f"Initiative: {a.initiative}. Status: {a.status_label}.")
        cal.add_component(event)
    return cal.to_ical()


def _book(s: Session, w: Workshop, stamp: datetime) -> book.Book:
    """The process book of the chosen initiatives (shown, not merged) that have a process map."""
    chosen = s.exec(select(Initiative.id, Initiative.customer_value).where(
        Initiative.workshop_id == w.id, Initiative.chosen, Initiative.hidden == False,  # noqa: E712
        Initiative.merged_into_id == None)).all()  # noqa: E711
    values = dict(chosen)
    workflows = [book.Workflow(m, values[m.initiative_id]) for m in maps_of(s, w) if m.initiative_id in values]
    return book.Book(w.title, w.company, w.segment, w.join_code, stamp, tuple(workflows))


def plan_file(db: Database, code: str, key: str, fmt: str, at: datetime | None = None) -> PlanFile:
    """One of the plan's downloads for the facilitator. Raises: NotFound, NotAllowed, InvalidInput (format)."""
    if fmt not in FORMATS:
        raise InvalidInput("Download the plan as mspdi, csv, ics, book-html or book-pdf")
    stamp = (at or utcnow()).replace(microsecond=0)
    mime, ending, _ = FORMATS[fmt]
    with db.read() as s:
        w = facilitated(s, code, key)
        name = f"hyperplan-{w.join_code}-{ending}"
        if fmt in ("book-html", "book-pdf"):
            doc = _book(s, w, stamp)
            return PlanFile(name, mime, book.to_html(doc) if fmt == "book-html" else book.to_pdf(doc))
        actions = actions_of(s, w)
        if fmt == "mspdi":
            return PlanFile(name, mime, to_mspdi(w.title, w.company, name, actions, stamp))
        return PlanFile(name, mime, plan_csv(actions, stamp) if fmt == "csv" else plan_ics(actions, w.join_code, stamp))
