"""Seed a large and a small workshop into one database, fast (bulk inserts, not the one-at-a-time services)."""

import random
from dataclasses import dataclass

from sqlalchemy import insert

from planning.access import digest, new_code, new_secret
from planning.db import Database
from planning.models import (
    Area,
    Demand,
    DemandVote,
    Initiative,
    InitiativeArea,
    InitiativeDemand,
    InitiativeVote,
    Participant,
    Phase,
    Rating,
    Workshop,
    utcnow,
)

LARGE = {"participants": 200, "demands": 2000, "initiatives": 400, "votes_each": 50}
SMALL = {"participants": 10, "demands": 30, "initiatives": 8, "votes_each": 3}


@dataclass(frozen=True)
class Seeded:
    code: str
    key: str
    token: str  # the first participant's rejoin token
    counts: dict


def seed_workshop(db: Database, size: dict, rng: random.Random, title: str) -> Seeded:
    """One workshop in the Review phase where everyone rated every initiative on both axes."""
    key, token, now = new_secret(), new_secret(), utcnow()
    with db.write() as s:
        w = Workshop(join_code=new_code(), title=title, company="Northwind", segment="shippers",
                     facilitator_key_hash=digest(key), phase=Phase.REVIEW, results_revealed=True,
                     vote_budget=size["votes_each"], vote_cap=3)
        s.add(w)
        s.flush()
        people = [{"workshop_id": w.id, "name": f"P{i}", "joined_at": now,
                   "token_hash": digest(token if i == 0 else new_secret())} for i in range(size["participants"])]
        p_ids = _insert(s, Participant, people)
        d_ids = _insert(s, Demand, [{"workshop_id": w.id, "participant_id": rng.choice(p_ids), "hidden": False,
                                     "text": f"Demand {i}: tell me early when a delivery slips", "created_at": now,
                                     "updated_at": now} for i in range(size["demands"])])
        i_ids = _insert(s, Initiative, [{
            "workshop_id": w.id, "participant_id": rng.choice(p_ids), "title": f"Initiative {i}",
            "customer_value": "Live tracking of my pallets", "company_value": "Fewer support calls",
            "answers_no_demand": False, "hidden": False, "created_at": now, "updated_at": now,
        } for i in range(size["initiatives"])])
        s.execute(insert(InitiativeDemand), [{"initiative_id": i, "demand_id": d}
                                             for i in i_ids for d in rng.sample(d_ids, rng.randint(1, 3))])
        s.execute(insert(InitiativeArea), [{"initiative_id": i, "area": a}
                                           for i in i_ids for a in rng.sample(list(Area), rng.randint(0, 2))])
        votes = size["votes_each"]
        s.execute(insert(DemandVote), [{"workshop_id": w.id, "participant_id": p, "demand_id": d, "dots": 1}
                                       for p in p_ids for d in rng.sample(d_ids, min(votes, len(d_ids)))])
        s.execute(insert(InitiativeVote), [{"workshop_id": w.id, "participant_id": p, "initiative_id": i, "dots": 1}
                                           for p in p_ids for i in rng.sample(i_ids, min(votes, len(i_ids)))])
        s.execute(insert(Rating), [{"workshop_id": w.id, "initiative_id": i, "participant_id": p, "axis": axis,
                                    "score": rng.randint(0, 10), "updated_at": now}
                                   for p in p_ids for i in i_ids for axis in ("customer", "company")])
        counts = {"participants": len(p_ids), "demands": len(d_ids), "initiatives": len(i_ids),
                  "votes": 2 * len(p_ids) * min(votes, len(i_ids)), "rating pairs": len(p_ids) * len(i_ids)}
        return Seeded(w.join_code, key, token, counts)


def _insert(s, model, rows: list[dict]) -> list[int]:
    result = s.execute(insert(model).returning(model.id), rows)
    return list(result.scalars())


def seed(db: Database) -> tuple[Seeded, Seeded]:
    """The large and the small workshop, seeded the same way (random.Random(42))."""
    rng = random.Random(42)
    return seed_workshop(db, LARGE, rng, "Large benchmark"), seed_workshop(db, SMALL, rng, "Small benchmark")
