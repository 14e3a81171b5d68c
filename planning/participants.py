"""Participants: join with a code and a display name, come back with a rejoin link."""

from dataclasses import dataclass

from sqlalchemy import func
from sqlmodel import select

from planning.access import bump, digest, new_secret, participant_by_token, workshop_by_code
from planning.db import Database
from planning.errors import NotAllowed
from planning.models import Participant, Phase
from planning.text import clean_text

MAX_NAME = 40


@dataclass(frozen=True)
class ParticipantView:
    id: int
    name: str
    code: str


@dataclass(frozen=True)
class Joined:
    participant: ParticipantView
    token: str


def join_workshop(db: Database, code: str, name: str) -> Joined:
    """A new participant with a private rejoin token; a name already taken gets a number.

    Raises: NotFound for a wrong code, NotAllowed when the workshop is locked or closed, InvalidInput.
    """
    name = clean_text(name, what="Your name", max_length=MAX_NAME)
    token = new_secret()
    with db.write() as s:
        w = workshop_by_code(s, code, for_update=True)
        if w.locked or w.phase == Phase.CLOSED:
            raise NotAllowed("This workshop is closed to new participants")
        lowered = func.lower(Participant.name)
        same = s.exec(
            select(func.count()).where(
                Participant.workshop_id == w.id,
                (lowered == name.lower()) | lowered.startswith(f"{name.lower()} (", autoescape=True),
            )
        ).one()
        shown = name if same == 0 else f"{name[: MAX_NAME - 5]} ({same + 1})"
        p = Participant(workshop_id=w.id, name=shown, token_hash=digest(token))
        s.add(p)
        s.flush()
        bump(s, w)
        return Joined(ParticipantView(p.id, p.name, w.join_code), token)


def get_participant(db: Database, token: str) -> ParticipantView:
    """Who this rejoin token belongs to. Raises: NotFound."""
    with db.read() as s:
        w, p = participant_by_token(s, token)
        return ParticipantView(p.id, p.name, w.join_code)
