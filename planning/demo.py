"""The demo workshop a newcomer can open: code DEMO, facilitator key 'demo' (public on purpose)."""

import json
from pathlib import Path

from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from planning.access import digest, new_secret
from planning.db import Database
from planning.models import Demand, DemandVote, Participant, Phase, Workshop

DEMO_CODE = "DEMO"
DEMO_KEY = "demo"
DEMO_FILE = Path(__file__).resolve().parent.parent / "data" / "demo.json"


def ensure_demo_workshop(db: Database) -> None:
    """Create the demo workshop from data/demo.json unless it exists already."""
    spec = json.loads(DEMO_FILE.read_text(encoding="utf-8"))
    try:
        with db.write() as s:
            if s.exec(select(Workshop.id).where(Workshop.join_code == DEMO_CODE)).first():
                return
            w = Workshop(join_code=DEMO_CODE, title=spec["title"], company=spec["company"],
                         segment=spec["segment"], facilitator_key_hash=digest(DEMO_KEY),
                         phase=Phase.INNER_CUSTOMER, is_demo=True)
            s.add(w)
            s.flush()
            people = {name: Participant(workshop_id=w.id, name=name, token_hash=digest(new_secret()))
                      for name in spec["participants"]}
            s.add_all(people.values())
            s.flush()
            for item in spec["demands"]:
                d = Demand(workshop_id=w.id, participant_id=people[item["by"]].id,
                           text=item["text"], area=item["area"])
                s.add(d)
                s.flush()
                s.add_all(DemandVote(workshop_id=w.id, participant_id=people[name].id,
                                     demand_id=d.id, dots=dots) for name, dots in item["votes"].items())
    except IntegrityError:  # another server process created it at the same moment
        return
