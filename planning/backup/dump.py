"""A workshop as a Backup: everything, with the workshop's own ids (1, 2, 3... in creation order).
Export, import and export again give the same document apart from the export timestamp. An anonymous
workshop's backup names no one ("Participant 3"), so no file the app writes ties a pseudonym to a name;
self-check answers are never tied to anyone, in any workshop.
"""

import re
from collections import defaultdict
from datetime import datetime

from sqlmodel import Session, select

from planning.backup.schema import (
    FORMAT,
    SCHEMA_VERSION,
    Backup,
    BAction,
    BDemand,
    BDemandVote,
    BInitiative,
    BInitiativeVote,
    BLastSession,
    BModeration,
    BParticipant,
    BProcessStep,
    BRating,
    BSelfCheckRun,
    BWorkshop,
)
from planning.followup import CHAIN_DROPPED, chain_of
from planning.models import (
    Action,
    ActionDependency,
    Area,
    Axis,
    Demand,
    DemandVote,
    Initiative,
    InitiativeArea,
    InitiativeDemand,
    InitiativeHistory,
    InitiativeVote,
    Level,
    ModerationEvent,
    Participant,
    ProcessStep,
    Rating,
    SelfCheckRating,
    SelfCheckRun,
    Workshop,
)


def _local(rows) -> dict[int, int]:
    """Database id -> the workshop's own id (1, 2, 3... in creation order)."""
    return {row_id: n for n, row_id in enumerate(sorted(rows), start=1)}


def pseudonym(local_id: int) -> str:
    return f"Participant {local_id}"


def responses(rows) -> list[dict[Area, Level]]:
    """(respondent, area, level) rows as one dict per respondent, sorted by what they say: nothing else."""
    by_respondent: dict[str, dict[Area, Level]] = {}
    for respondent, area, level in rows:
        by_respondent.setdefault(respondent, {})[Area(area)] = Level(level)
    answers = [{a: r[a] for a in Area if a in r} for r in by_respondent.values()]
    return sorted(answers, key=lambda r: sorted((a.value, lv.value) for a, lv in r.items()))


def _selfcheck(s: Session, w: Workshop) -> list[BSelfCheckRun]:
    runs = s.exec(select(SelfCheckRun).where(SelfCheckRun.workshop_id == w.id).order_by(SelfCheckRun.number))
    return [BSelfCheckRun(number=r.number, opened_at=r.opened_at, closed_at=r.closed_at, responses=responses(
        s.exec(select(SelfCheckRating.respondent, SelfCheckRating.area, SelfCheckRating.level)
               .where(SelfCheckRating.run_id == r.id))), baseline=r.baseline) for r in runs]


def _votes(s: Session, w: Workshop, vote: type, row: type, pid: dict, ids: dict) -> list:
    item = vote.demand_id if vote is DemandVote else vote.initiative_id
    kind = "demand" if vote is DemandVote else "initiative"
    rows = s.exec(select(vote.participant_id, item, vote.dots).where(vote.workshop_id == w.id))
    return sorted((row.model_construct(participant=pid[p], dots=n, **{kind: ids[i]}) for p, i, n in rows),
                  key=lambda v: (getattr(v, kind), v.participant))


RATING_COLUMNS = list(BRating.model_fields)  # participant, initiative, axis, score, updated_at


def backup_of(s: Session, w: Workshop, exported_at: datetime) -> Backup:
    """The whole workshop as a Backup (the JSON backup)."""
    backup, ratings = _backup(s, w, exported_at)
    return backup.model_copy(update={"ratings": [BRating.model_construct(**dict(zip(RATING_COLUMNS, r, strict=True)))
                                                 for r in ratings]})


def data_of(s: Session, w: Workshop, exported_at: datetime) -> tuple[Backup, list[tuple]]:
    """The workshop for the data exports: a Backup without its ratings, and the ratings as rows in
    RATING_COLUMNS' order (160,000 ratings as model objects took 2 of the XLSX export's 3.9 s)."""
    return _backup(s, w, exported_at)


def _rating_rows(s: Session, w: Workshop, pid: dict, iid: dict) -> list[tuple]:
    """Every rating as (participant, initiative, axis, score, updated_at) under the file's own ids, in order."""
    axes = {axis.value: axis for axis in Axis}
    rows = s.connection().execute(  # Core, not the ORM: plain rows, no loading machinery per row
        select(Rating.initiative_id, Rating.participant_id, Rating.axis, Rating.score, Rating.updated_at)
        .where(Rating.workshop_id == w.id).order_by(Rating.initiative_id, Rating.participant_id, Rating.axis))
    return [(pid[p], iid[i], axes[a], v, at) for i, p, a, v, at in rows]


def _backup(s: Session, w: Workshop, exported_at: datetime) -> tuple[Backup, list[tuple]]:
    people = s.exec(select(Participant).where(Participant.workshop_id == w.id).order_by(Participant.id)).all()
    demands = s.exec(select(Demand).where(Demand.workshop_id == w.id).order_by(Demand.id)).all()
    items = s.exec(select(Initiative).where(Initiative.workshop_id == w.id).order_by(Initiative.id)).all()
    pid, did, iid = _local(p.id for p in people), _local(d.id for d in demands), _local(i.id for i in items)
    links = s.exec(select(InitiativeDemand).where(InitiativeDemand.initiative_id.in_(iid))).all()
    tags = s.exec(select(InitiativeArea).where(InitiativeArea.initiative_id.in_(iid))).all()
    history = {h.initiative_id: BLastSession.model_validate(h, from_attributes=True) for h in s.exec(
        select(InitiativeHistory).where(InitiativeHistory.initiative_id.in_(iid)))}
    answers, areas = defaultdict(list), defaultdict(list)  # per initiative (scanning every link per item was O(n²))
    for link in links:
        answers[link.initiative_id].append(did[link.demand_id])
    for tag in tags:
        areas[tag.initiative_id].append(Area(tag.area))
    backup = Backup(
        format=FORMAT, schema_version=SCHEMA_VERSION, exported_at=exported_at, workshop=_workshop(s, w),
        participants=[BParticipant(id=pid[p.id], name=pseudonym(pid[p.id]) if w.anonymous else p.name,
                                   joined_at=p.joined_at) for p in people],
        demands=[BDemand(id=did[d.id], author=pid.get(d.participant_id), text=d.text, area=d.area, hidden=d.hidden,
                         merged_into=did.get(d.merged_into_id), created_at=d.created_at, updated_at=d.updated_at,
                         carried_votes=d.carried_votes) for d in demands],
        demand_votes=_votes(s, w, DemandVote, BDemandVote, pid, did),
        initiatives=[BInitiative(
            id=iid[i.id], author=pid.get(i.participant_id), title=i.title, customer_value=i.customer_value,
            company_value=i.company_value, effort=i.effort, answers_no_demand=i.answers_no_demand, hidden=i.hidden,
            chosen=i.chosen, merged_into=iid.get(i.merged_into_id), created_at=i.created_at, updated_at=i.updated_at,
            demands=sorted(answers[i.id]), areas=sorted(areas[i.id]), last_session=history.get(i.id),
        ) for i in items],
        ratings=[],
        initiative_votes=_votes(s, w, InitiativeVote, BInitiativeVote, pid, iid),
        selfcheck=_selfcheck(s, w),
        actions=_actions(s, w, iid),
        process_steps=[BProcessStep(initiative=iid[p.initiative_id], position=p.position, actor=p.actor, what=p.what,
                                    information=p.information, value=p.value)
                       for p in s.exec(select(ProcessStep).where(ProcessStep.workshop_id == w.id)
                                       .order_by(ProcessStep.initiative_id, ProcessStep.position))],
        moderation=[BModeration(action=m.action, target=retarget(m.target, did, iid),
                                detail=retarget(m.detail, did, iid) if m.detail else m.detail, at=m.at)
                    for m in s.exec(select(ModerationEvent).where(ModerationEvent.workshop_id == w.id,
                                                                  ModerationEvent.action != CHAIN_DROPPED)
                                    .order_by(ModerationEvent.id))],
    )
    return backup, _rating_rows(s, w, pid, iid)


def _workshop(s: Session, w: Workshop) -> BWorkshop:
    """The settings, and the sessions before and after it by join code (a restore on another server may find
    them; what this server's restore left out of the chain stays here, not in the file)."""
    chain = chain_of(s, w)
    return BWorkshop.model_validate(w, from_attributes=True).model_copy(update={
        "follows": chain.follows.code if chain.follows else None,
        "followed_by": chain.followed_by.code if chain.followed_by else None})


def retarget(text: str, demands: dict[int, int], initiatives: dict[int, int]) -> str:
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


def _actions(s: Session, w: Workshop, iid: dict[int, int]) -> list[BAction]:
    """The plan's actions with the workshop's own ids, their dates and what each waits for."""
    rows = s.exec(select(Action).where(Action.workshop_id == w.id).order_by(Action.id)).all()
    aid = {a.id: n for n, a in enumerate(rows, start=1)}
    links = s.exec(select(ActionDependency).where(ActionDependency.action_id.in_(aid))).all()
    return [BAction(id=aid[a.id], initiative=iid[a.initiative_id], what=a.what, owner=a.owner, due=a.due,
                    status=a.status, created_at=a.created_at, start=a.start, milestone=a.milestone,
                    depends_on=sorted(aid[x.depends_on_id] for x in links if x.action_id == a.id),
                    carried_status=a.carried_status, carried_due=a.carried_due, review=a.review,
                    review_reason=a.review_reason) for a in rows]
