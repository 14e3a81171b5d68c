"""Who is asking: the facilitator's key and a participant's rejoin token, checked in one place."""

import hashlib
import hmac
import re
import secrets
import threading
import time
from collections import deque
from functools import cache

from sqlalchemy import Connection, Row, bindparam, func, insert, update
from sqlmodel import Session, select

from planning.errors import NotAllowed, NotFound, WorkshopLocked
from planning.models import ModerationEvent, Participant, Workshop

# No 0/O, 1/I/L: codes are read off a projector and typed on phones.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8
NO_WORKSHOP = "No workshop has that code. Check the code on the big screen."
NO_LINK = "This link does not belong to anyone in a workshop. Join with the code."
REMOVED = "The facilitator has removed this name from the workshop. Join again with the code to take part."
# Wrong organiser passcodes allowed in a window, per server process: the organiser mistypes a few times; a
# guesser is held to one try a minute.
PASSCODE_TRIES, PASSCODE_WINDOW_S = 10, 600


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def new_secret() -> str:
    return secrets.token_urlsafe(24)


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def normalise_code(code: object) -> str:
    """Upper-case, without spaces or dashes: 'abcd-efgh ' and 'ABCDEFGH' are the same code."""
    return re.sub(r"[^A-Z0-9]", "", str(code or "").upper())[:32]


class _PasscodeGuard:
    """Wrong organiser passcodes given in this server process, per passcode, over the last window."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._wrong: dict[str, deque[float]] = {}

    def check(self, organiser_passcode: str, given: str | None) -> None:
        """Raises: NotAllowed for a wrong passcode, and for any once PASSCODE_TRIES were wrong in the window."""
        with self._lock:
            wrong = self._wrong.setdefault(digest(organiser_passcode), deque())
            while wrong and wrong[0] < time.monotonic() - PASSCODE_WINDOW_S:
                wrong.popleft()
            if len(wrong) >= PASSCODE_TRIES:
                raise NotAllowed("Too many wrong organiser passcodes. Wait ten minutes, then try again.")
            if not hmac.compare_digest((given or "").encode(), organiser_passcode.encode()):
                wrong.append(time.monotonic())
                raise NotAllowed("The organiser passcode is not right")


_PASSCODES = _PasscodeGuard()


def require_organiser(passcode: str | None, organiser_passcode: str | None) -> None:
    """Raises: NotAllowed when the organiser set a passcode for new workshops and this is not it; after
    PASSCODE_TRIES wrong ones within PASSCODE_WINDOW_S, for every try, the right one included, until the
    window has passed (a limit that let the right one through would tell a guesser when they found it)."""
    if organiser_passcode:
        _PASSCODES.check(organiser_passcode, passcode)


def in_workshop(s: Session, model: type, w: Workshop, row_id: object, noun: str):
    """The row of `model` with this id, if it belongs to this workshop. Raises: NotFound."""
    row = s.get(model, row_id) if isinstance(row_id, int) and not isinstance(row_id, bool) else None
    if row is None or row.workshop_id != w.id:
        raise NotFound(f"That {noun} does not exist in this workshop")
    return row


def _locking(s: Session) -> bool:
    """Whether this session writes on a database where a workshop's writers take turns by its row lock."""
    return bool(s.info.get("lock_rows"))


# FOR NO KEY UPDATE: writers of one workshop queue on its row, while rows that only refer to it (a demand's
# foreign key takes KEY SHARE) never wait for it.
def workshop_by_code(s: Session, code: object, *, for_update: bool = False) -> Workshop:
    """The workshop with this join code; in a write, its row is locked first, so the workshop's writes take
    turns (PostgreSQL; on SQLite, BEGIN IMMEDIATE does it). Raises: NotFound."""
    query = select(Workshop).where(Workshop.join_code == normalise_code(code))
    if for_update or _locking(s):
        query = query.with_for_update(key_share=True)
    workshop = s.exec(query).first()
    if workshop is None:
        raise NotFound(NO_WORKSHOP)
    return workshop


def facilitated(s: Session, code: object, key: object, *, for_update: bool = False) -> Workshop:
    """The workshop, if `key` is its facilitator key (in a write, its row locked first). Raises: NotFound,
    NotAllowed."""
    workshop = workshop_by_code(s, code, for_update=for_update)
    if not isinstance(key, str) or not hmac.compare_digest(digest(key), workshop.facilitator_key_hash):
        raise NotAllowed("This facilitator link is not valid for this workshop")
    return workshop


def participant_by_token(s: Session, token: object) -> tuple[Workshop, Participant]:
    """The participant whose rejoin token this is (the one a duplicate was merged into, for a duplicate's
    link), and their workshop; in a write, the workshop's row is locked before either is read.

    Raises: NotFound for an unknown link, NotAllowed for a participant the facilitator removed."""
    if not isinstance(token, str) or not token:
        raise NotFound(NO_LINK)
    token_hash = digest(token)
    if _locking(s):
        owner = select(Participant.workshop_id).where(Participant.token_hash == token_hash).scalar_subquery()
        s.exec(select(Workshop.id).where(Workshop.id == owner).with_for_update(key_share=True)).first()
    holder = s.exec(select(Participant).where(Participant.token_hash == token_hash)).first()
    if holder is None:
        raise NotFound(NO_LINK)
    participant = holder if holder.merged_into_id is None else s.get(Participant, holder.merged_into_id)
    if participant.removed:
        raise NotAllowed(REMOVED)
    return s.get(Workshop, participant.workshop_id), participant


_P, _W = Participant.__table__.c, Workshop.__table__.c
_HOLDER = Participant.__table__.alias("holder")
_BY_TOKEN = (_HOLDER.join(Participant.__table__, _P.id == func.coalesce(_HOLDER.c.merged_into_id, _HOLDER.c.id))
             .join(Workshop.__table__, _W.id == _P.workshop_id))
CALLER = (
    select(_P.id, _P.name, _P.removed, _W.id.label("workshop_id"), _W.phase, _W.locked, _W.anonymous,
           _W.items_per_person, _W.items_per_minute)
    .select_from(_BY_TOKEN).where(_HOLDER.c.token_hash == bindparam("token_hash"))
)
WHO = select(_P.id, _P.name, _P.removed, _W.join_code).select_from(_BY_TOKEN).where(
    _HOLDER.c.token_hash == bindparam("token_hash"))  # a participant page's every run: who this link is
_LOCK_BY_TOKEN = (
    select(_W.id)
    .where(_W.id == select(_P.workshop_id).where(_P.token_hash == bindparam("token_hash")).scalar_subquery())
    .with_for_update(key_share=True)
)
_BUMP = update(Workshop.__table__).where(_W.id == bindparam("workshop")).values(revision=_W.revision + 1)
_BUMP_ROOM = _BUMP.values(room_revision=_W.room_revision + 1)


def caller(conn: Connection, token: object, query=CALLER, *, lock: bool = True, **params) -> Row:
    """For a write: the participant (id, name) and what a write checks of their workshop (workshop_id, phase,
    locked, anonymous, items_per_person, items_per_minute), in one indexed query without loading objects: for
    the busiest writes, where building objects cost most of the time (bench/storm.py). `query` may be CALLER
    with more columns (and their `params`), or WHO for a read (`lock=False`). On PostgreSQL a write locks the
    workshop's row first, as `participant_by_token` does.

    Raises: NotFound, NotAllowed for a participant the facilitator removed."""
    if not isinstance(token, str) or not token:
        raise NotFound(NO_LINK)
    values = {"token_hash": digest(token)}
    if lock and conn.dialect.name != "sqlite":
        conn.execute(_LOCK_BY_TOKEN, values)
    row = conn.execute(query, {**values, **params}).first()
    if row is None:
        raise NotFound(NO_LINK)
    if row.removed:
        raise NotAllowed(REMOVED)
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
