"""What a backup must hold together, beyond each row's shape: references, uniqueness, and the app's rules.

A restored workshop must be one the app could have reached, so the rules are the services' own
functions (merges, self-check runs, vote budgets). Some of the services' rules hold only at the moment
of an action and not afterwards, so they are not checked here: dots on a demand the facilitator later
hid, past a budget the facilitator later lowered, or past the cap once two demands are merged, are all
states the app reaches by itself, and its own backups must restore.
"""

from collections.abc import Iterable
from typing import TYPE_CHECKING

from planning.errors import InvalidInput
from planning.models import Review
from planning.moderation import require_no_loop
from planning.selfcheck import next_run_number, require_none_open
from planning.workshops import check_vote_budget

if TYPE_CHECKING:
    from planning.backup.read import Checked


def _damaged(why: str) -> InvalidInput:
    return InvalidInput(f"This backup is damaged or altered ({why})")


def _unbroken_message(message: str) -> InvalidInput:
    return InvalidInput(f"This backup breaks a rule of Hyperplan: {message}")


def _unbroken(rule, *args) -> None:
    """Apply a service's rule; its refusal (a fixed sentence) says what the backup breaks."""
    try:
        rule(*args)
    except InvalidInput as error:
        raise InvalidInput(f"This backup breaks a rule of Hyperplan: {error}") from None


def _unique(values: Iterable) -> bool:
    values = list(values)
    return len(set(values)) == len(values)


def check(b: "Checked") -> None:
    """Raises: InvalidInput for the first thing that does not hold together."""
    _unbroken(check_vote_budget, b.workshop.vote_budget, b.workshop.vote_cap)
    people, demands, items = _ids(b)
    _references(b, people, demands, items)
    _ratings(b, people, items)
    if not all(_unique(rows) for rows in ([(p, d) for p, d, _ in b.demand_votes],
                                          [(p, i) for p, i, _ in b.initiative_votes])):
        raise _damaged("a vote or rating appears twice")
    if not all(_unique(i.demands) and _unique(i.areas) for i in b.initiatives):
        raise _damaged("an initiative names a demand or an area twice")
    for kind, rows in (("demand", b.demands), ("initiative", b.initiatives)):
        parent = {row.id: row.merged_into for row in rows}
        for row in rows:
            if row.merged_into is not None:
                _unbroken(require_no_loop, parent, row.id, row.merged_into, kind)
    _runs(b)
    if not _unique((s.initiative, s.position) for s in b.process_steps):
        raise _damaged("two steps of one process map share a position")
    _followup(b)


def _ids(b: "Checked") -> tuple[set[int], set[int], set[int]]:
    ids = [[r.id for r in rows] for rows in (b.participants, b.demands, b.initiatives)]
    if not all(_unique(i) for i in ids):
        raise _damaged("an id appears twice")
    return set(ids[0]), set(ids[1]), set(ids[2])


def _references(b: "Checked", people: set[int], demands: set[int], items: set[int]) -> None:
    refs = [
        *((d.author, people) for d in b.demands), *((i.author, people) for i in b.initiatives),
        *((d.merged_into, demands) for d in b.demands), *((i.merged_into, items) for i in b.initiatives),
        *((d, demands) for i in b.initiatives for d in i.demands),
        *((p, people) for p, _, _ in (*b.demand_votes, *b.initiative_votes)),
        *((d, demands) for _, d, _ in b.demand_votes), *((i, items) for _, i, _ in b.initiative_votes),
        *((x.initiative, items) for x in (*b.actions, *b.process_steps)),
    ]
    if any(ref is not None and ref not in known for ref, known in refs):
        raise _damaged("a row points at nothing")
    _action_links(b.actions)


def _action_links(actions: list) -> None:
    """Dependencies point at other actions of the backup, which then carry unique ids; what the plan's
    services refuse (a loop) the restore refuses too."""
    ids = [a.id for a in actions if a.id is not None]
    if not _unique(ids) or any(a.depends_on and a.id is None for a in actions):
        raise _damaged("an id appears twice")
    if any(d not in set(ids) or d == a.id for a in actions for d in a.depends_on):
        raise _damaged("a row points at nothing")
    waits = {a.id: set(a.depends_on) for a in actions if a.id is not None}
    done: set[int] = set()
    while len(done) < len(waits):  # peel off actions whose dependencies are all placed: a loop never peels
        ready = {a for a, deps in waits.items() if a not in done and deps <= done}
        if not ready:
            raise _damaged("the plan's actions wait for each other in a loop")
        done |= ready


def _ratings(b: "Checked", people: set[int], items: set[int]) -> None:
    """References and uniqueness of up to LIMITS["ratings"] ratings, one bit each (a few MB at most)."""
    r = b.ratings
    if not (people.issuperset(r.participant) and items.issuperset(r.initiative)):
        raise _damaged("a row points at nothing")
    person = {p: n for n, p in enumerate(sorted(people))}
    item = {i: n for n, i in enumerate(sorted(items))}
    seen = bytearray(len(person) * len(item) * 2)
    for p, i, c in zip(r.participant, r.initiative, r.customer, strict=True):
        slot = (person[p] * len(item) + item[i]) * 2 + c
        if seen[slot]:
            raise _damaged("a vote or rating appears twice")
        seen[slot] = 1


def _runs(b: "Checked") -> None:
    """Runs numbered 1, 2, 3... and opened one at a time, as `open_selfcheck` does."""
    runs = sorted(b.selfcheck, key=lambda r: r.number)
    for n, run in enumerate(runs):
        if run.number != next_run_number(n):
            raise _damaged("the self-check runs are not numbered 1, 2, 3 and so on")
        _unbroken(require_none_open, sum(1 for earlier in runs[:n] if earlier.closed_at is None))


def _followup(b: "Checked") -> None:
    """What a follow-up carries holds together as the services leave it: a session does not follow the one that
    follows it, only a carried action has a review, and a dropped one says why."""
    if b.workshop.follows is not None and b.workshop.follows == b.workshop.followed_by:
        raise _damaged("the workshop follows the session that follows it")
    for a in b.actions:
        if a.review is not None and a.carried_status is None:
            raise _unbroken_message("Only actions carried from the last session are reviewed")
        if a.review == Review.DROPPED and not a.review_reason:
            raise _unbroken_message("Say why the action was dropped")
