"""When each action runs, the critical path, the overdue work, and the actions that start too early.

Days are counted in whole days. An action with a start date runs from that date to its due date, both
included. Without a start date it begins when the last action it waits for is done, or, waiting for
none, it is a one-day action on its due date. A milestone is a point at the end of its due date.
Finish-to-start: an action starts the day after what it waits for is due; a milestone may fall on
that due date itself (the same rules Microsoft Project applies to the exported file).
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Protocol


class Timed(Protocol):
    start: date | None
    due: date
    milestone: bool


class Linked(Timed, Protocol):
    id: int
    status: str
    depends_on: tuple[int, ...]

    def overdue(self, today: date | None = None) -> bool: ...


def end_of(a: Timed) -> int:
    """The day boundary at which the action is done: the end of its due date."""
    return a.due.toordinal() + 1


def starts_too_early(a: Timed, dependency: Timed) -> bool:
    """Whether `a` would start before `dependency` is done (finish-to-start)."""
    if a.milestone:
        return a.due < dependency.due
    return (a.start or a.due) <= dependency.due


def too_early_message(a: Timed, dependency: Timed) -> str:
    """What to do about an action that would start before what it waits for is done (no user text)."""
    due, after = dependency.due.isoformat(), (dependency.due + timedelta(days=1)).isoformat()
    if a.milestone:
        return (f"This milestone falls before an action it waits for is due ({due}): date it {due} or later, "
                "or remove that dependency")
    if a.start:
        return (f"This action would start before an action it waits for is due ({due}): start it on {after} "
                "or later, or remove that dependency")
    return (f"This action would be due before an action it waits for is done ({due}): give it a due date "
            f"of {after} or later, or remove that dependency")


@dataclass(frozen=True)
class Schedule:
    """The plan as scheduled: day boundaries as ordinals (`begin` inclusive, `end` exclusive)."""

    begin: dict[int, int]
    end: dict[int, int]
    slack: dict[int, int]  # days an action can slip without moving the plan's end
    critical: frozenset[int]
    critical_links: frozenset[tuple[int, int]]  # (action, the action it waits for), both critical and tight
    overdue: tuple[int, ...]
    conflicts: tuple[tuple[int, int], ...]  # (action, the action it waits for) where it starts too early

    def first_day(self, action_id: int) -> date:
        return date.fromordinal(self.begin[action_id])

    @property
    def finish(self) -> date | None:
        """The plan's last due date."""
        return date.fromordinal(max(self.end.values()) - 1) if self.end else None


def _begins(a: Linked, ends: dict[int, int]) -> int:
    if a.milestone:
        return end_of(a)
    if a.start:
        return a.start.toordinal()
    waits = [ends[d] for d in a.depends_on if d in ends]
    return min(max(waits), a.due.toordinal()) if waits else a.due.toordinal()


def in_order(actions: Sequence[Linked]) -> list[Linked]:
    """Dependencies before the actions that wait for them (the rules refuse loops; any left are cut)."""
    by_id, done, ordered = {a.id: a for a in actions}, set(), []

    def visit(a: Linked, path: frozenset[int]) -> None:
        if a.id in done or a.id in path:
            return
        for d in a.depends_on:
            if d in by_id:
                visit(by_id[d], path | {a.id})
        done.add(a.id)
        ordered.append(a)

    for a in actions:
        visit(a, frozenset())
    return ordered


def schedule_of(actions: Sequence[Linked], today: date) -> Schedule:
    """The critical path (the actions whose slip moves the plan's end: no slack), overdue work and conflicts.

    Only dependencies among `actions` count, so a subset (one initiative) gets its own critical path."""
    ordered = in_order(actions)
    ends = {a.id: end_of(a) for a in ordered}
    begins = {a.id: _begins(a, ends) for a in ordered}
    ids = set(ends)
    successors: dict[int, list[int]] = {a.id: [] for a in ordered}
    for a in ordered:
        for d in a.depends_on:
            if d in ids:
                successors[d].append(a.id)
    finish = max(ends.values(), default=0)
    latest_end: dict[int, int] = {}
    for a in reversed(ordered):
        latest_end[a.id] = min((latest_end[s] - (ends[s] - begins[s]) for s in successors[a.id]), default=finish)
    slack = {i: latest_end[i] - ends[i] for i in ids}
    critical = frozenset(i for i in ids if slack[i] <= 0)
    by_id = {a.id: a for a in ordered}
    links = [(a.id, d) for a in ordered for d in a.depends_on if d in ids]
    return Schedule(
        begin=begins, end=ends, slack=slack, critical=critical,
        critical_links=frozenset((a, d) for a, d in links if {a, d} <= critical and begins[a] <= ends[d]),
        overdue=tuple(a.id for a in actions if a.overdue(today)),
        conflicts=tuple((a, d) for a, d in links if starts_too_early(by_id[a], by_id[d])),
    )
