"""Rooms built through the real services, for tests."""

from dataclasses import dataclass, field

from planning import initiatives, participants, workshops
from planning.db import Database


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
