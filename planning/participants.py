"""Participants: join with a code and a display name, come back with a rejoin link."""

import time
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete, exists, func, or_
from sqlmodel import Session, select

from planning.access import WHO, bump, caller, digest, new_secret, workshop_by_code
from planning.db import Database
from planning.errors import InvalidInput, NotAllowed, NotFound
from planning.models import (
    Demand,
    DemandVote,
    Initiative,
    InitiativeVote,
    JoinFailure,
    Participant,
    Phase,
    Rating,
    Workshop,
    utcnow,
)
from planning.text import clean_name, name_key

MAX_NAME = 40
# Wrong codes counted per window, per browser session and per client address. A right code always joins; past a
# limit, each further wrong code waits (GUESS_PAUSE_S for each one over, at most GUESS_MAX_PAUSE_S) and is
# refused. A phone mistypes a few times; a room behind one address (venue Wi-Fi) many more; a guesser needs
# millions (31^8 codes).
GUESS_WINDOW = timedelta(minutes=10)
GUESS_LIMITS = {"session": 5, "address": 40}
GUESS_PAUSE_S, GUESS_MAX_PAUSE_S = 0.5, 5.0
TOO_MANY_GUESSES = "Too many wrong codes from here. Check the code on the big screen, then try again."
NAME_TAKEN = "That name is taken here. If it is you, open your personal link; otherwise add an initial."


@dataclass(frozen=True)
class ParticipantView:
    id: int
    name: str
    code: str


@dataclass(frozen=True)
class Joined:
    participant: ParticipantView
    token: str


def forwarded_client(value: str | None) -> str | None:
    """The client address in a trusted proxy's header (X-Forwarded-For, X-Real-IP): its last entry, the one the
    proxy wrote itself (entries before it come from the client and prove nothing)."""
    last = (value or "").split(",")[-1].strip()
    return last[:64] or None


def _clients(session: str | None, address: str | None) -> list[tuple[str, int]]:
    """Whom a wrong code counts against, each with its limit."""
    known = [(f"{kind}:{value}"[:80], GUESS_LIMITS[kind]) for kind, value in (("session", session),
                                                                                ("address", address)) if value]
    return known or [("unknown", GUESS_LIMITS["address"])]


def _count_wrong_code(db: Database, clients: list[tuple[str, int]]) -> int:
    """Record a wrong code against each client and forget those older than the window; how many wrong codes
    the most limited client is over its limit (0: not over)."""
    since = utcnow() - GUESS_WINDOW
    with db.write() as s:
        s.execute(delete(JoinFailure).where(JoinFailure.at <= since))
        s.add_all(JoinFailure(client=client) for client, _ in clients)
        s.flush()
        counts = dict(s.exec(select(JoinFailure.client, func.count()).where(
            JoinFailure.client.in_([c for c, _ in clients])).group_by(JoinFailure.client)).all())
    return max(counts.get(client, 0) - limit for client, limit in clients)


def join_workshop(db: Database, code: str, name: str, *, session: str | None = None,
                  address: str | None = None, forwarded: str | None = None) -> Joined:
    """A new participant with a private rejoin token, under a name no one else in the room has.

    A right code always joins. Wrong codes are counted per browser session and per client address (`forwarded`,
    a trusted proxy's header, when given, else `address`); past a limit each further wrong one is slowed, then
    refused. Raises: NotFound for a wrong code, NotAllowed when the workshop is locked or closed or past the
    wrong-code limit, InvalidInput for a bad or taken name.
    """
    name = clean_name(name, what="Your name", max_length=MAX_NAME)
    try:
        return _join(db, code, name)
    except NotFound:
        over = _count_wrong_code(db, _clients(session, forwarded_client(forwarded) or address))
        if over > 0:
            time.sleep(min(GUESS_MAX_PAUSE_S, GUESS_PAUSE_S * over))
            raise NotAllowed(TOO_MANY_GUESSES) from None
        raise


def require_free_name(s: Session, w: Workshop, name: str, *, but: int | None = None) -> None:
    """Raises: InvalidInput when someone in the room (but `but`) has a name that looks the same: case, invisible
    characters, compatibility forms and Cyrillic or Greek look-alikes ignored."""
    key = name_key(name)
    names = s.exec(select(Participant.name).where(
        Participant.workshop_id == w.id, Participant.id != (but or 0), Participant.merged_into_id.is_(None),
        ~Participant.removed)).all()
    if any(name_key(n) == key for n in names):
        raise InvalidInput(NAME_TAKEN)


def _join(db: Database, code: str, name: str) -> Joined:
    token = new_secret()
    with db.write() as s:
        w = workshop_by_code(s, code, for_update=True)
        if w.locked or w.phase == Phase.CLOSED:
            raise NotAllowed("This workshop is closed to new participants")
        require_free_name(s, w, name)
        p = Participant(workshop_id=w.id, name=name, token_hash=digest(token))
        s.add(p)
        s.flush()
        bump(s, w, room=False)
        return Joined(ParticipantView(p.id, p.name, w.join_code), token)


def counted(w: Workshop):
    """SQL: the workshop's people who count in its progress: not removed, not merged into another, and who took
    part (added a demand or an initiative, voted or rated; self-check answers are tied to no one): never a ghost
    who only joined and closed the tab."""
    took_part = or_(*(exists().where(m.participant_id == Participant.id)
                      for m in (Demand, Initiative, DemandVote, InitiativeVote, Rating)))
    return (Participant.workshop_id == w.id) & Participant.merged_into_id.is_(None) & ~Participant.removed \
        & took_part


def get_participant(db: Database, token: str) -> ParticipantView:
    """Who this rejoin token belongs to (for a merged duplicate's link, the one it was merged into).

    Raises: NotFound, NotAllowed when the facilitator removed them."""
    with db.read_rows() as conn:  # every run of 200 phones' pages: one query, rows not objects
        row = caller(conn, token, WHO, lock=False)
    return ParticipantView(row.id, row.name, row.join_code)
