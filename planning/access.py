"""Who is asking: the facilitator's key and a participant's rejoin token, checked in one place."""

import hashlib
import hmac
import re
import secrets
from functools import cache

from sqlalchemy import Connection, Row, bindparam, insert, update
from sqlmodel import Session, select

from planning.errors import NotAllowed, NotFound, WorkshopLocked
from planning.models import ModerationEvent, Participant, Workshop

# No 0/O, 1/I/L: codes are read off a projector and typed on phones.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8
NO_WORKSHOP = "No workshop has that code. Check the code on the big screen."


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def new_secret() -> str:
    return secrets.token_urlsafe(24)


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def normalise_code(code: object) -> str:
    """Upper-case, without spaces or dashes: 'abcd-efgh ' and 'ABCDEFGH' are the same code."""
    return re.sub(r"[^A-Z0-9]", "", str(code or "").upper())[:32]


def require_organiser(passcode: str | None, organiser_passcode: str | None) -> None:
    """Raises: NotAllowed when the organiser set a passcode for new workshops and this is not it."""
    if organiser_passcode and not hmac.compare_digest((passcode or "").encode(), organiser_passcode.encode()):
        raise NotAllowed("The organiser passcode is not right")


def in_workshop(s: Session, model: type, w: Workshop, row_id: object, noun: str):
    """The row of `model` with this id, if it belongs to this workshop. Raises: NotFound."""
    row = s.get(model, row_id) if isinstance(row_id, int) and not isinstance(row_id, bool) else None
    if row is None or row.workshop_id != w.id:
        raise NotFound(f"That {noun} does not exist in this workshop")
    return row


def workshop_by_code(s: Session, code: object, *, for_update: bool = False) -> Workshop:
    """The workshop with this join code. Raises: NotFound."""
    query = select(Workshop).where(Workshop.join_code == normalise_code(code))
    workshop = s.exec(query.with_for_update() if for_update else query).first()
    if workshop is None:
        raise NotFound(NO_WORKSHOP)
    return workshop


def facilitated(s: Session, code: object, key: object, *, for_update: bool = False) -> Workshop:
    """The workshop, if `key` is its facilitator key. Raises: NotFound, NotAllowed."""
    workshop = workshop_by_code(s, code, for_update=for_update)
    if not isinstance(key, str) or not hmac.compare_digest(digest(key), workshop.facilitator_key_hash):
        raise NotAllowed("This facilitator link is not valid for this workshop")
    return workshop


def participant_by_token(
    s: Session, token: object, *, for_update: bool = False
) -> tuple[Workshop, Participant]:
    """The participant whose rejoin token this is, and their workshop. Raises: NotFound."""
    if not isinstance(token, str) or not token:
        raise NotFound("This link does not belong to anyone in a workshop. Join with the code.")
    query = select(Participant).where(Participant.token_hash == digest(token))
    participant = s.exec(query.with_for_update() if for_update else query).first()
    if participant is None:
        raise NotFound("This link does not belong to anyone in a workshop. Join with the code.")
    return s.get(Workshop, participant.workshop_id), participant


_P, _W = Participant.__table__.c, Workshop.__table__.c
_CALLER = (
    select(_P.id, _P.name, _W.id.label("workshop_id"), _W.phase, _W.locked, _W.anonymous)
    .join_from(Participant.__table__, Workshop.__table__, _W.id == _P.workshop_id)
    .where(_P.token_hash == bindparam("token_hash"))
)
_BUMP = update(Workshop.__table__).where(_W.id == bindparam("workshop")).values(revision=_W.revision + 1)
_BUMP_ROOM = _BUMP.values(room_revision=_W.room_revision + 1)


def caller(conn: Connection, token: object) -> Row:
    """The participant (id, name) and what a write checks of their workshop (workshop_id, phase, locked,
    anonymous), in one indexed query without loading objects: for the busiest writes, where building
    objects cost most of the time (bench/storm.py). Raises: NotFound."""
    row = None
    if isinstance(token, str) and token:
        row = conn.execute(_CALLER, {"token_hash": digest(token)}).first()
    if row is None:
        raise NotFound("This link does not belong to anyone in a workshop. Join with the code.")
    return row


@cache
def _insert(model: type):
    table = model.__table__
    return insert(table).returning(*table.c)


def add_row(conn: Connection, model: type, **values) -> Row:
    """Insert one row without building an object; returns the stored row, its id and defaults filled."""
    return conn.execute(_insert(model), values).one()


def bump_id(conn: Connection, workshop_id: int, *, room: bool = True) -> None:
    """`bump` by id, for writes that loaded no workshop object."""
    conn.execute(_BUMP_ROOM if room else _BUMP, {"workshop": workshop_id})


def require_unlocked(workshop: Workshop) -> None:
    """Raises: WorkshopLocked when the facilitator has locked the workshop."""
    if workshop.locked:
        raise WorkshopLocked("The workshop is locked: it can be read but not changed")


def bump(s: Session, workshop: Workshop, *, room: bool = True) -> None:
    """Mark the workshop changed, so live screens re-render (atomic on every database).

    `room=False` for what participants' pages do not show (a rating, a vote on an initiative, a self-check
    answer, a join): only the wall and the console follow those."""
    s.execute(_BUMP_ROOM if room else _BUMP, {"workshop": workshop.id})


def record(s: Session, workshop: Workshop, action: str, target: str, detail: str | None = None) -> None:
    """Keep a moderation event for the record."""
    s.add(ModerationEvent(workshop_id=workshop.id, action=action, target=target, detail=detail))
