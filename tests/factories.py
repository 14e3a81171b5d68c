"""Rooms built through the real services, for tests."""

import random
from dataclasses import dataclass, field

from planning import demands, initiatives, participants, ratings, votes, workshops
from planning.db import Database
from planning.errors import PlanningError
from planning.models import Area


@dataclass
class Room:
    code: str
    key: str
    tokens: list[str] = field(default_factory=list)


def make_room(db: Database, participants_count: int = 3, phase: str = "inner_customer", **settings) -> Room:
    """A workshop with `participants_count` people joined, moved to `phase`."""
    created = workshops.create_workshop(db, title="Freight 2027", company="Northwind", segment="mid-size shippers")
    room = Room(created.workshop.code, created.facilitator_key)
    room.tokens = [participants.join_workshop(db, room.code, f"Person {i}").token for i in range(participants_count)]
    if phase != "lobby":
        workshops.set_phase(db, room.code, room.key, phase)
    if settings:
        workshops.set_vote_budget(db, room.code, room.key, settings.get("budget", 5), settings.get("cap", 3))
    return room


def make_initiative(db: Database, token: str, title: str = "Live tracking", demand_ids=(), **fields):
    """Propose an initiative (the room must be in the Value exchange phase)."""
    inp = initiatives.InitiativeInput(
        title=title, customer_value=fields.get("customer_value", "I see where my pallets are"),
        company_value=fields.get("company_value", "Fewer calls"), demand_ids=tuple(demand_ids),
        answers_no_demand=not demand_ids, areas=tuple(fields.get("areas", ())), effort=fields.get("effort"),
    )
    return initiatives.propose_initiative(db, token, inp)


def make_busy_room(db: Database, rng: random.Random) -> Room:
    """A workshop lived through the services at random: votes given and taken back, merges (chains too),
    hides, a withdrawal, ratings given and changed, duplicates merged after they were rated; in Review."""
    room = make_room(db, participants_count=6, budget=6, cap=2)
    shown = _busy_demands(db, room, rng)
    workshops.set_phase(db, room.code, room.key, "value_exchange")
    authors = [room.tokens[n % 6] for n in range(9)]
    ids = [make_initiative(db, author, f"Initiative {n}", rng.sample(shown, rng.randint(0, 3)),
                           areas=rng.sample([a.value for a in Area], rng.randint(0, 3)),
                           effort=rng.choice([None, "S", "M", "L"])).id for n, author in enumerate(authors)]
    for _ in range(3):
        _attempt(initiatives.merge_initiatives, db, room.code, room.key, *rng.sample(ids, 2))
    _attempt(demands.merge_demands, db, room.code, room.key, *rng.sample(shown, 2))  # a demand already answered
    workshops.set_phase(db, room.code, room.key, "score_vote")
    _busy_scoring(db, room, ids, rng)
    _attempt(initiatives.merge_initiatives, db, room.code, room.key, *rng.sample(ids, 2))
    _attempt(initiatives.hide_initiative, db, room.code, room.key, rng.choice(ids))
    workshops.set_phase(db, room.code, room.key, "value_exchange")
    n = rng.randrange(len(ids))
    _attempt(initiatives.withdraw_own_initiative, db, authors[n], ids[n])
    workshops.set_phase(db, room.code, room.key, "review")
    return room


def _busy_demands(db: Database, room: Room, rng: random.Random) -> list[int]:
    """Demands voted on, merged and hidden at random; the ids of those left on the board."""
    ids = [demands.add_demand(db, rng.choice(room.tokens), f"Demand {n}").id for n in range(14)]
    for _ in range(40):
        _attempt(votes.cast_vote, db, rng.choice(room.tokens), rng.choice(ids))
    for _ in range(6):
        _attempt(votes.retract_vote, db, rng.choice(room.tokens), rng.choice(ids))
    for _ in range(4):
        _attempt(demands.merge_demands, db, room.code, room.key, *rng.sample(ids, 2))
    _attempt(demands.hide_demand, db, room.code, room.key, rng.choice(ids))
    return [d.id for d in demands.list_shown_demands(db, room.code)]


def _busy_scoring(db: Database, room: Room, ids: list[int], rng: random.Random) -> None:
    """Ratings given and changed at random, one person rating everything, dots given and taken back."""
    for _ in range(150):
        _attempt(ratings.rate_initiative, db, rng.choice(room.tokens), rng.choice(ids),
                 rng.choice(["customer", "company"]), rng.randint(0, 10))
    for item in ids:
        for axis in ("customer", "company"):
            _attempt(ratings.rate_initiative, db, room.tokens[0], item, axis, rng.randint(0, 10))
    for _ in range(30):
        _attempt(votes.cast_initiative_vote, db, rng.choice(room.tokens), rng.choice(ids))
    for _ in range(5):
        _attempt(votes.retract_initiative_vote, db, rng.choice(room.tokens), rng.choice(ids))


def _attempt(service, *args) -> None:
    try:
        service(*args)
    except PlanningError:  # a random step the rules refuse (budget spent, merged item...) changes nothing
        pass


@dataclass
class FinishedRoom(Room):
    """A workshop lived to the Plan phase (see make_finished_room): the ids of what it holds."""

    demands: dict[str, int] = field(default_factory=dict)
    initiatives: dict[str, int] = field(default_factory=dict)
    actions: dict[str, int] = field(default_factory=dict)


def make_finished_room(db: Database) -> FinishedRoom:
    """Three people: four demands (one merged into another, one hidden) with votes; three initiatives, two chosen,
    rated and voted; a plan of three actions (a start date, a milestone, a dependency, statuses) and two process
    steps; a closed self-check run with three respondents; in the Plan phase."""
    from planning import selfcheck
    from planning.plan import actions, process

    base = make_room(db, budget=5, cap=3)
    room = FinishedRoom(base.code, base.key, base.tokens)
    t = room.tokens
    room.demands = {text: demands.add_demand(db, t[n % 3], text, area).id for n, (text, area) in enumerate(
        [("Tell me when a pallet is late", "relationships"), ("Warn me about delays", None),
         ("One invoice a month", "process_design"), ("Spam me", None)])}
    for token, text in [(t[0], "Tell me when a pallet is late"), (t[1], "Tell me when a pallet is late"),
                        (t[2], "Warn me about delays"), (t[0], "One invoice a month"), (t[1], "Spam me")]:
        votes.cast_vote(db, token, room.demands[text])
    demands.merge_demands(db, room.code, room.key, room.demands["Warn me about delays"],
                          room.demands["Tell me when a pallet is late"])
    demands.hide_demand(db, room.code, room.key, room.demands["Spam me"])
    workshops.set_phase(db, room.code, room.key, "value_exchange")
    late, invoice = room.demands["Tell me when a pallet is late"], room.demands["One invoice a month"]
    room.initiatives = {
        "Live tracking": make_initiative(db, t[0], "Live tracking", [late], areas=["relationships"], effort="M").id,
        "Monthly invoice": make_initiative(db, t[1], "Monthly invoice", [invoice], effort="S").id,
        "Loyalty points": make_initiative(db, t[2], "Loyalty points").id,
    }
    workshops.set_phase(db, room.code, room.key, "score_vote")
    for n, token in enumerate(t):
        for title, item in room.initiatives.items():
            ratings.rate_initiative(db, token, item, "customer", 8 - n if title != "Loyalty points" else 2)
            ratings.rate_initiative(db, token, item, "company", 4 + n)
        votes.cast_initiative_vote(db, token, room.initiatives["Live tracking"])
    for title in ("Live tracking", "Monthly invoice"):
        initiatives.choose_initiative(db, room.code, room.key, room.initiatives[title])
    workshops.set_phase(db, room.code, room.key, "plan")
    tracking = room.initiatives["Live tracking"]
    design = actions.add_action(db, room.code, room.key, tracking, "Design the page", "Dagny", "2027-03-10",
                                "done", start="2027-03-01")
    room.actions = {
        "Design the page": design,
        "Build it": actions.add_action(db, room.code, room.key, tracking, "Build it", "Hank", "2027-03-31",
                                       "in_progress", start="2027-03-11", depends_on=(design,)),
        "Go-live": actions.add_action(db, room.code, room.key, room.initiatives["Monthly invoice"], "Go-live",
                                      "Dagny", "2027-04-01", milestone=True),
    }
    process.add_step(db, room.code, room.key, tracking, "Customer", "Books a pickup", "pallet count", "adds")
    process.add_step(db, room.code, room.key, tracking, "Sales", "Re-keys the booking", "", "none")
    selfcheck.open_selfcheck(db, room.code, room.key)
    for token, levels in zip(t, (("risk", "great", "great"), ("prompt", "great", "great"),
                                 ("improve", "improve", "great")), strict=True):
        for area, level in zip(("strategy", "marketing", "relationships"), levels, strict=True):
            selfcheck.rate_area(db, token, area, level)
    selfcheck.close_selfcheck(db, room.code, room.key)
    return room
