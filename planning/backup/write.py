"""A checked backup written as a new workshop without stalling anyone else's.

The rows go in in short transactions of BATCH_ROWS, with a pause between them, so other workshops'
writes (which take turns with these on SQLite) wait a few milliseconds, not the whole restore. Until
the last, tiny transaction gives it a join code, the workshop has a code nobody can type (it starts
with PENDING, which `normalise_code` removes), so no one sees or joins it half written. A failure
deletes what was written, and a restore cut short by a crash is deleted by a later one: for the
people using the app, a restore is all or nothing.
"""

import secrets
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from datetime import timedelta

from sqlalchemy import bindparam, delete, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from planning.access import digest, new_code, new_secret
from planning.backup.dump import retarget
from planning.backup.read import Checked
from planning.backup.schema import BWorkshop
from planning.db import Database
from planning.errors import NotAllowed
from planning.followup import CHAIN_DROPPED
from planning.models import (
    Action,
    ActionDependency,
    Demand,
    DemandVote,
    Initiative,
    InitiativeArea,
    InitiativeDemand,
    InitiativeHistory,
    InitiativeVote,
    ModerationEvent,
    Participant,
    ProcessStep,
    Rating,
    SelfCheckRating,
    SelfCheckRun,
    Workshop,
)
from planning.workshops import CreatedWorkshop, view_of

BATCH_ROWS = 2_000  # 40 to 150 ms of SQLite's write lock each (bench/restore.py)
# Between batches on SQLite the lock is left free this long: threads of this process queue for it and go at
# once, but another process (a second server, the command line) retries only every 100 ms at most.
SQLITE_PAUSE_S = 0.1
PENDING = "~"
STALE = timedelta(hours=1)  # a pending workshop this old is left from a crash: no restore takes an hour
_RESTORING = threading.Lock()


@contextmanager
def one_at_a_time() -> Iterator[None]:
    """One restore at a time in this server process. Raises: NotAllowed while another runs."""
    if not _RESTORING.acquire(blocking=False):
        raise NotAllowed("Another backup is being restored on this server right now. Try again in a minute.")
    try:
        yield
    finally:
        _RESTORING.release()


def write_workshop(db: Database, b: Checked) -> CreatedWorkshop:
    """Write `b` as a new workshop with a new join code and facilitator key; returns them."""
    sweep(db)
    key = new_secret()
    with db.write() as s:
        w = Workshop(join_code=f"{PENDING}{int(time.time()):08x}{secrets.token_hex(4)[:7]}",
                     facilitator_key_hash=digest(key), **b.workshop.model_dump(exclude={"follows", "followed_by"}),
                     revision=1, room_revision=1)
        s.add(w)
        s.flush()
        workshop_id = w.id
    try:
        _fill(db, workshop_id, b)
        return _go_live(db, workshop_id, key, b.workshop)
    except BaseException:
        with suppress(Exception):  # what stays behind is swept by a later restore
            remove_pending(db, workshop_id)
        raise


def _batches(rows: Iterable[dict]) -> Iterator[list[dict]]:
    batch: list[dict] = []
    for row in rows:
        batch.append(row)
        if len(batch) == BATCH_ROWS:
            yield batch
            batch = []
    if batch:
        yield batch


def _insert(db: Database, model: type, rows: Iterable[dict], *, ids: bool = False) -> list[int]:
    """Insert rows, BATCH_ROWS to a transaction; their new ids in order when `ids`."""
    table, out = model.__table__, []
    statement = insert(table).returning(table.c.id, sort_by_parameter_order=True) if ids else insert(table)
    for batch in _batches(rows):
        with db.write_rows() as conn:
            result = conn.execute(statement, batch)
            out += result.scalars().all() if ids else []
        _pause(db)
    return out


def _merges(db: Database, model: type, rows: list, ids: dict[int, int]) -> None:
    table = model.__table__
    statement = update(table).where(table.c.id == bindparam("row")).values(merged_into_id=bindparam("into"))
    merged = [{"row": ids[r.id], "into": ids[r.merged_into]} for r in rows if r.merged_into is not None]
    for batch in _batches(merged):
        with db.write_rows() as conn:
            conn.execute(statement, batch)
        _pause(db)


def _pause(db: Database) -> None:
    """Let other writers in (on PostgreSQL they never waited: each batch locks only its own new rows)."""
    time.sleep(SQLITE_PAUSE_S if db.is_sqlite else 0)


def _people_and_items(db: Database, w: int, b: Checked) -> tuple[dict, dict, dict]:
    """Participants, demands and initiatives, merges included; each map: the backup's id -> the new row's id."""
    pid = dict(zip((p.id for p in b.participants), _insert(db, Participant, (
        {"workshop_id": w, "name": p.name, "joined_at": p.joined_at, "token_hash": digest(new_secret())}
        for p in b.participants), ids=True), strict=True))
    did = dict(zip((d.id for d in b.demands), _insert(db, Demand, (
        {"workshop_id": w, "participant_id": pid.get(d.author), "text": d.text, "area": d.area, "hidden": d.hidden,
         "merged_into_id": None, "created_at": d.created_at, "updated_at": d.updated_at,
         "carried_votes": d.carried_votes} for d in b.demands),
        ids=True), strict=True))
    iid = dict(zip((i.id for i in b.initiatives), _insert(db, Initiative, (
        {"workshop_id": w, "participant_id": pid.get(i.author), "title": i.title, "customer_value": i.customer_value,
         "company_value": i.company_value, "effort": i.effort, "answers_no_demand": i.answers_no_demand,
         "hidden": i.hidden, "chosen": i.chosen, "merged_into_id": None, "created_at": i.created_at,
         "updated_at": i.updated_at} for i in b.initiatives), ids=True), strict=True))
    _merges(db, Demand, b.demands, did)
    _merges(db, Initiative, b.initiatives, iid)
    return pid, did, iid


def _fill(db: Database, w: int, b: Checked) -> None:
    pid, did, iid = _people_and_items(db, w, b)
    _insert(db, InitiativeDemand, ({"initiative_id": iid[i.id], "demand_id": did[d]}
                                   for i in b.initiatives for d in i.demands))
    _insert(db, InitiativeArea, ({"initiative_id": iid[i.id], "area": a} for i in b.initiatives for a in i.areas))
    _insert(db, InitiativeHistory, ({"initiative_id": iid[i.id], **i.last_session.model_dump()}
                                    for i in b.initiatives if i.last_session is not None))
    _insert(db, DemandVote, ({"workshop_id": w, "participant_id": pid[p], "demand_id": did[d], "dots": n}
                             for p, d, n in b.demand_votes))
    _insert(db, InitiativeVote, ({"workshop_id": w, "participant_id": pid[p], "initiative_id": iid[i], "dots": n}
                                 for p, i, n in b.initiative_votes))
    _insert(db, Rating, ({"workshop_id": w, "participant_id": pid[p], "initiative_id": iid[i], "axis": axis,
                          "score": score, "updated_at": at}
                         for p, i, axis, score, at in map(b.ratings.row, range(len(b.ratings)))))
    _insert(db, ModerationEvent, (
        {"workshop_id": w, "action": m.action, "at": m.at, "detail": retarget(m.detail, did, iid) if m.detail
         else m.detail, "target": retarget(m.target, did, iid).replace("workshop", f"workshop:{w}")}
        for m in b.moderation if m.action != CHAIN_DROPPED))  # that was another restore's, on another server
    _selfcheck(db, w, b)
    _actions(db, w, b, iid)
    _insert(db, ProcessStep, ({"workshop_id": w, "initiative_id": iid[p.initiative], "position": p.position,
                               "actor": p.actor, "what": p.what, "information": p.information, "value": p.value}
                              for p in b.process_steps))


def _actions(db: Database, w: int, b: Checked, iid: dict[int, int]) -> None:
    ids = _insert(db, Action, ({"workshop_id": w, "initiative_id": iid[a.initiative], "what": a.what,
                                "owner": a.owner, "due": a.due, "status": a.status, "created_at": a.created_at,
                                "start": a.start, "milestone": a.milestone, "carried_status": a.carried_status,
                                "carried_due": a.carried_due, "review": a.review, "review_reason": a.review_reason}
                               for a in b.actions), ids=True)
    local = {a.id: new for a, new in zip(b.actions, ids, strict=True) if a.id is not None}
    _insert(db, ActionDependency, ({"action_id": local[a.id], "depends_on_id": local[d]}
                                   for a in b.actions for d in a.depends_on))


def _selfcheck(db: Database, w: int, b: Checked) -> None:
    """Runs, and each response under a fresh random respondent key: no token can derive it, no one is named."""
    runs = _insert(db, SelfCheckRun, ({"workshop_id": w, "number": r.number, "opened_at": r.opened_at,
                                       "closed_at": r.closed_at, "baseline": r.baseline} for r in b.selfcheck),
                   ids=True)
    _insert(db, SelfCheckRating, ({"run_id": run_id, "respondent": key, "area": area, "level": level}
                                  for run_id, r in zip(runs, b.selfcheck, strict=True) for response in r.responses
                                  for key in [secrets.token_hex(32)] for area, level in response.items()))


def _go_live(db: Database, workshop_id: int, key: str, settings: BWorkshop) -> CreatedWorkshop:
    """The workshop gets its join code, and its links to the sessions before and after it where they can hold."""
    for _attempt in range(5):
        try:
            with db.write() as s:
                w = s.get(Workshop, workshop_id)
                w.join_code = new_code()
                s.flush()
                dropped = _relink(s, w, settings.follows, settings.followed_by)
                return CreatedWorkshop(view_of(s, w), key, dropped)
        except IntegrityError:  # a join code collision: astronomically rare, so just draw again
            continue
    raise RuntimeError("Could not draw a free join code")


def _by_code(s: Session, code: str) -> Workshop | None:
    return s.scalars(select(Workshop).where(Workshop.join_code == code).with_for_update()).first()


def _link_before(s: Session, w: Workshop, code: str) -> str | None:
    """`w` follows the session `code` when it is here and has no follow-up yet; else why not."""
    before = _by_code(s, code)
    if before is None:
        return f"It followed session {code}, which is not on this server."
    if s.scalars(select(Workshop.id).where(Workshop.predecessor_id == before.id)).first() is not None:
        return f"It followed session {code}, which already has a follow-up on this server."
    w.predecessor_id = before.id
    return None


def _link_after(s: Session, w: Workshop, code: str) -> str | None:
    """The session `code` follows `w` when it is here and follows no other session; else why not."""
    after = _by_code(s, code)
    if after is None:
        return f"Session {code} followed it, but is not on this server."
    if after.predecessor_id is not None:
        return f"Session {code} followed it, but follows another session here."
    after.predecessor_id = w.id
    return None


def _relink(s: Session, w: Workshop, follows: str | None, followed_by: str | None) -> str | None:
    """Link the restored workshop to the sessions the backup names, where they can hold (one follow-up each);
    what cannot be linked is recorded, and returned, in our words (the codes were checked to be codes)."""
    left = [x for x in (follows and _link_before(s, w, follows), followed_by and _link_after(s, w, followed_by)) if x]
    if not left:
        return None
    message = "The restore left out links to other sessions. " + " ".join(left)
    s.add(ModerationEvent(workshop_id=w.id, action=CHAIN_DROPPED, target=f"workshop:{w.id}", detail=message))
    return message


def sweep(db: Database, older_than: timedelta = STALE) -> None:
    """Delete workshops left pending by a restore that a crash cut short (their code holds when it began)."""
    with db.read() as s:
        pending = s.execute(select(Workshop.id, Workshop.join_code)
                            .where(Workshop.join_code.startswith(PENDING, autoescape=True))).all()
    for workshop_id, code in pending:
        with suppress(ValueError):
            if time.time() - int(code[1:9], 16) > older_than.total_seconds():
                remove_pending(db, workshop_id)


def remove_pending(db: Database, workshop_id: int) -> None:
    """Delete a workshop that is still pending and all its rows, in short transactions. A live one stays."""
    with db.read() as s:
        code = s.execute(select(Workshop.join_code).where(Workshop.id == workshop_id)).scalar()
    if not (code or "").startswith(PENDING):
        return
    actions = select(Action.id).where(Action.workshop_id == workshop_id)
    with db.write_rows() as conn:
        conn.execute(delete(ActionDependency).where(ActionDependency.action_id.in_(actions)))
    for model in (Rating, DemandVote, InitiativeVote, ModerationEvent, Action, ProcessStep):
        while True:
            with db.write_rows() as conn:
                ids = select(model.id).where(model.workshop_id == workshop_id).limit(BATCH_ROWS)
                if conn.execute(delete(model).where(model.id.in_(ids))).rowcount == 0:
                    break
            _pause(db)
    runs = select(SelfCheckRun.id).where(SelfCheckRun.workshop_id == workshop_id)
    items = select(Initiative.id).where(Initiative.workshop_id == workshop_id)
    with db.write_rows() as conn:
        conn.execute(delete(SelfCheckRating).where(SelfCheckRating.run_id.in_(runs)))
        conn.execute(delete(SelfCheckRun).where(SelfCheckRun.workshop_id == workshop_id))
        conn.execute(delete(InitiativeDemand).where(InitiativeDemand.initiative_id.in_(items)))
        conn.execute(delete(InitiativeHistory).where(InitiativeHistory.initiative_id.in_(items)))
        conn.execute(delete(InitiativeArea).where(InitiativeArea.initiative_id.in_(items)))
        for model in (Demand, Initiative):
            conn.execute(update(model).where(model.workshop_id == workshop_id).values(merged_into_id=None))
            conn.execute(delete(model).where(model.workshop_id == workshop_id))
        conn.execute(delete(Participant).where(Participant.workshop_id == workshop_id))
        conn.execute(delete(Workshop).where(Workshop.id == workshop_id))
