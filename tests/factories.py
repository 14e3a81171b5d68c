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
