"""Every service action against every role: the rules hold in planning/, whatever a page shows or hides."""

from collections.abc import Callable
from dataclasses import dataclass

import pytest

from planning import demands as dm
from planning import initiatives as im
from planning import ratings as rt
from planning import selfcheck as sc
from planning import votes as vt
from planning import workshops as ws
from planning.errors import NotAllowed, NotFound, PlanningError, WorkshopLocked
from planning.export import export_workshop
from planning.plan import actions as ac
from planning.plan import process as pr
from tests.factories import make_initiative, make_room

ROLES = ["facilitator", "author", "other participant", "wrong key", "no token", "locked workshop"]


@dataclass(frozen=True)
class Case:
    name: str
    side: str  # "participant": called with a token; "facilitator": with the key
    phase: str
    call: Callable  # (db, room, credential) -> None
    own_only: bool = False
    reads: bool = False  # a locked workshop is read-only: reading stays allowed


CASES = [
    Case("add demand", "participant", "inner_customer", lambda db, r, c: dm.add_demand(db, c, "More")),
    Case("edit own demand", "participant", "inner_customer",
         lambda db, r, c: dm.edit_own_demand(db, c, r.demand, "Changed"), own_only=True),
    Case("delete own demand", "participant", "inner_customer",
         lambda db, r, c: dm.delete_own_demand(db, c, r.demand), own_only=True),
    Case("vote on a demand", "participant", "inner_customer", lambda db, r, c: vt.cast_vote(db, c, r.demand)),
    Case("propose an initiative", "participant", "value_exchange",
         lambda db, r, c: im.propose_initiative(db, c, im.InitiativeInput(title="New", answers_no_demand=True))),
    Case("edit own initiative", "participant", "value_exchange",
         lambda db, r, c: im.edit_own_initiative(db, c, r.initiative, im.InitiativeInput(title="X",
                                                                                          answers_no_demand=True)),
         own_only=True),
    Case("withdraw own initiative", "participant", "value_exchange",
         lambda db, r, c: im.withdraw_own_initiative(db, c, r.initiative), own_only=True),
    Case("rate an initiative", "participant", "score_vote",
         lambda db, r, c: rt.rate_initiative(db, c, r.initiative, "customer", 7)),
    Case("vote on an initiative", "participant", "score_vote",
         lambda db, r, c: vt.cast_initiative_vote(db, c, r.initiative)),
    Case("rate a self-check area", "participant", "lobby", lambda db, r, c: sc.rate_area(db, c, "strategy", "great")),
    Case("change the phase", "facilitator", "lobby", lambda db, r, c: ws.set_phase(db, r.code, c, "review")),
    Case("start the timer", "facilitator", "lobby", lambda db, r, c: ws.start_timer(db, r.code, c, 5)),
    Case("toggle anonymity", "facilitator", "lobby", lambda db, r, c: ws.set_anonymous(db, r.code, c, True)),
    Case("set the vote budget", "facilitator", "lobby", lambda db, r, c: ws.set_vote_budget(db, r.code, c, 3, 1)),
    Case("lock the workshop", "facilitator", "lobby", lambda db, r, c: ws.lock_workshop(db, r.code, c)),
    Case("edit any demand", "facilitator", "lobby", lambda db, r, c: dm.edit_demand(db, r.code, c, r.demand, "E")),
    Case("hide a demand", "facilitator", "lobby", lambda db, r, c: dm.hide_demand(db, r.code, c, r.demand)),
    Case("merge demands", "facilitator", "lobby",
         lambda db, r, c: dm.merge_demands(db, r.code, c, r.other_demand, r.demand)),
    Case("hide an initiative", "facilitator", "lobby",
         lambda db, r, c: im.hide_initiative(db, r.code, c, r.initiative)),
    Case("choose an initiative", "facilitator", "lobby",
         lambda db, r, c: im.choose_initiative(db, r.code, c, r.initiative)),
    Case("open the self-check again", "facilitator", "lobby",
         lambda db, r, c: (sc.close_selfcheck(db, r.code, c), sc.open_selfcheck(db, r.code, c))),
    Case("add an action", "facilitator", "plan",
         lambda db, r, c: ac.add_action(db, r.code, c, r.chosen, "Pilot", "Dagny", "2027-01-01")),
    Case("add a process step", "facilitator", "plan",
         lambda db, r, c: pr.add_step(db, r.code, c, r.chosen, "Sales", "Quote", "", "adds")),
    Case("export the backup", "facilitator", "lobby", lambda db, r, c: export_workshop(db, r.code, c, "json"),
         reads=True),
]


def _room(db, phase: str):
    room = make_room(db, participants_count=2)
    room.demand = dm.add_demand(db, room.tokens[0], "Mine").id
    room.other_demand = dm.add_demand(db, room.tokens[1], "Theirs").id
    ws.set_phase(db, room.code, room.key, "value_exchange")
    room.initiative = make_initiative(db, room.tokens[0], "Mine").id
    room.chosen = make_initiative(db, room.tokens[1], "Chosen").id
    im.choose_initiative(db, room.code, room.key, room.chosen)
    sc.open_selfcheck(db, room.code, room.key)
    ws.set_phase(db, room.code, room.key, phase)
    return room


def _expected(case: Case, role: str) -> type[PlanningError] | None:
    if role == "locked workshop":
        return None if case.reads else WorkshopLocked
    if case.side == "facilitator":
        return None if role == "facilitator" else NotAllowed
    if role == "author" or (role == "other participant" and not case.own_only):
        return None
    if role == "other participant":
        return NotAllowed
    return NotFound  # the facilitator has no participant token; a wrong or missing token belongs to no one


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_permission_matrix(db, case, role):
    room = _room(db, case.phase)
    if role == "locked workshop":
        ws.lock_workshop(db, room.code, room.key)
    credential = {
        "facilitator": room.key if case.side == "facilitator" else None,
        "author": room.tokens[0], "other participant": room.tokens[1], "wrong key": "x" * 32, "no token": None,
        "locked workshop": room.key if case.side == "facilitator" else room.tokens[0],
    }[role]
    expected = _expected(case, role)
    before = ws.get_revision(db, room.code)
    if expected is None:
        case.call(db, room, credential)
    else:
        with pytest.raises(expected):
            case.call(db, room, credential)
        assert ws.get_revision(db, room.code) == before  # a refusal changes nothing
