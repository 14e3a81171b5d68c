"""The JSON backup: everything about one workshop, versioned, and its restore as a new workshop.

Ids inside a backup are the workshop's own (1, 2, 3... in creation order), so export, import and
export again give the same document apart from the export timestamp.
"""

import json
import re
from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError
from sqlmodel import Session, select

from planning.access import digest, new_secret
from planning.errors import InvalidInput
from planning.models import (
    Action,
    ActionDependency,
    ActionStatus,
    Area,
    Axis,
    Demand,
    DemandVote,
    Effort,
    Initiative,
    InitiativeArea,
    InitiativeDemand,
    InitiativeVote,
    Level,
    ModerationEvent,
    Participant,
    Phase,
    ProcessStep,
    Rating,
    SelfCheckRating,
    SelfCheckRun,
    StepValue,
    Workshop,
)
from planning.text import clean_text

FORMAT, SCHEMA_VERSION = "hyperplan-backup", 3  # 2: chosen initiatives, self-check; 3: actions, process maps
READABLE_VERSIONS = (1, 2, 3)
MAX_BACKUP_BYTES = 50 * 1024 * 1024  # the 200-person benchmark workshop is 14 MB
MAX_ROWS = 500_000


def _text(limit: int, *, empty: bool = False):
    def check(value: str) -> str:
        if empty and value == "":
            return value
        if clean_text(value, what="A text in the backup", max_length=limit) != value:
            raise ValueError("text is not trimmed")
        return value

    return Annotated[str, AfterValidator(check)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=False)


Id = Annotated[int, Field(ge=1)]


class BWorkshop(_Strict):
    title: _text(120)
    company: _text(120)
    segment: _text(300)
    phase: Phase
    anonymous: bool
    private_until_reveal: bool
    revealed: bool
    results_revealed: bool
    vote_budget: Annotated[int, Field(ge=1, le=50)]
    vote_cap: Annotated[int, Field(ge=1, le=50)]
    locked: bool
    created_at: datetime


class BParticipant(_Strict):
    id: Id
    name: _text(40)
    joined_at: datetime


class BDemand(_Strict):
    id: Id
    author: Id | None
    text: _text(500)
    area: Area | None
    hidden: bool
    merged_into: Id | None
    created_at: datetime
    updated_at: datetime


class BInitiative(_Strict):
    id: Id
    author: Id | None
    title: _text(120)
    customer_value: _text(500, empty=True)
    company_value: _text(500, empty=True)
    effort: Effort | None
    answers_no_demand: bool
    hidden: bool
    chosen: bool = False
    merged_into: Id | None
    demands: list[Id]
    areas: list[Area]
    created_at: datetime
    updated_at: datetime


class BDemandVote(_Strict):
    participant: Id
    demand: Id
    dots: Annotated[int, Field(ge=1, le=50)]


class BInitiativeVote(_Strict):
    participant: Id
    initiative: Id
    dots: Annotated[int, Field(ge=1, le=50)]


class BRating(_Strict):
    participant: Id
    initiative: Id
    axis: Axis
    score: Annotated[int, Field(ge=0, le=10)]
    updated_at: datetime


class BSelfCheckRating(_Strict):
    participant: Id
    area: Area
    level: Level
    updated_at: datetime


class BSelfCheckRun(_Strict):
    number: Id
    opened_at: datetime
    closed_at: datetime | None
    ratings: Annotated[list[BSelfCheckRating], Field(max_length=MAX_ROWS)]


class BAction(_Strict):
    initiative: Id
    what: _text(300)
    owner: _text(80)
    due: date
    status: ActionStatus
    created_at: datetime
    id: Id | None = None  # the workshop's own action ids, for dependencies (optional: older backups lack them)
    start: date | None = None
    milestone: bool = False
    depends_on: list[Id] = []


class BProcessStep(_Strict):
    initiative: Id
    position: Annotated[int, Field(ge=1)]
    actor: _text(80)
    what: _text(300)
    information: _text(300, empty=True)
    value: StepValue


class BModeration(_Strict):
    action: _text(32)
    target: _text(64)
    detail: _text(1000, empty=True) | None
    at: datetime


class Backup(_Strict):
    format: Literal["hyperplan-backup"]
    schema_version: Literal[1, 2, 3]
    exported_at: datetime
    workshop: BWorkshop
    participants: Annotated[list[BParticipant], Field(max_length=MAX_ROWS)]
    demands: Annotated[list[BDemand], Field(max_length=MAX_ROWS)]
    demand_votes: Annotated[list[BDemandVote], Field(max_length=MAX_ROWS)]
    initiatives: Annotated[list[BInitiative], Field(max_length=MAX_ROWS)]
    ratings: Annotated[list[BRating], Field(max_length=MAX_ROWS)]
    initiative_votes: Annotated[list[BInitiativeVote], Field(max_length=MAX_ROWS)]
    moderation: Annotated[list[BModeration], Field(max_length=MAX_ROWS)]
    selfcheck: Annotated[list[BSelfCheckRun], Field(max_length=100)] = []
    actions: Annotated[list[BAction], Field(max_length=MAX_ROWS)] = []
    process_steps: Annotated[list[BProcessStep], Field(max_length=MAX_ROWS)] = []


def _local(rows) -> dict[int, int]:
    """Database id -> the workshop's own id (1, 2, 3... in creation order)."""
    return {row_id: n for n, row_id in enumerate(sorted(rows), start=1)}


def backup_of(s: Session, w: Workshop, exported_at: datetime) -> Backup:
    """The whole workshop as a Backup (used by the JSON backup and by the data exports)."""
    people = s.exec(select(Participant).where(Participant.workshop_id == w.id).order_by(Participant.id)).all()
    demands = s.exec(select(Demand).where(Demand.workshop_id == w.id).order_by(Demand.id)).all()
    items = s.exec(select(Initiative).where(Initiative.workshop_id == w.id).order_by(Initiative.id)).all()
    pid, did, iid = _local(p.id for p in people), _local(d.id for d in demands), _local(i.id for i in items)
    links = s.exec(select(InitiativeDemand).where(InitiativeDemand.initiative_id.in_(iid))).all()
    tags = s.exec(select(InitiativeArea).where(InitiativeArea.initiative_id.in_(iid))).all()
    return Backup(
        format=FORMAT, schema_version=SCHEMA_VERSION, exported_at=exported_at,
        workshop=BWorkshop.model_validate(w, from_attributes=True),
        participants=[BParticipant(id=pid[p.id], name=p.name, joined_at=p.joined_at) for p in people],
        demands=[BDemand(id=did[d.id], author=pid.get(d.participant_id), text=d.text, area=d.area, hidden=d.hidden,
                         merged_into=did.get(d.merged_into_id), created_at=d.created_at, updated_at=d.updated_at)
                 for d in demands],
        demand_votes=sorted((BDemandVote.model_construct(participant=pid[p], demand=did[d], dots=n)
                             for p, d, n in s.exec(select(DemandVote.participant_id, DemandVote.demand_id,
                                                          DemandVote.dots).where(DemandVote.workshop_id == w.id))),
                            key=lambda v: (v.demand, v.participant)),
        initiatives=[BInitiative(
            id=iid[i.id], author=pid.get(i.participant_id), title=i.title, customer_value=i.customer_value,
            company_value=i.company_value, effort=i.effort, answers_no_demand=i.answers_no_demand, hidden=i.hidden,
            chosen=i.chosen, merged_into=iid.get(i.merged_into_id), created_at=i.created_at, updated_at=i.updated_at,
            demands=sorted(did[link.demand_id] for link in links if link.initiative_id == i.id),
            areas=sorted(Area(t.area) for t in tags if t.initiative_id == i.id),
        ) for i in items],
        ratings=[BRating.model_construct(participant=pid[p], initiative=iid[i], axis=Axis(a), score=v, updated_at=at)
                 for i, p, a, v, at in s.exec(
                     select(Rating.initiative_id, Rating.participant_id, Rating.axis, Rating.score, Rating.updated_at)
                     .where(Rating.workshop_id == w.id)
                     .order_by(Rating.initiative_id, Rating.participant_id, Rating.axis))],
        initiative_votes=sorted((BInitiativeVote.model_construct(participant=pid[p], initiative=iid[i], dots=n)
                                 for p, i, n in s.exec(select(InitiativeVote.participant_id,
                                                              InitiativeVote.initiative_id, InitiativeVote.dots)
                                                       .where(InitiativeVote.workshop_id == w.id))),
                                key=lambda v: (v.initiative, v.participant)),
        selfcheck=[BSelfCheckRun(number=r.number, opened_at=r.opened_at, closed_at=r.closed_at, ratings=[
            BSelfCheckRating(participant=pid[x.participant_id], area=x.area, level=x.level, updated_at=x.updated_at)
            for x in s.exec(select(SelfCheckRating).where(SelfCheckRating.run_id == r.id)
                            .order_by(SelfCheckRating.participant_id, SelfCheckRating.area))
        ]) for r in s.exec(select(SelfCheckRun).where(SelfCheckRun.workshop_id == w.id).order_by(SelfCheckRun.number))],
        actions=_actions_out(s, w, iid),
        process_steps=[BProcessStep(initiative=iid[p.initiative_id], position=p.position, actor=p.actor, what=p.what,
                                    information=p.information, value=p.value)
                       for p in s.exec(select(ProcessStep).where(ProcessStep.workshop_id == w.id)
                                       .order_by(ProcessStep.initiative_id, ProcessStep.position))],
        moderation=[BModeration(action=m.action, target=_retarget(m.target, did, iid),
                                detail=_retarget(m.detail, did, iid) if m.detail else m.detail, at=m.at)
                    for m in s.exec(select(ModerationEvent).where(ModerationEvent.workshop_id == w.id)
                                    .order_by(ModerationEvent.id))],
    )


def _retarget(text: str, demands: dict[int, int], initiatives: dict[int, int]) -> str:
    """Rewrite 'demand:12' / 'initiative:3' references through an id map; 'workshop:N' loses its number."""
    maps = {"demand": demands, "initiative": initiatives}

    def swap(m: re.Match) -> str:
        kind, number = m.group(1), int(m.group(2))
        if kind == "workshop":
            return "workshop"
        return f"{kind}:{maps[kind].get(number, 0)}"

    return re.sub(r"\b(demand|initiative|workshop):(\d+)", swap, text)


def to_json(backup: Backup) -> bytes:
    return backup.model_dump_json().encode()


def parse(data: bytes) -> Backup:
    """A checked Backup from uploaded bytes. Raises: InvalidInput (too big, not JSON, wrong version, bad rows)."""
    if len(data) > MAX_BACKUP_BYTES:
        raise InvalidInput(f"A backup can be at most {MAX_BACKUP_BYTES // (1024 * 1024)} MB")
    try:
        raw = json.loads(data)
    except (UnicodeDecodeError, ValueError):
        raise InvalidInput("This file is not a Hyperplan backup (it is not complete JSON)") from None
    if not isinstance(raw, dict) or raw.get("format") != FORMAT:
        raise InvalidInput("This file is not a Hyperplan backup")
    if raw.get("schema_version") not in READABLE_VERSIONS:
        raise InvalidInput(f"This backup has schema version {raw.get('schema_version')!r:.20}; "
                           f"this Hyperplan reads versions {', '.join(map(str, READABLE_VERSIONS))}")
    try:
        backup = Backup.model_validate(raw)
    except ValidationError as error:
        where = ".".join(str(part) for part in error.errors()[0]["loc"][:3])
        raise InvalidInput(f"This backup is damaged or altered (first problem at {where})") from None
    _check_references(backup)
    return backup


def _check_references(b: Backup) -> None:
    people, demands, items = ({r.id for r in rows} for rows in (b.participants, b.demands, b.initiatives))
    if len(people) != len(b.participants) or len(demands) != len(b.demands) or len(items) != len(b.initiatives):
        raise InvalidInput("This backup is damaged or altered (an id appears twice)")
    refs = [
        *((d.author, people) for d in b.demands), *((i.author, people) for i in b.initiatives),
        *((d.merged_into, demands) for d in b.demands), *((i.merged_into, items) for i in b.initiatives),
        *((d, demands) for i in b.initiatives for d in i.demands),
        *((v.participant, people) for v in (*b.demand_votes, *b.initiative_votes, *b.ratings)),
        *((v.demand, demands) for v in b.demand_votes),
        *((v.initiative, items) for v in (*b.initiative_votes, *b.ratings)),
    ]
    refs += [(x.participant, people) for run in b.selfcheck for x in run.ratings]
    refs += [(x.initiative, items) for x in (*b.actions, *b.process_steps)]
    refs += _action_refs(b.actions)
    if any(ref is not None and ref not in known for ref, known in refs):
        raise InvalidInput("This backup is damaged or altered (a row points at nothing)")
    pairs = [(v.participant, v.demand) for v in b.demand_votes], [(v.participant, v.initiative)
                                                                   for v in b.initiative_votes]
    scores = [(r.participant, r.initiative, r.axis) for r in b.ratings]
    levels = [(run.number, x.participant, x.area) for run in b.selfcheck for x in run.ratings]
    runs = [run.number for run in b.selfcheck]
    if any(len(set(rows)) != len(rows) for rows in (*pairs, scores, levels, runs)):
        raise InvalidInput("This backup is damaged or altered (a vote or rating appears twice)")


def restore_into(s: Session, b: Backup, code: str, key: str) -> Workshop:
    """Write a checked backup as a new workshop with this code and key (inside the caller's transaction)."""
    w = Workshop(join_code=code, facilitator_key_hash=digest(key), **b.workshop.model_dump(), revision=1)
    s.add(w)
    s.flush()
    pid = _add(s, {p.id: Participant(workshop_id=w.id, name=p.name, joined_at=p.joined_at,
                                     token_hash=digest(new_secret())) for p in b.participants})
    did = _add(s, {d.id: Demand(workshop_id=w.id, participant_id=pid.get(d.author), text=d.text, area=d.area,
                                hidden=d.hidden, created_at=d.created_at, updated_at=d.updated_at)
                   for d in b.demands})
    iid = _add(s, {i.id: Initiative(workshop_id=w.id, participant_id=pid.get(i.author), title=i.title,
                                    customer_value=i.customer_value, company_value=i.company_value, effort=i.effort,
                                    answers_no_demand=i.answers_no_demand, hidden=i.hidden, chosen=i.chosen,
                                    created_at=i.created_at, updated_at=i.updated_at) for i in b.initiatives})
    for rows, ids, model in ((b.demands, did, Demand), (b.initiatives, iid, Initiative)):
        for row in rows:
            if row.merged_into:
                s.get(model, ids[row.id]).merged_into_id = ids[row.merged_into]
    s.add_all(InitiativeDemand(initiative_id=iid[i.id], demand_id=did[d]) for i in b.initiatives for d in i.demands)
    s.add_all(InitiativeArea(initiative_id=iid[i.id], area=a) for i in b.initiatives for a in i.areas)
    s.add_all(DemandVote(workshop_id=w.id, participant_id=pid[v.participant], demand_id=did[v.demand], dots=v.dots)
              for v in b.demand_votes)
    s.add_all(InitiativeVote(workshop_id=w.id, participant_id=pid[v.participant], initiative_id=iid[v.initiative],
                             dots=v.dots) for v in b.initiative_votes)
    s.add_all(Rating(workshop_id=w.id, participant_id=pid[r.participant], initiative_id=iid[r.initiative],
                     axis=r.axis, score=r.score, updated_at=r.updated_at) for r in b.ratings)
    s.add_all(ModerationEvent(workshop_id=w.id, action=m.action, at=m.at,
                              target=_retarget(m.target, did, iid).replace("workshop", f"workshop:{w.id}"),
                              detail=_retarget(m.detail, did, iid) if m.detail else m.detail) for m in b.moderation)
    for run in b.selfcheck:
        row = SelfCheckRun(workshop_id=w.id, number=run.number, opened_at=run.opened_at, closed_at=run.closed_at)
        s.add(row)
        s.flush()
        s.add_all(SelfCheckRating(run_id=row.id, participant_id=pid[x.participant], area=x.area, level=x.level,
                                  updated_at=x.updated_at) for x in run.ratings)
    _actions_in(s, w, b.actions, iid)
    s.add_all(ProcessStep(workshop_id=w.id, initiative_id=iid[p.initiative], position=p.position, actor=p.actor,
                          what=p.what, information=p.information, value=p.value) for p in b.process_steps)
    return w


def _add(s: Session, rows: dict[int, object]) -> dict[int, int]:
    s.add_all(rows.values())
    s.flush()
    return {local: row.id for local, row in rows.items()}


def _actions_out(s: Session, w: Workshop, iid: dict[int, int]) -> list[BAction]:
    """The plan's actions with the workshop's own ids, their dates and what each waits for."""
    rows = s.exec(select(Action).where(Action.workshop_id == w.id).order_by(Action.id)).all()
    aid = _local(a.id for a in rows)
    links = s.exec(select(ActionDependency).where(ActionDependency.action_id.in_(aid))).all()
    return [BAction(id=aid[a.id], initiative=iid[a.initiative_id], what=a.what, owner=a.owner, due=a.due,
                    status=a.status, created_at=a.created_at, start=a.start, milestone=a.milestone,
                    depends_on=sorted(aid[x.depends_on_id] for x in links if x.action_id == a.id)) for a in rows]


def _action_refs(actions: list[BAction]) -> list[tuple[int | None, set]]:
    """Dependencies point at actions of the backup (which then carry unique ids), never at themselves."""
    ids = [a.id for a in actions if a.id is not None]
    if len(set(ids)) != len(ids) or any(a.depends_on and a.id is None for a in actions):
        raise InvalidInput("This backup is damaged or altered (an id appears twice)")
    if any(a.id in a.depends_on for a in actions):
        raise InvalidInput("This backup is damaged or altered (a row points at nothing)")
    return [(d, set(ids)) for a in actions for d in a.depends_on]


def _actions_in(s: Session, w: Workshop, actions: list[BAction], iid: dict[int, int]) -> None:
    rows = {n: Action(workshop_id=w.id, initiative_id=iid[a.initiative], what=a.what, owner=a.owner, due=a.due,
                      status=a.status, created_at=a.created_at, start=a.start, milestone=a.milestone)
            for n, a in enumerate(actions)}
    ids = _add(s, rows)
    local = {a.id: ids[n] for n, a in enumerate(actions) if a.id is not None}
    s.add_all(ActionDependency(action_id=local[a.id], depends_on_id=local[d]) for a in actions for d in a.depends_on)
