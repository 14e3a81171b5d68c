"""Participants: join with a code and a display name, come back with a rejoin link."""

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func
from sqlmodel import select

from planning.access import bump, digest, new_secret, participant_by_token, workshop_by_code
from planning.db import Database
from planning.errors import NotAllowed, NotFound
from planning.models import JoinFailure, Participant, Phase, utcnow
from planning.text import clean_text

MAX_NAME = 40
# Wrong codes allowed per window before joins are refused: a phone mistypes a few times; a room behind one
# address (venue Wi-Fi) many more; a guesser needs millions (31^8 codes).
GUESS_WINDOW = timedelta(minutes=10)
GUESS_LIMITS = {"session": 5, "address": 40}


@dataclass(frozen=True)
class ParticipantView:
    id: int
    name: str
    code: str


@dataclass(frozen=True)
class Joined:
    participant: ParticipantView
    token: str


def _clients(session: str | None, address: str | None) -> list[tuple[str, int]]:
    """Whom a wrong code counts against, each with its limit."""
    known = [(f"{kind}:{value}"[:80], GUESS_LIMITS[kind]) for kind, value in (("session", session),
                                                                                ("address", address)) if value]
    return known or [("unknown", GUESS_LIMITS["address"])]


def _check_guessing(db: Database, clients: list[tuple[str, int]]) -> None:
    since = utcnow() - GUESS_WINDOW
    with db.read() as s:
        for client, limit in clients:
            failures = s.exec(select(func.count()).where(JoinFailure.client == client, JoinFailure.at > since)).one()
            if failures >= limit:
                raise NotAllowed("Too many wrong codes from here. Wait a few minutes, then check the code on the "
                                 "big screen.")


def join_workshop(db: Database, code: str, name: str, *, session: str | None = None,
                  address: str | None = None) -> Joined:
    """A new participant with a private rejoin token; a name already taken gets a number.

    Wrong codes are counted per browser session and per client address; past the limit, joins from there are
    refused for a while (GUESS_WINDOW), the right code included.
    Raises: NotFound for a wrong code, NotAllowed when the workshop is locked or closed or after too many
    wrong codes, InvalidInput.
    """
    name = clean_text(name, what="Your name", max_length=MAX_NAME)
    clients = _clients(session, address)
    _check_guessing(db, clients)
    try:
        return _join(db, code, name)
    except NotFound:
        with db.write() as s:  # counted in its own transaction: the failed join wrote nothing
            s.add_all(JoinFailure(client=client) for client, _ in clients)
        raise


def _join(db: Database, code: str, name: str) -> Joined:
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
        bump(s, w, room=False)
        return Joined(ParticipantView(p.id, p.name, w.join_code), token)


def get_participant(db: Database, token: str) -> ParticipantView:
    """Who this rejoin token belongs to. Raises: NotFound."""
    with db.read() as s:
        w, p = participant_by_token(s, token)
        return ParticipantView(p.id, p.name, w.join_code)
