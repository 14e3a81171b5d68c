"""Dot votes on demands, within the facilitator's budget and cap per demand."""

from dataclasses import dataclass

from sqlalchemy import func
from sqlmodel import Session, select

from planning.access import bump, participant_by_token, require_unlocked
from planning.db import Database
from planning.demands import roots
from planning.errors import InvalidInput, NotAllowed, NotFound
from planning.models import Demand, DemandVote, Participant, Phase, Workshop


@dataclass(frozen=True)
class Ballot:
    budget: int
    cap: int
    used: int

    @property
    def left(self) -> int:
        return max(0, self.budget - self.used)


def _used(s: Session, w: Workshop, p: Participant) -> int:
    """Dots spent on demands still shown (a hidden demand gives its dots back)."""
    hidden = {d for d, in s.exec(select(Demand.id).where(Demand.workshop_id == w.id, Demand.hidden))}
    root_of = roots(s, w)
    rows = s.exec(select(DemandVote.demand_id, DemandVote.dots).where(DemandVote.participant_id == p.id))
    return sum(dots for demand_id, dots in rows if root_of.get(demand_id, demand_id) not in hidden)


def get_ballot(db: Database, token: str) -> Ballot:
    """How many dots the participant has, and has spent. Raises: NotFound."""
    with db.read() as s:
        w, p = participant_by_token(s, token)
        return Ballot(w.vote_budget, w.vote_cap, _used(s, w, p))


def _votable(s: Session, token: str, demand_id: object, *, lock: bool) -> tuple[Workshop, Participant, Demand]:
    w, p = participant_by_token(s, token, for_update=lock)
    require_unlocked(w)
    if w.phase != Phase.INNER_CUSTOMER:
        raise NotAllowed("Votes on demands can be changed only during the Inner customer phase")
    if w.private_until_reveal and not w.revealed:
        raise NotAllowed("Voting opens when the facilitator reveals everyone's demands")
    d = s.get(Demand, demand_id) if isinstance(demand_id, int) else None
    if d is None or d.workshop_id != w.id or d.hidden:
        raise NotFound("That demand is not on the board")
    if d.merged_into_id is not None:
        raise InvalidInput("That demand was merged into another: vote on that one")
    return w, p, d


def cast_vote(db: Database, token: str, demand_id: int) -> Ballot:
    """Put one dot on a demand. Raises: NotAllowed past the budget or the cap per demand."""
    with db.write() as s:
        w, p, d = _votable(s, token, demand_id, lock=True)
        used = _used(s, w, p)
        if used >= w.vote_budget:
            raise NotAllowed(f"You have used all {w.vote_budget} of your votes")
        on_it = s.exec(
            select(func.coalesce(func.sum(DemandVote.dots), 0)).where(
                DemandVote.participant_id == p.id,
                DemandVote.demand_id.in_([i for i, r in roots(s, w).items() if r == d.id]),
            )
        ).one()
        if on_it >= w.vote_cap:
            raise NotAllowed(f"At most {w.vote_cap} votes can go on one demand")
        row = s.exec(select(DemandVote).where(DemandVote.participant_id == p.id, DemandVote.demand_id == d.id)).first()
        if row is None:
            s.add(DemandVote(workshop_id=w.id, participant_id=p.id, demand_id=d.id, dots=1))
        else:
            row.dots += 1
        bump(s, w)
        return Ballot(w.vote_budget, w.vote_cap, used + 1)


def retract_vote(db: Database, token: str, demand_id: int) -> Ballot:
    """Take one dot back from a demand. Raises: InvalidInput when there is none to take."""
    with db.write() as s:
        w, p, d = _votable(s, token, demand_id, lock=True)
        under = [i for i, r in roots(s, w).items() if r == d.id]
        row = s.exec(
            select(DemandVote)
            .where(DemandVote.participant_id == p.id, DemandVote.demand_id.in_(under))
            .order_by(DemandVote.demand_id != d.id)
        ).first()
        if row is None:
            raise InvalidInput("You have no vote on that demand to take back")
        if row.dots > 1:
            row.dots -= 1
        else:
            s.delete(row)
        s.flush()
        bump(s, w)
        return Ballot(w.vote_budget, w.vote_cap, _used(s, w, p))
