"""Follow-up sessions: the method does not end when the room empties. From a workshop that reached the Plan phase
the facilitator starts a new session (new code, new room) that carries its purpose, demands, chosen initiatives,
plan and self-check as history, so the room reviews what it promised and sees what moved; and the chain of
sessions, earlier and later."""

import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from planning.access import digest, facilitated, new_code, new_secret, record, workshop_by_code
from planning.analytics import Quadrant, dashboard_of, quadrant
from planning.db import Database
from planning.demands import roots as demand_roots
from planning.demands import views_in as demand_views
from planning.errors import NotAllowed
from planning.initiatives import views_in as initiative_views
from planning.models import (
    Action,
    ActionDependency,
    Demand,
    Initiative,
    InitiativeArea,
    InitiativeDemand,
    InitiativeHistory,
    ModerationEvent,
    Phase,
    ProcessStep,
    Review,
    SelfCheckRating,
    SelfCheckRun,
    Workshop,
    utcnow,
)
from planning.moderation import roots
from planning.text import clean_text
from planning.workshops import CreatedWorkshop, view_of

SETTINGS = ("company", "segment", "anonymous", "private_until_reveal", "vote_budget", "vote_cap", "items_per_person",
            "items_per_minute")
CHAIN_DROPPED = "restore_chain"  # the moderation record of what a restore left out of the chain
MAX_CHAIN = 1000  # sessions followed, either way: a bound on the walk, far past any real series


@dataclass(frozen=True)
class SessionLink:
    """Another session of the chain, as the console names it."""

    code: str
    title: str
    created_at: datetime


@dataclass(frozen=True)
class Chain:
    earlier: tuple[SessionLink, ...] = ()  # oldest first: the last is the session this one follows
    later: tuple[SessionLink, ...] = ()  # this one's follow-up first, then its follow-up...
    dropped: str | None = None  # what a restore had to leave out of the chain

    @property
    def follows(self) -> SessionLink | None:
        return self.earlier[-1] if self.earlier else None

    @property
    def followed_by(self) -> SessionLink | None:
        return self.later[0] if self.later else None


@dataclass(frozen=True)
class LastSession:
    """How the room rated and voted a carried initiative in the last session."""

    votes: int
    customer_median: float | None
    customer_spread: float | None
    customer_n: int
    company_median: float | None
    company_spread: float | None
    company_n: int

    @property
    def quadrant(self) -> Quadrant | None:
        return quadrant(self.customer_median, self.company_median)


def start_followup(db: Database, code: str, key: str, *, title: str | None = None) -> CreatedWorkshop:
    """A new workshop in the Lobby (new code and facilitator key) that follows this one, in one transaction: the
    purpose, segment and settings; the demands on the board, their votes kept as history; the initiatives in the
    plan with their demands, areas, effort and ratings as history; the plan's actions (owner, dates, milestones,
    dependencies, status; not those the room dropped) and process steps; every answered self-check run as a
    baseline, each respondent's answers under a fresh random key. Participants do not carry: a new room joins.

    One follow-up per workshop: the chain stays a line, so "since the last session" means one session, and a
    second press of the button (or a second tab) cannot split the room's history across two follow-ups.
    The workshop followed may be locked (it only is read, and its console told of the follow-up).

    Raises: NotAllowed (not the facilitator, before the Plan phase, a follow-up exists), InvalidInput (title).
    """
    fields = {"title": clean_text(title, what="The title", max_length=120)} if title is not None else {}
    key_new = new_secret()
    for _attempt in range(5):
        try:
            with db.write() as s:
                old = facilitated(s, code, key, for_update=True)
                _require_followable(s, old)
                new = Workshop(join_code=new_code(), facilitator_key_hash=digest(key_new), predecessor_id=old.id,
                               title=fields.get("title", old.title), **{f: getattr(old, f) for f in SETTINGS})
                s.add(new)
                s.flush()
                _carry(s, old, new)
                old.revision += 1  # its console names the follow-up
                record(s, old, "followup", f"workshop:{old.id}", new.join_code)
                s.flush()
                return CreatedWorkshop(view_of(s, new), key_new)
        except IntegrityError:  # a join code collision (astronomically rare): draw again
            continue
    raise RuntimeError("Could not draw a free join code")


def _require_followable(s: Session, old: Workshop) -> None:
    """Raises: NotAllowed before the Plan phase, and when the workshop has a follow-up already."""
    if old.phase not in (Phase.PLAN, Phase.CLOSED):
        raise NotAllowed("A follow-up starts from a workshop that has reached the Plan phase: move the room to "
                         "Plan first")
    existing = s.exec(select(Workshop.join_code).where(Workshop.predecessor_id == old.id)).first()
    if existing is not None:
        raise NotAllowed(f"This workshop already has a follow-up ({existing}): start the next one from there")


def _carry(s: Session, old: Workshop, new: Workshop) -> None:
    demands = _carry_demands(s, old, new)
    initiatives = _carry_initiatives(s, old, new, demands)
    _carry_plan(s, old, new, initiatives)
    _carry_selfcheck(s, old, new)


def _carry_demands(s: Session, old: Workshop, new: Workshop) -> dict[int, int]:
    """The demands on the board, their votes (merged duplicates' included) as history; old id -> new id, for
    every old demand whose root was carried."""
    carried: dict[int, int] = {}
    for d in demand_views(s, old):
        row = Demand(workshop_id=new.id, text=d.text, area=d.area or (d.areas[0] if d.areas else None),
                     carried_votes=d.votes, created_at=d.created_at, updated_at=d.created_at)
        s.add(row)
        s.flush()
        carried[d.id] = row.id
    return {d: carried[r] for d, r in demand_roots(s, old).items() if r in carried}


def _carry_initiatives(s: Session, old: Workshop, new: Workshop, demands: dict[int, int]) -> dict[int, int]:
    """The initiatives in the plan (on the board, and chosen or with actions or steps) with their ratings and votes
    as history; old id -> new id, for every old initiative whose root was carried."""
    planned = {i for m in (Action, ProcessStep) for i in s.exec(select(m.initiative_id).where(m.workshop_id == old.id))}
    root_of = roots(s, Initiative, old)
    planned = {root_of.get(i, i) for i in planned}
    stats = {i.id: i for i in dashboard_of(s, old).initiatives}
    carried: dict[int, int] = {}
    for v in sorted(initiative_views(s, old), key=lambda v: v.id):
        if not (v.chosen or v.id in planned) or v.id not in stats:
            continue
        row = Initiative(workshop_id=new.id, title=v.title, customer_value=v.customer_value,
                         company_value=v.company_value, effort=v.effort, answers_no_demand=v.answers_no_demand,
                         chosen=v.chosen, created_at=v.created_at or utcnow(), updated_at=v.created_at or utcnow())
        s.add(row)
        s.flush()
        carried[v.id] = row.id
        i = stats[v.id]
        s.add(InitiativeHistory(initiative_id=row.id, votes=i.votes, customer_median=i.customer.median,
                                customer_spread=i.customer.spread, customer_n=i.customer.n,
                                company_median=i.company.median, company_spread=i.company.spread,
                                company_n=i.company.n))
        s.add_all(InitiativeDemand(initiative_id=row.id, demand_id=d)
                  for d in dict.fromkeys(demands[x] for x in i.demand_ids if x in demands))
        s.add_all(InitiativeArea(initiative_id=row.id, area=a) for a in i.areas)
    return {i: carried[r] for i, r in root_of.items() if r in carried}


def _carry_plan(s: Session, old: Workshop, new: Workshop, initiatives: dict[int, int]) -> None:
    """Actions (all but those the room dropped) with their dates, status and dependencies, status and due date
    kept as history; process steps in their order."""
    actions = s.exec(select(Action).where(Action.workshop_id == old.id).order_by(Action.id)).all()
    copied: dict[int, int] = {}
    for a in actions:
        if a.initiative_id not in initiatives or a.review == Review.DROPPED:
            continue
        row = Action(workshop_id=new.id, initiative_id=initiatives[a.initiative_id], what=a.what, owner=a.owner,
                     due=a.due, status=a.status, start=a.start, milestone=a.milestone, created_at=a.created_at,
                     carried_status=a.status, carried_due=a.due)
        s.add(row)
        s.flush()
        copied[a.id] = row.id
    links = s.exec(select(ActionDependency).where(ActionDependency.action_id.in_(copied))).all()
    s.add_all(ActionDependency(action_id=copied[x.action_id], depends_on_id=copied[x.depends_on_id])
              for x in links if x.depends_on_id in copied)
    steps = s.exec(select(ProcessStep).where(ProcessStep.workshop_id == old.id)
                   .order_by(ProcessStep.initiative_id, ProcessStep.position)).all()
    s.add_all(ProcessStep(workshop_id=new.id, initiative_id=initiatives[p.initiative_id], position=p.position,
                          actor=p.actor, what=p.what, information=p.information, value=p.value)
              for p in steps if p.initiative_id in initiatives)


def _carry_selfcheck(s: Session, old: Workshop, new: Workshop) -> None:
    """Every answered run, closed, as a baseline numbered 1, 2, 3...; each respondent's answers under a fresh
    random key, so nothing in the follow-up ties an answer to a person or to the key it had."""
    runs = s.exec(select(SelfCheckRun).where(SelfCheckRun.workshop_id == old.id).order_by(SelfCheckRun.number)).all()
    number = 0
    for run in runs:
        answers = s.exec(select(SelfCheckRating.respondent, SelfCheckRating.area, SelfCheckRating.level)
                         .where(SelfCheckRating.run_id == run.id)).all()
        if not answers:
            continue
        number += 1
        copy = SelfCheckRun(workshop_id=new.id, number=number, opened_at=run.opened_at,
                            closed_at=run.closed_at or utcnow(), baseline=True)
        s.add(copy)
        s.flush()
        keys = {respondent: secrets.token_hex(32) for respondent, _, _ in answers}
        s.add_all(SelfCheckRating(run_id=copy.id, respondent=keys[r], area=a, level=lv) for r, a, lv in answers)


def _link(w: Workshop) -> SessionLink:
    return SessionLink(w.join_code, w.title, w.created_at)


def _walk(first: Workshop | None, step) -> Iterable[Workshop]:
    """`first`, then `step` of it, and so on (a bounded walk: the chain is a line, never a loop)."""
    seen: set[int] = set()
    while first is not None and first.id not in seen and len(seen) < MAX_CHAIN:
        seen.add(first.id)
        yield first
        first = step(first)


def chain_of(s: Session, w: Workshop) -> Chain:
    """The sessions before and after this one, and what a restore left out of the chain."""

    def before(x: Workshop) -> Workshop | None:
        return s.get(Workshop, x.predecessor_id) if x.predecessor_id else None

    def after(x: Workshop) -> Workshop | None:
        return s.exec(select(Workshop).where(Workshop.predecessor_id == x.id)).first()

    earlier, later = list(_walk(before(w), before)), list(_walk(after(w), after))
    dropped = s.exec(select(ModerationEvent.detail).where(ModerationEvent.workshop_id == w.id,
                                                          ModerationEvent.action == CHAIN_DROPPED)
                     .order_by(ModerationEvent.id.desc())).first()
    return Chain(tuple(_link(x) for x in reversed(earlier)), tuple(_link(x) for x in later), dropped)


def get_chain(db: Database, code: str, key: str) -> Chain:
    """The sessions this one follows and the ones that follow it, for its facilitator (their codes let people
    join them, so the room is not told). Raises: NotFound, NotAllowed."""
    with db.read() as s:
        return chain_of(s, facilitated(s, code, key))


def histories_of(s: Session, w: Workshop) -> dict[int, LastSession]:
    """Each carried initiative's id -> how the last session rated and voted it."""
    rows = s.exec(select(InitiativeHistory).join(Initiative).where(Initiative.workshop_id == w.id)).all()
    return {h.initiative_id: LastSession(h.votes, h.customer_median, h.customer_spread, h.customer_n,
                                         h.company_median, h.company_spread, h.company_n) for h in rows}


def carried_initiatives(db: Database, code: str) -> dict[int, LastSession]:
    """The initiatives carried from the last session and their ratings and votes there (everyone in the room may
    read them, as they read the dashboard). Raises: NotFound."""
    with db.read() as s:
        return histories_of(s, workshop_by_code(s, code))
